"""A PDF's pages → the interpreter's parts, in reading order.

Page numbers and running headers/footers are dropped. Text outside ruled tables comes as
lines; consecutive lines with wide gaps form unruled tables (columns by x position); the other
lines are joined into paragraphs, also across a page break. Each paragraph and table cell is
one part: (text, (page, line, None), is_cell).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..formats import FORMATS
from ..labels import match_section
from .pdf_text import Line, group_bands, join_chars, join_lines

_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－―~\s]*\d{1,4}[-—–－―~\s]*|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?"
    r"|\d+\s*/\s*\d+|page\s*\d+(?:\s*of\s*\d+)?)$", re.I)
_DASHED_NUMBER = re.compile(r"^[-—–－―~]\s*\d{1,4}\s*[-—–－―~]$|^第\s*\d+\s*页")
_VALUE = re.compile(r"^[+-]?\d[\d,，]*(?:\.\d+)?$|^[/／—–\-－]+$")
_ROW_NUMBER = re.compile(r"^\s*(?:[（(][一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|\d+\s*[.、])")


@dataclass
class Table:
    """A ruled or unruled table as it reads: where it starts and its cells' text."""

    top: float
    band: int
    cells: list[tuple[str, int]]  # (text, band) in row order
    # An unruled table's last row, whose label may go on at the top of the next page.
    tail: _Tail | None = None


@dataclass
class _Tail:
    """An unruled table's last row: where its cells start, whether the first is its label,
    and the label column (from its left edge to where the values start)."""

    at: int
    labelled: bool
    x0: float
    values_x0: float
    touch: float  # the widest gap between two lines of one label

    def take(self, line: Line) -> bool:
        """Could `line` be a line of this row's label, in the label column?"""
        return len(line.segments()) == 1 and line.x1 < self.values_x0 \
            and abs(line.x0 - self.x0) < 0.5 * line.size


@dataclass
class Page:
    """One page as read: its lines outside ruled tables, and its ruled tables."""

    number: int
    height: float
    lines: list[Line] = field(default_factory=list)  # text outside ruled tables
    tables: list[Table] = field(default_factory=list)


def drop_margins(pages: list[Page]) -> None:
    """Drop page numbers and running headers/footers (the same text at the same place on
    several pages)."""
    def band_of(page: Page, line: Line) -> str | None:
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


def _is_row(line: Line) -> bool:
    """A line of an unruled table: two or more runs separated by wide gaps."""
    return len(line.chars) > 1 and len(line.segments()) >= 2


