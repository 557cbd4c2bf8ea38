"""PDF → the interpreter's parts → AnnualReport.

Characters and ruling lines come from PDFium (pypdfium2, which pdfplumber itself installs):
pdfminer's pure-Python content parser costs ~0.2 s a page, PDFium a few ms, and batch audits
read thousands of reports. Each page is loaded once and walked once for its characters
(pdf_text) and once for its drawing objects (pdf_paths); ruled tables come from the rulings by
pdfplumber's table algorithm (pdf_rulings), and each character goes to the table cell holding
it or to a free line. The pages then read as paragraphs, unruled tables and cells
(pdf_layout). Most of a read is PDFium's own work: it loads every glyph's outline to box it,
once when it loads a page and again when it indexes the page's text.
"""

from __future__ import annotations

import re
import threading

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..report import Cell
from . import ReadError, ReadResult
from .pdf_layout import Page, Table, drop_margins, reading_parts
from .pdf_paths import rulings
from .pdf_rulings import CellIndex, grid_tables
from .pdf_text import Line, group_bands, join_chars, join_lines, page_chars
from .stream import interpret_parts

# A real report has a few dozen pages; a thousand-page PDF is not a report.
MAX_PAGES = 300
# Fewer visible characters than this in the whole body: a scan, not a text PDF.
MIN_TEXT_CHARS = 20

# PDFium is not thread-safe; one document at a time per process.
_LOCK = threading.Lock()

_NUMBERED_LABEL = re.compile(r"^\s*\d+\s*[.、,，]\s*\D")


def _open(data: bytes):
    tail = data[-2048:]
    if b"%%EOF" not in tail:
        raise ReadError("read.truncated", "PDF 文件不完整（可能下载中断或被截断）",
                        "truncated PDF: no %%EOF at the end")
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise ReadError("read.encrypted", "PDF 已加密，无法读取",
                            "PDF is encrypted (password required)") from None
        raise ReadError("read.malformed-pdf", "PDF 文件已损坏，无法读取",
                        f"corrupt PDF: {exc}") from None
    if len(doc) > MAX_PAGES:
        doc.close()
        raise ReadError("read.too-many-pages", f"PDF 页数过多（超过 {MAX_PAGES} 页），不是一份年度报告",
                        f"PDF has more than {MAX_PAGES} pages")
    return doc


def _page(pdf_page, number: int) -> Page:
    height = pdf_page.get_height()
    page = Page(number, height)
    chars = page_chars(pdf_page, height)
    if not chars:
        return page
    tables = grid_tables(*rulings(pdf_page, height))
    index = CellIndex(tables)
    # A cell's text needs only its characters and band: no line geometry.
    in_cell: dict[tuple[int, int], list[tuple[int, list]]] = {}
    for band_no, band in enumerate(group_bands(chars), start=1):
        free, runs = index.split(band) if tables else (band, {})
        if free:
            page.lines.append(Line(free, band_no))
        for where, run in runs.items():
            in_cell.setdefault(where, []).append((band_no, run))
    for t, cells in enumerate(tables):
        page.tables.append(_table(cells, [in_cell.get((t, k), []) for k in range(len(cells))]))
    return page


def _value_cell(text: str) -> bool:
    """A number (perhaps with words beside it, "22（其中修订16件）") or "/", "—"; not "1.属于…"."""
    return bool(text) and Cell.parse(text).kind in ("number", "slash", "dash") \
        and not _NUMBERED_LABEL.match(text)


def _table(cells: list[tuple], lines: list[list[tuple[int, list]]]) -> Table:
    """Cells in row order as (text, band), from each cell's lines as (band, characters). A
    blank cell in a label column (a column where rows holding values have their labels) is
    dropped: it is the tail of a merged label cut by a page break, or an empty part of a label,
    and would otherwise read as a blank value."""
    texts = [join_lines([join_chars(run) for _, run in ls]) for ls in lines]
    value = [_value_cell(t) for t in texts]
    rows: dict[int, list[int]] = {}
    for k, c in enumerate(cells):
        rows.setdefault(round(c[1]), []).append(k)
    label_x = [cells[k][0] for ks in rows.values() if any(value[k] for k in ks)
               for k in ks if texts[k] and not value[k]]
    last_label = max(label_x) + 1 if label_x else float("-inf")
    bands = [ls[0][0] for ls in lines if ls]
    band = min(bands) if bands else 1
    out = []
    for top in sorted(rows):
        for k in sorted(rows[top], key=lambda k: cells[k][0]):
            if not texts[k] and cells[k][0] <= last_label:
                continue
            out.append((texts[k], lines[k][0][0] if lines[k] else band))
    return Table(min(c[1] for c in cells), band, out)


def read(data: bytes, name: str = "") -> ReadResult:
    with _LOCK:
        doc = _open(data)
        try:
            pages = [_page(doc[i], i + 1) for i in range(len(doc))]
        finally:
            doc.close()
    drop_margins(pages)
    visible = sum(len(ln.chars) for p in pages for ln in p.lines) + sum(
        len(text) for p in pages for t in p.tables for text, _ in t.cells)
    if visible < MIN_TEXT_CHARS:
        raise ReadError("read.no-text", "PDF 没有可提取的文字（可能是扫描件），请提供文字版",
                        "PDF has no extractable text (scanned image?)")
    return interpret_parts(reading_parts(pages), name)
