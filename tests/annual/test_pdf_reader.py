"""The PDF reader: real published reports read exactly, generated PDFs read back, and
malformed PDFs refused with a clear reason."""

from __future__ import annotations

import base64
import io
import json
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from strategies import differences, reports

from conftest import SAMPLES
from gongkai.annual.formats import FORMATS
from gongkai.annual.readers import ReadError, read_bytes
from gongkai.annual.readers.pdf_reader import read
from gongkai.annual.report import AnnualReport
from gongkai.annual.writers import write
from minipdf import pdf

REAL = SAMPLES / "real"
EXPECTED = {e["file"]: e for e in json.loads((REAL / "expected.json").read_text("utf-8"))}

# expected.json's row names → our row keys of table 三 (REPORT-JSON.md).
APPLICATION_ROWS = {
    "new_received": "received", "carried_over": "carried_in", "granted": "granted",
    "partial": "partially_granted",
    "denied_1_state_secret": "withheld_state_secret",
    "denied_2_law_prohibited": "withheld_prohibited_by_law",
    "denied_3_security_stability": "withheld_security_stability",
    "denied_4_third_party": "withheld_third_party_rights",
    "denied_5_internal_affairs": "withheld_internal_affairs",
    "denied_6_process_info": "withheld_process_information",
    "denied_7_enforcement_files": "withheld_enforcement_file",
    "denied_8_admin_query": "withheld_inquiry_matter",
    "unable_1_no_info": "unavailable_not_held",
    "unable_2_need_creation": "unavailable_needs_creation",
    "unable_3_unclear": "unavailable_still_unclear",
    "not_processed_1_petition": "unhandled_petition",
    "not_processed_2_repeat": "unhandled_repeated",
    "not_processed_3_publication": "unhandled_publication",
    "not_processed_4_massive_repeat": "unhandled_excessive",
    "not_processed_5_confirm": "unhandled_confirmation",
    "other_1_overdue_correction": "other_no_correction",
    "other_2_overdue_fee": "other_fee_unpaid",
    "other_3_other": "other_misc",
    "other": "other",
    "total_processed": "handled_total",
    "carried_forward": "carried_out",
}
PROACTIVE_SINGLE = {"licensing": ("licensing", "decisions"), "punishment": ("penalty", "decisions"),
                    "coercion": ("coercion", "decisions"),
                    "fees_wan_yuan": ("fees", "amount_wan_yuan")}


def _read_real(file: str):
    return read((REAL / file).read_bytes(), file)


@pytest.mark.parametrize("file", sorted(EXPECTED))
def test_real_report_reads_exactly_as_expected(file):
    entry = EXPECTED[file]
    expected = entry["expected"]
    result = _read_real(file)
    report = result.report
    fmt = FORMATS["2021"]

    assert report.format.key == entry["format_version"] == "2021"
    assert report.year == entry["year"]
    assert report.agency and report.agency in entry["agency"].split("（")[0]

    apps = fmt.table("applications")
    columns = [c.key for c in apps.blocks[0].columns]
    assert len(columns) == len(entry["expected"]["application_columns"])
    got_rows = {a.split(".")[1] for a in report.cells if a.startswith("applications.")}
    assert got_rows == {APPLICATION_ROWS[k] for k in expected["application_rows"]}
    for name, values in expected["application_rows"].items():
        row = APPLICATION_ROWS[name]
        got = [report.value("applications", row, c) for c in columns]
        assert got == values, (file, name)

    disputes = [report.value("disputes", r.key, c.key)
                for r, c in fmt.table("disputes").cells()]
    assert disputes == expected["review_litigation"]

    proactive = expected["active_disclosure"]
    for row in ("regulations", "normative_documents"):
        got = [report.value("proactive", row, c) for c in ("issued", "repealed", "in_force")]
        assert got == proactive[row], (file, row)
    for name, (row, column) in PROACTIVE_SINGLE.items():
        value = report.value("proactive", row, column)
        assert value == Decimal(str(proactive[name])), (file, name)

    assert sorted(report.sections) == [1, 2, 3, 4, 5, 6]
    assert not [f for f in result.findings if f.severity != "info"], result.findings


def test_real_report_keeps_page_and_line_of_each_cell():
    report = _read_real("huaian-city-2024.pdf").report
    where = report.cell("applications", "handled_total", "total").where
    assert where is not None and where.page == 5 and where.line


