"""HTML writer and reader: the official layout out, any report page in."""

from __future__ import annotations

import re
from decimal import Decimal

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import differences, reports

from gongkai.annual.formats import FORMATS
from gongkai.annual.readers import ReadError, read_bytes
from gongkai.annual.readers.html_reader import collapse, decode
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
    # As the template prints it: the agency on its own line above the year and the name.
    assert doc.xpath(".//h1")[0].text_content() == "一平垣乡2021年政府信息公开工作年度报告"
    assert doc.xpath(".//h1/br")
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


# --------------------------------------------------------------------------------------
# reader

F21 = FORMATS["2021"]
APPS = F21.table("applications")


def _read(page: str | bytes, name: str = "page.html"):
    data = page.encode("utf-8") if isinstance(page, str) else page
    return read_bytes(data, name)


def test_zeros_report_round_trips():
    report = AnnualReport.zeros("2021", agency="一平垣乡", year=2021)
    report.preamble = "根据区政府通知，特向社会公布本报告。"
    report.sections = {1: "我乡认真贯彻落实条例。\n二是紧盯目标。", 2: "", 3: "", 4: "", 5: "无。", 6: ""}
    result = _read(write(report, "html"))
    assert differences(report, result.report) == []
    assert result.report.preamble == report.preamble
    assert result.findings == []
    assert len(result.report.cells) == 10 + 25 * 7 + 15


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_random_reports_round_trip(report):
    assert differences(report, _read(write(report, "html")).report) == []


def test_findings_box_is_not_read_back_as_report_text():
    report = AnnualReport.zeros("2021", agency="某局", year=2022)
    report.sections = {6: "无。"}
    page = write(report, "html", findings=[Finding("T3-R1", "error", "表三不平衡")])
    assert _read(page).report.sections[6] == "无。"


def test_cells_carry_their_source_line():
    page = write(AnnualReport.zeros("2021", agency="某局", year=2022), "html").decode()
    line = next(i for i, text in enumerate(page.splitlines(), 1) if APPS.row("carried_out").label in text)
    cell = _read(page).report.cell("applications", "carried_out", "total")
    assert cell.where.line == line


def _word_cell(text: str, colspan: int = 1, rowspan: int = 1) -> str:
    span = (f" colspan={colspan}" if colspan > 1 else "") + (f" rowspan={rowspan}" if rowspan > 1 else "")
    inner = text.replace("\n", "<br>\n")
    return (f"<td width=60{span} valign=top style='border:solid windowtext 1.0pt;"
            f"mso-border-alt:solid windowtext .5pt;padding:0cm 5.4pt 0cm 5.4pt'>\n"
            f"  <p class=MsoNormal align=center style='text-align:center'><span lang=EN-US "
            f"style='font-size:10.5pt;font-family:宋体;mso-bidi-font-family:宋体'>{inner}"
            f"<o:p></o:p></span></p>\n  </td>\n")


def _word_table(rows: list[str]) -> str:
    body = "".join(f" <tr style='mso-yfti-irow:{i}'>\n{r} </tr>\n" for i, r in enumerate(rows))
    misaligned = "<![if !supportMisalignedColumns]>\n <tr height=0>" + \
        "<td width=60 style='border:none'></td>" * 10 + "</tr>\n<![endif]>\n"
    return ("<table class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 "
            "style='border-collapse:collapse;mso-yfti-tbllook:1184'>\n" + body + misaligned + "</table>\n")


