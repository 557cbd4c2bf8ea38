"""The public site: no login, published material only."""

from __future__ import annotations

from collections import defaultdict

from django.shortcuts import render

from ..reports import pages
from ..reports.selectors import published_report, published_reports
from . import directory


def home(request):
    page, query, trails = directory.page(request)
    by_agency = defaultdict(list)
    for r in (published_reports().filter(agency__in=[a.pk for a in page.object_list])
              .order_by("-year", "-published_at")):
        by_agency[r.agency_id].append(r)
    rows = [(a, trails[a.pk], by_agency.get(a.pk, [])) for a in page.object_list]
    return render(request, "portal/home.html", {"rows": rows, "page": page, "q": query})


def report(request, pk: int):
    return render(request, "portal/report.html", pages.report_context(published_report(pk)))


def download(request, pk: int, fmt: str):
    return pages.download(request, published_report(pk), fmt)
