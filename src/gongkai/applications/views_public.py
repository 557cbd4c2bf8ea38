"""Public pages of 依申请公开: apply online, the receipt, tracking by number and query code.

No login. The query code is shown once, on the receipt: the POST stores it in the session and
the receipt page takes it out (POST-redirect-GET, never in a URL). A double submission carries
the same one-time key, so services.register returns the first application; the first POST
hands its query code to its twin through the cache, so whichever response the browser shows
can still show the code."""

from __future__ import annotations

import logging
import time

from django.core.cache import cache
from django.db import OperationalError, transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from gongkai import clock
from gongkai.agencies.models import Agency
from gongkai.identity import mask_id_number, mask_phone
from gongkai.portal import directory

from . import ratelimit, selectors, services
from .forms_public import ApplicationForm, TrackForm, new_submission_key, submission_key
from .models import OUTCOME_CHOICES, RECEIPT_RULE, Application, ApplicationEvent, Channel
from .tasks import outcome_for_applicant

log = logging.getLogger(__name__)

RECEIPT_SESSION = "gongkai_apply_receipt"
TRACK_SESSION = "gongkai_apply_tracked"
TRACK_MINUTES = 30  # a looked-up status stays open this long in the browser that looked it up
HANDOFF_SECONDS = 24 * 3600
HANDOFF_WAIT = 3.0
REGISTER_ATTEMPTS = 5  # how long a twin submission waits for the first one's query code

# The applicant's wording of clock.STATUS_ZH: says what the status means for them.
PUBLIC_STATUS_ZH = {
    clock.REGISTERED: "已收到申请，正在办理",
    clock.IN_PROGRESS: "正在办理",
    clock.AWAITING_CORRECTION: "等待申请人补正",
    clock.CONSULTING: "正在办理（征求意见，期间不计入答复期限）",
    clock.AWAITING_FEE: "等待缴纳信息处理费（期间不计入答复期限）",
    clock.CLOSED: "已办结",
    clock.WITHDRAWN_STATUS: "已撤回",
}
# What the applicant sees of the history: what was asked of them or told to them. Consultations
# and staff notes stay internal.
PUBLIC_EVENTS = services.APPLICANT_EVENTS | {clock.CORRECTION_RECEIVED, clock.FEE_PAID}
MAX_ID = 2**63 - 1
OUTCOMES_ZH = dict(OUTCOME_CHOICES)


def _agency(agency_id: int) -> Agency:
    if agency_id > MAX_ID:  # beyond any database integer: not an agency, not an error
        raise Http404("没有这个机关")
    try:
        return Agency.objects.get(pk=agency_id)
    except Agency.DoesNotExist:
        raise Http404("没有这个机关") from None


def too_many(request, scope: str):
    wait = ratelimit.retry_after(scope)
    log.warning("rate limit %s exceeded by %s", scope, ratelimit.client_ip(request))
    response = render(request, "applications/public/too_many.html",
                      {"minutes": max(1, round(wait / 60))}, status=429)
    response["Retry-After"] = str(wait)
    return response


def index(request):
    page, query, trails = directory.page(request)
    rows = [(a, trails[a.pk]) for a in page.object_list]
    return render(request, "applications/public/index.html",
                  {"rows": rows, "page": page, "q": query})


def _handoff_key(key: str) -> str:
    return f"gongkai:apply:handoff:{key}"


def _twin_code(key: str, pk: int) -> str:
    """The query code the first submission of `key` left in the cache ("" once shown)."""
    deadline = time.monotonic() + HANDOFF_WAIT
    while True:
        got = cache.get(_handoff_key(key))
        if got is not None:
            return got[1] if got[0] == pk else ""
        if time.monotonic() >= deadline:
            return ""
        time.sleep(0.1)


@require_http_methods(["GET", "POST"])
def apply(request, agency_id: int):
    agency = _agency(agency_id)
    if request.method == "GET":
        form = ApplicationForm(initial={"key": new_submission_key(agency.pk)})
        return _form_page(request, agency, form)
    if ratelimit.exceeded(request, "apply"):
        return too_many(request, "apply")
    form = ApplicationForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form_page(request, agency, form)
    key = submission_key(form.cleaned_data["key"], agency.pk)
    if key is None:
        # A form from elsewhere or tampered with: give this browser a fresh key, keep the data.
        data = request.POST.copy()
        data["key"] = new_submission_key(agency.pk)
        form = ApplicationForm(data)
        form.is_valid()
        form.add_error(None, "表单已失效，请核对后再次提交")
        return _form_page(request, agency, form)
    try:
        reg = _register(agency, key, form)
    except services.Refused as refused:
        form.add_error(None, refused.reason)
        return _form_page(request, agency, form)
    app = reg.application
    if reg.created:
        ratelimit.hit(request, "apply")
        cache.set(_handoff_key(key), [app.pk, reg.query_code], HANDOFF_SECONDS)
        code = reg.query_code
        log.info("online application %s registered for agency %s", app.pk, agency.pk)
    else:
        code = _twin_code(key, app.pk)
    request.session[RECEIPT_SESSION] = {"app": app.pk, "code": code, "key": key}
    return redirect("apply:receipt")


