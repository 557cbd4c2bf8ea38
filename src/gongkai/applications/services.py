"""Writes: registering applications and recording their events.

Every write checks the user's scope (agencies.selectors.can), asks the statutory clock whether
the event is allowed now, appends, and records an audit event, in one transaction."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.hashers import check_password, make_password
from django.db import IntegrityError, transaction
from django.db.models import Max

from gongkai import clock
from gongkai.agencies import selectors as scope
from gongkai.audit.services import record

from .calendar import current_calendar
from .models import Application, ApplicationEvent, Attachment, IdType
from .selectors import clock_events, today

# Who may record which event (条例 Art. 33: the head approves an extension).
EVENT_ACTION = {
    clock.CORRECTION_REQUESTED: scope.HANDLE_APPLICATION,
    clock.CORRECTION_RECEIVED: scope.REGISTER_APPLICATION,
    clock.CONSULTATION_SENT: scope.HANDLE_APPLICATION,
    clock.CONSULTATION_ANSWERED: scope.HANDLE_APPLICATION,
    clock.CONSULTATION_LAPSED: scope.HANDLE_APPLICATION,
    clock.EXTENSION_APPROVED: scope.APPROVE_EXTENSION,
    clock.FEE_NOTICE_SENT: scope.HANDLE_APPLICATION,
    clock.FEE_PAID: scope.HANDLE_APPLICATION,
    clock.FEE_LAPSED: scope.HANDLE_APPLICATION,
    clock.ANSWERED: scope.SIGN_ANSWER,
    clock.ABANDONED: scope.HANDLE_APPLICATION,
    clock.WITHDRAWN: scope.REGISTER_APPLICATION,
}
# A withdrawn application still left table 三's 一 and must land in a result row: （六）3.其他.
WITHDRAWN_OUTCOME = "other_misc"
CLOSING_OUTCOME = {
    clock.ABANDONED: clock.NO_CORRECTION,
    clock.FEE_LAPSED: clock.FEE_UNPAID,
    clock.WITHDRAWN: WITHDRAWN_OUTCOME,
}
# Events the applicant is told about by e-mail.
APPLICANT_EVENTS = frozenset({
    clock.CORRECTION_REQUESTED, clock.EXTENSION_APPROVED, clock.FEE_NOTICE_SENT,
    clock.ANSWERED, clock.ABANDONED, clock.FEE_LAPSED, clock.WITHDRAWN,
})

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ATTACHMENT_TYPES = {
    "application/pdf": b"%PDF",
    "image/jpeg": b"\xff\xd8\xff",
    "image/png": b"\x89PNG",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": b"PK\x03\x04",
}


class Refused(Exception):
    """The statute or the user's role does not allow this; `reason` is for the user (Chinese)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Registered:
    application: Application
    query_code: str  # shown once to the applicant; only its hash is stored
    created: bool


def _new_tracking_number() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud on the phone
    return "GK" + "".join(secrets.choice(alphabet) for _ in range(10))


def register(agency, *, by=None, submission_key: str | None = None, **fields) -> Registered:
    """Register an application received by `agency`. `by` is the registering staff member, or
    None for the public form. The same `submission_key` twice returns the first application."""
    if by is not None and not scope.can(by, scope.REGISTER_APPLICATION, agency):
        raise Refused("您没有在该机关登记申请的权限")
    if submission_key:
        existing = Application.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return Registered(existing, "", False)
    if fields.get("id_type") == IdType.RESIDENT_ID:
        fields["id_number"] = fields["id_number"].strip().upper()
    received_on: date = fields["received_on"]
    if received_on > today():
        raise Refused("收到申请日期不能晚于今天")
    query_code = f"{secrets.randbelow(10**6):06d}"
    for _attempt in range(5):
        try:
            with transaction.atomic():
                year = received_on.year
                last = (Application.objects.filter(agency=agency, year=year)
                        .aggregate(m=Max("seq"))["m"] or 0)
                app = Application.objects.create(
                    agency=agency, year=year, seq=last + 1, registered_by=by,
                    tracking_number=_new_tracking_number(),
                    query_code_hash=make_password(query_code),
                    submission_key=submission_key or None, **fields)
                record(by, "application.registered", app, agency=agency, number=app.number,
                       channel=app.channel, received_on=received_on.isoformat())
            return Registered(app, query_code, True)
        except IntegrityError:
            # Two registrations took the same number (or the same submission arrived twice at
            # once): take the next number, or return the twin.
            if submission_key:
                existing = Application.objects.filter(submission_key=submission_key).first()
                if existing is not None:
                    return Registered(existing, "", False)
    raise Refused("登记繁忙，请稍后重试")


