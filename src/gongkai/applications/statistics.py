"""Table 三 of the annual report, aggregated from applications and their closing events.

One query: applications LEFT JOIN their closing event (at most one: the clock refuses events
after closing), grouped by applicant type, with one filtered COUNT per table row. Carry-over is
computed from dates: an application is carried in when received before the year and not closed
before it, carried out when received by the year's end and not closed by then. So R1
(一 + 二 = 三（七） + 四) holds by construction, and R3, R4 by summation."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, FilteredRelation, Q, QuerySet

from gongkai.annual.formats import FORMAT_2021, Format
from gongkai.annual.report import AnnualReport

from .models import Application
from .selectors import CLOSING_KINDS

TABLE = "applications"


def _row_filters(fmt: Format, start: date, end: date) -> dict[str, Q]:
    """A COUNT filter per data row of the format's table 三 (the summed rows are left out)."""
    table = fmt.table(TABLE)
    closed_in_year = Q(closing__date__gte=start, closing__date__lte=end)
    not_closed_before = Q(closing__isnull=True) | Q(closing__date__gte=start)
    not_closed_by_end = Q(closing__isnull=True) | Q(closing__date__gt=end)
    filters = {
        "received": Q(received_on__gte=start, received_on__lte=end),
        "carried_in": Q(received_on__lt=start) & not_closed_before,
        "carried_out": Q(received_on__lte=end) & not_closed_by_end,
    }
    result_sum = next(s for s in table.sums if s.along == "column")
    for row in table.layout():
        if row.key in result_sum.parts:
            outcomes = row.replaces or (row.key,)
            filters[row.key] = closed_in_year & Q(closing__outcome__in=outcomes)
    return filters


def table3_queryset(applications: QuerySet[Application], year: int,
                    fmt: Format = FORMAT_2021) -> QuerySet:
    start, end = date(year, 1, 1), date(year, 12, 31)
    filters = _row_filters(fmt, start, end)
    return (
        applications.filter(received_on__lte=end)
        .annotate(closing=FilteredRelation("events", condition=Q(events__kind__in=CLOSING_KINDS)))
        .values("applicant_type")
        .annotate(**{key: Count("pk", filter=f) for key, f in filters.items()})
        .order_by()
    )


def table3(applications: QuerySet[Application], year: int, fmt: Format = FORMAT_2021,
           report: AnnualReport | None = None) -> AnnualReport:
    """Fill table 三 of `report` (a new blank report of `fmt` if None) from `applications`
    (already narrowed to an agency or a subtree) for `year`."""
    report = report or AnnualReport.blank(fmt, year=year)
    table = fmt.table(TABLE)
    counts = {r["applicant_type"]: r for r in table3_queryset(applications, year, fmt)}
    columns = table.blocks[0].columns
    column_sum = next(s for s in table.sums if s.along == "row")
    result_sum = next(s for s in table.sums if s.along == "column")
    layout = table.layout()
    for row in layout:
        if row.key == result_sum.total:
            continue
        for col in columns:
            if col.key == column_sum.total:
                continue
            report.set(TABLE, row.key, col.key, counts.get(col.key, {}).get(row.key, 0))
    parts = [r.key for r in layout if r.key in result_sum.parts]
    for col in columns:
        if col.key != column_sum.total:
            report.set(TABLE, result_sum.total, col.key,
                       sum(report.value(TABLE, k, col.key) for k in parts))
    for row in layout:
        report.set(TABLE, row.key, column_sum.total,
                   sum(report.value(TABLE, row.key, k) for k in column_sum.parts))
    return report
