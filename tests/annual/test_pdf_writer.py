"""PDF writer: Chinese text really rendered with a CJK font, and no silent boxes without one."""

from __future__ import annotations

import io

import pdfplumber
import pytest

from gongkai.annual.formats import FORMATS
from gongkai.annual.report import AnnualReport
from gongkai.annual.writers import pdf_writer, write
from gongkai.annual.writers.pdf_writer import WriteError


@pytest.fixture(scope="module")
def pdf() -> pdfplumber.PDF:
    report = AnnualReport.zeros("2021", agency="一平垣乡", year=2021)
    report.sections = {1: "我乡认真贯彻落实《中华人民共和国政府信息公开条例》。", 6: "无"}
    data = write(report, "pdf")
    assert data.startswith(b"%PDF")
    with pdfplumber.open(io.BytesIO(data)) as doc:
        yield doc


def _text(doc) -> str:
    return "".join((p.extract_text() or "") for p in doc.pages).replace(" ", "").replace("\n", "")


def test_pdf_text_has_title_and_table_labels(pdf):
    text = _text(pdf)
    assert "一平垣乡2021年政府信息公开工作年度报告" in text
    received = FORMATS["2021"].table("applications").row("received").label
    assert "本年新收政府信息公开申请数量" in received and received in text
    for heading in FORMATS["2021"].sections:
        assert heading in text


def test_pdf_embeds_a_cjk_font(pdf):
    fonts = {c["fontname"] for p in pdf.pages for c in p.chars if ord(c["text"][0]) > 0x3000}
    assert fonts and all("CJK" in f for f in fonts), fonts


def test_pdf_is_a4(pdf):
    page = pdf.pages[0]
    assert round(page.width) == 595 and round(page.height) == 842


def test_no_cjk_font_is_an_error_not_boxes(monkeypatch):
    monkeypatch.setattr(pdf_writer, "cjk_fonts", lambda: [])
    with pytest.raises(WriteError) as err:
        write(AnnualReport.zeros("2021"), "pdf")
    assert err.value.code == "write.no-cjk-font"
    assert "中文字体" in err.value.zh and "CJK" in err.value.en


def test_fontconfig_lists_chinese_fonts_here():
    # The check itself must find the fonts this machine has (fonts-noto-cjk).
    assert any("CJK" in f for f in pdf_writer.cjk_fonts())
