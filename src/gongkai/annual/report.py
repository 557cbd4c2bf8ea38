"""AnnualReport: what one report says, cell by cell, exactly as it was written."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import repeat
from typing import Literal

from .formats import FORMATS, Format, Table
from .memo import per_object
from .text import normalize

CellKind = Literal["number", "blank", "slash", "dash", "text"]
Severity = Literal["error", "warning", "info"]

# What a cell may hold instead of a number; each maps to "missing" (REGULATIONS.md §3.7).
_MISSING_MARKS = {"": "blank", "/": "slash", "／": "slash", "—": "dash", "——": "dash",
                  "-": "dash", "－": "dash", "--": "dash", "–": "dash", "无": "dash"}
_NUMBER = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*(.*?)\s*$", re.S)
_SPACES = re.compile(r"\s+")


# (value, kind, note) of the texts read so far: a report repeats the same few ("0", ""), and
# parse_at reads this dict itself (a dict look-up, not a call).
_PARSED: dict[str, tuple[int | Decimal | None, CellKind, str]] = {}
_PARSED_LIMIT = 65536


def _parse(raw: str) -> tuple[int | Decimal | None, CellKind, str]:
    """(value, kind, note) of a cell's text, memoised in _PARSED."""
    hit = _PARSED.get(raw)
    if hit is None:
        hit = _parse_text(raw)
        if len(raw) <= 64:  # a cell's text; anything longer is not worth keeping
            if len(_PARSED) >= _PARSED_LIMIT:
                _PARSED.clear()
            _PARSED[raw] = hit
    return hit


def _parse_text(raw: str) -> tuple[int | Decimal | None, CellKind, str]:
    text = normalize(raw).replace(",", "").replace("，", "")
    compact = _SPACES.sub("", text)
    if compact in _MISSING_MARKS:
        return None, _MISSING_MARKS[compact], ""  # type: ignore[return-value]
    m = _NUMBER.match(compact)
    if not m:
        return None, "text", text.strip()
    number, rest = m.groups()
    try:
        value: int | Decimal = int(number) if "." not in number else Decimal(number)
    except (ValueError, InvalidOperation):  # pragma: no cover - the regex admits only digits
        return None, "text", text.strip()
    return value, "number", rest


@dataclass(frozen=True)
class Location:
    """Where a cell or a finding was read: 1-based page and line, and the table cell."""

    page: int | None = None
    line: int | None = None
    cell: str | None = None  # e.g. "表三 第5行 第2列"

    def __str__(self) -> str:
        parts = []
        if self.page:
            parts.append(f"第{self.page}页")
        if self.line:
            parts.append(f"第{self.line}行")
        if self.cell:
            parts.append(self.cell)
        return " ".join(parts)


def location(page: int | None = None, line: int | None = None, cell: str | None = None) -> Location:
    """Location(page, line, cell), made at under half the cost: a frozen dataclass's __init__
    sets each field through object.__setattr__, and a reader makes one for every cell it reads.
    Writing the new object's own __dict__ skips the frozen guard. (Location has no
    __post_init__ to skip; Cell.parse and parse_at do the same for cells.)"""
    out = _new(Location)
    d = out.__dict__
    d["page"] = page
    d["line"] = line
    d["cell"] = cell
    return out


def parse_at(raw: str, page: int | None, line: int | None, name: str | None) -> Cell:
    """Cell.parse(raw, location(page, line, name)) in one call: a reader's hot path, 200 a
    report. The Location is made only when `where` is first read (see _LazyWhere): most cells'
    never is."""
    value, kind, note = _PARSED.get(raw) or _parse(raw)
    out = _new(Cell)
    d = out.__dict__
    d["value"] = value
    d["raw"] = raw
    d["kind"] = kind
    d["note"] = note
    d["_at"] = (page, line, name)
    return out


_new = object.__new__


@dataclass(frozen=True)
class Cell:
    """One value cell as the report wrote it.

    `value` is an int (counts), a Decimal (万元) or None when the report left it blank or wrote
    "/", "—", "-"; `kind` says which. `raw` keeps the text exactly; `note` keeps words written
    beside the number ("（其中修订16件）")."""

    value: int | Decimal | None
    raw: str
    kind: CellKind = "number"
    note: str = ""
    where: Location | None = None

    @classmethod
    def of(cls, value: int | Decimal | None, where: Location | None = None) -> Cell:
        if value is None:
            return cls(None, "", "blank", where=where)
        return cls(value, str(value), "number", where=where)

    @classmethod
    def parse(cls, raw: str, where: Location | None = None) -> Cell:
        """Read a cell's text: "0", "1.25", "-8", "", "/", "—", "22（其中修订16件）", "251000元"."""
        value, kind, note = _PARSED.get(raw) or _parse(raw)
        if cls is not Cell:
            return cls(value, raw, kind, note=note, where=where)
        cell = _new(Cell)  # see location()
        d = cell.__dict__
        d["value"] = value
        d["raw"] = raw
        d["kind"] = kind
        d["note"] = note
        d["where"] = where
        return cell

    @property
    def missing(self) -> bool:
        return self.value is None

    def as_json(self) -> int | float | None:
        if isinstance(self.value, Decimal):
            return float(self.value)
        return self.value


