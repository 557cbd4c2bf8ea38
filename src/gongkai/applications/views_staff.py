"""Staff pages for disclosure applications: the workbench, registering, one application's page
and each event recorded from it.

Scope as in the report pages: reads go through selectors.visible_applications (404 outside),
each action asks agencies.selectors.can (403 when visible but not allowed), and
services.record_event checks role and statute once more before anything is stored."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from gongkai import clock, fees
from gongkai.agencies import selectors as scope
from gongkai.agencies.access import require as _require
from gongkai.agencies.access import staff_required
from gongkai.agencies.models import Agency
from gongkai.letters.selectors import letters_of, letters_to_draft
from gongkai.letters.services import can_draft

from . import selectors, services
from .calendar import current_calendar
from .forms_staff import (
    EVENT_FORMS,
    FEE_SCHEDULES,
    OUTCOME_ZH,
    RECEIPT_RULE,
    STATUS_ZH,
    AssignForm,
    RegisterForm,
    compute_fee,
    person_name,
)
from .models import Application, Attachment, FeeMethod

PAGE_SIZE = 25
TOO_BIG = "提交的内容过大（超过 10 MB），未登记任何内容。请缩短说明或减小附件。"
# Where the one-time query code waits between the registration POST and the page after it.
_CODE_KEY = "gongkai-query-code-{}"


def _agency(user, agency_id: int) -> Agency:
    return get_object_or_404(scope.visible_agencies(user), pk=agency_id)


def _application(user, pk: int) -> Application:
    return get_object_or_404(selectors.visible_applications(user), pk=pk)


def _posted(request):
    """(POST, FILES), or None when the request is larger than the server accepts."""
    try:
        return request.POST, request.FILES
    except RequestDataTooBig:
        return None


# -- workbench -------------------------------------------------------------------------------


def _listed(rows: list[selectors.Row]) -> list[dict]:
    """Rows with what the list template shows beside them, worked out here, not in the template."""
    out = []
    for r in rows:
        left = r.state.working_days_left
        out.append({"row": r, "status": STATUS_ZH.get(r.state.status, r.state.status),
                    "overdue_by": -left if left is not None and left < 0 else 0,
                    "finished": r.state.status in (clock.CLOSED, clock.WITHDRAWN_STATUS)})
    return out


@staff_required
def workbench(request):
    user = request.user
    words = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "")
    visible = selectors.visible_applications(user).select_related("handler")
    agencies = list(scope.visible_agencies(user).order_by("path"))
    context = {
        "q": words,
        "status": status if status in STATUS_ZH else "",
        "status_label": STATUS_ZH.get(status, ""),
        "agencies": agencies,
        "many_agencies": len(agencies) > 1,
        "can_register": list(scope.agencies_where(user, scope.REGISTER_APPLICATION)
                             .order_by("path")),
    }
    if not words:
        desk = selectors.workbench(user)
        open_rows = desk["overdue"] + desk["due_soon"] + desk["open"]
        by_status = {s: [r for r in open_rows if r.state.status == s] for s in clock.STATUSES}
        context.update(
            overdue=_listed(desk["overdue"]), due_soon=_listed(desk["due_soon"]),
            mine=_listed([r for r in open_rows if r.application.handler_id in (None, user.pk)]),
            open_count=len(open_rows),
            by_status=[(s, STATUS_ZH[s], len(rs)) for s, rs in by_status.items() if rs],
            status_rows=_listed(by_status.get(status, [])),
        )
    listing = selectors.search(visible, words) if words else visible
    page = Paginator(listing.order_by("-received_on", "-seq"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    context.update(page=page, page_rows=_listed(selectors.rows(page.object_list)))
    return render(request, "applications/staff/workbench.html", context)


# -- registering -----------------------------------------------------------------------------


@staff_required
def register(request, agency_id: int):
    agency = _agency(request.user, agency_id)
    _require(request.user, scope.REGISTER_APPLICATION, agency)
    page_error = ""
    if request.method == "POST":
        posted = _posted(request)
        if posted is None:
            form, page_error = RegisterForm(agency=agency), TOO_BIG
        else:
            form = RegisterForm(*posted, agency=agency)
            if form.is_valid():
                try:
                    with transaction.atomic():
                        done = services.register(agency, by=request.user,
                                                 **form.application_fields())
                        for upload in form.cleaned_data["attachments"]:
                            services.attach(done.application, upload, by=request.user)
                except services.Refused as refused:
                    form.add_error(None, refused.reason)
                else:
                    app = done.application
                    request.session[_CODE_KEY.format(app.pk)] = done.query_code
                    messages.success(request, f"已登记申请 {app.number}。")
                    return redirect("staff_applications:detail", pk=app.pk)
    else:
        initial = {}
        if scope.can(request.user, scope.HANDLE_APPLICATION, agency):
            initial["handler"] = request.user.pk
        form = RegisterForm(agency=agency, initial=initial)
    failed = bool(page_error or form.errors)
    return render(request, "applications/staff/register.html", {
        "agency": agency, "form": form, "page_error": page_error,
    }, status=400 if failed else 200)


# -- one application -------------------------------------------------------------------------


def _event_lines(event) -> list[str]:
    """What an event's data says, in words."""
    data, lines = event.data or {}, []
    if event.outcome:
        lines.append(OUTCOME_ZH.get(event.outcome, event.outcome))
    if data.get("until"):
        lines.append(f"补正期限：{data['until']}")
    if data.get("to"):
        lines.append(f"征询对象：{data['to']}")
    if data.get("working_days"):
        lines.append(f"延长 {data['working_days']} 个工作日")
    if data.get("fee_yuan") is not None:
        method = FeeMethod(data["method"]).label if data.get("method") in FeeMethod.values else ""
        lines.append(f"收费 {data['fee_yuan']} 元（{method}，{data.get('units', '')}）")
        lines.extend(str(t) for t in data.get("tiers", []))
    return lines