def _register(agency: Agency, key: str, form: ApplicationForm) -> services.Registered:
    """Register with the attachments, all or nothing. A database busy with the twin of this
    submission (SQLite locks the whole table) is waited for briefly, then the first one wins."""
    for attempt in range(REGISTER_ATTEMPTS):
        try:
            with transaction.atomic():
                reg = services.register(
                    agency, submission_key=key, channel=Channel.ONLINE,
                    # Art. 31: online, the receipt date is the day both sides confirm; the
                    # on-screen receipt is the agency's confirmation.
                    received_on=selectors.today(), **form.application_fields())
                if reg.created:
                    for upload in form.cleaned_data["attachments"]:
                        upload.seek(0)
                        services.attach(reg.application, upload)
            return reg
        except OperationalError:
            log.warning("database busy registering an online application (attempt %d)",
                        attempt + 1)
            time.sleep(0.2 * (attempt + 1))
    raise services.Refused("系统繁忙，申请未能提交，请稍后再次提交（已填写的内容已保留）")


def _form_page(request, agency: Agency, form: ApplicationForm):
    lost_files = form.is_bound and bool(request.FILES) and bool(form.errors)
    return render(request, "applications/public/apply.html",
                  {"agency": agency, "form": form, "lost_files": lost_files},
                  status=200)


def receipt(request):
    held = request.session.get(RECEIPT_SESSION)
    if not isinstance(held, dict):
        return redirect("apply:track")
    app = Application.objects.select_related("agency").filter(pk=held.get("app")).first()
    if app is None:
        return redirect("apply:track")
    code = held.get("code") or ""
    handed = cache.get(_handoff_key(held.get("key", "")))
    if code and handed is not None and handed == [app.pk, ""]:
        code = ""  # its twin submission already showed it
    if code:
        # Shown now, never again: not in this session, not to a twin submission.
        request.session[RECEIPT_SESSION] = {**held, "code": ""}
        cache.set(_handoff_key(held.get("key", "")), [app.pk, ""], HANDOFF_SECONDS)
    state = selectors.application_state(app)
    response = render(request, "applications/public/receipt.html", {
        "app": app, "agency": app.agency, "code": code, "state": state,
        "receipt_rule": RECEIPT_RULE[Channel.ONLINE],
    })
    response["Cache-Control"] = "no-store"  # the code must not come back from a cache
    return response


@require_http_methods(["GET", "POST"])
def track(request):
    if request.method == "GET":
        return render(request, "applications/public/track.html", {"form": TrackForm()})
    if ratelimit.exceeded(request, "track"):
        return too_many(request, "track")
    ratelimit.hit(request, "track")
    form = TrackForm(request.POST)
    if form.is_valid():
        app = services.verify_query_code(form.cleaned_data["tracking_number"],
                                         form.cleaned_data["query_code"])
        if app is not None:
            request.session.cycle_key()
            request.session[TRACK_SESSION] = {"app": app.pk, "until": time.time() + TRACK_MINUTES * 60}
            return redirect("apply:status")
        form.add_error(None, "查询编号或查询码不正确，请核对后重新输入")
        form.forget_code()
    return render(request, "applications/public/track.html", {"form": form})


def _tracked(request) -> Application | None:
    held = request.session.get(TRACK_SESSION)
    if not isinstance(held, dict) or held.get("until", 0) < time.time():
        request.session.pop(TRACK_SESSION, None)
        return None
    return Application.objects.select_related("agency").filter(pk=held.get("app")).first()


def status(request):
    app = _tracked(request)
    if app is None:
        return redirect("apply:track")
    state = selectors.application_state(app)
    events = []
    for e in ApplicationEvent.objects.filter(application=app, kind__in=PUBLIC_EVENTS):
        detail = ""
        if e.outcome:
            detail = outcome_for_applicant(e.get_outcome_display())
        elif e.kind == clock.EXTENSION_APPROVED and isinstance(e.data.get("working_days"), int):
            detail = f"答复期限延长{e.data['working_days']}个工作日"
        events.append({"date": e.date, "kind": clock.KIND_ZH[e.kind], "detail": detail})
    response = render(request, "applications/public/status.html", {
        "app": app, "agency": app.agency, "state": state, "events": events,
        "masked_id": mask_id_number(app.id_number), "masked_phone": mask_phone(app.phone),
        "status_zh": PUBLIC_STATUS_ZH.get(state.status, state.status),
        "outcome": outcome_for_applicant(OUTCOMES_ZH[state.outcome]) if state.outcome else "",
    })
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def track_end(request):
    request.session.pop(TRACK_SESSION, None)
    return redirect(reverse("apply:track"))
