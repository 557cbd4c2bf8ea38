"""公文 typography for python-docx documents (GB/T 9704): A4 page, fonts, sizes, spacing.

Shared by every DOCX gongkai writes (annual reports, letters) so that a document looks like
the office's own paper. Chinese text is drawn with the run's East-Asian font (w:eastAsia),
which python-docx's `font.name` does not set; the helpers here always set both.
"""

from __future__ import annotations

import io
import zipfile

from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

TITLE_FONT = "方正小标宋简体"
TITLE_FALLBACK = "黑体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋_GB2312"
LATIN_FONT = "Times New Roman"

SIZE_2 = Pt(22)  # 二号
SIZE_3 = Pt(16)  # 三号
SIZE_4 = Pt(14)  # 四号
SIZE_5 = Pt(10.5)  # 五号
LINE = Pt(28)  # 28 pt exactly: 22 lines of 三号 on the GB/T 9704 text block

TEXT_WIDTH_MM = 210 - 28 - 26


def a4_page(doc) -> None:
    """A4 portrait with the GB/T 9704 margins (天头 37 mm, 订口 28 mm)."""
    s = doc.sections[0]
    s.orientation = WD_ORIENT.PORTRAIT
    s.page_width, s.page_height = Mm(210), Mm(297)
    s.top_margin, s.bottom_margin = Mm(37), Mm(35)
    s.left_margin, s.right_margin = Mm(28), Mm(26)


def set_fonts(rpr_owner, east_asia: str, size, bold: bool = False) -> None:
    """Set the fonts on a style or run: the Latin font and, for Chinese, w:eastAsia."""
    font = rpr_owner.font
    font.name = LATIN_FONT
    font.size = size
    font.bold = bold
    rpr = rpr_owner.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")


def body_style(doc) -> None:
    """The Normal style: 仿宋_GB2312 三号, 28 pt exact line spacing, no paragraph spacing."""
    normal = doc.styles["Normal"]
    set_fonts(normal, BODY_FONT, SIZE_3)
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = LINE
    pf.space_before = pf.space_after = Pt(0)
    pf.widow_control = True


def first_line_indent(paragraph, chars: int = 2, size=SIZE_3) -> None:
    paragraph.paragraph_format.first_line_indent = size * chars
    ind = paragraph._p.get_or_add_pPr().find(qn("w:ind"))
    # Word measures "2 characters" in hundredths; the twips value is for other readers.
    ind.set(qn("w:firstLineChars"), str(chars * 100))


def add_run(paragraph, text: str, east_asia: str, size, bold: bool = False):
    run = paragraph.add_run(text)
    set_fonts(run, east_asia, size, bold)
    return run


# The 公文 fonts are not on every machine: the font table names a substitute for each
# (w:altName), which Word uses when the font is missing instead of a Latin default.
FALLBACKS = ((TITLE_FONT, TITLE_FALLBACK), (BODY_FONT, "仿宋"), (HEADING_FONT, "SimHei"))


def with_font_fallbacks(docx: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(docx))
    table = etree.fromstring(src.read("word/fontTable.xml"))
    for name, alt in FALLBACKS:
        font = etree.SubElement(table, qn("w:font"))
        font.set(qn("w:name"), name)
        for tag, val in (("w:altName", alt), ("w:charset", "86"), ("w:family", "auto"),
                         ("w:pitch", "variable")):
            etree.SubElement(font, qn(tag)).set(qn("w:val"), val)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/fontTable.xml":
                data = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)
            dst.writestr(info, data)
    return out.getvalue()
