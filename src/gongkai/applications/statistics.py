"""Table 三 of the annual report, aggregated from applications and their closing events.

One query: the given applications LEFT JOIN their closing event (at most one: the clock
refuses events after closing), grouped by applicant type and outcome; each outcome's count
lands in the format's row for it. Carry-over is computed from dates: an application is
carried in when received before the year and not closed before it, carried out when received
by the year's end and not closed by then. So R1 (一 + 二 = 三（七） + 四) holds by
construction, and R3, R4 by summation.

The aggregate's SQL is written once per database vendor from the models' table and column
names, and only the caller's narrowing is compiled on each call: building and compiling the
whole aggregate as a queryset took several times what PostgreSQL takes to answer it for one
agency (docs/benchmarks.md, "Table 三 from application records"). A plain filter() lends
its WHERE alone; any other queryset goes in whole, as a derived table (which PostgreSQL and
SQLite flatten into the outer query)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from operator import itemgetter

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet
from django.db.models.sql import Query

from gongkai.annual.formats import FORMAT_2021, Format
from gongkai.annual.memo import per_object
from gongkai.annual.report import AnnualReport, Cell, cell_address
from gongkai.clock import OUTCOMES

from .models import Application, ApplicationEvent
from .selectors import CLOSING_KINDS

TABLE = "applications"

# The fields the aggregate reads of an application (and the derived table's column names).
_ID, _APPLICANT_TYPE, _RECEIVED_ON = Application._meta.pk.name, "applicant_type", "received_on"


def _count_where(connection: BaseDatabaseWrapper, condition: str) -> str:
    if connection.features.supports_aggregate_filter_clause:
        return f"COUNT(*) FILTER (WHERE {condition})"
    return f"COUNT(CASE WHEN {condition} THEN 1 END)"


@dataclass(frozen=True)
class _Aggregate:
    """The aggregate's SQL around the applications: `head` applications `join` [filter AND]
    `tail`. Parameters, in order: start ×3, end, start, end (head); the applications' or the
    filter's; end (tail)."""

    head: str
    join: str
    tail: str


def _aggregate(connection: BaseDatabaseWrapper, derived: bool) -> _Aggregate:
    """Over the applications table itself, or over a derived table `a` of the caller's
    applications, whose columns are named _ID, _APPLICANT_TYPE and _RECEIVED_ON."""
    qn = connection.ops.quote_name
    app, event = Application._meta, ApplicationEvent._meta

    def a(name: str) -> str:
        if derived:
            return "a." + qn(name)
        return f"{qn(app.db_table)}.{qn(app.get_field(name).column)}"

    def e(name: str) -> str:
        return "e." + qn(event.get_field(name).column)

    a_type, a_received = a(_APPLICANT_TYPE), a(_RECEIVED_ON)
    not_closed = f"{e('id')} IS NULL"
    counts = [
        f"{a_received} >= %s",  # received
        f"{a_received} < %s AND ({not_closed} OR {e('date')} >= %s)",  # carried in
        f"{not_closed} OR {e('date')} > %s",  # carried out
        f"{e('date')} >= %s AND {e('date')} <= %s",  # closed in the year
    ]
    # The closing kinds are the code's own constants, written into the SQL as literals.
    assert all(k.isidentifier() and k.isascii() for k in CLOSING_KINDS)
    kinds = ", ".join(f"'{k}'" for k in CLOSING_KINDS)
    return _Aggregate(
        head=(f"SELECT {a_type}, {e('outcome')}, "
              + ", ".join(_count_where(connection, c) for c in counts) + " FROM "),
        join=(f" LEFT OUTER JOIN {qn(event.db_table)} e "
              f"ON {e('application')} = {a(_ID)} AND {e('kind')} IN ({kinds}) WHERE "),
        tail=f"{a_received} <= %s GROUP BY {a_type}, {e('outcome')}",
    )


_SQL: dict[tuple[str, bool], _Aggregate] = {}


def _aggregate_of(connection: BaseDatabaseWrapper, derived: bool) -> _Aggregate:
    sql = _SQL.get((connection.vendor, derived))
    if sql is None:
        sql = _SQL[connection.vendor, derived] = _aggregate(connection, derived)
    return sql


def _only_filtered(query: Query) -> bool:
    """Whether `query` is the applications table narrowed by a WHERE and nothing else (no
    join, grouping, DISTINCT, slice, set operation or annotation), as filter() makes it."""
    # filter() leaves unreferenced joins behind (agency=x sets up agencies_agency, then trims it).
    joined = {alias for alias, n in query.alias_refcount.items() if n}
    return (joined <= {Application._meta.db_table} and not query.extra_tables
            and query.group_by is None
            and not (query.distinct or query.is_sliced or query.combinator or query.annotations))