def _fee_preview(request, application):
    """The fee for the method and count typed into the preview form (GET), or None."""
    method = request.GET.get("fee_method") or application.fee_method
    raw = request.GET.get("fee_units", "")
    if method not in FEE_SCHEDULES or not raw:
        return {"method": method, "units": raw, "fee": None, "error": ""}
    try:
        units = int(raw)
        fee = compute_fee(method, units)
    except ValueError:
        return {"method": method, "units": raw, "fee": None,
                "error": "件数或页数应为 1 至 1000000 之间的整数"}
    return {"method": method, "units": units, "fee": fee, "total": fees.yuan(fee.total),
            "error": ""}


def _render_detail(request, app: Application, bound=None, page_error: str = "", status=200,
                   assign_form: AssignForm | None = None):
    user = request.user
    if assign_form is None and services.can_assign(user, app.agency):
        assign_form = AssignForm(agency=app.agency, initial={"handler": app.handler_id})
    events = list(app.events.select_related("author").prefetch_related("attachments"))
    letters = list(letters_of(app))
    state = selectors.application_state(app)
    history = selectors.clock_events(app)
    cal, today = current_calendar(), selectors.today()
    preview = _fee_preview(request, app)
    forms, unavailable = [], []
    for kind, form_class in EVENT_FORMS.items():
        if not scope.can(user, services.EVENT_ACTION[kind], app.agency):
            continue
        if bound is not None and bound.kind == kind:
            forms.append(bound)
            continue
        ok, reason = clock.allowed(history, kind, cal, today, form_class.probe)
        if not ok:
            unavailable.append((clock.KIND_ZH[kind], reason))
            continue
        initial = {}
        if kind == clock.FEE_NOTICE_SENT and preview["fee"] is not None:
            initial = {"method": preview["method"], "units": preview["units"]}
        forms.append(form_class(application=app, initial=initial))
    return render(request, "applications/staff/detail.html", {
        "app": app,
        "state": state,
        "status_zh": STATUS_ZH.get(state.status, state.status),
        "outcome_zh": OUTCOME_ZH.get(state.outcome or "", ""),
        "explanation": state.explain().splitlines(),
        "receipt_rule": RECEIPT_RULE.get(app.channel, ""),
        "timeline": [(e, clock.KIND_ZH.get(e.kind, e.kind), _event_lines(e)) for e in events],
        "documents": app.attachments.filter(event__isnull=True),
        "letters": letters,
        "letters_to_draft": (letters_to_draft(events, letters)
                             if can_draft(user, app.agency) else []),
        "forms": forms,
        "unavailable": unavailable,
        "bound_kind": bound.kind if bound is not None else "",
        "fee_preview": preview,
        "fee_methods": _FEE_HELP,
        "query_code": request.session.pop(_CODE_KEY.format(app.pk), None),
        "page_error": page_error,
        "can_take_over": app.handler_id != user.pk
        and scope.can(user, scope.HANDLE_APPLICATION, app.agency),
        "assign_form": assign_form,
    }, status=status)


