"""Table 三 of the annual report, aggregated from applications and their closing events.

One query: applications LEFT JOIN their closing event (at most one: the clock refuses events
after closing), grouped by applicant type and outcome; each outcome's count lands in the
format's row for it. Carry-over is
computed from dates: an application is carried in when received before the year and not closed
before it, carried out when received by the year's end and not closed by then. So R1
(一 + 二 = 三（七） + 四) holds by construction, and R3, R4 by summation."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Count, FilteredRelation, Q, QuerySet

from gongkai.annual.formats import FORMAT_2021, Format
from gongkai.annual.report import AnnualReport

from .models import Application
from .selectors import CLOSING_KINDS

TABLE = "applications"


def table3_queryset(applications: QuerySet[Application], year: int) -> QuerySet:
    """Counts grouped by applicant type and closing outcome: four filtered COUNTs, at most
    6 × 22 groups, whatever the number of applications."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    return (
        applications.filter(received_on__lte=end)
        .annotate(closing=FilteredRelation("events", condition=Q(events__kind__in=CLOSING_KINDS)))
        .values("applicant_type", "closing__outcome")
        .annotate(
            received=Count("pk", filter=Q(received_on__gte=start)),
            carried_in=Count("pk", filter=Q(received_on__lt=start)
                             & (Q(closing__isnull=True) | Q(closing__date__gte=start))),
            carried_out=Count("pk", filter=Q(closing__isnull=True) | Q(closing__date__gt=end)),
            closed=Count("pk", filter=Q(closing__date__gte=start, closing__date__lte=end)),
        )
        .order_by()
    )


def table3(applications: QuerySet[Application], year: int, fmt: Format = FORMAT_2021,
           report: AnnualReport | None = None) -> AnnualReport:
    """Fill table 三 of `report` (a new report of `fmt` holding only table 三 if None) from
    `applications` (already narrowed to an agency or a subtree) for `year`."""
    report = report or AnnualReport(format=fmt, year=year)
    table = fmt.table(TABLE)
    columns = table.blocks[0].columns
    column_sum = next(s for s in table.sums if s.along == "row")
    result_sum = next(s for s in table.sums if s.along == "column")
    layout = table.layout()
    # The format's row for each outcome: itself, or the row that replaces it (2019's （六）).
    row_of = {k: r.key for r in layout for k in (r.replaces or (r.key,))}
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for g in table3_queryset(applications, year):
        kind = g["applicant_type"]
        for key in ("received", "carried_in", "carried_out"):
            counts[key, kind] += g[key]
        if g["closed"]:
            counts[row_of[g["closing__outcome"]], kind] += g["closed"]
    for row in layout:
        if row.key == result_sum.total:
            continue
        for col in columns:
            if col.key != column_sum.total:
                report.set(TABLE, row.key, col.key, counts[row.key, col.key])
    parts = [r.key for r in layout if r.key in result_sum.parts]
    for col in columns:
        if col.key != column_sum.total:
            report.set(TABLE, result_sum.total, col.key,
                       sum(report.value(TABLE, k, col.key) for k in parts))
    for row in layout:
        report.set(TABLE, row.key, column_sum.total,
                   sum(report.value(TABLE, row.key, k) for k in column_sum.parts))
    return report