def table3_rows(applications: QuerySet[Application], year: int) -> list[tuple]:
    """(applicant type, closing outcome or None, received, carried in, carried out, closed in
    the year): at most 6 × 22 groups, whatever the number of applications.

    A plain filter() of applications, the usual scope, lends the aggregate its WHERE alone
    (compiling the whole queryset would cost more than PostgreSQL takes to answer for one
    agency); anything else is compiled whole, as a derived table."""
    using = applications.db
    connection, query = connections[using], applications.query
    start, end = (connection.ops.adapt_datefield_value(d)
                  for d in (date(year, 1, 1), date(year, 12, 31)))
    params = [start, start, start, end, start, end]
    try:
        if _only_filtered(query):
            sql = _aggregate_of(connection, derived=False)
            try:
                where, where_params = query.get_compiler(using=using).compile(query.where)
                where = f"({where}) AND "
            except FullResultSet:  # not narrowed at all
                where, where_params = "", ()
            text = (sql.head + connection.ops.quote_name(Application._meta.db_table) + sql.join
                    + where + sql.tail)
            params += [*where_params, end]
        else:
            sql = _aggregate_of(connection, derived=True)
            scope = applications.order_by().values_list(_ID, _APPLICANT_TYPE, _RECEIVED_ON)
            source, source_params = scope.query.get_compiler(using=using).as_sql()
            text = sql.head + f"({source}) a" + sql.join + sql.tail
            params += [*source_params, end]
    except EmptyResultSet:  # nothing to count, e.g. none()
        return []
    with connection.cursor() as cursor:
        cursor.execute(text, params)
        return cursor.fetchall()


@dataclass(frozen=True)
class _Plan:
    """What filling table 三 takes from a format, worked out once per format: the cells to
    set, in order, as slots of one list of numbers."""

    addresses: tuple[str, ...]  # "applications.row.column" of each slot
    # Applicant column → its slots in rows 一 (received), 二 (carried in), 四 (carried out).
    counts: dict[str, tuple[int, int, int]]
    slot: dict[tuple[str, str], int]  # (row, applicant column) → slot, for the counted rows
    row_of: dict[str, str]  # outcome → the format's row for it (itself or its replacement)
    # (slot, the numbers it sums), in order: 三（七） of each applicant column, then 总计 of
    # each row.
    sums: tuple[tuple[int, Callable[[Sequence[int]], tuple[int, ...]]], ...]


def _getter(slots: tuple[int, ...]) -> Callable[[Sequence[int]], tuple[int, ...]]:
    """The numbers in `slots`, as a tuple (itemgetter gives a bare item for one slot)."""
    if len(slots) == 1:
        return lambda values: (values[slots[0]],)
    return itemgetter(*slots)


def _rows_of_outcomes(layout) -> dict[str, str]:
    """Each closing outcome's row in a format's table 三. The outcomes are the 2021 format's
    result rows (clock.OUTCOMES); a format without a row of its own for one counts it in the
    row that 2021 prints in place of its group (2019's undivided （六）其他处理)."""
    printed = {r.key for r in layout}
    group = {k: r.key for r in FORMAT_2021.table(TABLE).rows for k in r.replaces}
    return {o: o if o in printed else group[o] for o in OUTCOMES
            if o in printed or group.get(o) in printed}


def _plan(fmt: Format) -> _Plan:
    table = fmt.table(TABLE)
    column_sum = next(s for s in table.sums if s.along == "row")
    result_sum = next(s for s in table.sums if s.along == "column")
    layout = table.layout()
    rows = [r.key for r in layout]
    columns = [c.key for c in table.blocks[0].columns if c.key != column_sum.total]
    result_parts = [r for r in rows if r in result_sum.parts]
    # The order the cells are set in: counted rows, the result total, the total column.
    cells = ([(r, c) for r in rows if r != result_sum.total for c in columns]
             + [(result_sum.total, c) for c in columns]
             + [(r, column_sum.total) for r in rows])
    slot = {cell: i for i, cell in enumerate(cells)}
    sums = ([(slot[result_sum.total, c], _getter(tuple(slot[r, c] for r in result_parts)))
             for c in columns]
            + [(slot[r, column_sum.total], _getter(tuple(slot[r, c] for c in column_sum.parts)))
               for r in rows])
    return _Plan(
        addresses=tuple(cell_address(TABLE, r, c) for r, c in cells),
        counts={c: (slot["received", c], slot["carried_in", c], slot["carried_out", c])
                for c in columns},
        slot={cell: i for cell, i in slot.items()
              if cell[0] != result_sum.total and cell[1] != column_sum.total},
        row_of=_rows_of_outcomes(layout),
        sums=tuple(sums),
    )


_plan_of = per_object(64)(_plan)


# Cells are immutable: reports share one per number.
_number_cell = lru_cache(maxsize=1024)(Cell.of)


def table3(applications: QuerySet[Application], year: int, fmt: Format = FORMAT_2021,
           report: AnnualReport | None = None) -> AnnualReport:
    """Fill table 三 of `report` (a new report of `fmt` holding only table 三 if None) from
    `applications` (already narrowed to an agency or a subtree) for `year`."""
    if report is None:
        report = AnnualReport(format=fmt, year=year)
    plan = _plan_of(fmt)
    slot, values = plan.slot, [0] * len(plan.addresses)
    for kind, outcome, received, carried_in, carried_out, closed in table3_rows(applications, year):
        if (at := plan.counts.get(kind)) is not None:
            values[at[0]] += received
            values[at[1]] += carried_in
            values[at[2]] += carried_out
        if closed and (i := slot.get((plan.row_of[outcome], kind))) is not None:
            values[i] += closed
    for i, parts in plan.sums:
        values[i] = sum(parts(values))
    cell_of = {n: _number_cell(n) for n in set(values)}
    report.cells.update(zip(plan.addresses, map(cell_of.__getitem__, values), strict=True))
    return report
