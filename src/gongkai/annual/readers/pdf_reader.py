"""PDF → stream tokens → AnnualReport.

Characters and ruling lines come from PDFium (pypdfium2, which pdfplumber itself installs):
pdfminer's pure-Python content parser costs ~0.2 s a page, PDFium a few ms, and batch audits
read thousands of reports. Ruled tables are built from the ruling lines with pdfplumber's table
algorithm (edges → intersections → cells → tables), done on tuples in pdf_rulings. Text outside ruled tables is grouped
into lines; lines with wide gaps form unruled tables (columns by x position); the other lines are
joined into paragraphs, also across a page break. Page headers, footers and page numbers are
dropped. Each page is walked once for characters and once for drawing objects.
"""

from __future__ import annotations

import ctypes
import re
import threading
from collections import Counter
from dataclasses import dataclass, field
from operator import itemgetter, sub
from struct import Struct

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ..formats import FORMATS
from ..labels import match_section
from ..report import Cell
from . import ReadError, ReadResult
from ._pdfium import address, loose_char_box
from .pdf_paths import rulings
from .pdf_rulings import CellIndex, grid_tables
from .stream import interpret_parts

# A real report has a few dozen pages; a thousand-page PDF is not a report.
MAX_PAGES = 300
# Fewer visible characters than this in the whole body: a scan, not a text PDF.
MIN_TEXT_CHARS = 20

# PDFium is not thread-safe; one document at a time per process.
_LOCK = threading.Lock()
# An FS_RECTF read in one call (four attribute reads cost more).
_RECT = Struct("4f")

_SPACE = frozenset(" \t\r\n\u00a0\u3000\ufffe\ufeff\x00")
_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－―~\s]*\d{1,4}[-—–－―~\s]*|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?"
    r"|\d+\s*/\s*\d+|page\s*\d+(?:\s*of\s*\d+)?)$", re.I)
_DASHED_NUMBER = re.compile(r"^[-—–－―~]\s*\d{1,4}\s*[-—–－―~]$|^第\s*\d+\s*页")
_VALUE = re.compile(r"^[+-]?\d[\d,，]*(?:\.\d+)?$|^[/／—–\-－]+$")
_ROW_NUMBER = re.compile(r"^\s*(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|\d+\s*[.、])")
_NUMBERED_LABEL = re.compile(r"^\s*\d+\s*[.、,，]\s*\D")
# Fields of a character tuple (x0, top, x1, bottom, ch).
_X0, _TOP, _BOTTOM = itemgetter(0), itemgetter(1), itemgetter(3)
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f“”‘’]")


