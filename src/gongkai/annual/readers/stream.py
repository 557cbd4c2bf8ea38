"""The shared interpreter: a document as a stream of tokens → AnnualReport.

Every reader of a structured file (text, HTML, DOCX, XLSX, PDF) turns its input into tokens —
one paragraph line or one table cell each, in document order — and calls `interpret`. All
label matching (titles, sections, captions, rows, groups, headers) happens here, through
`labels`, so a spelling variant taught there reaches every reader at once.

Tables are read by label, not by geometry: after a row label come that row's values, one token
per cell, a blank token being a blank cell. Table 四 is read by position (its 15 values follow
the last header label), because the national layout prints it as one line of numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from .. import labels
from ..formats import FORMATS, Block, Format, Row, Table
from ..labels import detect_format, match_section
from ..report import AnnualReport, Cell, ExtraRow, Finding, Location, cell_address
from ..text import label_key, normalize
from . import ReadError, ReadResult

# The words every report title carries ("…2021年政府信息公开工作年度报告").
TITLE_MARK = "年度报告"
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
_VALUE_KINDS = ("number", "slash", "dash")
_PAGE_NUMBER = re.compile(r"^[-—–－]\s*\d{1,3}\s*[-—–－]$")
_SENTENCE_END = tuple("。，；：,;:！？!?")
# "1.属于国家秘密" starts like a number but is a row label.
_NUMBERED_LABEL = re.compile(r"^\s*\d+\s*[.、,，]\s*\D")


# Label matching memoised on (table, text): a report asks the same questions many times, and
# hashing a Table (a deep frozen dataclass) on every call is the reader's main cost.
_TABLES: dict[int, Table] = {id(t): t for f in FORMATS.values() for t in f.tables}


@lru_cache(maxsize=65536)
def _memo(kind: str, tid: int, text: str, fuzzy: bool = True):
    table = _TABLES[tid]
    if kind == "row":
        return labels.match_row(table, text, fuzzy)
    return labels.match_group(table, text) if kind == "group" else labels.match_caption(table, text)


def match_row(table: Table, text: str, fuzzy: bool = True) -> Row | None:
    if id(table) not in _TABLES:
        return labels.match_row(table, text, fuzzy)
    return _memo("row", id(table), text, fuzzy)


def match_group(table: Table, text: str) -> str | None:
    if id(table) not in _TABLES:
        return labels.match_group(table, text)
    return _memo("group", id(table), text)


def match_caption(table: Table, text: str) -> Block | None:
    if id(table) not in _TABLES:
        return labels.match_caption(table, text)
    return _memo("caption", id(table), text)


@dataclass(frozen=True)
class Token:
    """One paragraph's or one table cell's text, in document order."""

    text: str
    where: Location | None = None
    cell: bool = False


@dataclass
class _Item:
    text: str
    where: Location | None

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def value_like(self) -> bool:
        return _value_like(self.text)


@lru_cache(maxsize=65536)
def _value_like(text: str) -> bool:
    """A blank cell or a number / "/" / "—" (with or without a note beside it)."""
    if not text.strip():
        return True
    text = normalize(text)
    return Cell.parse(text).kind in _VALUE_KINDS and not _NUMBERED_LABEL.match(text)


def _pure_value(piece: str) -> bool:
    """A piece of a linear line that is a value ("21", "/", "1.5", "22（其中修订16件）")."""
    c = Cell.parse(piece)
    return c.kind in _VALUE_KINDS and (not c.note or c.note.startswith("(")) \
        and not _NUMBERED_LABEL.match(normalize(piece))


@dataclass
class _Section:
    number: int
    lines: list[str] = field(default_factory=list)


def _line_where(where: Location | None, offset: int) -> Location | None:
    if where is None or offset == 0:
        return where
    return Location(where.page, (where.line or 0) + offset if where.line else None, where.cell)


def _clean(line: str) -> str:
    return line.strip().strip("\u3000\xa0").strip()


# ---------------------------------------------------------------------------------------
# Header recognition: the labels of a table that carry no value (columns, corner, note).


@lru_cache(maxsize=64)
def _header_keys_of(tid: int) -> frozenset[str]:
    return _compute_header_keys(_TABLES[tid])


def _header_keys(table: Table) -> frozenset[str]:
    if id(table) in _TABLES:
        return _header_keys_of(id(table))
    return _compute_header_keys(table)


def _compute_header_keys(table: Table) -> frozenset[str]:
    keys: set[str] = set()
    for b in table.blocks:
        keys.add(label_key(b.corner)) if b.corner else None
        for c in b.columns:
            keys.add(label_key(c.label))
            keys.update(label_key(g) for g in c.groups)
    keys.discard("")
    return frozenset(keys)


def _is_note(table: Table, text: str) -> bool:
    if not table.note:
        return False
    key, note = label_key(text).strip("()"), label_key(table.note).strip("()")
    # The note is long and specific: its first words, or containment either way, are safe.
    return len(key) >= 8 and (key in note or note in key or key[:8] == note[:8])


def _label_keys(table: Table) -> frozenset[str]:
    if id(table) in _TABLES:
        return _label_keys_of(id(table))
    return _compute_label_keys(table)


@lru_cache(maxsize=64)
def _label_keys_of(tid: int) -> frozenset[str]:
    return _compute_label_keys(_TABLES[tid])


def _compute_label_keys(table: Table) -> frozenset[str]:
    keys = set(_header_keys(table))
    for r in table.rows:
        keys.add(label_key(r.label))
        keys.update(label_key(g) for g in r.groups)
    return frozenset(keys)


def _is_debris(table: Table, line: str) -> bool:
    """A header printed in pieces by a PDF extractor ("结果   结果    其他结    尚未")."""
    pieces = normalize(line).split()
    if any(_pure_value(p) for p in pieces):
        return False
    keys = _label_keys(table)
    return all(len(p) <= 8 and any(p in k for k in keys) for p in map(label_key, pieces) if p)


def _is_header(table: Table, text: str) -> bool:
    key = label_key(text)
    headers = _header_keys(table)
    if key in headers:
        return True
    pieces = [label_key(p) for p in normalize(text).split()]
    return len(pieces) > 1 and all(p in headers or match_group(table, p) for p in pieces)


# ---------------------------------------------------------------------------------------


class _Interpreter:
    def __init__(self, items: list[tuple[_Item, bool]], fmt: Format):
        self.items = items
        self.fmt = fmt
        self.head: list[str] = []
        self.sections: list[_Section] = []
        self.table: Table | None = None
        self.table_tokens: dict[str, list[_Item]] = {}
        self.pending: list[_Item] = []  # unrecognised lines inside a table region
        self.started = False  # has the current table region received any token?
        self.findings: list[Finding] = []
        self.report = AnnualReport(format=fmt)

    # -- walking ---------------------------------------------------------------------
    def run(self) -> None:
        for item, is_cell in self.items:
            if is_cell:
                self._cell(item)
            else:
                self._line(item)
        self._flush_pending()

    def _text(self, line: str) -> None:
        if self.sections:
            self.sections[-1].lines.append(line)
        else:
            self.head.append(line)

    def _enter_section(self, number: int) -> None:
        self._flush_pending()
        self.sections.append(_Section(number))
        self.table = self.fmt.table_for_section(number)
        self.started = False

    def _table_token(self, item: _Item) -> None:
        assert self.table is not None
        if self.pending:
            joined = _Item("".join(p.text.strip() for p in self.pending), self.pending[0].where)
            if self._known_label(self.table, joined.text):
                self.table_tokens.setdefault(self.table.key, []).append(joined)
                self.pending.clear()
            elif self._label_tail(self.table, joined.text) or all(
                    len(_clean(p.text)) <= 6 for p in self.pending):
                # The end of a label, or bits of a group label printed down the side of the
                # table one or two characters a line: layout debris, not prose.
                self.pending.clear()
            else:
                self._flush_pending()
        self.table_tokens.setdefault(self.table.key, []).append(item)
        self.started = True

    def _flush_pending(self) -> None:
        for p in self.pending:
            self._text(_clean(p.text))
        self.pending.clear()

    def _known_label(self, table: Table, text: str) -> bool:
        return bool(
            match_row(table, text) or match_group(table, text) or match_caption(table, text)
            or _is_header(table, text) or _is_note(table, text)
        )

    def _label_tail(self, table: Table, text: str) -> bool:
        """The end of the previous row's label, printed on the line after its values."""
        prev = self.table_tokens.get(table.key, [])
        labels = [t for t in prev[-12:] if not t.value_like]
        if not labels:
            return False
        row = match_row(table, labels[-1].text)
        key = label_key(text)
        return row is not None and len(key) >= 2 and key in label_key(row.label) \
            and key not in label_key(labels[-1].text)

    def _other_table(self, text: str) -> Table | None:
        """A table other than the current one whose row or caption `text` is exactly."""
        for t in self.fmt.tables:
            if t is self.table:
                continue
            if match_row(t, text, fuzzy=False) or match_caption(t, text):
                return t
        return None

    def _cell(self, item: _Item) -> None:
        if not item.value_like:
            text = item.text
            in_current = self.table is not None and self._known_label(self.table, text)
            if not in_current:
                number = match_section(self.fmt, text)
                if number is not None:
                    self._enter_section(number)
                    return
                other = self._other_table(text)
                if other is not None:
                    self._flush_pending()
                    self.table, self.started = other, False
        if self.table is None:
            if not item.blank:
                for line in item.text.splitlines():
                    if _clean(line):
                        self._text(_clean(line))
            return
        self._table_token(item)

    def _line(self, item: _Item) -> None:
        line = _clean(item.text)
        if not line or _PAGE_NUMBER.match(line):
            return
        table = self.table
        if table is not None and not _pure_value(line.split()[-1]) \
                and match_row(table, line, fuzzy=False):
            self._table_token(_Item(line, item.where))
            return
        number = match_section(self.fmt, line)
        if number is not None:
            self._enter_section(number)
            return
        if table is None:
            self._text(line)
            return
        if _is_note(table, line) or _is_header(table, line) or _is_debris(table, line):
            return
        linear = self._linear(table, item, line)
        if linear is not None:
            for tok in linear:
                self._table_token(tok)
            return
        if self.started and len(line) <= 30 and not line.endswith(_SENTENCE_END):
            # Perhaps a label broken over lines ("（五）不" / "予处理"): decided at the next cell.
            self.pending.append(_Item(line, item.where))
            return
        self._flush_pending()
        self._text(line)

    def _linear(self, table: Table, item: _Item, line: str) -> list[_Item] | None:
        """A row printed on one line ("一、本年新收… 21 0 0 0 0 0 21"), or a bare line of values."""
        pieces = line.split()
        n = len(pieces)
        while n > 0 and _pure_value(pieces[n - 1]):
            n -= 1
        values = [_Item(p, item.where) for p in pieces[n:]]
        label = "".join(pieces[:n])
        if not label:
            return values or None
        for k in range(n):
            # Leading pieces may be bits of a group label printed down the side ("本", "法提供").
            rest = "".join(pieces[k:n])
            if match_row(table, rest) or match_caption(table, rest):
                return [_Item(rest, item.where), *values]
        long = [_clean(p.text) for p in self.pending if len(_clean(p.text)) > 6]
        for k in range(len(long)):
            # A label begun on the lines above its values ("1、申请人无正当理由逾期不补").
            joined = "".join(long[k:]) + label
            if match_row(table, joined, fuzzy=False):
                self.pending.clear()
                return [_Item(joined, item.where), *values]
        prev = self.table_tokens.get(table.key, [])
        if prev and not prev[-1].value_like and match_row(table, prev[-1].text) \
                and match_row(table, prev[-1].text + label):
            # The rest of a label broken over lines, its values after it.
            prev[-1].text += label
            return values
        if values and self.started and not label.endswith(_SENTENCE_END):
            return [_Item(label, item.where), *values]  # a local extra row
        return None

    # -- tables ----------------------------------------------------------------------
    def read_tables(self) -> None:
        for t in self.fmt.tables:
            toks = self.table_tokens.get(t.key, [])
            if t.key == "disputes":
                self._read_positional(t, toks)
            else:
                self._read_rows(t, toks)

    def _is_label(self, table: Table, item: _Item) -> bool:
        if item.value_like:
            return False
        return bool(match_row(table, item.text) or match_group(table, item.text)
                    or match_caption(table, item.text))

    def _take(self, table: Table, toks: list[_Item], i: int, n: int) -> tuple[list[_Item], int]:
        vals: list[_Item] = []
        while len(vals) < n and i < len(toks) and not self._is_label(table, toks[i]):
            if not toks[i].value_like and (_is_header(table, toks[i].text)
                                           or _is_note(table, toks[i].text)):
                break
            vals.append(toks[i])
            i += 1
        return vals, i

    def _set(self, table: Table, row: Row, block: Block, vals: list[_Item]) -> None:
        for col, item in zip(block.columns, vals, strict=False):
            where = Location(item.where.page if item.where else None,
                             item.where.line if item.where else None,
                             f"{table.name} {row.label} {col.label}")
            self.report.cells[cell_address(table.key, row.key, col.key)] = Cell.parse(
                item.text.strip(), where)

    def _group_not_row(self, table: Table, row: Row, toks: list[_Item], i: int) -> bool:
        """"（六）其他处理" is both the 2021 group label and the collapsed row: a group when
        the next label is one of its rows."""
        group = match_group(table, toks[i].text)
        if group is None:
            return False
        for t in toks[i + 1:]:
            if t.blank:
                continue
            nxt = None if t.value_like else match_row(table, t.text)
            return nxt is not None and group in nxt.groups
        return False

    def _read_rows(self, table: Table, toks: list[_Item]) -> None:
        seen: set[str] = set()
        block = table.blocks[0]
        last_row: str | None = None
        i = 0
        while i < len(toks):
            item = toks[i]
            i += 1
            if item.value_like:
                continue
            cap = match_caption(table, item.text)
            if cap is not None:
                block = cap
                continue
            row = match_row(table, item.text)
            if row is not None and not self._group_not_row(table, row, toks, i - 1):
                block = table.block_of(row.key)
                vals, j = self._take(table, toks, i, len(block.columns))
                if not vals:
                    continue  # a label in a header, not a row
                i = j
                if row.key in seen:
                    self._finding("READ-ROW-DUPLICATE", "warning",
                                  f"{table.name}“{row.label}”行出现多次，只取第一次", item.where)
                    continue
                seen.add(row.key)
                last_row = row.key
                self._set(table, row, block, vals)
                if len(vals) < len(block.columns):
                    self._finding(
                        "READ-VALUE-COUNT", "warning",
                        f"{table.name}“{row.label}”行应有{len(block.columns)}个数值，只读到{len(vals)}个",
                        item.where, tuple(cell_address(table.key, row.key, c.key)
                                          for c in block.columns[len(vals):]))
                continue
            if match_group(table, item.text) or _is_header(table, item.text) \
                    or _is_note(table, item.text):
                continue
            if i < len(toks) and toks[i].value_like and not toks[i].blank:
                vals, i = self._take(table, toks, i, len(block.columns))
                label = _clean(item.text)
                self.report.extras.append(ExtraRow(
                    table.key, label, [Cell.parse(v.text.strip(), v.where) for v in vals], last_row))
                self._finding("READ-EXTRA-ROW", "info",
                              f"{table.name}有格式之外的行“{label}”，已保留", item.where)
        self._missing_rows(table, seen)

    def _missing_rows(self, table: Table, seen: set[str]) -> None:
        if not seen:
            if table.key != "applications":
                self._finding("READ-TABLE-MISSING", "warning", f"未找到{table.name}", None,
                              tuple(cell_address(table.key, r.key, c.key) for r, c in table.cells()))
            return
        for row in self.report.layout(table.key):
            if row.key not in seen:
                cols = table.block_of(row.key).columns
                self._finding("READ-ROW-MISSING", "warning",
                              f"{table.name}缺少“{row.label}”行", None,
                              tuple(cell_address(table.key, row.key, c.key) for c in cols))

    def _read_positional(self, table: Table, toks: list[_Item]) -> None:
        cells = list(table.cells())
        last = max((k for k, t in enumerate(toks) if not t.value_like), default=-1)
        vals = toks[last + 1:]
        if len(vals) != len(cells):
            filled = [v for v in vals if not v.blank]
            if len(filled) >= len(cells):
                vals = filled
        if len(vals) < len(cells) and any(match_row(table, t.text) for t in toks
                                          if not t.value_like):
            self._read_rows(table, toks)  # printed row by row, each row after its label
            return
        if not toks:
            self._missing_rows(table, set())
            return
        if len(vals) != len(cells):
            self._finding("READ-VALUE-COUNT", "warning",
                          f"{table.name}应有{len(cells)}个数值，读到{len(vals)}个",
                          vals[0].where if vals else None)
        for (row, col), item in zip(cells, vals, strict=False):
            where = Location(item.where.page if item.where else None,
                             item.where.line if item.where else None,
                             f"{table.name} {row.label} {col.label}")
            self.report.cells[cell_address(table.key, row.key, col.key)] = Cell.parse(
                item.text.strip(), where)
        if len(vals) < len(cells):
            missing = tuple(cell_address(table.key, r.key, c.key) for r, c in cells[len(vals):])
            self._finding("READ-ROW-MISSING", "warning", f"{table.name}缺少数值", None, missing)

    def _finding(self, code: str, severity, message: str, where: Location | None,
                 cells: tuple[str, ...] = ()) -> None:
        self.findings.append(Finding(code, severity, message, cells, where))  # type: ignore[arg-type]

    # -- head and sections -----------------------------------------------------------
    def finish(self, name: str) -> ReadResult:
        report = self.report
        report.source = name or None
        title, agency, year, preamble = _head(self.head)
        report.title, report.agency, report.year = title, agency, year
        report.preamble = "\n".join(preamble)
        for s in self.sections:
            text = "\n".join(s.lines)
            if s.number in report.sections:
                report.sections[s.number] = "\n".join(x for x in (report.sections[s.number], text) if x)
            else:
                report.sections[s.number] = text
                report.section_order.append(s.number)
        if not any(a.startswith("applications.") for a in report.cells):
            raise ReadError("read.no-table3", "未找到表三（收到和处理政府信息公开申请情况）",
                            "no table 3 (applications) found")
        return ReadResult(report, self.findings)


