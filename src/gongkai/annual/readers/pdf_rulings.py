"""Ruling lines → ruled tables as cell boxes, for the PDF reader.

A ruling is a tuple (at, start, end, length): a horizontal one at y = `at` from x = `start` to
`end`, a vertical one at x = `at` from top = `start` to bottom = `end` (top-down coordinates);
`length` is its width or height as pdfplumber's table finder keeps it. Rulings are snapped and
joined the way pdfplumber's `merge_edges` does — the same clusters, the same float arithmetic
and the same order, so the cells come out identical — but on tuples, where pdfplumber builds a
dict per edge per step (it was most of the table-finding time)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import groupby
from operator import itemgetter

# pdfplumber's default snap, join and intersection tolerance, in points.
TOLERANCE = 3

_at = itemgetter(0)
_start = itemgetter(1)
_top, _bottom = itemgetter(1), itemgetter(3)  # of a character (x0, top, x1, bottom, ch)


def _snap(rulings: list[tuple], tol: float) -> list[tuple]:
    """Rulings whose `at` lies within `tol` of the next one's (chained) form a cluster; each
    moves to the cluster's mean, computed as pdfplumber does (sum in input order, then the
    offset `mean - at` added), in input order."""
    values = sorted({r[0] for r in rulings})
    cluster: dict[float, int] = {}
    n = 0
    last = None
    for v in values:
        if last is not None and v > last + tol:
            n += 1
        cluster[v] = n
        last = v
    members: list[list[tuple]] = [[] for _ in range(n + 1 if values else 0)]
    for r in rulings:
        members[cluster[r[0]]].append(r)
    mean = [sum(r[0] for r in ms) / len(ms) for ms in members]
    return [(r[0] + (mean[cluster[r[0]]] - r[0]), *r[1:]) for r in rulings]


def _join(group: list[tuple], tol: float, vertical: bool) -> list[tuple]:
    """Rulings on one line, overlapping or less than `tol` apart, joined into one. pdfplumber
    recomputes a width on extending a horizontal ruling but adds to a vertical one's height."""
    group = sorted(group, key=_start)
    joined = [group[0]]
    for r in group[1:]:
        at, start, end, length = joined[-1]
        if r[1] <= end + tol:
            if r[2] > end:
                grown = length + (r[2] - end) if vertical else r[2] - start
                joined[-1] = (at, start, r[2], grown)
        else:
            joined.append(r)
    return joined


def merge(rulings: list[tuple], vertical: bool) -> list[tuple]:
    """pdfplumber's merge_edges for rulings of one orientation: snapped, then joined along
    each line; lines in order of position."""
    if not rulings:
        return []
    snapped = sorted(_snap(rulings, TOLERANCE), key=_at)
    out: list[tuple] = []
    for _, group in groupby(snapped, key=_at):
        out += _join(list(group), TOLERANCE, vertical)
    return out


def _close_open_ends(hs: list[tuple], vs: list[tuple]) -> list[tuple]:
    """A table cut by a page break has no border line where it is cut: where a vertical ruling
    ends in the air, a horizontal one is drawn across every vertical ruling ending there.
    The horizontal rulings to add."""
    ends: dict[tuple[int, int], list[tuple]] = {}
    loose: dict[tuple[int, int], None] = {}  # a dict: the rulings are added in a fixed order
    ys = [h[0] for h in hs]  # merged rulings come in order of position
    for v in vs:
        x = v[0]
        for end in (1, 2):  # top, bottom
            y = v[end]
            key = (end, round(y / 6))
            ends.setdefault(key, []).append(v)
            # Only rulings within 3 of y can meet this end (a margin of 1 for the rounding).
            near = hs[bisect_left(ys, y - 4):bisect_right(ys, y + 4)]
            if not any(abs(h[0] - y) <= 3 and h[1] - 3 <= x <= h[2] + 3 for h in near):
                loose[key] = None
    out = []
    for key in loose:
        group = ends[key]
        if len(group) >= 2:
            y = sum(v[key[0]] for v in group) / len(group)
            x0, x1 = min(v[0] for v in group), max(v[0] for v in group)
            out.append((y, x0, x1, x1 - x0))
    return out