def test_real_report_section_text_is_joined_across_lines_and_pages():
    report = _read_real("hongze-district-2023.pdf").report
    first = report.sections[1]
    # The page-1 paragraph ends "严格执行“分" and page 2 goes on "级审核、先审后发”".
    assert "严格执行“分级审核、先审后发”程序" in first
    # Page numbers ("-1-") are not text.
    assert "-1-" not in first and "-2-" not in report.sections[2]
    assert report.sections[6].endswith("全年收取政府信息公开信息处理费0元。")


def test_real_report_dispatches_through_read_bytes():
    result = read_bytes((REAL / "hongze-district-2024.pdf").read_bytes(), "x.pdf")
    assert result.report.value("applications", "received", "total") == 95


def test_real_report_whose_table_4_breaks_its_sums_is_flagged_by_t4_r5():
    from gongkai.annual.rules import check

    report = _read_real("hongze-district-2023.pdf").report
    t4 = {f.cells[0] for f in check(report) if f.code == "T4-R5"}
    # Printed: 10 1 0 0 0 | 0 0 0 0 0 | 5 0 0 0 0 — 总计 0 beside non-zero parts, twice.
    assert t4 == {"disputes.reconsideration.total", "disputes.lawsuit_after_reconsideration.total"}


# ---------------------------------------------------------------------------------------
# PDFs generated from reports (the HTML→PDF writer) read back exactly


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_generated_pdf_of_a_random_report_reads_back_exactly(report):
    result = read(write(report, "pdf"), "generated.pdf")
    assert differences(report, result.report) == []


def test_generated_pdf_cells_say_page_and_line():
    report = AnnualReport.zeros("2021", agency="一平垣乡", year=2021)
    report.sections = {n: "我乡认真贯彻落实条例，推进政务公开工作。" * 12 for n in range(1, 7)}
    result = read(write(report, "pdf"), "generated.pdf")
    assert differences(report, result.report) == []
    pages = {c.where.page for c in result.report.cells.values()}
    assert len(pages) > 1 and all(c.where.line for c in result.report.cells.values())


# ---------------------------------------------------------------------------------------
# Malformed PDFs: one clear reason each, never a traceback


