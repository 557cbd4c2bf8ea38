"""Cross-check rules (勾稽关系): each rule passes a consistent report and fails a broken one."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SAMPLES
from gongkai.annual.formats import APPLICANT_PARTS, FORMAT_2021
from gongkai.annual.report import AnnualReport, Cell
from gongkai.annual.rules import check

APPS, DISPUTES, PROACTIVE = "applications", "disputes", "proactive"
COLUMNS = (*APPLICANT_PARTS, "total")
OUTCOMES = ("upheld", "corrected", "other", "pending")
DISPUTE_ROWS = ("reconsideration", "lawsuit_direct", "lawsuit_after_reconsideration")
EXPECTED = {e["file"]: e for e in json.loads((SAMPLES / "real" / "expected.json").read_text())}


def section_texts() -> dict[int, str]:
    return {i: f"{title}\n本部分内容。" for i, title in enumerate(FORMAT_2021.sections, start=1)}


def report(fmt: str = "2021", year: int | None = None) -> AnnualReport:
    """All zeros, six sections in order: a report every rule passes."""
    year = year or (2021 if fmt == "2021" else 2020)
    return AnnualReport.zeros(fmt, year=year, sections=section_texts(),
                              section_order=[1, 2, 3, 4, 5, 6])


def collapse_other(r: AnnualReport) -> AnnualReport:
    """Print （六）其他处理 as one row, as hongze-district-2023 does."""
    for col in COLUMNS:
        for part in ("other_no_correction", "other_fee_unpaid", "other_misc"):
            r.cells.pop(f"{APPS}.{part}.{col}")
        r.set(APPS, "other", col, 0)
    return r


def codes(findings, severity: str | None = None) -> list[str]:
    return [f.code for f in findings if severity is None or f.severity == severity]


def errors(findings) -> list:
    return [f for f in findings if f.severity == "error"]


def set_row(r: AnnualReport, table: str, row: str, columns, values) -> None:
    for col, v in zip(columns, values, strict=True):
        r.set(table, row, col, v)


def applications(r: AnnualReport, row: str, natural_person: int) -> None:
    """One row whose only applicants are natural persons (总计 kept equal)."""
    r.set(APPS, row, "natural_person", natural_person)
    r.set(APPS, row, "total", natural_person)


def from_expected(name: str) -> AnnualReport:
    """A report holding the values read by eye from a real PDF (samples/real/expected.json)."""
    entry = EXPECTED[name]
    e = entry["expected"]
    r = report(year=entry["year"])
    rows = list(e["application_rows"].values())
    if len(rows) == 23:
        collapse_other(r)
    layout = r.layout(APPS)
    assert len(layout) == len(rows)
    for row, values in zip(layout, rows, strict=True):
        set_row(r, APPS, row.key, COLUMNS, values)
    numbers = e["review_litigation"]
    for i, row in enumerate(DISPUTE_ROWS):
        set_row(r, DISPUTES, row, (*OUTCOMES, "total"), numbers[i * 5:(i + 1) * 5])
    a = e["active_disclosure"]
    set_row(r, PROACTIVE, "regulations", ("issued", "repealed", "in_force"), a["regulations"])
    set_row(r, PROACTIVE, "normative_documents", ("issued", "repealed", "in_force"),
            a["normative_documents"])
    r.set(PROACTIVE, "licensing", "decisions", a["licensing"])
    r.set(PROACTIVE, "penalty", "decisions", a["punishment"])
    r.set(PROACTIVE, "coercion", "decisions", a["coercion"])
    r.set(PROACTIVE, "fees", "amount_wan_yuan", Decimal(str(a["fees_wan_yuan"])))
    return r


# ---------------------------------------------------------------------------------------
# A consistent report passes


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_all_zero_report_has_no_findings(fmt):
    assert check(report(fmt)) == []


def test_consistent_applications_pass():
    r = report()
    applications(r, "received", 5)
    applications(r, "carried_in", 1)
    applications(r, "granted", 3)
    applications(r, "unavailable_not_held", 1)
    applications(r, "handled_total", 4)
    applications(r, "carried_out", 2)
    assert check(r) == []


# ---------------------------------------------------------------------------------------
# T3-R1: 一 + 二 = 三（七） + 四, per column


def test_r1_fails_per_column_naming_the_column_and_both_sides():
    r = report()
    applications(r, "received", 5)
    applications(r, "granted", 4)
    applications(r, "handled_total", 4)
    found = [f for f in check(r) if f.code == "T3-R1"]
    assert [f.severity for f in found] == ["error", "error"]
    assert [f.cells[0] for f in found] == [f"{APPS}.received.natural_person",
                                           f"{APPS}.received.total"]
    assert found[1].message == "表三“总计”列：第一项加第二项之和（5）不等于第三项加第四项之和（4）"
    assert found[1].cells == (f"{APPS}.received.total", f"{APPS}.carried_in.total",
                              f"{APPS}.handled_total.total", f"{APPS}.carried_out.total")
    assert errors(check(r)) == found


def test_r1_with_a_blank_input_is_undecidable_not_passed_or_failed():
    r = report()
    applications(r, "received", 5)  # would fail R1 if 二 counted as 0
    r.set(APPS, "carried_in", "natural_person", None)
    r.set(APPS, "carried_in", "total", None)
    found = [f for f in check(r) if f.code == "T3-R1"]
    assert len(found) == 2
    assert all(f.undecidable and f.severity == "info" for f in found)
    assert found[0].message.startswith("无法判断：表三“自然人”列")
    assert "缺少“二、上年结转政府信息公开申请数量”行的数值" in found[0].message
    assert not errors(check(r))


# ---------------------------------------------------------------------------------------
# T3-R3: （七）总计 = the printed result rows, per column


@pytest.mark.parametrize("other_row", ["other_misc", "other_fee_unpaid"])
def test_r3_2021_split_other_rows_count(other_row):
    r = report()
    applications(r, other_row, 2)
    applications(r, "handled_total", 1)
    applications(r, "received", 1)
    found = errors(check(r))
    assert codes(found) == ["T3-R3", "T3-R3"]
    assert found[1].message == ("表三“总计”列：“（七）总计”行（1）不等于“（一）予以公开”至“（六）其他处理3.其他”"
                                "各项之和（2）")
    assert f"{APPS}.{other_row}.total" in found[1].cells
    applications(r, "handled_total", 2)
    applications(r, "received", 2)
    assert check(r) == []


@pytest.mark.parametrize("fmt,collapsed", [("2019", False), ("2021", True)])
def test_r3_single_other_row(fmt, collapsed):
    r = report(fmt)
    if collapsed:
        collapse_other(r)
    applications(r, "other", 2)
    applications(r, "handled_total", 1)
    applications(r, "received", 1)
    found = errors(check(r))
    assert codes(found) == ["T3-R3", "T3-R3"]
    assert "“（一）予以公开”至“（六）其他处理”各项之和（2）" in found[0].message
    assert f"{APPS}.other.natural_person" in found[0].cells
    assert not any("other_misc" in c for f in found for c in f.cells)
    applications(r, "handled_total", 2)
    applications(r, "received", 2)
    assert check(r) == []


def test_r3_withheld_row_is_named_with_its_group():
    r = report()
    r.set(APPS, "withheld_state_secret", "natural_person", None)
    found = [f for f in check(r) if f.code == "T3-R3"]
    assert len(found) == 1 and found[0].undecidable
    assert "“（三）不予公开1.属于国家秘密”行" in found[0].message


# ---------------------------------------------------------------------------------------
# T3-R4: every row's 总计 = the six applicant columns


def test_r4_fails_on_the_row_and_passes_when_the_total_agrees():
    r = report()
    r.set(APPS, "granted", "commercial", 2)
    r.set(APPS, "granted", "total", 3)
    r.set(APPS, "handled_total", "commercial", 2)
    r.set(APPS, "handled_total", "total", 3)
    r.set(APPS, "received", "commercial", 2)
    r.set(APPS, "received", "total", 3)
    found = errors(check(r))
    assert codes(found) == ["T3-R4"] * 3
    assert found[0].message == ("表三“一、本年新收政府信息公开申请数量”行：“总计”列（3）不等于"
                                "“自然人”至“其他”各项之和（2）")
    for row in ("granted", "handled_total", "received"):
        r.set(APPS, row, "total", 2)
    assert check(r) == []


def test_r4_blank_total_column_as_some_2019_reports_print_is_undecidable():
    r = report("2019")
    for row in r.layout(APPS):
        r.set(APPS, row.key, "total", Cell.parse(""))
    found = check(r)
    assert not errors(found)
    r4 = [f for f in found if f.code == "T3-R4"]
    assert len(r4) == 23 and all(f.undecidable for f in r4)


# ---------------------------------------------------------------------------------------
# T4-R5: each 总计 = 维持 + 纠正 + 其他 + 尚未审结


@pytest.mark.parametrize("row", DISPUTE_ROWS)
def test_r5_each_dispute_row(row):
    r = report()
    set_row(r, DISPUTES, row, (*OUTCOMES, "total"), (1, 2, 0, 1, 4))
    assert check(r) == []
    r.set(DISPUTES, row, "total", 5)
    found = check(r)
    assert codes(found) == ["T4-R5"]
    assert found[0].cells[0] == f"{DISPUTES}.{row}.total"
    assert "“总计”列（5）不等于“结果维持”至“尚未审结”各项之和（4）" in found[0].message
    assert found[0].message.startswith("表四“")


# ---------------------------------------------------------------------------------------
# The real reports


def test_hongze_2023_has_exactly_the_two_dispute_errors():
    found = errors(check(from_expected("hongze-district-2023.pdf")))
    assert codes(found) == ["T4-R5", "T4-R5"]
    assert found[0].message == "表四“行政复议”行：“总计”列（0）不等于“结果维持”至“尚未审结”各项之和（11）"
    assert found[1].message.startswith("表四“复议后起诉”行：“总计”列（0）")
    assert found[1].cells[0] == f"{DISPUTES}.lawsuit_after_reconsideration.total"


@pytest.mark.parametrize("name", ["huaian-city-2024.pdf", "hongze-district-2024.pdf"])
def test_consistent_real_reports_have_no_errors(name):
    assert errors(check(from_expected(name))) == []


# ---------------------------------------------------------------------------------------
# R6: what a cell holds


def findings_for(table, row, column, cell, fmt="2021"):
    r = report(fmt)
    r.set(table, row, column, cell)
    return check(r)


def test_negative_count_is_an_error_but_a_signed_column_may_be_negative():
    found = findings_for(PROACTIVE, "licensing", "decisions", Cell.parse("-3"))
    assert codes(found) == ["R6-NEGATIVE"] and found[0].severity == "error"
    assert found[0].message == "表二“行政许可”行“本年处理决定数量”列为负数（-3）"
    assert found[0].cells == (f"{PROACTIVE}.licensing.decisions",)
    assert findings_for(PROACTIVE, "licensing", "change", Cell.parse("-8"), "2019") == []


def test_fraction_in_a_count_column_is_an_error_but_not_in_the_amount():
    found = findings_for(PROACTIVE, "penalty", "decisions", Cell.parse("2.5"))
    assert codes(found, "error") == ["R6-FRACTION"]
    assert findings_for(PROACTIVE, "fees", "amount_wan_yuan", Cell.parse("7730.28")) == []


def test_text_that_is_not_a_number_is_an_error_and_makes_sums_undecidable():
    found = findings_for(DISPUTES, "reconsideration", "upheld", Cell.parse("若干"))
    assert codes(found) == ["R6-TEXT", "T4-R5"]
    assert codes(found, "error") == ["R6-TEXT"]
    assert "不是数字：“若干”" in found[0].message
    assert found[1].undecidable and "缺少“结果维持”列的数值" in found[1].message


def test_text_beside_a_number_is_a_warning():
    found = findings_for(PROACTIVE, "normative_documents", "issued", Cell.parse("22（其中修订16件）"))
    assert codes(found) == ["R6-NOTE"] and found[0].severity == "warning"
    assert found[0].message == ("表二“行政规范性文件”行“本年制发件数”列在数字旁写有文字："
                                "“22（其中修订16件）”，按22计")
    assert findings_for(PROACTIVE, "penalty", "decisions", Cell.parse("3件")) == []


@pytest.mark.parametrize("raw,said", [("", "为空白"), ("/", "填写“/”"), ("—", "填写“—”"),
                                      ("-", "填写“-”")])
def test_blank_and_placeholder_cells_are_info_saying_which(raw, said):
    found = findings_for(PROACTIVE, "regulations", "issued", Cell.parse(raw))
    assert codes(found) == ["R6-MISSING"] and found[0].severity == "info"
    assert found[0].message == f"表二“规章”行“本年制发件数”列{said}，按缺失处理"


def test_blank_applications_cell_message():
    found = findings_for(APPS, "received", "natural_person", Cell.parse(""))
    missing = [f for f in found if f.code == "R6-MISSING"]
    assert missing[0].message == "表三“一、本年新收政府信息公开申请数量”行“自然人”列为空白，按缺失处理"


@pytest.mark.parametrize("raw", ["316441", "251000元"])
def test_implausible_wan_yuan_amount_is_a_warning(raw):
    found = findings_for(PROACTIVE, "fees", "amount_wan_yuan", Cell.parse(raw))
    assert codes(found) == ["R6-AMOUNT"] and found[0].severity == "warning"
    assert "万元" in found[0].message


def test_plausible_large_city_amount_passes():
    assert findings_for(PROACTIVE, "fees", "amount_wan_yuan", Cell.parse("96171.6")) == []


# ---------------------------------------------------------------------------------------
# Order


def test_findings_come_in_table_order_then_code():
    r = report()
    r.set(DISPUTES, "reconsideration", "total", 1)
    r.set(APPS, "received", "total", 1)
    r.set(PROACTIVE, "penalty", "decisions", -1)
    assert codes(check(r)) == ["R6-NEGATIVE", "T3-R1", "T3-R4", "T4-R5"]


# ---------------------------------------------------------------------------------------
# Property: totals computed from random parts pass; any single +1 breaks them


@st.composite
def consistent_reports(draw):
    fmt = draw(st.sampled_from(["2021", "2019", "2021-collapsed"]))
    r = report(fmt[:4])
    if fmt == "2021-collapsed":
        collapse_other(r)
    small = st.integers(min_value=0, max_value=50)
    results = [row.key for row in r.layout(APPS)][2:-2]
    for col in APPLICANT_PARTS:
        handled = 0
        for row in results:
            n = draw(small)
            r.set(APPS, row, col, n)
            handled += n
        carried_out = draw(small)
        carried_in = draw(st.integers(min_value=0, max_value=handled + carried_out))
        r.set(APPS, "handled_total", col, handled)
        r.set(APPS, "carried_out", col, carried_out)
        r.set(APPS, "carried_in", col, carried_in)
        r.set(APPS, "received", col, handled + carried_out - carried_in)
    for row in r.layout(APPS):
        r.set(APPS, row.key, "total", sum(r.value(APPS, row.key, c) for c in APPLICANT_PARTS))
    for row in DISPUTE_ROWS:
        parts = [draw(small) for _ in OUTCOMES]
        set_row(r, DISPUTES, row, (*OUTCOMES, "total"), (*parts, sum(parts)))
    return r


def table_errors(findings):
    return [f for f in errors(findings) if f.code.startswith(("T3", "T4"))]


@settings(max_examples=60, deadline=None)
@given(consistent_reports(), st.data())
def test_totals_from_parts_pass_and_any_plus_one_fails(r, data):
    assert table_errors(check(r)) == []
    address = data.draw(st.sampled_from(
        sorted(a for a in r.cells if a.startswith((f"{APPS}.", f"{DISPUTES}.")))))
    table, row, column = address.split(".")
    r.set(table, row, column, r.value(table, row, column) + 1)
    broken = table_errors(check(r))
    assert broken
    assert any(address in f.cells for f in broken)


# ---------------------------------------------------------------------------------------
# Sections


def test_missing_sections_are_errors_naming_each():
    r = report()
    del r.sections[4], r.sections[6]
    r.section_order = [1, 2, 3, 5]
    found = check(r)
    assert codes(found) == ["S-MISSING", "S-MISSING"]
    assert all(f.severity == "error" for f in found)
    assert found[0].message == "缺少第四部分“四、政府信息公开行政复议、行政诉讼情况”"
    assert "六、其他需要报告的事项" in found[1].message


def test_sections_out_of_order_is_a_warning():
    r = report()
    r.section_order = [1, 2, 4, 3, 5, 6]
    found = check(r)
    assert codes(found) == ["S-ORDER"] and found[0].severity == "warning"
    assert "“三、收到和处理政府信息公开申请情况”出现在“四、政府信息公开行政复议、行政诉讼情况”之后" in (
        found[0].message)


def test_a_section_title_repeated_later_is_not_out_of_order():
    r = report()
    r.section_order = [1, 2, 3, 4, 3, 5, 6]
    assert check(r) == []


# ---------------------------------------------------------------------------------------
# X1, X2: against the previous year


def carry(r: AnnualReport, row: str, n: int) -> AnnualReport:
    """Carry `n` natural-person applications in or out, keeping the table balanced."""
    applications(r, row, n)
    other = "received" if row == "carried_out" else "granted"
    applications(r, other, n)
    if other == "granted":
        applications(r, "handled_total", n)
    return r


def test_x1_carried_in_equals_last_years_carried_out():
    last = carry(report(year=2021), "carried_out", 3)
    this = carry(report(year=2022), "carried_in", 3)
    assert check(this, previous=last) == []
    this = carry(report(year=2022), "carried_in", 2)
    found = check(this, previous=last)
    assert codes(found) == ["X1", "X1"] and all(f.severity == "warning" for f in found)
    assert found[1].message == ("表三“总计”列：本年“二、上年结转政府信息公开申请数量”（2）"
                                "不等于上年报告“四、结转下年度继续办理”（3）")
    assert found[1].cells == (f"{APPS}.carried_in.total",)


def test_x1_across_formats_compares_2020_with_2021():
    last = carry(report("2019", year=2020), "carried_out", 1)
    this = carry(report(year=2021), "carried_in", 1)
    assert check(this, previous=last) == []


def test_x1_blank_carry_is_undecidable():
    last = report(year=2021)
    last.set(APPS, "carried_out", "research", None)
    found = [f for f in check(report(year=2022), previous=last) if f.code == "X1"]
    assert len(found) == 1 and found[0].undecidable
    assert "“科研机构”列" in found[0].message and "缺少上年的数值" in found[0].message


def test_x1_previous_report_of_the_wrong_year_is_a_warning():
    last = carry(report(year=2020), "carried_out", 3)
    found = check(report(year=2022), previous=last)
    assert codes(found) == ["X1-YEAR"]
    assert "2020" in found[0].message and "2022" in found[0].message


def stock(r: AnnualReport, row: str, issued: int, repealed: int, in_force: int) -> AnnualReport:
    set_row(r, PROACTIVE, row, ("issued", "repealed", "in_force"), (issued, repealed, in_force))
    return r


def test_x2_in_force_follows_from_last_year():
    last = stock(report(year=2021), "normative_documents", 0, 0, 10)
    this = stock(report(year=2022), "normative_documents", 3, 1, 12)
    assert check(this, previous=last) == []
    this = stock(report(year=2022), "normative_documents", 3, 1, 15)
    found = check(this, previous=last)
    assert codes(found) == ["X2"] and found[0].severity == "warning"
    assert found[0].message.startswith("表二“行政规范性文件”行：本年“现行有效件数”（15）")
    assert "即12" in found[0].message
    assert found[0].cells[0] == f"{PROACTIVE}.normative_documents.in_force"


def test_x2_is_not_applied_to_a_2019_format_previous_year():
    last = report("2019", year=2020)
    last.set(PROACTIVE, "regulations", "total_published", 40)
    this = stock(report(year=2021), "regulations", 0, 0, 5)
    assert check(this, previous=last) == []


# ---------------------------------------------------------------------------------------
# The real files, read and checked end to end


def read_sample(name: str) -> AnnualReport:
    from gongkai.annual.readers import read

    return read(SAMPLES / name).report


def test_real_seed_report_reads_and_checks_clean():
    assert check(read_sample("seed-yipingyuan-2021.txt")) == []


def test_real_hongze_2023_pdf_fails_exactly_the_dispute_sums():
    found = check(read_sample("real/hongze-district-2023.pdf"))
    assert [(f.code, f.severity) for f in found] == [("T4-R5", "error")] * 2


def test_real_hongze_2024_against_2023_carries_and_stock_agree():
    this = read_sample("real/hongze-district-2024.pdf")
    last = read_sample("real/hongze-district-2023.pdf")
    found = check(this, previous=last)
    # The only remark: its 总体情况 says 区政府办 received 17 applications, the table 95.
    assert codes(found) == ["N1"]
    assert "17件" in found[0].message and "（95）" in found[0].message


def test_section_numbers_outside_the_format_are_ignored_not_a_crash():
    r = report()
    r.section_order = [0, 1, 2, 3, 9, 4, 5, 6]
    r.sections[7] = "七、附件"
    assert check(r) == []
