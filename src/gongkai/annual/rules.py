"""Cross-check rules (勾稽关系), REGULATIONS.md §3.6.

Every table rule walks the format's DATA (`Table.sums`, `Table.balances`), so a new format needs
no new code here. A rule whose inputs are missing (blank, "/", "—", text) is reported as
undecidable (severity info), never as passed or failed.

Codes are stable: T3-R1, T3-R3, T3-R4, T4-R5 (from formats.py), R6-* (cell values), X1/X2
(against the previous year), N1 (narrative numbers), S-MISSING/S-ORDER (sections), Y-MISMATCH.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from decimal import Decimal

from . import narrative
from .formats import Balance, Column, Row, Sum, Table
from .report import AnnualReport, Cell, Finding, cell_address

Number = int | Decimal

# A 万元 amount above this is more likely 元 typed into the 万元 column (a whole province's fees
# are a few 10^5 万元 at most; a city's are 10^4–10^5).
AMOUNT_LIMIT_WAN_YUAN = Decimal(100000)

# Row and column KEYS (not labels) of the quantities that cross years and narrative text; the
# keys are the public JSON interface (REPORT-JSON.md), the labels still come from formats.py.
CARRY = ("applications", "carried_in", "carried_out")
STOCK = ("proactive", ("regulations", "normative_documents"), "in_force", "issued", "repealed")

_UNIT = re.compile(r"单位[:：]\s*([^)）]+)[)）]")


def check(report: AnnualReport, previous: AnnualReport | None = None) -> list[Finding]:
    findings: list[Finding] = []
    value = {a: c.value for a, c in report.cells.items()}.get  # one look at each cell
    for table in report.format.tables:
        printed = report.layout(table.key)
        findings += _cell_values(report, table, printed)
        for plan in (_balance_plan(table, printed), _sum_plan(table, printed)):
            for comparison in plan:
                finding = comparison.judge(value)
                if finding is not None:
                    findings.append(finding)
    if previous is not None:
        findings += cross_year(report, previous)
    prepared: dict[str, str] = {}  # each text's narrative.prepare, shared by N1 and Y
    findings += _narrative_numbers(report, prepared)
    findings += sections(report)
    findings += _year_mentions(report, prepared)
    return _ordered(report, findings)


def _ordered(report: AnnualReport, findings: list[Finding]) -> list[Finding]:
    """Table order, then code; within one code the order the cells were walked (stable sort).
    Findings without cells (sections, year) come last."""
    order = {t.key: i for i, t in enumerate(report.format.tables)}

    def key(f: Finding) -> tuple[int, str]:
        table = f.cells[0].split(".", 1)[0] if f.cells else ""
        return order.get(table, len(order)), f.code

    return sorted(findings, key=key)


# ---------------------------------------------------------------------------------------
# Naming cells in messages


def row_name(row: Row) -> str:
    """The row as a reader finds it: inner group labels before the label ("（三）不予公开1.属于国家
    秘密"); the outermost group ("三、本年度办理结果", "行政诉讼") is implied by the table."""
    return "".join(row.groups[1:]) + row.label


def _fmt(value: Number) -> str:
    return str(value)


def _missing_message(subject: str, missing: list[str]) -> str:
    named = "、".join(missing[:3]) + (f"等{len(missing)}处" if len(missing) > 3 else "")
    return f"无法判断：{subject}，缺少{named}的数值"


def _undecidable(code: str, subject: str, missing: list[str], cells: list[str]) -> Finding:
    return Finding(code, "info", _missing_message(subject, missing), tuple(cells),
                   undecidable=True)


# ---------------------------------------------------------------------------------------
# R6: what each cell holds


def _unit(column: Column) -> str:
    m = _UNIT.search(column.label)
    return m.group(1).strip() if m else ""


def cell_values(report: AnnualReport, table: Table) -> Iterator[Finding]:
    yield from _cell_values(report, table, report.layout(table.key))


def _cell_values(report: AnnualReport, table: Table, printed: tuple[Row, ...]) -> list[Finding]:
    out: list[Finding] = []
    get = report.cells.get
    for row, column, address, plain in _cell_plan(table, printed):
        cell = get(address)
        if cell is None:
            continue
        # The common case, a whole non-negative count with nothing beside it, has nothing to say.
        if plain:
            value = cell.value
            if type(value) is int and value >= 0 and cell.kind == "number" and not cell.note:
                continue
        out += _cell_findings(table, row, column, cell)
    return out


def _cell_plan(table: Table, printed: tuple[Row, ...]):
    """(row, column, address, plain) per printed cell; plain: a count column, not 万元."""
    def build():
        return tuple((r, c, cell_address(table.key, r.key, c.key), c.kind != "decimal")
                     for r in printed for c in table.block_of(r.key).columns)
    return _planned("cells", table, printed, build)


# Plans: what a rule compares, built once per table and printed layout (formats are frozen
# data), so checking a report is only looking its cells up. Keyed by identity, because hashing
# a Table walks all its labels; an entry keeps its keys alive so an id cannot be reused.
_PLANS: dict[tuple, tuple] = {}


def _planned(kind: str, table: Table, printed: tuple[Row, ...], build):
    key = (kind, id(table), id(printed))
    hit = _PLANS.get(key)
    if hit is not None and hit[0] is table and hit[1] is printed:
        return hit[2]
    plan = build()
    if len(_PLANS) > 1024:
        _PLANS.clear()
    _PLANS[key] = (table, printed, plan)
    return plan


def _cell_findings(table: Table, row: Row, column: Column, cell: Cell) -> Iterator[Finding]:
    where = f"{table.name}“{row_name(row)}”行“{column.label}”列"
    addr = (cell_address(table.key, row.key, column.key),)
    raw = cell.raw.strip()
    if cell.kind == "text":
        yield Finding("R6-TEXT", "error", f"{where}不是数字：“{raw}”", addr, cell.where)
        return
    if cell.value is None:
        said = "为空白" if cell.kind == "blank" else f"填写“{raw}”"
        yield Finding("R6-MISSING", "info", f"{where}{said}，按缺失处理", addr, cell.where)
        return
    value = cell.value
    if value < 0 and column.kind != "signed":
        yield Finding("R6-NEGATIVE", "error", f"{where}为负数（{_fmt(value)}）", addr, cell.where)
    if (column.kind != "decimal" and isinstance(value, Decimal)
            and value != value.to_integral_value()):
        yield Finding("R6-FRACTION", "error", f"{where}应为整数件数，填写了小数（{_fmt(value)}）",
                      addr, cell.where)
    unit = _unit(column) or (table.unit if column.kind != "decimal" else "")
    note = cell.note.strip()
    if (column.kind == "decimal" and unit == "万元"
            and (value > AMOUNT_LIMIT_WAN_YUAN or note == "元")):
        yield Finding("R6-AMOUNT", "warning",
                      f"{where}为{raw}，单位为万元，数额异常，可能误按元填写", addr, cell.where)
        return
    if note and note not in (unit, "元", "万元"):
        yield Finding("R6-NOTE", "warning", f"{where}在数字旁写有文字：“{raw}”，按{_fmt(value)}计",
                      addr, cell.where)


# ---------------------------------------------------------------------------------------
# Sums and balances (T3-R1, T3-R3, T3-R4, T4-R5)


def _labels(names: Iterable[str]) -> list[str]:
    return [f"“{n}”" for n in names]


def _span(names: list[str]) -> str:
    """"“A”至“B”各项" for a run of labels, or the single label."""
    if len(names) == 1:
        return f"“{names[0]}”"
    return f"“{names[0]}”至“{names[-1]}”各项"


def balances(report: AnnualReport, table: Table) -> Iterator[Finding]:
    value = _values(report)
    for comparison in _balance_plan(table, report.layout(table.key)):
        finding = comparison.judge(value)
        if finding is not None:
            yield finding


def _values(report: AnnualReport):
    """address → value (None for a cell absent or missing)."""
    cells = report.cells

    def value(address: str):
        c = cells.get(address)
        return None if c is None else c.value
    return value


def _balance_plan(table: Table, printed: tuple[Row, ...]) -> tuple[_Compare, ...]:
    def build():
        by_key = {r.key: r for r in printed}
        out = []
        for bal in table.balances:
            left = [by_key[k] for k in bal.left if k in by_key]
            right = [by_key[k] for k in bal.right if k in by_key]
            if not left or not right:
                continue
            lhs, rhs = _sides(bal, left, right)
            for column in table.block_of(left[0].key).columns:
                rows = left + right
                out.append(_Compare(
                    bal.code, tuple(cell_address(table.key, r.key, column.key) for r in rows),
                    tuple(f"“{row_name(r)}”行" for r in rows), len(left),
                    f"{table.name}“{column.label}”列", lhs, rhs))
        return tuple(out)
    return _planned("balances", table, printed, build)


def _sides(bal: Balance, left: list[Row], right: list[Row]) -> tuple[str, str]:
    # The note says it in the format's own words ("第一项加第二项之和，等于第三项加第四项之和").
    parts = re.split(r"[，,]\s*等于", bal.note)
    if len(parts) == 2:
        return parts[0], parts[1]
    return ("加".join(_labels(r.label for r in left)) + "之和",
            "加".join(_labels(r.label for r in right)) + "之和")


class _Compare:
    """One comparison, its cells and words prepared: the sum of the first `split` cells
    (`lhs`) against the sum of the others (`rhs`). A sum rule's total is the one cell on the
    left; a balance has rows on both sides."""

    __slots__ = ("code", "cells", "names", "split", "subject", "lhs", "rhs")

    def __init__(self, code: str, cells: tuple[str, ...], names: tuple[str, ...], split: int,
                 subject: str, lhs: str, rhs: str):
        self.code, self.cells, self.names, self.split = code, cells, names, split
        self.subject, self.lhs, self.rhs = subject, lhs, rhs

    def judge(self, value) -> Finding | None:
        """The finding, if any; `value(address)` is the cell's value or None."""
        values = list(map(value, self.cells))
        if None in values:
            missing = [n for n, v in zip(self.names, values, strict=True) if v is None]
            return _undecidable(self.code, f"{self.subject}{self.lhs}是否等于{self.rhs}",
                                missing, list(self.cells))
        k = self.split
        left = values[0] if k == 1 else sum(values[:k])
        right = sum(values[k:])
        if left != right:
            return Finding(self.code, "error",
                           f"{self.subject}：{self.lhs}（{_fmt(left)}）不等于{self.rhs}（{_fmt(right)}）",
                           self.cells)
        return None


def sums(report: AnnualReport, table: Table) -> Iterator[Finding]:
    value = _values(report)
    for comparison in _sum_plan(table, report.layout(table.key)):
        finding = comparison.judge(value)
        if finding is not None:
            yield finding


def _sum_plan(table: Table, printed: tuple[Row, ...]) -> tuple[_Compare, ...]:
    def build():
        out: list[_Compare] = []
        for rule in table.sums:
            if rule.along == "column":
                out += _column_sum(table, rule, printed)
            else:
                out += _row_sum(table, rule, printed)
        return tuple(out)
    return _planned("sums", table, printed, build)


def _column_sum(table: Table, rule: Sum, printed: tuple[Row, ...]) -> Iterator[_Compare]:
    total = next((r for r in printed if r.key == rule.total), None)
    if total is None:
        return
    parts = [r for r in printed if r.key in rule.parts]
    columns = [c for c in table.block_of(total.key).columns
               if not rule.where or c.key in rule.where]
    total_name = f"“{row_name(total)}”行"
    parts_name = _span([row_name(r) for r in parts]) + "之和"
    for column in columns:
        rows = [total, *parts]
        yield _Compare(rule.code, tuple(cell_address(table.key, r.key, column.key) for r in rows),
                       tuple(f"“{row_name(r)}”行" for r in rows), 1,
                       f"{table.name}“{column.label}”列", total_name, parts_name)


def _row_sum(table: Table, rule: Sum, printed: tuple[Row, ...]) -> Iterator[_Compare]:
    for row in printed:
        if rule.where and row.key not in rule.where:
            continue
        by_key = {c.key: c for c in table.block_of(row.key).columns}
        if rule.total not in by_key:
            continue
        parts = [by_key[k] for k in rule.parts if k in by_key]
        columns = (by_key[rule.total], *parts)
        yield _Compare(rule.code, tuple(cell_address(table.key, row.key, c.key) for c in columns),
                       tuple(f"“{c.label}”列" for c in columns), 1,
                       f"{table.name}“{row_name(row)}”行", f"“{by_key[rule.total].label}”列",
                       _span([c.label for c in parts]) + "之和")


# ---------------------------------------------------------------------------------------
# X1, X2: against the previous year's report


def cross_year(report: AnnualReport, previous: AnnualReport) -> list[Finding]:
    if report.year is not None and previous.year is not None and previous.year != report.year - 1:
        return [Finding("X1-YEAR", "warning",
                        f"用作上年的报告是{previous.year}年度，本报告是{report.year}年度，"
                        "不是相邻年度，未核对结转数和现行有效件数")]
    return [*_carry(report, previous), *_stock(report, previous)]


def _has(report: AnnualReport, table: str, row: str, column: str) -> bool:
    try:
        report.format.table(table).column(row, column)
    except KeyError:
        return False
    return True


def _carry(report: AnnualReport, previous: AnnualReport) -> Iterator[Finding]:
    """X1: this year's 二、上年结转 is last year's 四、结转下年度继续办理, per column."""
    key, carried_in, carried_out = CARRY
    table, before = report.format.table(key), previous.format.table(key)
    try:
        in_row, out_row = table.row(carried_in), before.row(carried_out)
    except KeyError:  # a future format without carry rows: nothing to compare
        return
    for column in table.block_of(carried_in).columns:
        if not _has(previous, key, carried_out, column.key):
            continue
        this = report.value(key, carried_in, column.key)
        last = previous.value(key, carried_out, column.key)
        cells = (cell_address(key, carried_in, column.key),)
        subject = (f"{table.name}“{column.label}”列本年“{row_name(in_row)}”是否等于"
                   f"上年报告“{row_name(out_row)}”")
        if this is None or last is None:
            missing = [s for s, v in (("本年", this), ("上年", last)) if v is None]
            yield _undecidable("X1", subject, missing, list(cells))
        elif this != last:
            yield Finding("X1", "warning",
                          f"{table.name}“{column.label}”列：本年“{row_name(in_row)}”（{_fmt(this)}）"
                          f"不等于上年报告“{row_name(out_row)}”（{_fmt(last)}）", cells)


def _stock(report: AnnualReport, previous: AnnualReport) -> Iterator[Finding]:
    """X2: 现行有效 ≈ last year's 现行有效 + 本年制发 − 本年废止 (a warning: 制发 may include
    amendments and agencies restructure)."""
    key, rows, stock, added, removed = STOCK
    for row_key in rows:
        if not all(_has(report, key, row_key, c) for c in (stock, added, removed)):
            continue
        if not _has(previous, key, row_key, stock):
            continue
        table = report.format.table(key)
        row = table.row(row_key)
        label = {c: table.column(row_key, c).label for c in (stock, added, removed)}
        now, new, gone = (report.value(key, row_key, c) for c in (stock, added, removed))
        last = previous.value(key, row_key, stock)
        cells = tuple(cell_address(key, row_key, c) for c in (stock, added, removed))
        if None in (now, new, gone, last):
            continue  # R6 has said which cell is missing; an estimate needs no second note
        expected = last + new - gone
        if now != expected:
            yield Finding(
                "X2", "warning",
                f"{table.name}“{row_name(row)}”行：本年“{label[stock]}”（{_fmt(now)}）不等于上年"
                f"“{label[stock]}”（{_fmt(last)}）加“{label[added]}”（{_fmt(new)}）减"
                f"“{label[removed]}”（{_fmt(gone)}）即{_fmt(expected)}，请核实", cells)


# ---------------------------------------------------------------------------------------
# Sections


_CN = "一二三四五六七八九十"


def sections(report: AnnualReport) -> list[Finding]:
    titles = report.format.sections
    out = [Finding("S-MISSING", "error", f"缺少第{_CN[i - 1]}部分“{title}”")
           for i, title in enumerate(titles, start=1) if i not in report.sections]
    seen: list[int] = []
    for number in report.section_order:
        if 1 <= number <= len(titles) and number not in seen:
            seen.append(number)
    for before, after in zip(seen, seen[1:], strict=False):
        if after < before:
            out.append(Finding("S-ORDER", "warning",
                               f"各部分顺序与格式不一致：“{titles[after - 1]}”出现在"
                               f"“{titles[before - 1]}”之后"))
            break
    return out


# ---------------------------------------------------------------------------------------
# N1: numbers stated in the text against the tables


# The sections whose text states the year's totals (总体情况, 依申请, 复议诉讼).
NARRATIVE_SECTIONS = (1, 3, 4)
# Which table cells (by key) each quantity of narrative.QUANTITIES is; several cells are summed.
NARRATED: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "received": ("applications", (("received", "total"),)),
    "carried_in": ("applications", (("carried_in", "total"),)),
    "handled": ("applications", (("handled_total", "total"),)),
    "carried_out": ("applications", (("carried_out", "total"),)),
    "reconsideration": ("disputes", (("reconsideration", "total"),)),
    "lawsuit": ("disputes", (("lawsuit_direct", "total"),
                             ("lawsuit_after_reconsideration", "total"))),
}


