"""HTML writer and reader: the official layout out, any report page in."""

from __future__ import annotations

from decimal import Decimal

import lxml.html
import pytest

from gongkai.annual.formats import FORMATS
from gongkai.annual.report import AnnualReport, Cell, ExtraRow, Finding
from gongkai.annual.writers import html_writer, write


def _doc(report: AnnualReport, findings=None):
    data = write(report, "html", findings=findings)
    assert data.startswith(b"<!DOCTYPE html>")
    return lxml.html.fromstring(data.decode("utf-8"))


def _table(doc, key: str):
    return doc.xpath(f".//table[contains(concat(' ', @class, ' '), ' t-{key} ')]")[0]


def _cls(el, tag: str, cls: str):
    return el.xpath(f".//{tag}[contains(concat(' ', @class, ' '), ' {cls} ')]")


def _spans(table, text: str) -> tuple[int, int]:
    th = next(c for c in table.iter("th") if c.text_content() == text)
    return int(th.get("colspan", 1)), int(th.get("rowspan", 1))


# --------------------------------------------------------------------------------------
# writer


def test_title_sections_and_preamble_in_order():
    report = AnnualReport.zeros("2021", agency="一平垣乡", year=2021)
    report.preamble = "本报告由一平垣乡编制。"
    report.sections = {1: "第一段\n第二段", 5: "问题"}
    doc = _doc(report)
    assert doc.findtext(".//title") == "一平垣乡2021年政府信息公开工作年度报告"
    assert doc.findtext(".//h1") == "一平垣乡2021年政府信息公开工作年度报告"
    assert [h.text for h in doc.iter("h2")] == list(FORMATS["2021"].sections)
    first = doc.xpath(".//section[@id='s1']/p")
    assert [p.text for p in first] == ["第一段", "第二段"]
    assert doc.xpath(".//article/p")[0].text == "本报告由一平垣乡编制。"


def test_hostile_text_is_escaped():
    report = AnnualReport.zeros("2021", agency='<img src=x onerror="a()">', year=2021)
    report.sections = {1: "<script>alert(1)</script>"}
    report.set("applications", "received", "total", Cell.parse("<b>5</b>"))
    raw = write(report, "html").decode()
    assert "<script>alert" not in raw and "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    doc = lxml.html.fromstring(raw)
    assert not doc.xpath(".//script") and not doc.xpath(".//img") and not doc.xpath(".//td//b")


def test_proactive_blocks_have_caption_header_and_rows():
    table = _table(_doc(AnnualReport.zeros("2021")), "proactive")
    captions = _cls(table, "th", "caption")
    fmt = FORMATS["2021"].table("proactive")
    assert [c.text_content() for c in captions] == [b.caption for b in fmt.blocks]
    assert all(c.get("colspan") == "4" for c in captions)
    # 本年处理决定数量 spans the three value columns of the first block.
    assert _spans(table, "本年处理决定数量") == (3, 1)
    rows = table.xpath(".//tr")
    assert len(rows) == 4 * 2 + 6  # caption + header per block, six data rows


def test_applications_headers_merged_as_in_template():
    table = _table(_doc(AnnualReport.zeros("2021")), "applications")
    fmt = FORMATS["2021"].table("applications")
    assert _spans(table, fmt.note) == (3, 3)
    assert _spans(table, "申请人情况") == (7, 1)
    assert _spans(table, "自然人") == (1, 2)
    assert _spans(table, "法人或其他组织") == (5, 1)
    assert _spans(table, "总计") == (1, 2)
    assert _spans(table, "三、本年度办理结果") == (1, 22)
    assert _spans(table, "（三）不予公开") == (1, 8)
    assert _spans(table, "（六）其他处理") == (1, 3)
    assert _spans(table, "一、本年新收政府信息公开申请数量") == (3, 1)
    assert _spans(table, "（七）总计") == (2, 1)
    body = [tr for tr in table.xpath(".//tr") if tr.xpath("td")]
    assert len(body) == 25 and all(len(tr.xpath("td")) == 7 for tr in body)


