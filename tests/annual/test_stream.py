"""The shared token interpreter: tokens as a DOCX/HTML/PDF reader would produce them."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from strategies import reports

from gongkai.annual.formats import FORMAT_2021
from gongkai.annual.readers import ReadError
from gongkai.annual.readers.stream import Token, interpret

APPS = FORMAT_2021.table("applications")


def _cells(*texts):
    return [Token(t, cell=True) for t in texts]


def _applications(collapsed=False, skip=(), value="0"):
    out = []
    for row in APPS.layout(frozenset({"other"}) if collapsed else frozenset()):
        if row.key in skip:
            continue
        out += _cells(row.label, *([value] * 7))
    return out


def _report_tokens(apps):
    return [
        Token("某某局"), Token("2022年政府信息公开工作年度报告"), Token("前言一段。"),
        Token("一、总体情况"), Token("总体情况正文。\n第二行。"),
        Token("三、收到和处理政府信息公开申请情况"), *apps,
        Token("四、政府信息公开行政复议、行政诉讼情况"),
        *_cells("行政复议", "行政诉讼", *(["1"] * 5), "2", "2", "2", "2", "8", *(["0"] * 5)),
    ]


def test_title_agency_year_sections_and_table3():
    result = interpret(_report_tokens(_applications(value="3")), "x")
    r = result.report
    assert (r.agency, r.year, r.format.key) == ("某某局", 2022, "2021")
    assert r.preamble == "前言一段。"
    assert r.sections[1] == "总体情况正文。\n第二行。"
    assert r.section_order == [1, 3, 4]
    assert r.value("applications", "carried_out", "total") == 3
    assert len([a for a in r.cells if a.startswith("applications.")]) == 175


def test_table4_is_read_by_position_after_its_header():
    r = interpret(_report_tokens(_applications())).report
    assert r.value("disputes", "reconsideration", "upheld") == 1
    assert r.value("disputes", "lawsuit_direct", "total") == 8
    assert r.value("disputes", "lawsuit_after_reconsideration", "pending") == 0


def test_cell_location_names_table_row_and_column():
    r = interpret(_report_tokens(_applications())).report
    assert r.cell("applications", "received", "natural_person").where.cell == \
        "表三 一、本年新收政府信息公开申请数量 自然人"


def test_a_blank_token_is_a_blank_cell_and_keeps_positions():
    apps = _applications()
    apps[1:8] = _cells("5", "", "/", "—", "0", "0", "5")
    r = interpret(_report_tokens(apps)).report
    kinds = [r.cell("applications", "received", c.key).kind for c in APPS.blocks[0].columns]
    assert kinds == ["number", "blank", "slash", "dash", "number", "number", "number"]
    assert r.value("applications", "received", "total") == 5


def test_missing_row_is_a_warning_naming_the_row():
    result = interpret(_report_tokens(_applications(skip={"granted"})))
    missing = [f for f in result.findings if f.code == "READ-ROW-MISSING"]
    assert len(missing) == 1 and "予以公开" in missing[0].message
    assert "applications.granted.total" in missing[0].cells


def test_too_few_values_is_a_warning():
    apps = _applications()
    del apps[1:3]  # received keeps 5 of its 7 values
    result = interpret(_report_tokens(apps))
    assert any(f.code == "READ-VALUE-COUNT" for f in result.findings)


def test_collapsed_other_row_in_2021():
    r = interpret(_report_tokens(_applications(collapsed=True, value="1"))).report
    assert r.value("applications", "other", "total") == 1
    assert r.cell("applications", "other_misc", "total") is None
    assert r.collapsed("applications") == {"other"}


def test_group_other_is_not_read_as_the_collapsed_row():
    apps = []
    for row in APPS.layout():
        if row.key == "other_no_correction":
            apps += _cells("（六）其他处理")
        apps += _cells(row.label, *(["2"] * 7))
    r = interpret(_report_tokens(apps)).report
    assert r.value("applications", "other_no_correction", "total") == 2
    assert r.cell("applications", "other", "total") is None


def test_local_extra_row_is_kept_with_an_info_finding():
    apps = _applications()
    apps[16:16] = _cells("其中：电话申请", *(["1"] * 7))
    result = interpret(_report_tokens(apps))
    extra = result.report.extras
    assert [e.label for e in extra] == ["其中：电话申请"]
    assert [c.value for c in extra[0].cells] == [1] * 7
    assert any(f.code == "READ-EXTRA-ROW" and f.severity == "info" for f in result.findings)


def test_linear_rows_in_paragraphs():
    apps = [Token(f"{row.label} 4 0 0 0 0 0 4") for row in APPS.layout()]
    tokens = _report_tokens(apps)[:-17] + [
        Token("四、政府信息公开行政复议、行政诉讼情况"), Token(" ".join(["1"] * 15))]
    r = interpret(tokens).report
    assert r.value("applications", "handled_total", "natural_person") == 4
    assert r.value("disputes", "lawsuit_after_reconsideration", "total") == 1
    assert r.sections[3] == ""


def test_no_table3_is_a_read_error():
    with pytest.raises(ReadError) as err:
        interpret([Token("2021年政府信息公开工作年度报告"), Token("一、总体情况"), Token("正文。")])
    assert err.value.code == "read.no-table3"


@settings(max_examples=20, deadline=None)
@given(reports())
def test_strategy_reports_have_every_layout_cell(report):
    for t in report.format.tables:
        for r, c in t.cells(report.collapsed(t.key)):
            assert report.cell(t.key, r.key, c.key) is not None


_FRAGMENTS = [r.label for t in FORMAT_2021.tables for r in t.rows] + [
    "0", "12", "", "/", "—", "1.5", "22（其中修订16件）", "一、总体情况", "四、政府信息公开行政复议、行政诉讼情况",
    "三、收到和处理政府信息公开申请情况", "（三）不予公开", "（六）其他处理", "申请人情况", "总计",
    "2021年政府信息公开工作年度报告", "正文。", "第二十条第（一）项", "规章 1 2 3"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_FRAGMENTS) | st.text(max_size=12), st.booleans()),
                max_size=80))
def test_any_token_stream_reads_or_is_refused_cleanly(pieces):
    try:
        result = interpret([Token(text, cell=cell) for text, cell in pieces])
    except ReadError as err:
        assert err.code == "read.no-table3"
    else:
        assert any(a.startswith("applications.") for a in result.report.cells)
