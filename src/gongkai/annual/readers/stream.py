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
from itertools import islice, repeat
from operator import itemgetter

from .. import labels
from ..formats import FORMATS, Block, Format, Row, Table
from ..labels import detect_format
from ..memo import per_object
from ..report import (
    AnnualReport,
    Cell,
    ExtraRow,
    Finding,
    Location,
    cell_address,
    location,
    parse_at,
)
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


_MISS = object()
# Memo sizes: a report asks a few hundred questions, most of them the same in every report.
# Only short texts are kept: a paragraph of prose is seen once, and a long-running process
# must not hold every report it has read.
_MEMO_LIMIT = 65536
_MEMO_MAX_CHARS = 512


class _Words:
    """What a table's labels make of a text, memoised per text (formats are frozen data, and a
    report asks the same questions of its labels many times). One per table, kept by identity:
    hashing a Table would walk every row and label."""

    def __init__(self, table: Table):
        self.table = table
        self.rows: dict[str, Row | None] = {}
        self.rows_exact: dict[str, Row | None] = {}
        self.groups: dict[str, str | None] = {}
        self.captions: dict[str, Block | None] = {}
        self.headers: dict[str, bool] = {}
        self.notes: dict[str, bool] = {}
        self.debris_: dict[str, bool] = {}
        self.labels_: dict[str, bool] = {}
        self.known_: dict[str, bool] = {}
        self.header_keys = _compute_header_keys(table)
        keys = set(self.header_keys)
        for r in table.rows:
            keys.add(label_key(r.label))
            keys.update(label_key(g) for g in r.groups)
        self.label_keys = frozenset(keys)
        self.note_key = label_key(table.note).strip("()") if table.note else ""
        self.block_of: dict[str, Block] = {}
        for b in table.blocks:
            for r in b.rows:
                self.block_of.setdefault(r.key, b)  # the first, as Table.block_of
        # Per row: its block, the block's width, and (address, location name) of each cell.
        self.row_plan: dict[str, tuple[Block, int, tuple[tuple[str, str], ...]]] = {
            r.key: (b, len(b.columns), tuple((cell_address(table.key, r.key, c.key),
                                              f"{table.name} {r.label} {c.label}")
                                             for c in b.columns))
            for r in table.rows for b in (self.block_of[r.key],)}
        self.labels_of: dict[str, tuple[Block | None, Row | None, str | None]] = {}
        self.all_cells = tuple((cell_address(table.key, r.key, c.key),
                                f"{table.name} {r.label} {c.label}") for r, c in table.cells())

    def row(self, text: str) -> Row | None:
        hit = self.rows.get(text, _MISS)
        if hit is _MISS:
            hit = _remember(self.rows, text, labels.match_row(self.table, text, True))
        return hit  # type: ignore[return-value]

    def row_exact(self, text: str) -> Row | None:
        hit = self.rows_exact.get(text, _MISS)
        if hit is _MISS:
            hit = _remember(self.rows_exact, text, labels.match_row(self.table, text, False))
        return hit  # type: ignore[return-value]

    def group(self, text: str) -> str | None:
        hit = self.groups.get(text, _MISS)
        if hit is _MISS:
            hit = _remember(self.groups, text, labels.match_group(self.table, text))
        return hit  # type: ignore[return-value]

    def caption(self, text: str) -> Block | None:
        hit = self.captions.get(text, _MISS)
        if hit is _MISS:
            hit = _remember(self.captions, text, labels.match_caption(self.table, text))
        return hit  # type: ignore[return-value]

    def header(self, text: str) -> bool:
        hit = self.headers.get(text)
        if hit is None:
            hit = _remember(self.headers, text, self._is_header(text))
        return hit

    def note(self, text: str) -> bool:
        hit = self.notes.get(text)
        if hit is None:
            hit = _remember(self.notes, text, self._is_note(text))
        return hit

    def debris(self, line: str) -> bool:
        hit = self.debris_.get(line)
        if hit is None:
            hit = _remember(self.debris_, line, self._is_debris(line))
        return hit

    def label(self, text: str) -> bool:
        """A row, group or caption label of this table."""
        hit = self.labels_.get(text)
        if hit is None:
            hit = _remember(self.labels_, text,
                            bool(self.row(text) or self.group(text) or self.caption(text)))
        return hit

    def known(self, text: str) -> bool:
        """Any text this table prints: a label, a header or its note."""
        hit = self.known_.get(text)
        if hit is None:
            hit = _remember(self.known_, text,
                            self.label(text) or self.header(text) or self.note(text))
        return hit

    def label_of(self, text: str) -> tuple[Block | None, Row | None, str | None]:
        """(caption, row, group) that `text` is: what a table reader asks of each label."""
        hit = self.labels_of.get(text)
        if hit is None:
            hit = _remember(self.labels_of, text,
                            (self.caption(text), self.row(text), self.group(text)))
        return hit

    def _is_note(self, text: str) -> bool:
        if not self.table.note:
            return False
        key, note = label_key(text).strip("()"), self.note_key
        # The note is long and specific: its first words, or containment either way, are safe.
        return len(key) >= 8 and (key in note or note in key or key[:8] == note[:8])

    def _is_header(self, text: str) -> bool:
        key = label_key(text)
        headers = self.header_keys
        if key in headers:
            return True
        pieces = [label_key(p) for p in normalize(text).split()]
        return len(pieces) > 1 and all(p in headers or self.group(p) for p in pieces)

    def _is_debris(self, line: str) -> bool:
        """A header printed in pieces by a PDF extractor ("结果   结果    其他结    尚未")."""
        pieces = normalize(line).split()
        if any(_pure_value(p) for p in pieces):
            return False
        keys = self.label_keys
        return all(len(p) <= 8 and any(p in k for k in keys) for p in map(label_key, pieces) if p)