@pytest.mark.parametrize(("fmt", "collapse"), [("2019", False), ("2021", True)])
def test_applications_with_one_other_row_spans_twenty(fmt, collapse):
    report = AnnualReport.zeros(fmt)
    if collapse:
        for key in ("other_no_correction", "other_fee_unpaid", "other_misc"):
            for c in FORMATS[fmt].table("applications").blocks[0].columns:
                del report.cells[f"applications.{key}.{c.key}"]
                report.set("applications", "other", c.key, 0)
    table = _table(_doc(report), "applications")
    assert _spans(table, "三、本年度办理结果") == (1, 20)
    assert _spans(table, "（六）其他处理") == (2, 1)
    assert len([tr for tr in table.xpath(".//tr") if tr.xpath("td")]) == 23


def test_disputes_one_line_of_fifteen_under_three_header_rows():
    report = AnnualReport.zeros("2021")
    for i, (r, c) in enumerate(FORMATS["2021"].table("disputes").cells()):
        report.set("disputes", r.key, c.key, i)
    table = _table(_doc(report), "disputes")
    assert _spans(table, "行政复议") == (5, 1)
    assert _spans(table, "行政诉讼") == (10, 1)
    assert _spans(table, "未经复议直接起诉") == (5, 1)
    assert _spans(table, "复议后起诉") == (5, 1)
    rows = table.xpath(".//tr")
    assert len(rows) == 4
    assert [th.get("rowspan") for th in rows[1].xpath("th")][:5] == ["2"] * 5
    assert len(rows[2].xpath("th")) == 10
    assert [td.text_content() for td in rows[3].xpath("td")] == [str(i) for i in range(15)]


def test_cells_keep_what_the_report_wrote():
    report = AnnualReport.zeros("2021")
    report.set("proactive", "regulations", "issued", Cell.parse("22（其中修订16件）"))
    report.set("proactive", "regulations", "repealed", Cell.parse("/"))
    report.set("proactive", "regulations", "in_force", Cell.parse("—"))
    report.set("proactive", "fees", "amount_wan_yuan", Decimal("1.2500"))
    report.set("applications", "received", "research", None)
    doc = _doc(report)
    values = [td.text_content() for td in _table(doc, "proactive").xpath(".//td")]
    assert values[:3] == ["22（其中修订16件）", "/", "—"]
    assert values[-1] == "1.2500"
    received = _table(doc, "applications").xpath(".//tr")[3].xpath("td")
    assert received[2].text_content() == ""


def test_extra_rows_follow_the_row_they_followed():
    report = AnnualReport.zeros("2021")
    report.extras = [
        ExtraRow("proactive", "其他主动公开文件", [Cell.parse("3"), Cell.parse("1"), Cell.parse("9")],
                 after="normative_documents"),
        ExtraRow("applications", "其中：网上申请", [Cell.parse(str(i)) for i in range(7)],
                 after="received"),
        ExtraRow("applications", "（三）小计", [Cell.parse("0")] * 7,
                 after="withheld_third_party_rights"),
    ]
    doc = _doc(report)
    labels = [th.text_content() for th in _cls(_table(doc, "proactive"), "th", "label")]
    assert labels[:3] == ["规章", "行政规范性文件", "其他主动公开文件"]
    t3 = _table(doc, "applications")
    labels = [th.text_content() for th in _cls(t3, "th", "label")]
    assert labels[1] == "其中：网上申请"
    assert labels[labels.index("4.保护第三方合法权益") + 1] == "（三）小计"
    # Inside the groups: the group cells grow by the extra row.
    assert _spans(t3, "（三）不予公开") == (1, 9)
    assert _spans(t3, "三、本年度办理结果") == (1, 23)


def test_findings_boxed_apart_from_the_report():
    finding = Finding("T3-R1", "error", "表三“总计”列：第一项加第二项之和（5）不等于…")
    doc = _doc(AnnualReport.zeros("2021"), [finding])
    box = _cls(doc, "aside", html_writer.FINDINGS_CLASS)
    assert len(box) == 1 and not box[0].xpath("ancestor::article")
    assert "T3-R1" in box[0].text_content() and "不等于" in box[0].text_content()
    assert not _doc(AnnualReport.zeros("2021")).xpath(".//aside")


def test_print_css_a4_and_cjk_fonts():
    raw = write(AnnualReport.zeros("2021"), "html").decode()
    assert "size: A4" in raw and '"Noto Serif CJK SC"' in raw and "border-collapse: collapse" in raw


def test_every_label_of_the_format_is_printed():
    for fmt in FORMATS.values():
        text = _doc(AnnualReport.zeros(fmt)).text_content()
        for table in fmt.tables:
            for row in table.layout():
                assert row.label in text
                for c in table.block_of(row.key).columns:
                    assert c.label in text
