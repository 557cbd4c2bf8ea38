"""Rulings from a PDF page's drawing objects, however a producer draws its table: separate
lines, stroked boxes, one path for the whole grid, closed outlines, thin filled bars, inside
(nested, moved) form XObjects; and what is not a ruling: white or transparent lines,
backgrounds, curves. Each page here is written by hand, so the grid's cells are known."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest

from gongkai.annual.readers.pdf_paths import rulings
from gongkai.annual.readers.pdf_rulings import grid_tables
from minipdf import pdf

HEIGHT = 842
# A 2-row, 3-column grid, PDF coordinates (y up): columns at x, rows at y.
XS = (100, 170, 240, 310)
YS = (700, 680, 660)


def _pdf(content: bytes, forms: tuple[tuple[bytes, str], ...] = ()) -> bytes:
    """A one-page PDF; `forms` are form XObjects /X0, /X1… (content, matrix), each able to
    draw the ones before it."""
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", b"", b"",
            b"<< /Type /ExtGState /CA 0 >>"]
    names = b""
    for k, (body, matrix) in enumerate(forms):
        objs.append(b"<< /Type /XObject /Subtype /Form /BBox [-1000 -1000 2000 2000] /Matrix ["
                    + matrix.encode() + b"] /Resources << /XObject << " + names
                    + b" >> >> /Length %d >>\nstream\n" % len(body) + body + b"\nendstream")
        names += b"/X%d %d 0 R " % (k, len(objs))
    objs[2] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 %d] /Contents 4 0 R "
               b"/Resources << /ExtGState << /Clear 5 0 R >> /XObject << " % HEIGHT + names + b">> >> >>")
    objs[3] = b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"
    return pdf(objs)


def _grid(style: str, dx: float = 0, dy: float = 0) -> bytes:
    xs = [x + dx for x in XS]
    ys = [y + dy for y in YS]
    cells = [(xs[i], ys[j + 1], xs[i + 1], ys[j]) for j in range(2) for i in range(3)]
    if style == "lines":
        ops = [f"{xs[0]} {y} m {xs[-1]} {y} l S" for y in ys] + [f"{x} {ys[0]} m {x} {ys[-1]} l S" for x in xs]
    elif style == "boxes":
        ops = [f"{x0} {y0} {x1 - x0} {y1 - y0} re S" for x0, y0, x1, y1 in cells]
    elif style == "one path":
        ops = [" ".join([f"{xs[0]} {y} m {xs[-1]} {y} l" for y in ys] + [f"{x} {ys[0]} m {x} {ys[-1]} l" for x in xs]) + " S"]
    elif style == "closed":
        ops = [f"{x0} {y0} m {x1} {y0} l {x1} {y1} l {x0} {y1} l h S" for x0, y0, x1, y1 in cells]
    elif style == "bars":
        ops = [f"{xs[0]} {y - 0.4} {xs[-1] - xs[0]} 0.8 re f" for y in ys] \
            + [f"{x - 0.4} {ys[-1]} 0.8 {ys[0] - ys[-1]} re f" for x in xs]
    elif style == "shaded boxes":
        ops = ["0.9 0.9 0.9 rg"] + [f"{x0} {y0} {x1 - x0} {y1 - y0} re B" for x0, y0, x1, y1 in cells]
    return ("0 0 0 RG 0.8 w " + " ".join(ops) + "\n").encode()


def _cells(data: bytes) -> list[list[tuple]]:
    doc = pdfium.PdfDocument(data)
    try:
        page = doc[0]
        return grid_tables(*rulings(page, page.get_height()))
    finally:
        doc.close()


def _expected(dx: float = 0, dy: float = 0) -> list[tuple]:
    return [(XS[i] + dx, HEIGHT - YS[j] - dy, XS[i + 1] + dx, HEIGHT - YS[j + 1] - dy)
            for j in range(2) for i in range(3)]


def _close(got: list[tuple], want: list[tuple]) -> bool:
    flat = [v for cell in sorted(got) for v in cell]
    return len(got) == len(want) and flat == pytest.approx([v for cell in sorted(want) for v in cell], abs=0.01)


@pytest.mark.parametrize("style", ["lines", "boxes", "one path", "closed", "bars", "shaded boxes"])
def test_a_grid_drawn_any_way_is_its_six_cells(style):
    [table] = _cells(_pdf(_grid(style)))
    assert _close(table, _expected())


def test_a_grid_inside_nested_moved_forms_is_found_where_it_shows():
    # /X1 moves by (30, -40) and draws /X0, which moves by (5, 0) and draws the grid.
    inner = _grid("boxes")
    outer = b"/X0 Do\n"
    page = b"q 1 0 0 1 30 -40 cm /X1 Do Q\n"
    [table] = _cells(_pdf(page, ((inner, "1 0 0 1 5 0"), (outer, "1 0 0 1 0 0"))))
    assert _close(table, _expected(dx=35, dy=-40))


def test_invisible_lines_backgrounds_and_curves_are_no_rulings():
    content = (b"1 1 1 RG 100 600 m 400 600 l S\n"  # white line
               b"q /Clear gs 0 0 0 RG 100 590 m 400 590 l S Q\n"  # transparent line
               b"0.9 0.9 0.9 rg 100 500 300 60 re f\n"  # a shaded background, no stroke
               b"0 0 0 RG 100 400 m 150 450 250 350 300 400 c S\n")  # a curve
    doc = pdfium.PdfDocument(_pdf(content))
    try:
        page = doc[0]
        assert rulings(page, page.get_height()) == ([], [])
    finally:
        doc.close()