def _encrypted_pdf() -> bytes:
    """A one-page PDF under the standard security handler with a user password (the /O and
    /U entries match no password, so no reader can open it without one)."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length 8 >>\nstream\n\x8a\x13\xf0\x11\x02\x9c\x7f\x00\nendstream",
        b"<< /Filter /Standard /V 1 /R 2 /P -4 /O <" + b"11" * 32 + b"> /U <" + b"22" * 32 + b"> >>",
    ]
    return pdf(objs, b"/Encrypt 5 0 R /ID [<" + b"ab" * 16 + b"> <" + b"ab" * 16 + b">]")


def _image_only_pdf() -> bytes:
    """What a scanner produces: a page that is one picture, no text."""
    from PIL import Image, ImageDraw
    from weasyprint import HTML

    image = Image.new("RGB", (400, 200), "white")
    ImageDraw.Draw(image).rectangle([20, 20, 380, 180], outline="black")
    png = io.BytesIO()
    image.save(png, "PNG")
    src = "data:image/png;base64," + base64.b64encode(png.getvalue()).decode()
    return HTML(string=f'<html><body><img src="{src}" style="width:100%"></body></html>').write_pdf()


@pytest.mark.parametrize(("make", "code", "zh"), [
    (lambda: _encrypted_pdf(), "read.encrypted", "PDF 已加密，无法读取"),
    (lambda: _image_only_pdf(), "read.no-text", "PDF 没有可提取的文字（可能是扫描件），请提供文字版"),
    (lambda: (REAL / "hongze-district-2024.pdf").read_bytes()[:120000], "read.truncated", "不完整"),
    (lambda: b"%PDF-1.7\n1 0 obj garbage\n%%EOF\n", "read.malformed-pdf", "损坏"),
])
def test_malformed_pdf_is_refused_with_a_clear_reason(make, code, zh):
    with pytest.raises(ReadError) as err:
        read_bytes(make(), "bad.pdf")
    assert err.value.code == code
    assert zh in err.value.zh and err.value.en


def _unruled_pdf(label_width: int = 30, align: str = "middle", break_before: int = 0,
                 line_height: str = "normal") -> bytes:
    """A report whose tables have no rulings at all: columns only by x position. The label
    column is `label_width` em wide (a narrow one wraps labels onto 2–4 lines), values are
    aligned `align` against them, and table 三 breaks to a new page before row `break_before`."""
    from weasyprint import HTML

    fmt = FORMATS["2021"]
    apps = fmt.table("applications")
    rows = "".join(
        ("<tr style='break-before: page'>" if break_before and i == break_before else "<tr>")
        + f"<td class=l>{''.join(r.groups[1:]) + r.label}</td>"
        + "".join(f"<td>{i * 7 + k}</td>" for k in range(7)) + "</tr>"
        for i, r in enumerate(apps.layout(frozenset({"other"}))))
    proactive = "".join(f"<tr><td class=l>{fmt.table('proactive').row(key).label}</td>"
                        + "".join(f"<td>{v}</td>" for v in values) + "</tr>"
                        for key, values in (("regulations", (1, 0, 11)),
                                            ("normative_documents", (8, 26, 66)),
                                            ("licensing", (447228,)), ("penalty", (3985758,)),
                                            ("coercion", (88283,)), ("fees", ("96171.6",))))
    disputes = "".join(f"<td>{v}</td>" for v in DISPUTES)
    s = fmt.sections
    return HTML(string=f"""<html><head><style>
        body {{ font-family: 'Noto Serif CJK SC'; font-size: 11pt; line-height: {line_height} }}
        td {{ padding: 2pt 6pt; text-align: right; vertical-align: {align} }}
        td.l {{ text-align: left; width: {label_width}em }}
        p {{ text-indent: 2em; margin: 0 0 .3em }}</style></head><body>
        <p style="text-align:center;text-indent:0">东城区人民政府<br>2022年政府信息公开工作年度报告</p>
        <p>{s[0]}</p><p>本年度我区认真贯彻条例，公开工作有序推进。</p>
        <p>{s[1]}</p><table>{proactive}</table><p>{s[2]}</p><table>{rows}</table>
        <p>{s[3]}</p><table><tr>{disputes}</tr></table>
        <p>{s[4]}</p><p>无。</p><p>{s[5]}</p><p>无。</p></body></html>""").write_pdf()


DISPUTES = [72, 64, 178, 37, 351, 13, 4, 8, 1, 26, 12, 1, 1, 6, 20]


@pytest.mark.parametrize(("label_width", "align", "break_before", "line_height"), [
    (30, "middle", 0, "normal"),
    # Labels wrapped onto 2–4 lines, the values beside their first, middle or last line: the
    # label's lines above and below the values are one label, and the values are its row's.
    (12, "middle", 0, "normal"), (8, "middle", 0, "normal"), (12, "top", 0, "normal"),
    (8, "top", 0, "normal"), (30, "bottom", 0, "normal"), (12, "bottom", 0, "normal"),
    (8, "bottom", 0, "normal"),
    # Loose lines: a label's lines stand apart, by less than its rows do.
    (12, "middle", 0, "2"), (8, "bottom", 0, "2"),
    # A page break inside the table: the rows at the foot and the head of the pages keep
    # their label lines, and a row cut by the break (its values at the foot of one page, its
    # label at the head of the next) is one row.
    (12, "middle", 10, "normal"), (8, "middle", 10, "normal"), (12, "top", 10, "normal"),
    (8, "bottom", 10, "normal"),
])
def test_unruled_tables_are_read_by_column_positions(label_width, align, break_before, line_height):
    result = read(_unruled_pdf(label_width, align, break_before, line_height), "unruled.pdf")
    report = result.report
    fmt = FORMATS["2021"]
    assert (report.agency, report.year) == ("东城区人民政府", 2022)
    assert result.findings == []
    apps = fmt.table("applications")
    for i, row in enumerate(apps.layout(frozenset({"other"}))):
        got = [report.value("applications", row.key, c.key) for c in apps.blocks[0].columns]
        assert got == [i * 7 + k for k in range(7)], row.key
    assert [report.value("disputes", r.key, c.key)
            for r, c in fmt.table("disputes").cells()] == DISPUTES
    assert report.value("proactive", "normative_documents", "in_force") == 66
    assert report.value("proactive", "fees", "amount_wan_yuan") == Decimal("96171.6")
    assert report.sections[1] == "本年度我区认真贯彻条例，公开工作有序推进。"
