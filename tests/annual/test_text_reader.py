"""Reading plain-text reports: the seed, awkward hand-made texts, and txt → txt round trips."""

import json
import subprocess
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from opencc import OpenCC
from strategies import differences, reports

from conftest import SAMPLES
from gongkai.annual.formats import FORMAT_2019, FORMAT_2021
from gongkai.annual.readers import ReadError, read, read_bytes
from gongkai.annual.readers.text_reader import read as read_text
from gongkai.annual.report import AnnualReport
from gongkai.annual.writers.text_writer import write

SEED = SAMPLES / "seed-yipingyuan-2021.txt"


def _linear(fmt=FORMAT_2021, value="0", skip=(), collapsed=frozenset(), sep=" ",
            head="某某局\n2022年政府信息公开工作年度报告\n"):
    """A report as pdftotext prints it: each row's label and values on one line."""
    lines = [head]
    for number, title in enumerate(fmt.sections, 1):
        lines.append(title)
        lines.append("本节正文。")
        table = fmt.table_for_section(number)
        if table is None:
            continue
        if table.key == "disputes":
            lines.append(sep.join([value] * 15))
            continue
        block = None
        for row in table.layout(collapsed):
            if table.block_of(row.key) is not block:
                block = table.block_of(row.key)
                lines += [block.caption] if block.caption else []
                lines.append(sep.join([block.corner, *(c.label for c in block.columns)]).strip())
            if row.key not in skip:
                n = len(table.block_of(row.key).columns)
                lines.append(sep.join([row.label, *([value] * n)]))
    return "\n".join(lines) + "\n"


def _count_values(report, value):
    return sum(1 for c in report.cells.values() if c.value == value)


# -- the seed ------------------------------------------------------------------------


def test_seed_is_the_2021_report_of_yipingyuan():
    result = read(SEED)
    r = result.report
    assert (r.format.key, r.agency, r.year) == ("2021", "一平垣乡", 2021)
    assert len(r.cells) == 200
    assert all(c.value == 0 and c.kind == "number" for c in r.cells.values())
    assert r.section_order == [1, 2, 3, 4, 5, 6]
    assert r.sections[1].startswith("在区委、区政府的正确领导下")
    assert r.sections[6] == "2021年我乡无其他需要报告的事项。"
    assert r.sections[5].startswith("总体而言")
    assert not [f for f in result.findings if f.severity != "info"]


def test_seed_group_labels_do_not_leak_into_section_text():
    r = read(SEED).report
    assert r.sections[2] == r.sections[3] == r.sections[4] == ""
    assert r.preamble.startswith("根据区政府")


@pytest.mark.parametrize("encoding", ["gbk", "utf-16", "utf-8-sig", "gb18030"])
def test_encodings(encoding):
    data = SEED.read_text(encoding="utf-8").replace("\xa0", " ").encode(encoding)
    r = read_bytes(data, "seed").report
    assert (r.agency, r.year, len(r.cells)) == ("一平垣乡", 2021, 200)


def test_seed_with_spaces_instead_of_tabs():
    text = SEED.read_text(encoding="utf-8").replace("\t", "    ")
    r = read_text(text.encode(), "x").report
    assert r.value("applications", "carried_out", "total") == 0
    assert len([a for a in r.cells if a.startswith("applications.")]) == 175


# -- linear (pdftotext) layout -------------------------------------------------------


def test_linear_rows_and_one_line_table4():
    r = read_text(_linear(value="7").encode(), "x").report
    assert _count_values(r, 7) == 200
    assert (r.agency, r.year) == ("某某局", 2022)
    assert r.sections[3] == "本节正文。"


def test_linear_rows_separated_by_tabs():
    r = read_text(_linear(value="2", sep="\t").encode(), "x").report
    assert _count_values(r, 2) == 200


def test_title_with_agency_on_one_line():
    r = read_text(_linear(head="某某市交通运输局2023年政府信息公开工作年度报告\n").encode()).report
    assert (r.agency, r.year) == ("某某市交通运输局", 2023)


def test_traditional_characters_and_half_width_brackets():
    text = OpenCC("s2t").convert(_linear(value="3")).replace("（", "(").replace("）", ")")
    assert "規章" in text and "處理" in text
    r = read_text(text.encode(), "x").report
    assert _count_values(r, 3) == 200


def test_label_broken_over_two_lines():
    label = FORMAT_2021.table("applications").row("partially_granted").label
    cut = label.index("不计")
    text = _linear().replace(f"{label} 0", f"{label[:cut]}\n{label[cut:]} 5", 1)
    r = read_text(text.encode(), "x").report
    assert r.value("applications", "partially_granted", "natural_person") == 5
    assert not r.extras


def test_group_label_broken_over_lines_in_seed_layout():
    # The seed prints "(五 )不" / "予处理" as two lines outside any cell.
    r = read(SEED).report
    assert "予处理" not in r.sections[3]


def test_missing_row_is_a_finding():
    result = read_text(_linear(skip={"unhandled_repeated"}).encode(), "x")
    codes = [(f.code, f.severity) for f in result.findings]
    assert codes == [("READ-ROW-MISSING", "warning")]
    assert "重复申请" in result.findings[0].message
    assert result.report.cell("applications", "unhandled_repeated", "total") is None