def grid_tables(hs: list[tuple], vs: list[tuple]) -> list[list[tuple]]:
    """Ruled tables as lists of cell boxes (x0, top, x1, bottom).

    The rulings are snapped and joined, open ends closed, and cells found as pdfplumber does
    (the smallest box whose four corners are ruling crossings joined by rulings), with the
    crossings indexed so a 300-cell table costs milliseconds, not a quadratic search."""
    if len(hs) + len(vs) < 4:
        return []
    hs, vs = merge(hs, False), merge(vs, True)
    hs, vs = merge(hs + _close_open_ends(hs, vs), False), merge(vs, True)
    hs = [h for h in hs if h[3] >= 3]
    vs = [v for v in vs if v[3] >= 3]
    tol = TOLERANCE
    # Each crossing with the rulings through it, as bit sets (bit i: ruling i).
    h_at: dict[tuple[float, float], int] = {}
    v_at: dict[tuple[float, float], int] = {}
    ys = [h[0] for h in hs]  # merged rulings come in order of position
    for vi, (x, top, bottom, _) in enumerate(vs):
        v_bit = 1 << vi
        for hi in range(bisect_left(ys, top - tol), bisect_right(ys, bottom + tol)):
            y, x0, x1, _ = hs[hi]
            if x0 - tol <= x <= x1 + tol:
                key = (x, y)
                h_at[key] = h_at.get(key, 0) | 1 << hi
                v_at[key] = v_at.get(key, 0) | v_bit
    by_x: dict[float, list[float]] = {}  # crossings down each vertical line, top to bottom
    by_y: dict[float, list[float]] = {}  # crossings along each horizontal line, left to right
    crossings = sorted(h_at)
    for x, y in crossings:
        by_x.setdefault(x, []).append(y)
        by_y.setdefault(y, []).append(x)
    cells = []
    for x, y in crossings:
        cell = None
        down, along = v_at[(x, y)], h_at[(x, y)]
        column, row = by_x[x], by_y[y]
        for y2 in column[bisect_right(column, y):]:
            if not down & v_at[(x, y2)]:
                continue
            for x2 in row[bisect_right(row, x):]:
                if not along & h_at[(x2, y)]:
                    continue
                corner = (x2, y2)
                if corner in h_at and v_at[corner] & v_at[(x2, y)] and h_at[corner] & h_at[(x, y2)]:
                    cell = (x, y, x2, y2)
                    break
            if cell:
                break
        if cell:
            cells.append(cell)
    return _group_cells(cells)


def _group_cells(cells: list[tuple]) -> list[list[tuple]]:
    """Cells sharing a corner belong to one table; tables top to bottom, one-cell boxes dropped."""
    parent = list(range(len(cells)))  # union-find over the cells, roots found inline
    owner: dict[tuple[float, float], int] = {}
    for k, (x0, top, x1, bottom) in enumerate(cells):
        for corner in ((x0, top), (x0, bottom), (x1, top), (x1, bottom)):
            j = owner.setdefault(corner, k)
            if j != k:
                a, b = k, j
                while parent[a] != a:  # path halving keeps the chains short
                    parent[a] = parent[parent[a]]
                    a = parent[a]
                while parent[b] != b:
                    parent[b] = parent[parent[b]]
                    b = parent[b]
                parent[a] = b
    groups: dict[int, list[tuple]] = {}
    for k, cell in enumerate(cells):
        root = k
        while parent[root] != root:
            root = parent[root]
        groups.setdefault(root, []).append(cell)
    tables = [g for g in groups.values() if len(g) > 1]
    return sorted(tables, key=lambda t: min((c[1], c[0]) for c in t))


class CellIndex:
    """Which cell of which table a point lies in, by bisecting the grid lines."""

    def __init__(self, tables: list[list[tuple]]):
        self.tables = []
        for cells in tables:
            boxes = [(round(x0, 1), round(top, 1), round(x1, 1), round(bottom, 1))
                     for x0, top, x1, bottom in cells]
            xs = sorted({b[0] for b in boxes} | {b[2] for b in boxes})
            ys = sorted({b[1] for b in boxes} | {b[3] for b in boxes})
            column = {x: i for i, x in enumerate(xs)}
            row = {y: i for i, y in enumerate(ys)}
            grid: dict[tuple[int, int], int] = {}
            for k, (x0, top, x1, bottom) in enumerate(boxes):
                for ci in range(column[x0], column[x1]):
                    for ri in range(row[top], row[bottom]):
                        grid[(ri, ci)] = k
            bbox = (xs[0], ys[0], xs[-1], ys[-1])
            self.tables.append((bbox, xs, ys, grid))

    def split(self, band: list) -> tuple[list, dict[tuple[int, int], list]]:
        """A line's characters (x0, top, x1, bottom, ch) as those outside every table, and
        runs by (table, cell). A character is in the cell holding its centre; the text of a
        tall merged cell may overflow the table's foot by half its height before a page break.
        A line clear of every table's height (most body text) needs no look-up per character."""
        top, bottom = min(map(_top, band)), max(map(_bottom, band))
        if not any(bbox[1] <= bottom and top <= bbox[3] + (bottom - top)
                   for bbox, *_ in self.tables):
            return band, {}
        free: list = []
        runs: dict[tuple[int, int], list] = {}
        tables = list(enumerate(self.tables))
        rows: dict[tuple[int, float, float], int | None] = {}  # characters of a line share heights
        for c in band:
            x = (c[0] + c[2]) / 2
            for t, (bbox, xs, ys, grid) in tables:
                if not bbox[0] <= x <= bbox[2]:
                    continue
                key = (t, c[1], c[3])
                row = rows.get(key, -1)
                if row == -1:
                    y = (c[1] + c[3]) / 2
                    if bbox[3] < y and c[1] < bbox[3] + (c[3] - c[1]) / 2:
                        y = bbox[3] - 0.5
                    row = rows[key] = bisect_right(ys, y) - 1 if bbox[1] <= y <= bbox[3] else None
                if row is not None:
                    k = grid.get((row, bisect_right(xs, x) - 1))
                    if k is not None:
                        where = (t, k)
                        run = runs.get(where)
                        if run is None:
                            runs[where] = [c]
                        else:
                            run.append(c)
                        break
            else:
                free.append(c)
        return free, runs