def _schedule_text(schedule: fees.Schedule) -> str:
    """The national tiers in one line, shown beside the fee form."""
    u = schedule.unit
    text = "；".join(f"{t.label(u)} {fees.yuan(t.rate)}元/{u}" for t in schedule.tiers)
    if schedule.growth:
        text += (f"；此后每{schedule.growth.size}{u}一档，"
                 f"每档提高{fees.yuan(schedule.growth.step)}元/{u}")
    return text


_FEE_HELP = [(k, FeeMethod(k).label, _schedule_text(s)) for k, (s, _l, _f) in FEE_SCHEDULES.items()]


@staff_required
def detail(request, pk: int):
    return _render_detail(request, _application(request.user, pk))


@require_POST
@staff_required
def record(request, pk: int, kind: str):
    app = _application(request.user, pk)
    form_class = EVENT_FORMS.get(kind)
    if form_class is None:
        raise Http404("没有这种办理事项")
    _require(request.user, services.EVENT_ACTION[kind], app.agency)
    posted = _posted(request)
    if posted is None:
        return _render_detail(request, app, page_error=TOO_BIG, status=400)
    form = form_class(*posted, application=app)
    if form.is_valid():
        try:
            # The document belongs to the event: if it cannot be stored, neither is the event.
            with transaction.atomic():
                event = services.record_event(
                    app, kind, by=request.user, on=form.cleaned_data["date"],
                    note=form.cleaned_data["note"], data=form.event_data())
                upload = form.cleaned_data.get("attachment")
                if upload:
                    services.attach(app, upload, by=request.user, event=event)
        except services.Refused as refused:
            form.add_error(None, refused.reason)
        else:
            messages.success(request, f"已登记“{clock.KIND_ZH[kind]}”。")
            return redirect(reverse("staff_applications:detail", args=[app.pk]) + "#timeline")
    return _render_detail(request, app, bound=form, status=400)


@staff_required
@require_POST
def take_over(request, pk: int):
    app = _application(request.user, pk)
    _require(request.user, scope.HANDLE_APPLICATION, app.agency)
    services.take_over(app, by=request.user)
    messages.success(request, "您已成为本申请的承办人。")
    return redirect("staff_applications:detail", pk=app.pk)


@staff_required
@require_POST
def assign(request, pk: int):
    app = _application(request.user, pk)
    if not services.can_assign(request.user, app.agency):
        raise PermissionDenied("您没有在该机关指派承办人的权限。")
    form = AssignForm(request.POST, agency=app.agency)
    if form.is_valid():
        handler = form.cleaned_data["handler"]
        try:
            services.assign(app, handler, by=request.user)
        except services.Refused as refused:
            form.add_error("handler", refused.reason)
        else:
            messages.success(request, f"已指派 {person_name(handler)} 承办本申请。")
            return redirect(reverse("staff_applications:detail", args=[app.pk]) + "#details")
    return _render_detail(request, app, assign_form=form, status=400)


@staff_required
def attachment(request, pk: int, attachment_id: int):
    app = _application(request.user, pk)
    try:
        att = app.attachments.get(pk=attachment_id)
    except Attachment.DoesNotExist:
        raise Http404("没有这个附件") from None
    response = FileResponse(att.file.open("rb"), content_type=att.content_type)
    response["Content-Disposition"] = content_disposition_header(True, att.name)
    return response
