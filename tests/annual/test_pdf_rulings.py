"""The PDF reader's ruling merge is pdfplumber's `merge_edges` on tuples: same rulings, same
floats, same order; and the cells of a ruled grid come out as its boxes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from pdfplumber.table import merge_edges

from gongkai.annual.readers.pdf_rulings import grid_tables, merge

# Positions on a coarse grid plus small offsets, so rulings cluster, touch and overlap.
_offsets = st.sampled_from([0.0, 0.1, -0.1, 1 / 3, 1.7, -2.9, 2.99, 3.01, 1e-13])
_position = st.builds(lambda k, d: 20.0 * k + d, st.integers(0, 8), _offsets)
_ruling = st.builds(lambda at, start, length: (at, start, start + length),
                    _position, _position, st.sampled_from([0.5, 2.0, 3.0, 20.0, 41.3, 100.0]))


def _dicts(hs: list[tuple], vs: list[tuple]) -> list[dict]:
    out = []
    for y, x0, x1 in hs:
        out.append({"x0": x0, "x1": x1, "top": y, "bottom": y, "doctop": y, "width": x1 - x0,
                    "height": 0.0, "orientation": "h", "object_type": "edge"})
    for x, top, bottom in vs:
        out.append({"x0": x, "x1": x, "top": top, "bottom": bottom, "doctop": top, "width": 0.0,
                    "height": bottom - top, "orientation": "v", "object_type": "edge"})
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(_ruling, max_size=30), st.lists(_ruling, max_size=30))
def test_merge_is_pdfplumbers_merge_edges(hs, vs):
    merged = merge_edges(_dicts(hs, vs), 3, 3, 3, 3)
    want_h = [(e["top"], e["x0"], e["x1"], e["width"]) for e in merged if e["orientation"] == "h"]
    want_v = [(e["x0"], e["top"], e["bottom"], e["height"]) for e in merged if e["orientation"] == "v"]
    assert merge([(y, x0, x1, x1 - x0) for y, x0, x1 in hs], vertical=False) == want_h
    assert merge([(x, t, b, b - t) for x, t, b in vs], vertical=True) == want_v


def test_a_ruled_grid_is_its_cells():
    # Two rows of three cells, each cell drawn as its own box (shared sides drawn twice).
    hs, vs = [], []
    for x0, x1 in ((10, 60), (60, 110), (110, 200)):
        for top, bottom in ((100, 120), (120.4, 150)):
            hs += [(top, x0, x1, x1 - x0), (bottom, x0, x1, x1 - x0)]
            vs += [(x0, top, bottom, bottom - top), (x1, top, bottom, bottom - top)]
    [table] = grid_tables(hs, vs)
    assert len(table) == 6
    assert table[0][0] == 10 and table[-1][2] == 200