def _word_applications(value: str = "1") -> str:
    """表三 as Word saves it: group cells with rowspan, label cells wrapped mid-word."""
    rows = [_word_cell(APPS.note, 3, 3) + _word_cell("申请人情况", 7),
            _word_cell("自然人", 1, 2) + _word_cell("法人或其他组织", 5) + _word_cell("总计", 1, 2),
            "".join(_word_cell(t) for t in ("商业\n企业", "科研\n机构", "社会公益组织", "法律服务机构", "其他"))]
    layout = APPS.layout()
    for i, row in enumerate(layout):
        cells = ""
        for level, group in enumerate(row.groups):
            if i and layout[i - 1].groups[: level + 1] == row.groups[: level + 1]:
                continue
            span = sum(1 for r in layout if r.groups[: level + 1] == row.groups[: level + 1])
            cells += _word_cell(group, 1, span)
        label = row.label[:4] + "\n" + row.label[4:]  # "本年新<br>收…": a break inside the label
        cells += _word_cell(label, 3 - len(row.groups))
        cells += "".join(_word_cell(value if c.key != "total" else str(int(value) * 6))
                         for c in APPS.blocks[0].columns)
        rows.append(cells)
    return _word_table(rows)


WORD_HEAD = """<html xmlns:v="urn:schemas-microsoft-com:vml"
xmlns:o="urn:schemas-microsoft-com:office:office"
xmlns:w="urn:schemas-microsoft-com:office:word"
xmlns="http://www.w3.org/TR/REC-html40">
<head>
<meta http-equiv=Content-Type content="text/html; charset=gb2312">
<meta name=Generator content="Microsoft Word 15 (filtered)">
<style>
<!--
p.MsoNormal {margin:0cm; text-align:justify; font-size:10.5pt; font-family:等线;}
-->
</style>
</head>
<body lang=ZH-CN style='tab-interval:21.0pt;text-justify-trim:punctuation'>
<div class=WordSection1 style='layout-grid:15.6pt'>
"""


def _word_disputes() -> str:
    heads = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
    return _word_table([
        _word_cell("行政复议", 5) + _word_cell("行政诉讼", 10),
        "".join(_word_cell(t[:2] + "\n" + t[2:], 1, 2) for t in heads)
        + _word_cell("未经复议直接起诉", 5) + _word_cell("复议后起诉", 5),
        "".join(_word_cell(t) for t in heads * 2),
        "".join(_word_cell(str(i)) for i in range(15)),
    ])


def _word_page(agency: str = "堃平乡") -> str:
    return WORD_HEAD + f"""
<p class=MsoNormal align=center style='text-align:center'><b><span style='font-size:22.0pt;
font-family:方正小标宋简体'>{agency}<o:p></o:p></span></b></p>
<p class=MsoNormal align=center style='text-align:center'><b><span lang=EN-US
style='font-size:22.0pt'>2021</span></b><b><span style='font-size:22.0pt;font-family:方正小标宋简体'>年政府信息公开工作年度报告</span></b></p>
<p class=MsoNormal style='text-indent:32.0pt'><span style='font-family:仿宋_GB2312'>根据区政府通知，我乡认真梳理全年工作情况，特向社会公布
本报告。<o:p></o:p></span></p>
<p class=MsoNormal><b><span style='font-family:黑体'>一、总体情况</span></b><span lang=EN-US><o:p>&nbsp;</o:p></span></p>
<p class=MsoNormal style='text-indent:32.0pt'><span style='font-family:仿宋'>在区委、区政府的正确领导下，一平垣乡人民政府认真贯彻落实
《中华人民共和国政府信息公开条例》。</span><span style='display:none;mso-hide:all'>隐藏的修订痕迹</span></p>
<p class=MsoNormal><b><span>三、收到和处理政府信息公开申请情况</span></b></p>
{_word_applications("1")}
<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>
<p class=MsoNormal><b><span>四、政府信息公开行政复议、行政诉讼情况</span></b></p>
{_word_disputes()}
<p class=MsoNormal><b><span>五、存在的主要问题及改进情况</span></b></p>
<p class=MsoNormal><span>人员不足。</span></p>
</div>
</body>
</html>
"""


def test_word_exported_gb2312_page():
    page = _word_page().encode("gbk")  # 堃 is in GBK, not in GB2312 itself
    result = _read(page)
    r = result.report
    assert (r.agency, r.year, r.format.key) == ("堃平乡", 2021, "2021")
    assert r.preamble == "根据区政府通知，我乡认真梳理全年工作情况，特向社会公布本报告。"
    assert r.sections[1] == "在区委、区政府的正确领导下，一平垣乡人民政府认真贯彻落实《中华人民共和国政府信息公开条例》。"
    assert r.sections[5] == "人员不足。"
    for row in APPS.layout():
        assert r.value("applications", row.key, "natural_person") == 1
        assert r.value("applications", row.key, "total") == 6
    assert [r.value("disputes", row.key, c.key) for row, c in F21.table("disputes").cells()] == list(range(15))


