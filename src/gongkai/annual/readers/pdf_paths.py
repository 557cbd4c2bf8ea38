"""A PDF page's drawing objects → its ruling lines, in pdf_rulings' tuples.

A ruling is a thin path (a stroked line, or a thin filled bar drawn as one), or a straight side
of a stroked outline (a cell box, a grid drawn as one path). Large filled shapes without a
stroke are backgrounds (WPS shades every paragraph); white or transparent lines are invisible:
neither is a ruling. A page holds hundreds of objects, most of them text, so each object costs
one type look-up, and a path as few calls as decide it; the ctypes buffers are made once a page.
"""

from __future__ import annotations

import ctypes
from struct import Struct

import pypdfium2.raw as pdfium_c

from . import _pdfium as fx

# How thin a shape is to be a line, in points (pdfplumber's snap tolerance).
THIN = 3
# Colour components at or above this on all three channels: white, an invisible line.
LIGHT = 235


# Readers of the buffers PDFium writes into: one struct call, where unpacking a ctypes array
# takes one slow call per element.
_floats4, _floats2 = Struct("4f").unpack_from, Struct("2f").unpack_from
_ints2, _uints4 = Struct("2i").unpack_from, Struct("4I").unpack_from


def _mul(m, n):
    """Matrix product m·n of PDF matrices (a, b, c, d, e, f)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _apply(m, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


class _Walk:
    """One page's walk: the rulings found so far and the buffers PDFium writes into."""

    def __init__(self, height: float):
        self.height = height
        self.hs: list[tuple] = []  # (y, x0, x1, width)
        self.vs: list[tuple] = []  # (x, top, bottom, height)
        self.box = (ctypes.c_float * 4)()  # left, bottom, right, top; then a segment's x, y
        at = ctypes.addressof(self.box)
        self.box_at = (at, at + 4, at + 8, at + 12)
        self.mode = (ctypes.c_int * 2)()  # fill mode, stroked
        at = ctypes.addressof(self.mode)
        self.mode_at = (at, at + 4)
        self.rgba = (ctypes.c_uint * 4)()
        at = ctypes.addressof(self.rgba)
        self.rgba_at = (at, at + 4, at + 8, at + 12)
        self.matrix = pdfium_c.FS_MATRIX()
        self.matrix_at = ctypes.addressof(self.matrix)

    def add(self, x0: float, y0: float, x1: float, y1: float) -> None:
        # min() and max() spelt out (the same values, NaN included): a page adds hundreds.
        x0, x1 = (x1 if x1 < x0 else x0), (x1 if x1 > x0 else x0)
        low, high = (y1 if y1 < y0 else y0), (y1 if y1 > y0 else y0)
        top, bottom = self.height - high, self.height - low
        w, h = x1 - x0, bottom - top
        if h <= THIN and w > THIN:
            self.hs.append(((top + bottom) / 2, x0, x1, w))
        elif w <= THIN and h > THIN:
            self.vs.append(((x0 + x1) / 2, top, bottom, h))

    def walk(self, count, get, parent, outer=None, depth: int = 0) -> None:
        object_type, path_kind, form_kind = fx.object_type, fx.PATH, fx.FORM
        bounds, box_at, box = fx.bounds, self.box_at, self.box
        draw_mode, mode_at, mode = fx.draw_mode, self.mode_at, self.mode
        for i in range(count(parent)):
            obj = get(parent, i)
            kind = object_type(obj)
            if kind == path_kind:
                # Inline: a page has hundreds of paths, and most are decided by three calls.
                if not bounds(obj, *box_at):
                    continue
                lo, bo, ro, to = _floats4(box)
                if outer is not None:
                    (lo, bo), (ro, to) = _apply(outer, lo, bo), _apply(outer, ro, to)
                draw_mode(obj, *mode_at)
                filled, stroked = _ints2(mode)
                if not (filled or stroked):
                    continue
                w, h = abs(ro - lo), abs(to - bo)
                if (h if h < w else w) <= THIN:
                    # A line, or a thin filled bar drawn as a line: its bounds are the ruling.
                    if not self.light(obj, bool(stroked)):
                        self.add(lo, bo, ro, to)
                elif stroked and not self.light(obj, True):  # else a background or a white box
                    m = self.object_matrix(obj)
                    if m is not None:
                        self.segments(obj, m if outer is None else _mul(m, outer))
            elif kind == form_kind and depth < 4:
                m = self.object_matrix(obj)
                if m is not None:
                    self.walk(fx.count_form_objects, fx.get_form_object,
                              obj, m if outer is None else _mul(m, outer), depth + 1)

    def object_matrix(self, obj):
        if not fx.object_matrix(obj, self.matrix_at):
            return None
        m = self.matrix
        return (m.a, m.b, m.c, m.d, m.e, m.f)

    def light(self, obj, stroke: bool) -> bool:
        if not (fx.stroke_color if stroke else fx.fill_color)(obj, *self.rgba_at):
            return False
        r, g, b, a = _uints4(self.rgba)
        return a == 0 or (r >= LIGHT and g >= LIGHT and b >= LIGHT)

    def segments(self, obj, m) -> None:
        """A stroked outline: its straight sides."""
        box = self.box
        x_at, y_at = self.box_at[0], self.box_at[1]
        start = prev = None
        for i in range(fx.count_segments(obj)):
            seg = fx.get_segment(obj, i)
            if not fx.segment_point(seg, x_at, y_at):
                continue
            point = _apply(m, *_floats2(box))
            kind = fx.segment_type(seg)
            if kind == fx.MOVETO or prev is None:
                start = point
            elif kind == fx.LINETO:
                self.add(*prev, *point)
            prev = point
            if fx.segment_close(seg) and start is not None:
                self.add(*point, *start)
                prev = start


def rulings(page, height: float) -> tuple[list[tuple], list[tuple]]:
    """The page's horizontal and vertical rulings, top-down coordinates."""
    walk = _Walk(height)
    walk.walk(fx.count_objects, fx.get_object, fx.address(page.raw))
    return walk.hs, walk.vs