def _remember(memo: dict, key: str, value):
    if len(key) <= _MEMO_MAX_CHARS:
        if len(memo) >= _MEMO_LIMIT:
            memo.clear()
        memo[key] = value
    return value


@per_object(256)
def _words(table: Table) -> _Words:
    return _Words(table)


class _FormatWords:
    """Section titles of one format, memoised per text; the format's tables' words."""

    def __init__(self, fmt: Format):
        self.fmt = fmt
        self.sections: dict[str, int | None] = {}

    def section(self, text: str) -> int | None:
        hit = self.sections.get(text, _MISS)
        if hit is _MISS:
            hit = _remember(self.sections, text, labels.match_section(self.fmt, text))
        return hit  # type: ignore[return-value]


@per_object(64)
def _format_words(fmt: Format) -> _FormatWords:
    return _FormatWords(fmt)


@dataclass(frozen=True)
class Token:
    """One paragraph's or one table cell's text, in document order."""

    text: str
    where: Location | None = None
    cell: bool = False


# A token inside the interpreter: (text, where, value_like), a plain tuple because a report
# makes ~300 of them and the walk only reads them. `where` may be held as (page, line, cell)
# and made a Location only when a finding or an extra row asks for it (see _location_of). A
# reader's part for a value cell, (text, where, True), is already the token and is kept as it
# came. value_like is a blank cell or a number / "/" / "—".
_Token = tuple[str, "Location | tuple | None", bool]


def _token(text: str, where) -> _Token:
    return (text, where, _value_like(text))


def _location_of(where) -> Location | None:
    return location(*where) if type(where) is tuple else where


def _page_line(where) -> tuple[int | None, int | None]:
    if where is None:
        return None, None
    if type(where) is tuple:
        return where[0], where[1]
    return where.page, where.line


def _blank(token: _Token) -> bool:
    return not token[0].strip()


# _value_like of the texts seen so far; the interpreter's walk reads it directly.
_VALUE_LIKE: dict[str, bool] = {}


def _value_like(text: str) -> bool:
    """A blank cell or a number / "/" / "—" (with or without a note beside it)."""
    hit = _VALUE_LIKE.get(text)
    if hit is None:
        hit = _remember(_VALUE_LIKE, text, _is_value_like(text))
    return hit


def _is_value_like(text: str) -> bool:
    if not text.strip():
        return True
    text = normalize(text)
    return Cell.parse(text).kind in _VALUE_KINDS and not _NUMBERED_LABEL.match(text)


@lru_cache(maxsize=65536)
def _pure_value(piece: str) -> bool:
    """A piece of a linear line that is a value ("21", "/", "1.5", "22（其中修订16件）")."""
    c = Cell.parse(piece)
    return c.kind in _VALUE_KINDS and (not c.note or c.note.startswith("(")) \
        and not _NUMBERED_LABEL.match(normalize(piece))


@dataclass
class _Section:
    number: int
    lines: list[str] = field(default_factory=list)


def _line_where(where, offset: int):
    if where is None or offset == 0:
        return where
    if type(where) is tuple:
        page, line, cell = where
        return (page, line + offset if line else None, cell)
    return Location(where.page, (where.line or 0) + offset if where.line else None, where.cell)


