"""Reads of imported reports, always narrowed by the reader's scope."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from ..agencies.selectors import visible_agencies
from .models import ImportedReport


def _light(qs: QuerySet[ImportedReport]) -> QuerySet[ImportedReport]:
    # Lists never need the file's bytes.
    return qs.defer("source").select_related("agency")


def visible_reports(user) -> QuerySet[ImportedReport]:
    return _light(ImportedReport.objects.filter(agency__in=visible_agencies(user)))


def visible_report(user, pk: int) -> ImportedReport:
    """The report if the user may read it; 404 otherwise (not 403: do not confirm it exists)."""
    try:
        return ImportedReport.objects.select_related("agency").get(
            pk=pk, agency__in=visible_agencies(user))
    except ImportedReport.DoesNotExist:
        raise Http404("没有这份报告") from None


def published_reports() -> QuerySet[ImportedReport]:
    return _light(ImportedReport.objects.filter(published_at__isnull=False))


def published_report(pk: int) -> ImportedReport:
    try:
        return ImportedReport.objects.select_related("agency").get(
            pk=pk, published_at__isnull=False)
    except ImportedReport.DoesNotExist:
        raise Http404("没有这份报告") from None
