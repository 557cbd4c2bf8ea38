"""XLSX writer and reader: exact round trip, the national layout from formats data, workbooks
made by hand, and corrupt files refused with a clear reason."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from openpyxl import Workbook, load_workbook
from strategies import differences, reports

from gongkai.annual.formats import FORMATS
from gongkai.annual.readers import ReadError, read_bytes
from gongkai.annual.readers.xlsx_reader import read
from gongkai.annual.report import AnnualReport, Cell
from gongkai.annual.writers import write
from gongkai.annual.writers.xlsx_writer import INFO_SHEET, TEXT_SHEET

FMT = FORMATS["2021"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_random_reports_round_trip_exactly(report):
    result = read(write(report, "xlsx"), "r.xlsx")
    assert differences(report, result.report) == []
    assert result.report.format.key == report.format.key


def _sample() -> AnnualReport:
    report = AnnualReport.zeros("2021", agency="一平垣乡", year=2021)
    report.set("applications", "received", "natural_person", Cell.parse("5"))
    report.set("applications", "received", "total", Cell.parse("5"))
    report.set("proactive", "fees", "amount_wan_yuan", Cell.parse("7730.28"))
    report.set("proactive", "normative_documents", "issued", Cell.parse("22（其中修订16件）"))
    report.set("disputes", "reconsideration", "pending", Cell.parse("/"))
    report.set("proactive", "licensing", "decisions", Cell.parse("1.50"))
    report.sections = {n: f"第{n}部分的文字。\n第二段。" for n in range(1, 7)}
    report.section_order = list(range(1, 7))
    return report


@pytest.fixture(scope="module")
def workbook():
    return load_workbook(io.BytesIO(write(_sample(), "xlsx")))


def test_sheets_are_info_text_and_one_per_table(workbook):
    assert workbook.sheetnames == [INFO_SHEET, TEXT_SHEET, *(t.name for t in FMT.tables)]
    info = {r[0]: r[1] for r in workbook[INFO_SHEET].iter_rows(values_only=True)}
    assert info["机关"] == "一平垣乡" and info["年度"] == 2021 and info["格式"] == "2021"
    text = list(workbook[TEXT_SHEET].iter_rows(values_only=True))
    assert [r[0] for r in text] == list(FMT.sections)
    assert text[0][1] == "第1部分的文字。\n第二段。"


def test_numbers_are_numbers_and_other_text_stays_text(workbook):
    values = [c for row in workbook["表二"].iter_rows(values_only=True) for c in row]
    assert 7730.28 in values  # a number Excel can add up
    assert "22（其中修订16件）" in values and "1.50" in values  # exactly as written
    assert not any(isinstance(v, str) and re.fullmatch(r"\d+", v) for v in values)
    assert "/" in [c for row in workbook["表四"].iter_rows(values_only=True) for c in row]


def _merged_text(ws) -> dict[str, str]:
    return {str(r): ws.cell(r.min_row, r.min_col).value for r in ws.merged_cells.ranges}


def test_table_headers_are_merged_like_the_national_template(workbook):
    apps = FMT.table("applications")
    merged = _merged_text(workbook[apps.name])
    groups = {g for c in apps.blocks[0].columns for g in c.groups}
    row_groups = {g for r in apps.rows for g in r.groups}
    # 申请人情况 and 法人或其他组织 span their columns; 三、本年度办理结果 and （三）不予公开 span rows.
    assert groups | row_groups <= set(merged.values())
    ws = workbook[apps.name]
    spans = {ws.cell(r.min_row, r.min_col).value: (r.max_col - r.min_col + 1, r.max_row - r.min_row + 1)
             for r in ws.merged_cells.ranges}
    assert spans[apps.blocks[0].columns[0].groups[0]][0] == len(apps.blocks[0].columns)
    withheld = [r for r in apps.rows if r.key.startswith("withheld_")]
    assert spans[withheld[0].groups[-1]][1] == len(withheld)
    disputes = FMT.table("disputes")
    merged4 = _merged_text(workbook[disputes.name])
    lawsuit = disputes.rows[1].groups[0]
    assert lawsuit in merged4.values()
    assert list(workbook[disputes.name].iter_rows(values_only=True))[-1][3] == "/"


def test_findings_argument_is_accepted():
    assert read(write(_sample(), "xlsx", findings=[]), "x.xlsx").report.year == 2021


# ---------------------------------------------------------------------------------------
# Workbooks made by hand


def _hand_made() -> bytes:
    """The whole report on one sheet, merged cells, numbers typed as text, totals as
    formulas (with the cached values Excel saves)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["东城区人民政府2022年政府信息公开工作年度报告"])
    ws.merge_cells("A1:J1")
    ws.append(["一、总体情况"])
    ws.append(["本年度我区认真贯彻条例，公开工作有序推进，群众满意度持续提升，各项制度不断完善。"])
    ws.append(["二、主动公开政府信息情况"])
    ws.append(["第二十条第（一）项"])
    ws.append(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"])
    ws.append(["规章", "0", "0", "3"])
    ws.append(["行政规范性文件", "4", "1", "20"])
    ws.append(["第二十条第（五）项"])
    ws.append(["信息内容", "本年处理决定数量"])
    ws.append(["行政许可", 120])
    ws.append(["第二十条第（六）项"])
    ws.append(["信息内容", "本年处理决定数量"])
    ws.append(["行政处罚", 33])
    ws.append(["行政强制", 2])
    ws.append(["第二十条第（八）项"])
    ws.append(["信息内容", "本年收费金额（单位：万元）"])
    ws.append(["行政事业性收费", 12.5])
    ws.append(["三、收到和处理政府信息公开申请情况"])
    apps = FMT.table("applications")
    header = len(list(ws.iter_rows()))
    ws.append(["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", None, None, "申请人情况"])
    ws.append([None, None, None, "自然人", "法人或其他组织", None, None, None, None, "总计"])
    ws.append([None, None, None, None, "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"])
    ws.merge_cells(start_row=header + 1, start_column=1, end_row=header + 3, end_column=3)
    ws.merge_cells(start_row=header + 1, start_column=4, end_row=header + 1, end_column=10)
    first = header + 4
    for i, row in enumerate(apps.layout(frozenset({"other"}))):
        n = first + i
        label = [row.label, None, None] if not row.groups else \
            [row.groups[0], row.label, None] if len(row.groups) == 1 else [*row.groups, row.label]
        natural = str(i % 3)  # typed as text
        ws.append([*label, natural, "0", "0", "0", "0", "0", f"=SUM(D{n}:I{n})"])
    last = first + len(apps.layout(frozenset({"other"}))) - 1
    ws.merge_cells(start_row=first + 2, start_column=1, end_row=last - 1, end_column=1)
    ws.append(["四、政府信息公开行政复议、行政诉讼情况"])
    ws.append(["行政复议", None, None, None, None, "行政诉讼"])
    ws.append(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", None, None, None, None,
               "复议后起诉"])
    ws.append([None] * 5 + ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2)
    ws.append([1, 2, 0, 0, 3, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0])
    ws.append(["五、存在的主要问题及改进情况"])
    ws.append(["人员力量不足，信息发布的及时性还需提高，下一步将加强培训，完善制度，提升公开质量。"])
    ws.append(["六、其他需要报告的事项"])
    ws.append(["无。"])
    out = io.BytesIO()
    wb.save(out)
    return _with_cached_values(out.getvalue(), {f"J{n}": (n - first) % 3 for n in range(first, last + 1)})