def _clean(line: str) -> str:
    return line.strip().strip("\u3000\xa0").strip()


# ---------------------------------------------------------------------------------------
# Header recognition: the labels of a table that carry no value (columns, corner, note).


def _compute_header_keys(table: Table) -> frozenset[str]:
    keys: set[str] = set()
    for b in table.blocks:
        keys.add(label_key(b.corner)) if b.corner else None
        for c in b.columns:
            keys.add(label_key(c.label))
            keys.update(label_key(g) for g in c.groups)
    keys.discard("")
    return frozenset(keys)


# ---------------------------------------------------------------------------------------


# A part as the interpreter walks it: (text, where, is_cell); where as in a token.
_Part = tuple[str, "Location | tuple | None", bool]


class _Interpreter:
    def __init__(self, items: list[_Part], fmt: Format):
        self.items = items
        self.fmt = fmt
        self.sections_words = _format_words(fmt)
        self.head: list[str] = []
        self.sections: list[_Section] = []
        self.table: Table | None = None
        self.words: _Words | None = None  # the current table's
        self.tokens: list[_Token] = []  # the current table's tokens
        self.table_tokens: dict[str, list[_Token]] = {}
        self.pending: list[_Token] = []  # unrecognised lines inside a table region
        self.started = False  # has the current table region received any token?
        self.findings: list[Finding] = []
        self.report = AnnualReport(format=fmt)

    # -- walking ---------------------------------------------------------------------
    def run(self) -> None:
        cell, line, pending = self._cell, self._line, self.pending
        value_likes = _VALUE_LIKE
        # The current table's words and tokens, read again after each call that may switch.
        words, tokens = self.words, self.tokens
        for part in self.items:
            text, where, is_cell = part
            if is_cell:
                value_like = value_likes.get(text)
                if value_like is None:
                    value_like = _value_like(text)
                if words is not None and not pending:
                    # A value, or a label of the current table: what _cell would do.
                    if value_like:
                        tokens.append(part if is_cell is True else (text, where, True))
                        self.started = True
                        continue
                    if words.known(text):
                        tokens.append((text, where, False))
                        self.started = True
                        continue
                cell((text, where, value_like))
            else:
                line(text, where)  # a line is only read: no token unless it becomes one
            words, tokens = self.words, self.tokens
        self._flush_pending()

    def _switch(self, table: Table | None) -> None:
        self.table, self.started = table, False
        if table is None:
            self.words = None
            return
        self.words = _words(table)
        self.tokens = self.table_tokens.setdefault(table.key, [])

    def _text(self, line: str) -> None:
        if self.sections:
            self.sections[-1].lines.append(line)
        else:
            self.head.append(line)

    def _enter_section(self, number: int) -> None:
        self._flush_pending()
        self.sections.append(_Section(number))
        self._switch(self.fmt.table_for_section(number))

    def _table_token(self, item: _Token) -> None:
        assert self.table is not None and self.words is not None
        if self.pending:
            pending = self.pending
            joined = "".join(p[0].strip() for p in pending)
            if self.words.known(joined):
                self.tokens.append(_token(joined, pending[0][1]))
                pending.clear()
            elif self._label_tail(joined) or all(len(_clean(p[0])) <= 6 for p in pending):
                # The end of a label, or bits of a group label printed down the side of the
                # table one or two characters a line: layout debris, not prose.
                pending.clear()
            else:
                self._flush_pending()
        self.tokens.append(item)
        self.started = True

    def _flush_pending(self) -> None:
        for p in self.pending:
            self._text(_clean(p[0]))
        self.pending.clear()

    def _label_tail(self, text: str) -> bool:
        """The end of the previous row's label, printed on the line after its values."""
        labels = [t for t, _, value_like in self.tokens[-12:] if not value_like]
        if not labels:
            return False
        row = self.words.row(labels[-1])  # type: ignore[union-attr]
        key = label_key(text)
        return row is not None and len(key) >= 2 and key in label_key(row.label) \
            and key not in label_key(labels[-1])

    def _other_table(self, text: str) -> Table | None:
        """A table other than the current one whose row or caption `text` is exactly."""
        for t in self.fmt.tables:
            if t is self.table:
                continue
            w = _words(t)
            if w.row_exact(text) or w.caption(text):
                return t
        return None

    def _cell(self, item: _Token) -> None:
        text, _, value_like = item
        if not value_like:
            in_current = self.words is not None and self.words.known(text)
            if not in_current:
                number = self.sections_words.section(text)
                if number is not None:
                    self._enter_section(number)
                    return
                other = self._other_table(text)
                if other is not None:
                    self._flush_pending()
                    self._switch(other)
        if self.table is None:
            if not _blank(item):
                for line in text.splitlines():
                    if _clean(line):
                        self._text(_clean(line))
            return
        self._table_token(item)

    def _line(self, text: str, where) -> None:
        line = _clean(text)
        if not line or _PAGE_NUMBER.match(line):
            return
        words = self.words
        if words is not None and not _pure_value(line.split()[-1]) and words.row_exact(line):
            self._table_token(_token(line, where))
            return
        number = self.sections_words.section(line)
        if number is not None:
            self._enter_section(number)
            return
        if words is None:
            self._text(line)
            return
        if words.note(line) or words.header(line) or words.debris(line):
            return
        linear = self._linear(words, where, line)
        if linear is not None:
            for tok in linear:
                self._table_token(tok)
            return
        if self.started and len(line) <= 30 and not line.endswith(_SENTENCE_END):
            # Perhaps a label broken over lines ("（五）不" / "予处理"): decided at the next cell.
            self.pending.append(_token(line, where))
            return
        self._flush_pending()
        self._text(line)

    def _linear(self, words: _Words, where, line: str) -> list[_Token] | None:
        """A row printed on one line ("一、本年新收… 21 0 0 0 0 0 21"), or a bare line of values."""
        pieces = line.split()
        n = len(pieces)
        while n > 0 and _pure_value(pieces[n - 1]):
            n -= 1
        values = [_token(p, where) for p in pieces[n:]]
        label = "".join(pieces[:n])
        if not label:
            return values or None
        for k in range(n):
            # Leading pieces may be bits of a group label printed down the side ("本", "法提供").
            rest = "".join(pieces[k:n])
            if words.row(rest) or words.caption(rest):
                return [_token(rest, where), *values]
        long = [_clean(p[0]) for p in self.pending if len(_clean(p[0])) > 6]
        for k in range(len(long)):
            # A label begun on the lines above its values ("1、申请人无正当理由逾期不补").
            joined = "".join(long[k:]) + label
            if words.row_exact(joined):
                self.pending.clear()
                return [_token(joined, where), *values]
        prev = self.tokens
        if prev and not prev[-1][2] and words.row(prev[-1][0]) \
                and words.row(prev[-1][0] + label):
            # The rest of a label broken over lines, its values after it.
            prev[-1] = _token(prev[-1][0] + label, prev[-1][1])
            return values
        if values and self.started and not label.endswith(_SENTENCE_END):
            return [_token(label, where), *values]  # a local extra row
        return None

    # -- tables ----------------------------------------------------------------------
    def read_tables(self) -> None:
        for t in self.fmt.tables:
            toks = self.table_tokens.get(t.key, [])
            if t.key == "disputes":
                self._read_positional(t, toks)
            else:
                self._read_rows(t, toks)

    @staticmethod
    def _take(words: _Words, toks: list[_Token], i: int, n: int) -> int:
        """The index after up to n tokens from i, stopping at a label, header or note."""
        j, end = i, min(len(toks), i + n)
        known = words.known
        while j < end and (toks[j][2] or not known(toks[j][0])):
            j += 1
        return j

    def _set(self, row_cells: tuple[tuple[str, str], ...], vals: list[_Token]) -> None:
        cells = self.report.cells
        for (address, name), (text, w, _) in zip(row_cells, vals, strict=False):
            if type(w) is tuple:  # the usual: readers pass (page, line, cell)
                cells[address] = parse_at(text.strip(), w[0], w[1], name)
            elif w is None:
                cells[address] = parse_at(text.strip(), None, None, name)
            else:
                cells[address] = parse_at(text.strip(), w.page, w.line, name)

    @staticmethod
    def _group_not_row(words: _Words, toks: list[_Token], i: int, group: str) -> bool:
        """"（六）其他处理" is both the 2021 group label and the collapsed row: a group when
        the next label is one of its rows."""
        for t in islice(toks, i + 1, None):
            if _blank(t):
                continue
            nxt = None if t[2] else words.row(t[0])
            return nxt is not None and group in nxt.groups
        return False

    def _read_rows(self, table: Table, toks: list[_Token]) -> None:
        words = _words(table)
        label_of, row_plan = words.label_of, words.row_plan
        seen: set[str] = set()
        block = table.blocks[0]
        last_row: str | None = None
        i, n = 0, len(toks)
        while i < n:
            text, where, value_like = toks[i]
            i += 1
            if value_like:
                continue
            cap, row, group = label_of(text)
            if cap is not None:
                block = cap
                continue
            if row is not None and not (group is not None
                                        and self._group_not_row(words, toks, i - 1, group)):
                block, width, row_cells = row_plan[row.key]
                j = self._take(words, toks, i, width)
                if j == i:
                    continue  # a label in a header, not a row
                vals, i = toks[i:j], j
                if row.key in seen:
                    self._finding("READ-ROW-DUPLICATE", "warning",
                                  f"{table.name}“{row.label}”行出现多次，只取第一次",
                                  _location_of(where))
                    continue
                seen.add(row.key)
                last_row = row.key
                self._set(row_cells, vals)
                if len(vals) < width:
                    self._finding(
                        "READ-VALUE-COUNT", "warning",
                        f"{table.name}“{row.label}”行应有{width}个数值，只读到{len(vals)}个",
                        _location_of(where), tuple(cell_address(table.key, row.key, c.key)
                                                   for c in block.columns[len(vals):]))
                continue
            if group or words.header(text) or words.note(text):
                continue
            if i < n and toks[i][2] and not _blank(toks[i]):
                j = self._take(words, toks, i, len(block.columns))
                vals, i = toks[i:j], j
                label = _clean(text)
                self.report.extras.append(ExtraRow(
                    table.key, label, [Cell.parse(t.strip(), _location_of(w)) for t, w, _ in vals],
                    last_row))
                self._finding("READ-EXTRA-ROW", "info",
                              f"{table.name}有格式之外的行“{label}”，已保留", _location_of(where))
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

    def _read_positional(self, table: Table, toks: list[_Token]) -> None:
        words = _words(table)
        cells = words.all_cells
        last = max((k for k, t in enumerate(toks) if not t[2]), default=-1)
        vals = toks[last + 1:]
        if len(vals) != len(cells):
            filled = [v for v in vals if not _blank(v)]
            if len(filled) >= len(cells):
                vals = filled
        if len(vals) < len(cells) and any(words.row(t) for t, _, value_like in toks
                                          if not value_like):
            self._read_rows(table, toks)  # printed row by row, each row after its label
            return
        if not toks:
            self._missing_rows(table, set())
            return
        if len(vals) != len(cells):
            self._finding("READ-VALUE-COUNT", "warning",
                          f"{table.name}应有{len(cells)}个数值，读到{len(vals)}个",
                          _location_of(vals[0][1]) if vals else None)
        out = self.report.cells
        for (address, name), (text, where, _) in zip(cells, vals, strict=False):
            page, line = _page_line(where)
            out[address] = parse_at(text.strip(), page, line, name)
        if len(vals) < len(cells):
            missing = tuple(address for address, _ in cells[len(vals):])
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
        if not any(map(str.startswith, report.cells, repeat("applications."))):
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