def _head(lines: list[str]) -> tuple[str | None, str | None, int | None, list[str]]:
    """Title, agency, year and preamble from the lines before the first section."""
    for i, line in enumerate(lines):
        if TITLE_MARK in label_key(line) and len(line) <= 80:
            norm = normalize(line)
            m = _YEAR.search(norm)
            year = int(m.group(1)) if m else None
            agency = _clean(norm[: m.start()]) if m else ""
            if not agency and i > 0 and len(lines[i - 1]) <= 40 \
                    and not lines[i - 1].endswith(_SENTENCE_END):
                agency = lines[i - 1]
            return line, agency or None, year, lines[i + 1:]
    return None, None, None, lines


def _flatten(tokens: Iterable[Token]) -> list[tuple[_Item, bool]]:
    """Cells stay whole; paragraphs are split into lines, each a candidate title."""
    out: list[tuple[_Item, bool]] = []
    for tok in tokens:
        if tok.cell:
            out.append((_Item(tok.text, tok.where), True))
            continue
        for k, line in enumerate(tok.text.splitlines() or [""]):
            out.append((_Item(line, _line_where(tok.where, k)), False))
    return out


def interpret(tokens: Iterable[Token], name: str = "") -> ReadResult:
    """Read a report from its tokens; see the module docstring."""
    items = _flatten(tokens)
    head: list[str] = []
    for item, is_cell in items:
        line = _clean(item.text)
        if not is_cell and line:
            if match_section(FORMATS["2021"], line) is not None:
                break
            head.append(line)
    _, _, year, _ = _head(head)
    fmt = detect_format("\n".join(i.text for i, _ in items), year)
    interp = _Interpreter(items, fmt)
    interp.run()
    interp.read_tables()
    return interp.finish(name)
