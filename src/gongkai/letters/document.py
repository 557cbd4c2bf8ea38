"""A letter as a DOCX in 公文 layout (GB/T 9704): red letterhead over a red rule, 文号, title,
the body in 仿宋_GB2312 三号, the seal placeholder, the agency and the date at the bottom
right. A draft carries 草稿 in the page header and has no number and no date yet.

Pure: python-docx only, no Django, so it renders the same wherever it runs."""

from __future__ import annotations

import io
from dataclasses import dataclass

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from gongkai.docx_style import (
    BODY_FONT,
    HEADING_FONT,
    LINE,
    SIZE_2,
    SIZE_3,
    SIZE_4,
    TEXT_WIDTH_MM,
    TITLE_FONT,
    a4_page,
    add_run,
    body_style,
    first_line_indent,
    with_font_fallbacks,
)

RED = RGBColor(0xE6, 0x00, 0x12)  # 公文 red as printed on letterheads
DRAFT_MARK = "草稿（未签发，不得对外使用）"
SEAL = "（印章）"
UNDATED = "年　月　日"
LETTERHEAD_MAX = Pt(36)  # 小初
LETTERHEAD_MIN = Pt(16)
_PT_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class Sheet:
    letterhead: str
    number: str  # the 文号, or a blank pattern on a draft
    title: str
    body: str
    signature: str  # the agency's name above the date
    date: str  # "2026年3月5日"; blank on a draft
    draft: bool


def render(sheet: Sheet) -> bytes:
    doc = Document()
    a4_page(doc)
    body_style(doc)
    doc.core_properties.title = sheet.title
    if sheet.draft:
        _draft_header(doc)
    _letterhead(doc, sheet.letterhead)
    _number(doc, sheet.number)
    _title(doc, sheet.title)
    _body(doc, sheet.body)
    _signature(doc, sheet.signature, sheet.date or UNDATED)
    out = io.BytesIO()
    doc.save(out)
    return with_font_fallbacks(out.getvalue())


def _draft_header(doc) -> None:
    p = doc.sections[0].header.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = add_run(p, DRAFT_MARK, HEADING_FONT, SIZE_4, bold=True)
    run.font.color.rgb = RED


def _letterhead_size(text: str):
    """As large as 小初, smaller for a long name so it stays on one line."""
    fit = Pt(TEXT_WIDTH_MM * _PT_PER_MM / max(len(text), 1) * 0.95)
    return max(LETTERHEAD_MIN, min(LETTERHEAD_MAX, fit))


def _letterhead(doc, text: str) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    size = _letterhead_size(text)
    p.paragraph_format.line_spacing = Pt(size.pt * 1.3)
    p.paragraph_format.space_after = LINE
    run = add_run(p, text, TITLE_FONT, size)
    run.font.color.rgb = RED


def _number(doc, text: str) -> None:
    """The 文号 centred, the red rule under it (版头 of GB/T 9704)."""
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_run(p, text, BODY_FONT, SIZE_3)
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "12"), ("w:space", "8"), ("w:color", str(RED))):
        bottom.set(qn(k), v)
    border.append(bottom)
    # Word rejects a pPr whose children are out of schema order: pBdr goes before these.
    p._p.get_or_add_pPr().insert_element_before(
        border, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap",
        "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi",
        "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
        "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
        "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
        "w:pPrChange")


def _title(doc, text: str) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_before = LINE
    p.paragraph_format.space_after = LINE
    p.paragraph_format.line_spacing = Pt(36)
    add_run(p, text, TITLE_FONT, SIZE_2)


def _body(doc, text: str) -> None:
    for i, line in enumerate(text.split("\n")):
        p = doc.add_paragraph()
        # The first line is the addressee ("张三："), flush left as in every 公文.
        if i > 0 or not line.endswith("："):
            first_line_indent(p)
        add_run(p, line, BODY_FONT, SIZE_3)


def _width(text: str) -> float:
    """Printed width in characters of 三号: Chinese full, digits and Latin half."""
    return sum(0.5 if ord(c) < 0x2E80 else 1 for c in text)


def _signature(doc, agency: str, date: str) -> None:
    """The date 右空四字; the agency and the seal centred over it (GB/T 9704 7.3.5.1)."""
    doc.add_paragraph()
    widest = max(_width(agency), _width(date))
    for text in (SEAL, agency, date):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.right_indent = Pt(SIZE_3.pt * (4 + (widest - _width(text)) / 2))
        add_run(p, text, BODY_FONT, SIZE_3)