def test_meta_charset_and_bom_decide_the_encoding():
    text = "<html><head><meta charset='gb2312'></head><body><p>规章：镕</p></body></html>"
    assert "镕" in decode(text.encode("gb18030"))
    assert decode(b"\xef\xbb\xbf<p>\xe8\xa7\x84\xe7\xab\xa0</p>") == "<p>规章</p>"
    assert "规章" in decode(text.replace("gb2312", "utf-8").encode("gbk"))  # wrong declaration


def _simple_page(body: str, title: str = "<p>某某局</p><p>2022年政府信息公开工作年度报告</p>") -> str:
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>{title}{body}</body></html>"


def _rows_html(labels_values: list[tuple[str, list[str]]]) -> str:
    return "".join("<tr><td>" + label + "</td>" + "".join(f"<td>{v}</td>" for v in values) + "</tr>"
                   for label, values in labels_values)


def test_half_width_brackets_and_traditional_characters():
    t2 = ("<table>" + _rows_html([
        ("第二十條第(一)項", []), ("信息內容", ["本年制發件數", "本年廢止件數", "現行有效件數"]),
        ("規章", ["1", "2", "3"]), ("行政規範性文件", ["4", "5", "6"]),
        ("第二十條第(五)項", []), ("信息內容", ["本年處理決定數量"]), ("行政許可", ["7"]),
        ("第二十條第(六)項", []), ("信息內容", ["本年處理決定數量"]), ("行政處罰", ["8"]), ("行政強制", ["9"]),
        ("第二十條第(八)項", []), ("信息內容", ["本年收費金額(單位:萬元)"]), ("行政事業性收費", ["0.5"]),
    ]) + "</table>")
    t3 = "<table>" + _rows_html([
        (row.label.replace("（", "(").replace("）", ")"), ["2"] * 6 + ["12"]) for row in APPS.layout()
    ]) + "</table>"
    page = _simple_page("<h2>二、主動公開政府信息情況</h2>" + t2 + "<h2>三、收到和處理政府信息公開申請情況</h2>" + t3)
    r = _read(page).report
    assert r.value("proactive", "regulations", "in_force") == 3
    assert r.value("proactive", "normative_documents", "issued") == 4
    assert r.value("proactive", "coercion", "decisions") == 9
    assert r.value("proactive", "fees", "amount_wan_yuan") == Decimal("0.5")
    assert r.value("applications", "partially_granted", "total") == 12
    assert r.value("applications", "withheld_state_secret", "research") == 2


def _apps_rows(value: str = "0") -> str:
    return _rows_html([(row.label, [value] * 7) for row in APPS.layout()])


def test_table4_as_one_row_of_fifteen_numbers_without_header():
    page = _simple_page(
        "<h2>三、收到和处理政府信息公开申请情况</h2><table>" + _apps_rows() + "</table>"
        "<h2>四、政府信息公开行政复议、行政诉讼情况</h2><table><tr>"
        + "".join(f"<td>{i}</td>" for i in range(15)) + "</tr></table>")
    r = _read(page).report
    assert r.value("disputes", "reconsideration", "upheld") == 0
    assert r.value("disputes", "lawsuit_direct", "upheld") == 5
    assert r.value("disputes", "lawsuit_after_reconsideration", "total") == 14