class _Line:
    """Characters of one visual line, left to right. Never changed once made, so its geometry
    and text are worked out once: the layout passes ask for them many times."""

    __slots__ = ("chars", "band", "top", "bottom", "x0", "x1", "size", "_text", "_segments")

    def __init__(self, chars: list, band: int):
        self.chars = chars  # (x0, top, x1, bottom, ch)
        self.band = band  # visual line number on the page, 1-based
        self.top = min(map(_TOP, chars))
        self.bottom = max(map(_BOTTOM, chars))
        self.x0 = chars[0][0]
        self.x1 = chars[-1][2]
        hs = sorted(map(sub, map(_BOTTOM, chars), map(_TOP, chars)))
        self.size = max(hs[len(hs) // 2], 1.0)
        self._text: str | None = None
        self._segments: list[list] | None = None

    def segments(self) -> list[list]:
        """Runs of characters separated by more than 0.6 × the character size (table columns)."""
        if self._segments is None:
            limit = 0.6 * self.size
            chars = self.chars
            run = [chars[0]]
            out = [run]
            prev_x1 = chars[0][2]
            for c in chars[1:]:
                if c[0] - prev_x1 > limit:
                    run = [c]
                    out.append(run)
                else:
                    run.append(c)
                prev_x1 = c[2]
            self._segments = out
        return self._segments

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = _join_chars(self.chars)
        return self._text


def _join_chars(chars: list) -> str:
    """Characters of one line as text; a visible gap between Latin letters or digits is a space
    (between Chinese characters only a gap over a whole character is)."""
    if not chars:
        return ""
    first = chars[0]
    out = [first[4]]
    prev_x1, prev_ch = first[2], first[4]
    for x0, top, x1, bottom, ch in chars[1:]:
        gap = x0 - prev_x1
        # The size is at least 1, so a gap of a quarter point or less is never a space.
        if gap > 0.25:
            size = bottom - top
            if size < 1.0:
                size = 1.0
            if gap > 0.25 * size and (gap > size or not (_CJK.match(prev_ch) or _CJK.match(ch))):
                out.append(" ")
        out.append(ch)
        prev_x1, prev_ch = x1, ch
    return "".join(out)


def _join_lines(lines: list[str]) -> str:
    """Lines of one cell or paragraph: a number or a Chinese label broken over lines is joined
    without a space, Latin words with one."""
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if out and out[-1].isascii() and out[-1].isalpha() and line[0].isascii() and line[0].isalpha():
            out += " "
        out += line
    return out


@dataclass
class _Table:
    top: float
    band: int
    cells: list[tuple[str, int]]  # (text, band) in row order


@dataclass
class _Page:
    number: int
    height: float
    lines: list[_Line] = field(default_factory=list)  # text outside ruled tables
    tables: list[_Table] = field(default_factory=list)


# ---------------------------------------------------------------------------------------
# Loading


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


def _chars(page, height: float) -> list:
    """(x0, top, x1, bottom, ch) of every visible character, top-down coordinates."""
    tp = page.get_textpage()
    try:
        raw = tp.raw
        n = pdfium_c.FPDFText_CountChars(raw)
        # One call for all the text (per-character look-ups cost ~10 µs each on first use).
        text = tp.get_text_range()
        if len(text) != n:  # characters beyond the BMP take two UTF-16 units
            text = "".join(chr(pdfium_c.FPDFText_GetUnicode(raw, i) or 32) for i in range(n))
        handle = address(raw)
        rect = pdfium_c.FS_RECTF()  # left, top, right, bottom
        rect_at = ctypes.addressof(rect)
        loose_box, read_rect = loose_char_box, _RECT.unpack_from
        space = _SPACE
        out = []
        append = out.append
        for i, ch in enumerate(text):
            # Generated characters (PDFium's guessed spaces and line ends) are whitespace.
            if ch in space or not loose_box(handle, i, rect_at):
                continue
            x0, y1, x1, y0 = read_rect(rect)
            if x1 - x0 > 30 or y1 - y0 > 30:
                x0, x1, y0, y1 = _tight(raw, i, x0, x1, y0, y1)
            if x1 <= x0 or y1 <= y0:
                continue
            append((x0, height - y1, x1, height - y0, ch))
        return out
    finally:
        tp.close()


def _tight(raw, i: int, x0: float, x1: float, y0: float, y1: float) -> tuple:
    """Some producers scale a huge font down (WPS's vertical group labels): the loose box is
    then the font's size, not the glyph's; the tight box is right."""
    tight = [ctypes.c_double() for _ in range(4)]
    pdfium_c.FPDFText_GetCharBox(raw, i, *(ctypes.byref(v) for v in tight))
    tx0, tx1, ty0, ty1 = (v.value for v in tight)
    if x1 - x0 > 4 * (tx1 - tx0) + 4 and y1 - y0 > 4 * (ty1 - ty0) + 4:
        return tx0, tx1, ty0, ty1
    return x0, x1, y0, y1


# ---------------------------------------------------------------------------------------
# One page: bands of characters, ruled tables, free lines


def _bands(chars: list) -> list[list]:
    """Characters grouped into visual lines (by vertical centre), each sorted left to right."""
    if not chars:
        return []
    # Sorted by top + bottom, twice the centre (a stable sort, as by a key function).
    sums = [c[1] + c[3] for c in chars]
    bands: list[list] = []
    first_mid = None
    tol = 0.0
    for i in sorted(range(len(chars)), key=sums.__getitem__):
        c = chars[i]
        mid = sums[i] / 2
        if first_mid is None or mid - first_mid > tol:
            bands.append([c])
            first_mid = mid
            tol = (c[3] - c[1]) * 0.45
        else:
            bands[-1].append(c)
    for b in bands:
        b.sort(key=_X0)
    return bands


def _page(pdf_page, number: int) -> _Page:
    height = pdf_page.get_height()
    page = _Page(number, height)
    chars = _chars(pdf_page, height)
    if not chars:
        return page
    tables = grid_tables(*rulings(pdf_page, height))
    index = CellIndex(tables)
    # A cell's text needs only its characters and band: no line geometry.
    in_cell: dict[tuple[int, int], list[tuple[int, list]]] = {}
    for band_no, band in enumerate(_bands(chars), start=1):
        free, runs = index.split(band) if tables else (band, {})
        if free:
            page.lines.append(_Line(free, band_no))
        for where, run in runs.items():
            in_cell.setdefault(where, []).append((band_no, run))
    for t, cells in enumerate(tables):
        page.tables.append(_table(cells, [in_cell.get((t, k), []) for k in range(len(cells))]))
    return page


def _value_cell(text: str) -> bool:
    """A number (perhaps with words beside it, "22（其中修订16件）") or "/", "—"; not "1.属于…"."""
    return bool(text) and Cell.parse(text).kind in ("number", "slash", "dash") \
        and not _NUMBERED_LABEL.match(text)


def _table(cells: list[tuple], lines: list[list[tuple[int, list]]]) -> _Table:
    """Cells in row order as (text, band), from each cell's lines as (band, characters). A
    blank cell in a label column (a column where rows holding values have their labels) is
    dropped: it is the tail of a merged label cut by a page break, or an empty part of a label,
    and would otherwise read as a blank value."""
    texts = [_join_lines([_join_chars(run) for _, run in ls]) for ls in lines]
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
    return _Table(min(c[1] for c in cells), band, out)


# ---------------------------------------------------------------------------------------
# Document: headers and footers, paragraphs, unruled tables


def _drop_margins(pages: list[_Page]) -> None:
    """Drop page numbers and running headers/footers (the same text at the same place on
    several pages)."""
    def band_of(page: _Page, line: _Line) -> str | None:
        if line.bottom < page.height * 0.12:
            return "top"
        if line.top > page.height * 0.85:
            return "bottom"
        return None

    repeated: Counter = Counter()
    for page in pages:
        seen = set()
        for line in page.lines:
            where = band_of(page, line)
            if where:
                seen.add((where, re.sub(r"\d+", "#", line.text)))
        repeated.update(seen)
    for page in pages:
        keep = []
        for i, line in enumerate(page.lines):
            where = band_of(page, line)
            text = line.text.strip()
            edge = i == 0 or i == len(page.lines) - 1
            if where and (_DASHED_NUMBER.match(text) or (edge and _PAGE_NUMBER.match(text))
                          or (len(pages) > 2 and repeated[(where, re.sub(r"\d+", "#", text))]
                              >= max(2, len(pages) // 2))):
                continue
            keep.append(line)
        page.lines = keep


def _is_row(line: _Line) -> bool:
    """A line of an unruled table: two or more runs separated by wide gaps."""
    return len(line.chars) > 1 and len(line.segments()) >= 2


def _unruled(lines: list[_Line]) -> list[tuple[str, object]]:
    """Free lines as ("line", _Line) and ("table", _Table) items. Consecutive wide-gapped lines
    are a table; single-run lines between them are label or number parts of a row, or rows of
    their own (captions); a line just above, over the value columns, is a header."""
    items: list[tuple[str, object]] = []
    i = 0
    while i < len(lines):
        if not _is_row(lines[i]):
            items.append(("line", lines[i]))
            i += 1
            continue
        j = i
        rows = [i]
        k = i + 1
        while k < len(lines):
            if _is_row(lines[k]):
                rows.append(k)
                j = k
                k += 1
                continue
            # Fragments: short lines closely below, followed by another row; a section title
            # between two tables ends the table.
            gap_ok = lines[k].top - lines[k - 1].bottom < 1.5 * lines[k - 1].size \
                and match_section(FORMATS["2021"], lines[k].text) is None
            nxt = next((m for m in range(k + 1, min(k + 4, len(lines))) if _is_row(lines[m])), None)
            if gap_ok and nxt is not None and all(
                    lines[m].top - lines[m - 1].bottom < 1.5 * lines[m - 1].size
                    for m in range(k + 1, nxt + 1)):
                k = nxt
                continue
            break
        anchors = [lines[r] for r in rows]
        has_value = any(_VALUE.match(_join_chars(s)) for a in anchors for s in a.segments()[1:])
        if len(anchors) < 2 and not has_value:
            items.extend(("line", ln) for ln in lines[i:j + 1])
            i = j + 1
            continue
        # Header lines above the first row that sit over its value columns, not at the margin.
        values_x0 = min(a.segments()[1][0][0] for a in anchors)
        start = i
        while start > 0 and items and items[-1][0] == "line":
            prev = items[-1][1]
            below = lines[start]
            if _is_row(prev) or prev.x0 < values_x0 - prev.size \
                    or match_section(FORMATS["2021"], prev.text) is not None \
                    or below.top - prev.bottom > 1.5 * prev.size:
                break
            items.pop()
            start -= 1
        items.append(("table", _unruled_table(lines[start:j + 1], anchors)))
        i = j + 1
    return items


def _unruled_table(group: list[_Line], anchors: list[_Line]) -> _Table:
    rows: dict[int, list[list]] = {id(a): [list(s) for s in a.segments()] for a in anchors}
    own: list[_Line] = list(anchors)  # lines that are rows of their own, in order
    for line in group:
        if id(line) in rows:
            continue
        mid = (line.top + line.bottom) / 2
        numeric = _VALUE.match(line.text.strip()) is not None
        # A broken number continues the row above; a label part goes to the nearest row.
        above = [a for a in anchors if a.top < line.top]
        below = [a for a in anchors if a.top >= line.top]
        if numeric and above:
            target = above[-1]
        elif _ROW_NUMBER.match(line.text) and below:
            target = below[0]  # "（二）部分公开（区…": the start of the label of the row below
        else:
            target = min(anchors, key=lambda a: abs((a.top + a.bottom) / 2 - mid))
        segs = rows[id(target)]
        frags = line.segments()
        placed = []
        for frag in frags:
            fx0, fx1 = frag[0][0], frag[-1][2]
            best = max(segs, key=lambda s: min(fx1, s[-1][2]) - max(fx0, s[0][0]))
            overlap = min(fx1, best[-1][2]) - max(fx0, best[0][0])
            # Inside one column: part of that cell; in an empty column (a label beside values
            # printed on another line): a cell of that row; across columns (a caption): a row.
            if overlap >= 0.8 * (fx1 - fx0):
                placed.append((best, frag))
            elif overlap <= 0:
                placed.append((None, frag))
            else:
                placed.append(None)
        if all(placed):
            for best, frag in placed:  # type: ignore[misc]
                if best is None:
                    segs.append(list(frag))
                    segs.sort(key=lambda s: s[0][0])
                else:
                    best.extend(frag)
        else:
            rows[id(line)] = [list(f) for f in frags]
            own.append(line)
    cells = []
    for a in sorted(own, key=lambda ln: ln.top):
        for seg in rows[id(a)]:
            cells.append((_join_lines([_join_chars(b) for b in _bands(seg)]), a.band))
    return _Table(group[0].top, group[0].band, cells)


@dataclass
class _Layout:
    """The body text's geometry, for telling a wrapped line from a new paragraph."""

    left: float
    right: float
    gap: float  # the tightest spacing between two lines of one paragraph

    @classmethod
    def of(cls, flow: list) -> _Layout:
        body = [(page, it) for page, kind, it in flow if kind == "line"]
        lines = [it for _, it in body]
        if not lines:
            return cls(0.0, 0.0, 0.0)
        lefts = sorted(ln.x0 for ln in lines)
        rights = sorted(ln.x1 for ln in lines)
        gaps = sorted(b.top - a.bottom for (pa, a), (pb, b) in zip(body, body[1:], strict=False)
                      if pa == pb and b.top > a.bottom)
        return cls(lefts[len(lefts) // 20], rights[len(rights) * 19 // 20],
                   gaps[len(gaps) // 10] if gaps else 0.0)

    def centred(self, ln: _Line) -> bool:
        l_gap, r_gap = ln.x0 - self.left, self.right - ln.x1
        return l_gap > 0.1 * (self.right - self.left) and abs(l_gap - r_gap) < 3 * ln.size

    def continues(self, prev: _Line, ln: _Line) -> bool:
        """Does `ln` continue the paragraph whose last line is `prev`?"""
        close = prev.bottom < ln.top <= prev.bottom + self.gap + 0.2 * prev.size
        if self.centred(prev) and self.centred(ln):  # a title over two lines
            return abs(prev.size - ln.size) < 0.5 and ln.top - prev.bottom < 1.5 * prev.size
        full = prev.x1 >= self.right - 2 * prev.size
        at_margin = ln.x0 <= self.left + 0.5 * ln.size
        if not (full and at_margin) or match_section(FORMATS["2021"], ln.text) is not None:
            return False
        # The next line sits close below, or starts the next page.
        return close or ln.top < prev.top


def _parts(pages: list[_Page]) -> list[tuple[str, tuple[int, int, None], bool]]:
    """The document as the interpreter's parts: (text, (page, line, None), is_cell) for each
    paragraph and table cell in reading order (a Token and its Location, unbuilt)."""
    flow: list[tuple[int, str, object]] = []  # (page, kind, item) in reading order
    for page in pages:
        items: list[tuple[float, str, object]] = [(t.top, "table", t) for t in page.tables]
        items += [(it.top, kind, it) for kind, it in _unruled(page.lines)]
        items.sort(key=lambda x: x[0])
        flow += [(page.number, kind, it) for _, kind, it in items]
    layout = _Layout.of(flow)

    parts: list[tuple[str, tuple[int, int, None], bool]] = []
    para: list[_Line] = []
    para_page = 0

    def flush():
        nonlocal para
        if para:
            parts.append((_join_lines([ln.text for ln in para]), (para_page, para[0].band, None), False))
        para = []

    for page_no, kind, it in flow:
        if kind == "table":
            flush()
            parts += [(text, (page_no, band, None), True) for text, band in it.cells]
            continue
        if para and layout.continues(para[-1], it):
            para.append(it)
            continue
        flush()
        para, para_page = [it], page_no
    flush()
    return parts


def read(data: bytes, name: str = "") -> ReadResult:
    with _LOCK:
        doc = _open(data)
        try:
            pages = [_page(doc[i], i + 1) for i in range(len(doc))]
        finally:
            doc.close()
    _drop_margins(pages)
    visible = sum(len(ln.chars) for p in pages for ln in p.lines) + sum(
        len(text) for p in pages for t in p.tables for text, _ in t.cells)
    if visible < MIN_TEXT_CHARS:
        raise ReadError("read.no-text", "PDF 没有可提取的文字（可能是扫描件），请提供文字版",
                        "PDF has no extractable text (scanned image?)")
    return interpret_parts(_parts(pages), name)