def _unruled(lines: list[Line]) -> list[tuple[str, object]]:
    """Free lines as ("line", Line) and ("table", Table) items. Consecutive wide-gapped lines
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
                    and (m == nxt or match_section(FORMATS["2021"], lines[m].text) is None)
                    for m in range(k + 1, nxt + 1)):
                k = nxt
                continue
            break
        anchors = [lines[r] for r in rows]
        has_value = any(_VALUE.match(join_chars(s)) for a in anchors for s in a.segments()[1:])
        if len(anchors) < 2 and not has_value:
            items.extend(("line", ln) for ln in lines[i:j + 1])
            i = j + 1
            continue
        # Header lines above the first row that sit over its value columns, not at the margin.
        values_x0 = min(a.segments()[1][0][0] for a in anchors)
        touch = _touch(lines[i:j + 1])
        start = i
        while start > 0 and items and items[-1][0] == "line":
            prev = items[-1][1]
            below = lines[start]
            if _is_row(prev) or match_section(FORMATS["2021"], prev.text) is not None \
                    or below.top - prev.bottom > 1.5 * prev.size \
                    or (prev.x0 < values_x0 - prev.size and not _label_beside(prev, below, values_x0, touch)):
                break
            items.pop()
            start -= 1
        # The last row's label lines below it (a label wrapping past its values).
        while j + 1 < len(lines) and j + 1 - rows[-1] <= 3 \
                and _label_beside(lines[j + 1], lines[j], values_x0, touch) \
                and match_section(FORMATS["2021"], lines[j + 1].text) is None:
            j += 1
        items.append(("table", _unruled_table(lines[start:j + 1], anchors, touch)))
        i = j + 1
    return items


def _touch(group: list[Line]) -> float:
    """The widest gap between two lines of one label cell: no wider than 0.15 × the size
    (lines set solid), or, where a table's lines stand apart by two clearly different gaps
    (loose lines in a label, wider gaps between rows), the narrower one."""
    size = group[0].size
    gaps = sorted(b.top - a.bottom for a, b in zip(group, group[1:], strict=False)
                  if b.top - a.bottom >= -0.2 * size)
    if len(gaps) > 1 and gaps[0] > 0.15 * size and gaps[-1] - gaps[0] >= 0.25 * size:
        return gaps[0] + 0.1 * size
    return 0.15 * size


def _label_beside(line: Line, row: Line, values_x0: float, touch: float) -> bool:
    """Is `line` a wrapped label's line just above the table's first row or just below its
    last (`row`, or a label line already taken)? It stays left of the values and either sits
    beside the row (a label's lines around the row's numbers) or touches it, starting where
    it starts (the lines of one label cell)."""
    if line.x1 >= values_x0 or len(line.segments()) != 1:
        return False
    upper, lower = (line, row) if line.top < row.top else (row, line)
    gap = lower.top - upper.bottom
    return gap < -0.2 * line.size or (gap <= touch and abs(line.x0 - row.x0) < 0.5 * line.size)


def _split_runs(group: list[Line], anchors: list[Line]) -> dict[int, Line]:
    """Lines between two rows that one clearly widest gap splits: those above it are the
    upper row's (a label wrapping below its numbers), those below the lower row's. A wrapped
    label's lines touch each other and the row's numbers, rows stand apart; without one gap
    clearly widest, nothing is decided here."""
    is_anchor = {id(a) for a in anchors}
    out: dict[int, Line] = {}
    prev: Line | None = None
    run: list[Line] = []
    for line in group:
        if id(line) not in is_anchor:
            run.append(line)
            continue
        if prev is not None and run:
            chain = [prev, *run, line]
            gaps = [b.top - a.bottom for a, b in zip(chain, chain[1:], strict=False)]
            order = sorted(range(len(gaps)), key=gaps.__getitem__)
            widest, second = gaps[order[-1]], gaps[order[-2]]
            if widest - second >= 0.25 * prev.size:
                cut = order[-1]
                for k, ln in enumerate(run):
                    out[id(ln)] = prev if k < cut else line
        prev, run = line, []
    return out


def _unruled_table(group: list[Line], anchors: list[Line], touch: float) -> Table:
    rows: dict[int, list[list]] = {id(a): [list(s) for s in a.segments()] for a in anchors}
    own: list[Line] = list(anchors)  # lines that are rows of their own, in order
    split = _split_runs(group, anchors)
    for line in group:
        if id(line) in rows:
            continue
        mid = (line.top + line.bottom) / 2
        numeric = _VALUE.match(line.text.strip()) is not None
        # A broken number continues the row above; a label part goes to the row its gaps say,
        # else to the nearest row.
        above = [a for a in anchors if a.top < line.top]
        below = [a for a in anchors if a.top >= line.top]
        if numeric and above:
            target = above[-1]
        elif id(line) in split:
            target = split[id(line)]
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
            # A label's line may be wider than the row's other label line yet stop short of
            # the values: still the label's.
            if overlap >= 0.8 * (fx1 - fx0) or (
                    overlap > 0 and best is segs[0] and len(segs) > 1 and fx1 < segs[1][0][0]
                    and abs(fx0 - best[0][0]) < 0.5 * line.size):
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
    last_at = 0  # where the last row's cells start
    ordered = sorted(own, key=lambda ln: ln.top)
    for a in ordered:
        last_at = len(cells)
        for seg in rows[id(a)]:
            cells.append((join_lines([join_chars(b) for b in group_bands(seg)]), a.band))
    last = ordered[-1]
    return Table(group[0].top, group[0].band, cells, _tail(anchors, last, rows[id(last)], last_at, touch))


def _tail(anchors: list[Line], last: Line, segs: list[list], at: int, touch: float) -> _Tail | None:
    """The table's last row as a _Tail, if it is a row of values and the table has a label
    column."""
    if last not in anchors:
        return None
    labels = [a.segments()[0] for a in anchors]
    labels = [seg for seg in labels if not _VALUE.match(join_chars(seg))]
    if not labels:
        return None
    values_x0 = min(a.segments()[1][0][0] for a in anchors)
    labelled = not _VALUE.match(join_chars(segs[0])) and segs[0][-1][2] < values_x0
    return _Tail(at, labelled, min(seg[0][0] for seg in labels), values_x0, touch)


def _join_split_rows(flow: list[tuple[int, str, object]]) -> list[tuple[int, str, object]]:
    """A row cut by a page break may leave its values at the foot of one page and its label
    (or the rest of it) at the head of the next, above the table going on there: those lines
    are the label of the last row before the break."""
    out: list[tuple[int, str, object]] = []
    i = 0
    while i < len(flow):
        page_no, kind, it = flow[i]
        out.append(flow[i])
        i += 1
        tail = it.tail if kind == "table" else None  # type: ignore[attr-defined]
        if tail is None or i >= len(flow) or flow[i][0] != page_no + 1:
            continue
        k = i
        while k < len(flow) and k - i < 4 and flow[k][1] == "line" and flow[k][0] == page_no + 1 \
                and tail.take(flow[k][2]) and match_section(FORMATS["2021"], flow[k][2].text) is None:
            k += 1
        if k == i or k >= len(flow) or flow[k][1] != "table" or flow[k][0] != page_no + 1:
            continue
        # One label's lines: as close as the table's, or clearly closer than the next row.
        size = flow[i][2].size
        inner = max((b.top - a.bottom for (_, _, a), (_, _, b) in zip(flow[i:k], flow[i + 1:k],
                                                                       strict=False)), default=0.0)
        if inner > tail.touch and inner + 0.25 * size > flow[k][2].top - flow[k - 1][2].bottom:
            continue
        text = join_lines([ln.text for _, _, ln in flow[i:k]])
        cells = it.cells  # type: ignore[attr-defined]
        if tail.labelled:
            cells[tail.at] = (join_lines([cells[tail.at][0], text]), cells[tail.at][1])
        else:
            cells.insert(tail.at, (text, cells[tail.at][1]))
        i = k
    return out


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

    def centred(self, ln: Line) -> bool:
        l_gap, r_gap = ln.x0 - self.left, self.right - ln.x1
        return l_gap > 0.1 * (self.right - self.left) and abs(l_gap - r_gap) < 3 * ln.size

    def continues(self, prev: Line, ln: Line) -> bool:
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


def reading_parts(pages: list[Page]) -> list[tuple[str, tuple[int, int, None], bool]]:
    """The document as the interpreter's parts: (text, (page, line, None), is_cell) for each
    paragraph and table cell in reading order (a Token and its Location, unbuilt)."""
    flow: list[tuple[int, str, object]] = []  # (page, kind, item) in reading order
    for page in pages:
        items: list[tuple[float, str, object]] = [(t.top, "table", t) for t in page.tables]
        items += [(it.top, kind, it) for kind, it in _unruled(page.lines)]
        items.sort(key=lambda x: x[0])
        flow += [(page.number, kind, it) for _, kind, it in items]
    flow = _join_split_rows(flow)
    layout = _Layout.of(flow)

    parts: list[tuple[str, tuple[int, int, None], bool]] = []
    para: list[Line] = []
    para_page = 0

    def flush():
        nonlocal para
        if para:
            parts.append((join_lines([ln.text for ln in para]), (para_page, para[0].band, None), False))
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