def test_report_inside_layout_tables():
    report = AnnualReport.zeros("2021", agency="某某局", year=2022)
    report.set("applications", "received", "total", 5)
    report.sections = {1: "总体情况正文。"}
    inner = write(report, "html").decode()
    article = inner[inner.index("<article"):inner.index("</article>") + 10]
    page = ("<html><body><table width=100%><tr><td colspan=2>首页 | 政务公开 | 信息公开年报</td></tr>"
            "<tr><td width=20%><ul><li>栏目导航</li></ul></td><td><table><tr><td>"
            + article + "</td></tr></table></td></tr>"
            "<tr><td colspan=2>版权所有：某某局</td></tr></table></body></html>")
    r = _read(page).report
    assert (r.agency, r.year) == ("某某局", 2022)
    assert r.sections[1] == "总体情况正文。"
    assert r.value("applications", "received", "total") == 5
    assert r.value("disputes", "lawsuit_after_reconsideration", "total") == 0


def test_merged_cells_give_their_value_once():
    # A value cell spanning the three columns of a 1-value block and a label spanning rows.
    report = AnnualReport.zeros("2021", agency="某局", year=2022)
    report.set("proactive", "licensing", "decisions", 42)
    r = _read(write(report, "html")).report
    assert r.value("proactive", "licensing", "decisions") == 42
    assert not [e for e in r.extras if e.table == "proactive"]


def test_malformed_html_still_reads():
    page = ("<html><body><p>某某局<p>2022年政府信息公开工作年度报告<p>一、总体情况<p>正文"
            "<p>三、收到和处理政府信息公开申请情况<table><tr><td>"
            + "<tr><td>".join(row.label + "<td>1" * 6 + "<td>6" for row in APPS.layout())
            + "<p>四、政府信息公开行政复议、行政诉讼情况<table><tr>" + "<td>0" * 15)
    r = _read(page).report
    assert (r.agency, r.year) == ("某某局", 2022)
    assert r.sections[1] == "正文"
    assert r.value("applications", "carried_out", "total") == 6
    assert r.value("disputes", "reconsideration", "total") == 0


def _hostile_report(extra: str) -> str:
    return _simple_page(extra + "<h2>三、收到和处理政府信息公开申请情况</h2><table>"
                        + _apps_rows("3") + "</table>")


def test_script_and_style_are_not_text():
    page = _hostile_report("<script>document.write('一、总体情况 规章 999')</script>"
                           "<style>p{color:red}</style><h2>一、总体情况</h2><p>正文。</p>")
    r = _read(page).report
    assert r.sections[1] == "正文。"
    assert r.value("applications", "received", "total") == 3


@pytest.mark.parametrize(("hostile", "error"), [
    ("<p title='" + "x" * 20_000_000 + "'>huge attribute</p>", None),
    ("<table><tr><td colspan=99999999 rowspan=99999999>1</td></tr>"
     + "<tr><td>2</td></tr>" * 3000 + "</table>", None),
    ("<table>" + "<tr><td rowspan=0>x</td><td colspan=1000>y</td></tr>" * 2000 + "</table>",
     "read.html-table-too-large"),
    ("<div>" * 10_000 + "deep" + "</div>" * 10_000, "read.html-limit"),
    ("<span>" * 1_000 + "deep" + "</span>" * 1_000, None),
    ("\x00\x01\x02<p>\ud7ff</p><p>&#0;&#xD800;&#99999999;</p>", None),
])
def test_hostile_html_gives_a_report_or_a_read_error(hostile, error):
    if error is None:
        assert _read(_hostile_report(hostile)).report.value("applications", "received", "total") == 3
    else:
        with pytest.raises(ReadError) as err:
            _read(_hostile_report(hostile))
        assert err.value.code == error and err.value.zh and err.value.en


def test_page_without_report_is_a_read_error():
    with pytest.raises(ReadError) as err:
        _read("<html><body><p>这是一个普通网页</p><table><tr><td>a</td></tr></table></body></html>")
    assert err.value.zh and err.value.en