class _LazyWhere:
    """Cell.where of a cell made by parse_at, which keeps (page, line, name) instead: built on
    first read and then kept in the instance, whose own "where" wins over this non-data
    descriptor from then on. Every other Cell has "where" in its __dict__ from the start."""

    def __get__(self, cell: Cell | None, owner: type | None = None) -> Location | None:
        if cell is None:
            return None  # the field's default, as on the plain dataclass
        d = cell.__dict__
        at = d.get("_at")
        if at is None:
            return None
        where = d["where"] = location(*at)
        return where


# After @dataclass: its __init__ keeps the default None itself, and sets `where` in the instance.
Cell.where = _LazyWhere()  # type: ignore[assignment,misc]


@dataclass(frozen=True)
class Finding:
    """One result of reading or checking a report, shaped like a linter message."""

    code: str
    severity: Severity
    message: str
    cells: tuple[str, ...] = ()
    where: Location | None = None
    undecidable: bool = False

    def as_json(self) -> dict:
        out: dict = {"code": self.code, "severity": self.severity, "message": self.message,
                     "cells": list(self.cells)}
        if self.undecidable:
            out["undecidable"] = True
        if self.where:
            out["where"] = str(self.where)
        return out


@dataclass
class ExtraRow:
    """A local row the national format does not have (e.g. 其他主动公开文件): kept, not fatal."""

    table: str
    label: str
    cells: list[Cell] = field(default_factory=list)
    after: str | None = None  # key of the national row it followed


def cell_address(table: str, row: str, column: str) -> str:
    return f"{table}.{row}.{column}"


@dataclass
class AnnualReport:
    format: Format
    agency: str | None = None
    year: int | None = None
    title: str | None = None
    preamble: str = ""
    # The six sections' text, keyed 1..6. A section the report lacks is absent.
    sections: dict[int, str] = field(default_factory=dict)
    # The order sections appeared in, as read (for the "in order" rule).
    section_order: list[int] = field(default_factory=list)
    # Cells keyed by "table.row.column" (see cell_address).
    cells: dict[str, Cell] = field(default_factory=dict)
    extras: list[ExtraRow] = field(default_factory=list)
    source: str | None = None

    # -- cells -----------------------------------------------------------------------
    def cell(self, table: str, row: str, column: str) -> Cell | None:
        return self.cells.get(cell_address(table, row, column))

    def value(self, table: str, row: str, column: str) -> int | Decimal | None:
        c = self.cell(table, row, column)
        return None if c is None else c.value

    def set(self, table: str, row: str, column: str, cell: Cell | int | Decimal | None) -> None:
        if not isinstance(cell, Cell):
            cell = Cell.of(cell)
        self.cells[cell_address(table, row, column)] = cell

    def collapsed(self, table: str) -> frozenset[str]:
        """Rows with `replaces` that this report prints (see formats.Table.layout)."""
        t = self.format.table(table)
        replacing = _replacing_rows(t)
        if not replacing:
            return _NONE
        cells = self.cells
        # When every cell is at an address of the format (the usual), the cells under a row
        # are the format's addresses under it that the report has: no need to try every cell.
        addresses, under = _format_addresses(self.format)
        only_format = cells.keys() <= addresses
        out = [key for key, prefix, own in replacing
               # The format's own columns first; any other column under the row still counts.
               if any(a in cells for a in own)
               or (any(a in cells for a in under[prefix]) if only_format
                   else any(map(str.startswith, cells, repeat(prefix))))]
        return frozenset(out) if out else _NONE

    def layout(self, table: str):
        t = self.format.table(table)
        return _layout(t, self.collapsed(table))

    @classmethod
    def blank(cls, fmt: Format | str = "2021", **kw) -> AnnualReport:
        """A report with every cell of the format present and blank."""
        fmt = FORMATS[fmt] if isinstance(fmt, str) else fmt
        report = cls(format=fmt, **kw)
        for t in fmt.tables:
            for r, c in t.cells():
                report.set(t.key, r.key, c.key, None)
        return report

    @classmethod
    def zeros(cls, fmt: Format | str = "2021", **kw) -> AnnualReport:
        fmt = FORMATS[fmt] if isinstance(fmt, str) else fmt
        report = cls(format=fmt, **kw)
        for t in fmt.tables:
            for r, c in t.cells():
                report.set(t.key, r.key, c.key, Decimal(0) if c.kind == "decimal" else 0)
        return report


_NONE: frozenset[str] = frozenset()

# Per-table answers that depend only on the (frozen) format: computed once (see memo).


@per_object(64)
def _format_addresses(fmt: Format) -> tuple[frozenset[str], dict[str, tuple[str, ...]]]:
    """The format's cell addresses, and for each "table.row." prefix of a row with `replaces`
    those of them that start with it."""
    addresses = frozenset(cell_address(t.key, r.key, c.key) for t in fmt.tables
                          for b in t.blocks for r in b.rows for c in b.columns)
    under = {prefix: tuple(sorted(a for a in addresses if a.startswith(prefix)))
             for t in fmt.tables for _, prefix, _ in _replacing_rows(t)}
    return addresses, under


@per_object(256)
def _replacing_rows(t: Table) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(row key, "table.row." prefix, the row's cell addresses) of each row with `replaces`."""
    return tuple((r.key, f"{t.key}.{r.key}.",
                  tuple(cell_address(t.key, r.key, c.key) for c in t.block_of(r.key).columns))
                 for r in t.rows if r.replaces)


@per_object(1024)
def _layout(t: Table, collapsed: frozenset[str]):
    return t.layout(collapsed)