def narrative_numbers(report: AnnualReport) -> list[Finding]:
    return _narrative_numbers(report, {})


def _prepared(prepared: dict[str, str], text: str) -> str:
    hit = prepared.get(text)
    if hit is None:
        hit = prepared[text] = narrative.prepare(text)
    return hit


def _narrative_numbers(report: AnnualReport, prepared: dict[str, str]) -> list[Finding]:
    out: list[Finding] = []
    for number in NARRATIVE_SECTIONS:
        text = report.sections.get(number)
        if not text:
            continue
        for stated in narrative.numbers_stated(text, _prepared(prepared, text)):
            finding = _against_table(report, report.format.sections[number - 1], stated)
            if finding:
                out.append(finding)
    return out


def _against_table(report: AnnualReport, section: str, stated: narrative.Stated):
    key, pairs = NARRATED[stated.quantity]
    table = report.format.table(key)
    try:
        rows = [table.row(r) for r, _ in pairs]
        columns = [table.column(r, c) for r, c in pairs]
    except KeyError:
        return None
    values = [report.value(key, r, c) for r, c in pairs]
    if any(v is None for v in values):
        return None  # the table's own rules say what is missing
    total = sum(values)
    if total == stated.value:
        return None
    named = "与".join(f"“{row_name(r)}”行" for r in rows)
    label = columns[0].label
    named += f"“{label}”列" + ("之和" if len(rows) > 1 else "")
    return Finding("N1", "warning",
                   f"“{section}”中“{stated.phrase}”（{stated.value}件）与{table.name}{named}"
                   f"（{_fmt(total)}）不一致",
                   tuple(cell_address(key, r, c) for r, c in pairs))


# ---------------------------------------------------------------------------------------
# Y-MISMATCH: the text states another year's period


def year_mentions(report: AnnualReport) -> list[Finding]:
    return _year_mentions(report, {})


def _year_mentions(report: AnnualReport, prepared: dict[str, str]) -> list[Finding]:
    if report.year is None:
        return []
    sources = [("标题", report.title or ""), ("报告开头", report.preamble or "")]
    titles = report.format.sections
    sources += [(f"“{titles[n - 1]}”", text or "")
                for n, text in sorted(report.sections.items()) if 1 <= n <= len(titles)]
    out: list[Finding] = []
    seen: set[tuple[int, str]] = set()
    for where, text in sources:
        # Prepared by N1 already, or by years_stated itself only if it needs to.
        for year, phrase in narrative.years_stated(text, prepared.get(text)):
            if year != report.year and (year, phrase) not in seen:
                seen.add((year, phrase))
                out.append(Finding("Y-MISMATCH", "warning",
                                   f"报告年度为{report.year}年，但{where}写有“{phrase}”，"
                                   f"年份为{year}年"))
    return out