def test_grid_expansion_gives_each_cell_once_at_its_position():
    from gongkai.annual.readers.html_reader import tokens

    page = ("<p>前文<br>第二行</p><table><tr><td rowspan=2>A</td><td colspan=2>B<br>b</td></tr>"
            "<tr><td>C</td><td><p>D1</p><p>D2</p></td></tr>"
            "<tr><td>E&nbsp;</td><td><o:p>&nbsp;</o:p></td><td>F</td></tr></table>")
    toks = tokens(page.encode())
    assert [(t.text, t.cell) for t in toks[:1]] == [("前文\n第二行", False)]
    cells = [(t.text, t.where.cell) for t in toks[1:]]
    assert cells == [("A", "表1 行1 列1"), ("B\nb", "表1 行1 列2"), ("C", "表1 行2 列2"),
                     ("D1\nD2", "表1 行2 列3"), ("E", "表1 行3 列1"), ("", "表1 行3 列2"),
                     ("F", "表1 行3 列3")]
    assert all(t.cell for t in toks[1:]) and toks[1].where.line == 1


def test_word_wrapped_source_lines_do_not_insert_spaces_in_chinese():
    from gongkai.annual.readers.html_reader import tokens

    toks = tokens("<p>政府信息\n  公开工作 Word\n2021 年</p>".encode())
    assert toks[0].text == "政府信息公开工作 Word 2021 年"


def test_seed_report_round_trips_through_html(samples):
    from gongkai.annual.readers import read

    seed = read(samples / "seed-yipingyuan-2021.txt").report
    back = _read(write(seed, "html")).report
    assert differences(seed, back) == []
    assert back.preamble == seed.preamble and back.agency == "一平垣乡"


def test_title_only_in_head_title_still_names_agency_and_year():
    page = ("<html><head><title>某某局2023年政府信息公开工作年度报告</title></head><body>"
            "<h2>三、收到和处理政府信息公开申请情况</h2><table>" + _apps_rows("1") + "</table>"
            "</body></html>")
    r = _read(page).report
    assert (r.agency, r.year) == ("某某局", 2023)
    # A page without the report's name anywhere has no agency, rather than a guessed one.
    assert _read(_simple_page("<h2>三、收到和处理政府信息公开申请情况</h2><table>" + _apps_rows("1")
                              + "</table>", title="")).report.agency is None


def test_several_tables_in_one_section():
    # 表二 printed as one table per block, with text between them.
    blocks = F21.table("proactive").blocks
    parts = []
    for i, block in enumerate(blocks):
        rows = [(block.caption, []), (block.corner, [c.label for c in block.columns])]
        rows += [(r.label, [str(i + 1)] * len(block.columns)) for r in block.rows]
        parts.append(f"<p>表{i + 1}：</p><table border=1>" + _rows_html(rows) + "</table>")
    page = _simple_page("<h2>二、主动公开政府信息情况</h2>" + "".join(parts)
                        + "<h2>三、收到和处理政府信息公开申请情况</h2><table>" + _apps_rows() + "</table>")
    r = _read(page).report
    assert r.value("proactive", "normative_documents", "in_force") == 1
    assert r.value("proactive", "licensing", "decisions") == 2
    assert r.value("proactive", "coercion", "decisions") == 3
    assert r.value("proactive", "fees", "amount_wan_yuan") == 4


def _collapse_by_the_rules(raw: str) -> str:
    """collapse() spelt out one whitespace run at a time (the reader's is faster)."""

    def run(m: re.Match) -> str:
        before = raw[m.start() - 1] if m.start() else ""
        after = raw[m.end()] if m.end() < len(raw) else ""
        chinese = before > "\u2e7f" and after > "\u2e7f"
        return "" if ("\n" in m.group() or "\r" in m.group()) and chinese else " "

    text = re.sub(r"[ \t\r\n\f\v\xa0\u200b\ufeff]+", run, raw)
    return "\n".join(line for line in (part.strip() for part in text.split("\ue000")) if line)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=" \t\r\n\f\v\xa0\u200b\ufeff\u3000\u2028\ue000a1中，\u2e7f\u2e80\U0001f600",
               max_size=24))
def test_collapse_keeps_the_whitespace_rules(raw):
    # \ue000 is the reader's forced line break (<br>, block edges).
    assert collapse(raw) == _collapse_by_the_rules(raw)