def _with_cached_values(data: bytes, values: dict[str, int]) -> bytes:
    """What Excel saves beside a formula: its last computed value."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = body.decode("utf-8")
                for ref, value in values.items():
                    text = re.sub(rf'(<c r="{ref}"[^>]*>)<f>([^<]*)</f><v\s*/?>(?:</v>)?',
                                  rf"\1<f>\2</f><v>{value}</v>", text)
                body = text.encode("utf-8")
            dst.writestr(item, body)
    return out.getvalue()


def test_hand_made_single_sheet_workbook_is_read():
    result = read_bytes(_hand_made(), "hand.xlsx")
    report = result.report
    assert report.agency == "东城区人民政府" and report.year == 2022 and report.format.key == "2021"
    assert report.value("proactive", "normative_documents", "in_force") == 20
    assert report.value("proactive", "licensing", "decisions") == 120
    assert report.value("proactive", "fees", "amount_wan_yuan") == Decimal("12.5")
    layout = FMT.table("applications").layout(frozenset({"other"}))
    for i, row in enumerate(layout):
        assert report.value("applications", row.key, "natural_person") == i % 3, row.key
        # The 总计 column is a formula; its cached value is read.
        assert report.value("applications", row.key, "total") == i % 3, row.key
    assert report.value("applications", "other", "commercial") == 0
    assert [report.value("disputes", "reconsideration", c) for c in
            ("upheld", "corrected", "other", "pending", "total")] == [1, 2, 0, 0, 3]
    assert report.value("disputes", "lawsuit_direct", "total") == 1
    assert "群众满意度" in report.sections[1] and report.sections[6] == "无。"


def test_corrupt_xlsx_is_refused_clearly():
    data = write(_sample(), "xlsx")
    with pytest.raises(ReadError) as err:
        read_bytes(data[: len(data) // 2], "cut.xlsx")
    assert err.value.code == "read.bad-zip"
    with pytest.raises(ReadError) as err:
        read(b"PK\x03\x04 not really a zip", "bad.xlsx")
    assert err.value.code == "read.bad-xlsx" and "Excel" in err.value.zh


def test_workbook_without_the_applications_table_is_refused():
    wb = Workbook()
    wb.active.append(["只是一张普通的表格"])
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(ReadError) as err:
        read_bytes(out.getvalue(), "other.xlsx")
    assert err.value.code == "read.no-table3"