def record_event(application: Application, kind: str, *, by, on: date | None = None,
                 note: str = "", data: dict | None = None) -> ApplicationEvent:
    """Append one event after checking the user's role and the statute."""
    action = EVENT_ACTION.get(kind)
    if action is None:
        raise Refused(f"不能登记“{clock.KIND_ZH.get(kind, kind)}”事件")
    if not scope.can(by, action, application.agency):
        raise Refused(f"您没有在该机关“{clock.KIND_ZH[kind]}”的权限")
    on = on or today()
    if on > today():
        raise Refused("事件日期不能晚于今天")
    if on < application.received_on:
        raise Refused("事件日期不能早于收到申请日期")
    data = dict(data or {})
    with transaction.atomic():
        # Lock the application so two handlers cannot both close it.
        locked = Application.objects.select_for_update().get(pk=application.pk)
        events = clock_events(locked)
        later = [e for e in events if e.date > on]
        if later:
            raise Refused(f"已有晚于 {on.isoformat()} 的事件，不能补登更早的事件")
        ok, reason = clock.allowed(events, kind, current_calendar(), on, data)
        if not ok:
            raise Refused(reason)
        outcome = data.pop("outcome", "") if kind == clock.ANSWERED else CLOSING_OUTCOME.get(kind, "")
        event = ApplicationEvent.objects.create(
            application=locked, kind=kind, date=on, outcome=outcome, data=data, note=note,
            author=by)
        record(by, f"application.{kind}", locked, agency=locked.agency, number=locked.number,
               date=on.isoformat(), outcome=outcome, note=note[:200])
    if kind in APPLICANT_EVENTS and application.email:
        from .tasks import notify_applicant

        transaction.on_commit(lambda: notify_applicant.enqueue(event.pk))
    return event


def take_over(application: Application, *, by) -> Application:
    """Make `by` the handler (承办人) of the application: a handler takes up unassigned work, or
    the head hands it to themselves. Audited with the previous handler."""
    if not scope.can(by, scope.HANDLE_APPLICATION, application.agency):
        raise Refused("您没有在该机关承办申请的权限")
    return _set_handler(application, by, by=by)


def can_assign(user, agency) -> bool:
    return scope.can(user, scope.ASSIGN_HANDLER, agency)


def assign(application: Application, handler, *, by) -> Application:
    """Make `handler` the handler (承办人) of the application on the word of `by`, the head or
    the administrator. Only someone who may handle applications at the agency can be chosen.
    Audited like take_over."""
    if not can_assign(by, application.agency):
        raise Refused("您没有在该机关指派承办人的权限")
    if handler is None or not scope.can(handler, scope.HANDLE_APPLICATION, application.agency):
        raise Refused("所选人员不能承办该机关的申请，不能指派")
    return _set_handler(application, handler, by=by)


def _set_handler(application: Application, handler, *, by) -> Application:
    """Store the handler under a row lock and audit it with the previous one; the handler it
    already has changes and records nothing."""
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.handler_id != handler.pk:
            previous = locked.handler.get_username() if locked.handler else ""
            locked.handler = handler
            locked.save(update_fields=["handler"])
            record(by, "application.handler", locked, agency=locked.agency,
                   number=locked.number, previous=previous, handler=handler.get_username())
    application.handler = handler
    return application


def attach(application: Application, upload, *, by=None, event: ApplicationEvent | None = None
           ) -> Attachment:
    """Store an uploaded document after checking its size and that its content is its type."""
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise Refused(f"附件不能超过 {MAX_ATTACHMENT_BYTES // 1024 // 1024} MB")
    head = upload.read(8)
    upload.seek(0)
    kind = next((t for t, magic in ATTACHMENT_TYPES.items() if head.startswith(magic)), None)
    if kind is None:
        raise Refused("附件只能是 PDF、JPG、PNG 或 DOCX 文件")
    name = upload.name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200] or "attachment"
    with transaction.atomic():
        att = Attachment.objects.create(application=application, event=event, file=upload,
                                        name=name, size=upload.size, content_type=kind,
                                        uploaded_by=by)
        record(by, "application.attachment", att, agency=application.agency, name=name,
               size=upload.size)
    return att


def verify_query_code(tracking_number: str, query_code: str) -> Application | None:
    """The application for a tracking number and its query code, or None (no hint which)."""
    app = Application.objects.filter(tracking_number=tracking_number.strip().upper()).first()
    if app is None:
        make_password(query_code)  # same work either way: no timing hint
        return None
    return app if check_password(query_code.strip(), app.query_code_hash) else None