def test_extra_local_row_is_kept():
    text = SEED.read_text(encoding="utf-8").replace(
        "\t行政规范性文件\n\t0\n\t0\n\t0\n",
        "\t行政规范性文件\n\t0\n\t0\n\t0\n\n\t其他主动公开文件\n\t12\n\t0\n\t3\n")
    result = read_text(text.encode(), "x")
    [extra] = result.report.extras
    assert (extra.label, extra.after) == ("其他主动公开文件", "normative_documents")
    assert [c.value for c in extra.cells] == [12, 0, 3]
    assert [f.code for f in result.findings] == ["READ-EXTRA-ROW"]


def test_collapsed_other_row():
    r = read_text(_linear(value="1", collapsed=frozenset({"other"})).encode(), "x").report
    assert r.value("applications", "other", "total") == 1
    assert r.cell("applications", "other_misc", "total") is None


def test_2019_format_text():
    r = read_text(_linear(FORMAT_2019, value="4",
                          head="某某局\n2020年政府信息公开工作年度报告\n").encode(), "x").report
    assert r.format.key == "2019"
    assert r.value("proactive", "procurement", "amount") == 4
    assert r.value("proactive", "other_services", "change") == 4
    assert len(r.cells) == 22 + 161 + 15


def test_2019_format_detected_by_labels_without_year():
    r = read_text(_linear(FORMAT_2019, head="某某局\n政府信息公开工作年度报告\n").encode()).report
    assert (r.format.key, r.year) == ("2019", None)


def test_noted_and_missing_cells():
    text = _linear().replace("一、本年新收政府信息公开申请数量 0 0 0 0 0 0 0",
                             "一、本年新收政府信息公开申请数量 22（其中修订16件） / — - 0 0 22")
    r = read_text(text.encode(), "x").report
    c = r.cell("applications", "received", "natural_person")
    assert (c.value, c.raw, c.note) == (22, "22（其中修订16件）", "(其中修订16件)")
    kinds = [r.cell("applications", "received", k).kind
             for k in ("commercial", "research", "public_welfare")]
    assert kinds == ["slash", "dash", "dash"]


# -- refusals ------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"  \n\n\t\n"])
def test_empty_text_is_refused(data):
    with pytest.raises(ReadError) as err:
        read_text(data, "x")
    assert err.value.code == "read.empty"


def test_text_without_table3_is_refused():
    text = "某某局\n2021年政府信息公开工作年度报告\n一、总体情况\n今年工作平稳。\n"
    with pytest.raises(ReadError) as err:
        read_text(text.encode(), "x")
    assert err.value.code == "read.no-table3" and "表三" in err.value.zh


# -- round trips ---------------------------------------------------------------------


def test_seed_round_trips_through_the_text_writer():
    r = read(SEED).report
    back = read_text(write(r), "x").report
    assert differences(r, back) == []


def test_writer_output_is_readable_text():
    text = write(AnnualReport.zeros("2021", agency="某某局", year=2022)).decode()
    assert text.startswith("某某局\n2022年政府信息公开工作年度报告\n")
    assert "\n一、总体情况\n" in text and "\t一、本年新收政府信息公开申请数量\n\t0\n" in text


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_txt_round_trip(report):
    back = read_text(write(report), "x")
    assert differences(report, back.report) == []


# -- real reports, as pdftotext -layout prints them -----------------------------------


def _expected_cells(expected: dict, fmt) -> dict[str, object]:
    """expected.json's lists, laid over the format's cells in print order."""
    apps = fmt.table("applications")
    rows = expected["application_rows"]
    layout = apps.layout(frozenset({"other"}) if len(rows) == 23 else frozenset())
    out: dict[str, object] = {}
    for row, values in zip(layout, rows.values(), strict=True):
        for col, v in zip(apps.block_of(row.key).columns, values, strict=True):
            out[f"applications.{row.key}.{col.key}"] = v
    for (row, col), v in zip(fmt.table("disputes").cells(), expected["review_litigation"],
                             strict=True):
        out[f"disputes.{row.key}.{col.key}"] = v
    active = expected["active_disclosure"]
    for k, col in enumerate(("issued", "repealed", "in_force")):
        out[f"proactive.regulations.{col}"] = active["regulations"][k]
        out[f"proactive.normative_documents.{col}"] = active["normative_documents"][k]
    out["proactive.licensing.decisions"] = active["licensing"]
    out["proactive.penalty.decisions"] = active["punishment"]
    out["proactive.coercion.decisions"] = active["coercion"]
    out["proactive.fees.amount_wan_yuan"] = active["fees_wan_yuan"]
    return out


REAL = json.loads((SAMPLES / "real" / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", REAL, ids=[c["file"] for c in REAL])
def test_real_report_through_pdftotext_layout(case):
    text = subprocess.run(["pdftotext", "-layout", str(SAMPLES / "real" / case["file"]), "-"],
                          capture_output=True, check=True).stdout
    result = read_text(text, case["file"])
    r = result.report
    assert (r.year, r.format.key) == (case["year"], case["format_version"])
    assert r.section_order == [1, 2, 3, 4, 5, 6]
    expected = _expected_cells(case["expected"], r.format)
    got = {a: r.value(*a.split(".")) for a in expected}
    assert {a: v for a, v in got.items() if v is None or Decimal(str(v)) != Decimal(str(expected[a]))} == {}
    assert [f for f in result.findings if f.severity != "info"] == []
    # Table headers printed in pieces and page numbers are not prose.
    assert r.sections[3] == r.sections[4] == ""
    assert not any(line.startswith("-") for s in r.sections.values() for line in s.splitlines())