def _flatten(parts: Iterable[tuple[str, object, bool]]) -> list[_Part]:
    """Cells stay whole; paragraphs are split into lines, each a candidate title. A part that
    needs no change is kept as it came (most are)."""
    out: list[_Part] = []
    append = out.append
    for part in parts:
        text, where, is_cell = part
        if is_cell:
            append(part)
            continue
        lines = text.splitlines()
        if len(lines) == 1:
            append(part if lines[0] == text else (lines[0], where, False))
        elif not lines:
            append(("", where, False))
        else:
            for k, line in enumerate(lines):
                append((line, _line_where(where, k), False))
    return out


def interpret(tokens: Iterable[Token], name: str = "") -> ReadResult:
    """Read a report from its tokens; see the module docstring."""
    return _interpret(_flatten((t.text, t.where, t.cell) for t in tokens), name)


def interpret_parts(parts: Iterable[tuple[str, tuple | None, bool]], name: str = "") -> ReadResult:
    """`interpret` for readers that skip building Token and Location objects: each part is
    (text, (page, line, cell) or None, is_cell), the fields a Token and its Location hold."""
    return _interpret(_flatten(parts), name)


def _interpret(items: list[_Part], name: str) -> ReadResult:
    sections = _format_words(FORMATS["2021"])
    head: list[str] = []
    for text, _, is_cell in items:
        if is_cell:
            continue
        line = _clean(text)
        if line:
            if sections.section(line) is not None:
                break
            head.append(line)
    _, _, year, _ = _head(head)
    fmt = detect_format("\n".join(map(itemgetter(0), items)), year)
    interp = _Interpreter(items, fmt)
    interp.run()
    interp.read_tables()
    return interp.finish(name)
