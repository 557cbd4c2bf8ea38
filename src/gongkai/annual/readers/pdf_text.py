"""A PDF page's text → characters and visual lines, for the PDF reader.

A character is a tuple (x0, top, x1, bottom, ch) in top-down page coordinates, from PDFium's
text page: one call per character for its box (the loose box: the font's ascent to descent,
which lines characters of one line up), the text itself in one call. Characters are grouped
into lines by their vertical centre; a line's text puts a space where Latin letters or digits
stand apart.
"""

from __future__ import annotations

import ctypes
import re
from operator import itemgetter, sub
from struct import Struct

import pypdfium2.raw as pdfium_c

from ._pdfium import address, loose_char_box

# Whitespace, and PDFium's generated characters (guessed spaces and line ends): never drawn.
_SPACE = frozenset(" \t\r\n\u00a0\u3000\ufffe\ufeff\x00")
# An FS_RECTF read in one call (four attribute reads cost more).
_RECT = Struct("4f")
# Fields of a character tuple (x0, top, x1, bottom, ch).
_X0, _TOP, _BOTTOM = itemgetter(0), itemgetter(1), itemgetter(3)
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f“”‘’]")


def page_chars(page, height: float) -> list:
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


def group_bands(chars: list) -> list[list]:
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


class Line:
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
            self._text = join_chars(self.chars)
        return self._text


def join_chars(chars: list) -> str:
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


def join_lines(lines: list[str]) -> str:
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
