"""Line endings and multi-line cells in the Word-dump text layout, and Cell construction."""

from decimal import Decimal

from conftest import SAMPLES
from gongkai.annual.readers.text_reader import read
from gongkai.annual.report import Cell, location, parse_at

SEED = (SAMPLES / "seed-yipingyuan-2021.txt").read_bytes()


def _cells(result):
    return {a: (c.raw, c.value, c.kind, c.note, c.where) for a, c in result.report.cells.items()}


def test_crlf_and_cr_read_like_lf():
    lf = read(SEED.replace(b"\r\n", b"\n"))
    for ending in (b"\r\n", b"\r"):
        other = read(SEED.replace(b"\r\n", b"\n").replace(b"\n", ending))
        assert _cells(other) == _cells(lf)
        assert other.report.sections == lf.report.sections


def test_cell_continued_on_the_next_line_keeps_its_note_and_first_line():
    text = SEED.decode("utf-8").replace("\r\n", "\n")
    lines = text.split("\n")
    # The first value cell of table 3: a TAB line holding a bare number.
    k = next(i for i, ln in enumerate(lines) if ln.startswith("\t") and ln[1:].strip().isdigit()
             and "申请" in "".join(lines[max(0, i - 30):i]))
    first = lines[k][1:].strip()
    lines.insert(k + 1, "（其中修订1件）")
    result = read("\n".join(lines).encode("utf-8"))
    hits = [c for c in result.report.cells.values() if c.note == "(其中修订1件)"]
    assert len(hits) == 1
    assert hits[0].value == int(first)
    assert hits[0].where.line == k + 1  # the cell's first line, 1-based


def test_blank_line_of_spaces_ends_a_cell():
    text = SEED.decode("utf-8").replace("\r\n", "\n").replace("\n\n", "\n \u3000\t \n".replace("\t", " "))
    assert _cells(read(text.encode("utf-8"))) == _cells(read(SEED))


def test_parse_at_is_parse_with_a_location():
    for raw in ("0", "12", "1.25", "", "/", "—", "22（其中修订16件）", "abc"):
        a = parse_at(raw, 3, 7, "表三 x")
        b = Cell.parse(raw, location(3, 7, "表三 x"))
        assert a == b and hash(a) == hash(b) and repr(a) == repr(b)
    assert parse_at("1.5", None, None, None).value == Decimal("1.5")
    assert str(parse_at("0", 2, 9, "表三").where) == "第2页 第9行 表三"


def test_cell_read_from_text_behaves_like_any_cell():
    import copy
    import dataclasses
    import pickle

    cell = next(iter(read(SEED).report.cells.values()))
    # Copies taken before anything reads `where`, then after.
    others = [pickle.loads(pickle.dumps(cell)), copy.copy(cell), dataclasses.replace(cell)]
    plain = Cell.parse(cell.raw, location(cell.where.page, cell.where.line, cell.where.cell))
    assert cell.where.line and cell.where.cell.startswith("表")
    others += [pickle.loads(pickle.dumps(cell)), copy.copy(cell)]
    for other in others:
        assert other == plain and other.where == plain.where
    assert dataclasses.asdict(cell) == dataclasses.asdict(plain)
