"""Staff pages for imported reports. Scope: selectors.visible_* for reads (404 outside it),
selectors.can for actions (403 when visible but not allowed)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from ..agencies import selectors as agencies
from ..agencies.access import require as _require
from ..agencies.access import staff_required
from ..agencies.models import Agency
from ..audit.models import AuditEvent
from . import pages, selectors, services
from .forms import UploadForm


def _visible_agency(user, agency_id: int) -> Agency:
    return get_object_or_404(agencies.visible_agencies(user), pk=agency_id)


@staff_required
def home(request):
    rows = (agencies.visible_agencies(request.user)
            .annotate(report_count=Count("imported_reports")).order_by("path"))
    return render(request, "reports/staff_home.html", {"agencies": rows})


@staff_required
def agency_reports(request, agency_id: int):
    agency = _visible_agency(request.user, agency_id)
    return render(request, "reports/agency_reports.html", {
        "agency": agency,
        "reports": selectors.visible_reports(request.user).filter(agency=agency),
        "can_upload": agencies.can(request.user, agencies.IMPORT_REPORT, agency),
    })


@staff_required
def upload(request, agency_id: int):
    agency = _visible_agency(request.user, agency_id)
    _require(request.user, agencies.IMPORT_REPORT, agency)
    bound = request.method == "POST"
    form = UploadForm(request.POST if bound else None, request.FILES if bound else None)
    if bound and form.is_valid():
        try:
            imported = services.import_report(agency, form.cleaned_data["file"], request.user,
                                              year=form.cleaned_data["year"])
        except services.ImportRejected as exc:
            form.add_error("file", exc.zh)
        else:
            messages.success(request, f"已导入 {imported.year} 年度报告，"
                                      f"发现错误 {imported.errors} 项、警告 {imported.warnings} 项。")
            return redirect("reports:detail", pk=imported.pk)
    return render(request, "reports/upload.html", {"agency": agency, "form": form},
                  status=400 if form.errors else 200)


@staff_required
def detail(request, pk: int):
    imported = selectors.visible_report(request.user, pk)
    context = pages.report_context(imported)
    context["can_publish"] = agencies.can(request.user, agencies.PUBLISH_REPORT, imported.agency)
    context["staff"] = True
    return render(request, "reports/report.html", context)


@staff_required
def download(request, pk: int, fmt: str):
    return pages.download(request, selectors.visible_report(request.user, pk), fmt)


@staff_required
def source(request, pk: int):
    """The file exactly as uploaded; always an attachment, never rendered by the browser."""
    imported = selectors.visible_report(request.user, pk)
    response = HttpResponse(bytes(imported.source), content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, imported.source_name)
    return response


@require_POST
@staff_required
def publish(request, pk: int):
    imported = selectors.visible_report(request.user, pk)
    _require(request.user, agencies.PUBLISH_REPORT, imported.agency)
    services.publish_report(imported, request.user)
    messages.success(request, "报告已公开，公众可在门户网站查阅。")
    return redirect("reports:detail", pk=pk)


@require_POST
@staff_required
def withdraw(request, pk: int):
    imported = selectors.visible_report(request.user, pk)
    _require(request.user, agencies.PUBLISH_REPORT, imported.agency)
    services.withdraw_report(imported, request.user)
    messages.success(request, "报告已撤回公开。")
    return redirect("reports:detail", pk=pk)


@staff_required
def audit(request):
    events = (AuditEvent.objects
              .filter(agency__in=agencies.agencies_where(request.user, agencies.VIEW_AUDIT))
              .select_related("agency")[:200])
    return render(request, "reports/audit.html", {"events": events})
