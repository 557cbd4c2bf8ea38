"""Writes: drafting a letter from its template, editing the draft, issuing it.

Every write checks the user's role through agencies.selectors.can, and records an audit
event in its transaction. Issuing allocates the next 文号 of the agency's series for the
year; two issuers at once cannot take the same number (a unique constraint; the loser
retries with the next one) and no number is skipped (numbers are taken only by issued
letters, which are never deleted)."""

from __future__ import annotations

import hashlib
import re
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from gongkai import clock, fees
from gongkai.agencies import selectors as scope
from gongkai.applications import letters
from gongkai.applications.calendar import current_calendar
from gongkai.applications.models import RECEIPT_RULE, Application, FeeMethod
from gongkai.applications.selectors import clock_events, today
from gongkai.audit.services import record

from . import document
from .models import Letter, LetterSettings, NumberPrefix

# Who may issue which letter (条例 Art. 33: the head approves an extension and signs answers).
ISSUE_ACTION = {
    letters.ANSWER: scope.SIGN_ANSWER,
    letters.EXTENSION: scope.APPROVE_EXTENSION,
}
DRAFT_ACTION = scope.HANDLE_APPLICATION
MAX_BODY_CHARS = 20_000  # a long answer runs to a few thousand characters
ISSUE_ATTEMPTS = 10

FROZEN = "该文书已签发，不能修改或再次签发；如需更正，请另行制作一份新文书。"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_TAG = re.compile(r"<\s*/?\s*[A-Za-z!?][^>]*>")


class Refused(Exception):
    """Not allowed or not valid; `reason` is for the user (Chinese)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def issue_action(kind: str) -> str:
    return ISSUE_ACTION.get(kind, scope.HANDLE_APPLICATION)


def can_issue(user, letter: Letter) -> bool:
    return scope.can(user, issue_action(letter.kind), letter.agency)


def can_draft(user, agency) -> bool:
    return scope.can(user, DRAFT_ACTION, agency)


def check_body(text: str) -> str:
    """The body as it will be stored, or Refused with the reason in Chinese."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise Refused("正文不能为空。")
    if len(text) > MAX_BODY_CHARS:
        raise Refused(f"正文不能超过 {MAX_BODY_CHARS} 字（现有 {len(text)} 字）。")
    if _CONTROL.search(text):
        raise Refused("正文含有无法打印的控制字符，请删除后再保存。")
    if _TAG.search(text):
        raise Refused("正文不能包含 HTML 标签（如 <script>）：文书只能是纯文本。")
    return text


# -- what the letter says -----------------------------------------------------------------------

def prefix_for(agency, kind: str) -> str:
    row = NumberPrefix.objects.filter(agency=agency, kind=kind).first()
    return row.prefix if row else letters.default_prefix(agency.name, kind)


def _settings(agency) -> LetterSettings:
    return LetterSettings.objects.filter(agency=agency).first() or LetterSettings(agency=agency)


def _nth_application_this_month(app: Application) -> int:
    """Which application of the calendar month this is for its applicant at this agency."""
    month = app.received_on.replace(day=1)
    same = Application.objects.filter(
        agency=app.agency, id_type=app.id_type, id_number=app.id_number,
        received_on__gte=month, received_on__lte=app.received_on)
    return same.filter(Q(received_on__lt=app.received_on) | Q(seq__lte=app.seq)).count()


def _fee(app: Application, method: str, pages: int | None):
    if method == FeeMethod.PER_APPLICATION:
        k = _nth_application_this_month(app)
        return fees.fee_for_nth_application(k), f"您本自然月内向本机关提出的第{k}件申请"
    if method == FeeMethod.PER_PAGE:
        if not pages:
            raise Refused("按量计收须填写提供信息的页数。")
        try:
            return fees.fee_for_pages(pages), f"提供信息共{pages}页"
        except ValueError:
            raise Refused("页数不正确。") from None
    raise Refused("请选择收费方式（按件计收或按量计收）。")


def context(app: Application, kind: str, *, fee_method: str = "", pages: int | None = None,
            on: date | None = None) -> letters.Context:
    """The application's data and the clock's dates, as of `on` (today)."""
    on = on or today()
    cal, rules = current_calendar(), clock.NATIONAL
    events = clock_events(app)
    state = clock.state(events, cal, on, rules)
    recorded = {e.kind: e for e in events}  # the last of each kind
    due = state.due.due if state.due else None
    extension_days = new_due = None
    if kind == letters.EXTENSION:
        ext = recorded.get(clock.EXTENSION_APPROVED)
        if ext is not None:  # already approved: the deadline before and after it
            extension_days = ext.data.get("working_days")
            before = clock.state([e for e in events if e is not ext], cal, on, rules)
            due, new_due = (before.due.due if before.due else None), due
        else:  # to be approved with this letter: the longest extension the statute allows
            extension_days = rules.extension_max
            after = clock.state([*events, clock.Event(clock.EXTENSION_APPROVED, on,
                                                      {"working_days": extension_days})],
                                cal, on, rules)
            new_due = after.due.due if after.due else None
    correction = recorded.get(clock.CORRECTION_REQUESTED)
    until = correction.data.get("until") if correction else None
    fee = basis = None
    method = fee_method or app.fee_method
    if kind == letters.FEE:
        fee, basis = _fee(app, method, pages)
        if not fee.total:
            raise Refused(f"按{FeeMethod(method).label}计算的费用为0元，无需发出收费通知书。")
    fee_sent = recorded.get(clock.FEE_NOTICE_SENT)
    settings = _settings(app.agency)
    parent = app.agency.parent
    return letters.Context(
        applicant=app.name, number=app.number, tracking_number=app.tracking_number,
        received=app.received_on, channel=app.get_channel_display(),
        receipt_rule=RECEIPT_RULE.get(app.channel, ""), request=app.request,
        delivery=app.delivery, office_address=app.agency.office_address,
        office_phone=app.agency.office_phone, office_hours=app.agency.office_hours,
        rules=rules, due=due, extension_days=extension_days, new_due=new_due,
        correction_sent=correction.date if correction else None,
        correction_until=date.fromisoformat(until) if isinstance(until, str) and until else None,
        fee=fee, fee_method=FeeMethod(method).label if fee else "", fee_basis=basis or "",
        fee_notice_sent=fee_sent.date if fee_sent else None,
        payment=settings.payment_instructions,
        reconsideration_body=settings.reconsideration_body or (parent.name if parent else ""),
    )


# -- drafting and editing -----------------------------------------------------------------------

def create_draft(app: Application, kind: str, *, by, outcome: str = "", fee_method: str = "",
                 pages: int | None = None) -> Letter:
    if kind not in letters.KINDS:
        raise Refused("未知的文书类型。")
    if not can_draft(by, app.agency):
        raise Refused("您没有在该机关制作文书的权限。")
    if kind == letters.ANSWER and outcome not in letters.ANSWERS:
        raise Refused("答复书须选择办理结果。")
    if kind != letters.ANSWER:
        outcome = ""
    ctx = context(app, kind, fee_method=fee_method, pages=pages)
    text = letters.render(kind, ctx, outcome or None)
    with transaction.atomic():
        letter = Letter.objects.create(application=app, agency=app.agency, kind=kind,
                                       outcome=outcome, title=text.title, body=text.body,
                                       created_by=by)
        record(by, "letter.drafted", letter, agency=app.agency, application=app.number,
               kind=kind, outcome=outcome)
    return letter


def edit_draft(letter: Letter, body: str, *, by) -> Letter:
    if not can_draft(by, letter.agency):
        raise Refused("您没有在该机关修改文书的权限。")
    if letter.issued:
        raise Refused(FROZEN)
    body = check_body(body)
    with transaction.atomic():
        # Conditional on still being a draft: an issue that just happened wins.
        changed = (Letter.objects.filter(pk=letter.pk, issued_at__isnull=True)
                   .update(body=body, updated_at=timezone.now()))
        if not changed:
            raise Refused(FROZEN)
        record(by, "letter.edited", letter, agency=letter.agency, chars=len(body))
    letter.body = body
    return letter


# -- issuing ------------------------------------------------------------------------------------

def sheet(letter: Letter, number: str = "", on: date | None = None) -> document.Sheet:
    agency = letter.agency
    draft = not number
    return document.Sheet(
        letterhead=agency.letterhead or agency.name,
        number=number or f"{prefix_for(agency, letter.kind)}〔　　〕第　　号",
        title=letter.title, body=letter.body, signature=agency.name,
        date=letters.zh_date(on) if on else "", draft=draft)


def docx(letter: Letter) -> bytes:
    """The issued letter's stored bytes; a draft rendered now, marked 草稿."""
    if letter.issued:
        return bytes(letter.docx)
    return document.render(sheet(letter))


def _next_seq(agency, year: int, prefix: str) -> int:
    last = (Letter.objects.filter(agency=agency, number_year=year, number_prefix=prefix)
            .aggregate(m=Max("number_seq"))["m"])
    return (last or 0) + 1


def issue(letter: Letter, *, by) -> Letter:
    """Number, date and freeze the draft. Optimistic: the DOCX is rendered with the next free
    number outside any transaction, then one conditional UPDATE stores it if the number is
    still free and the draft unchanged; otherwise the letter is read again and retried."""
    if not can_issue(by, letter):
        raise Refused(f"您没有签发{letters.KINDS[letter.kind].label}的权限。")
    on = today()
    prefix = prefix_for(letter.agency, letter.kind)
    for _attempt in range(ISSUE_ATTEMPTS):
        current = Letter.objects.select_related("agency", "application").get(pk=letter.pk)
        if current.issued:
            raise Refused(FROZEN)
        left = letters.markers(current.body)
        if left:
            raise Refused(f"正文中还有 {len(left)} 处待填写的内容，如“{left[0]}”，请修改后再签发。")
        seq = _next_seq(current.agency, on.year, prefix)
        number = letters.format_number(prefix, on.year, seq)
        data = document.render(sheet(current, number, on))
        digest = hashlib.sha256(data).hexdigest()
        try:
            with transaction.atomic():
                changed = Letter.objects.filter(
                    pk=current.pk, issued_at__isnull=True, updated_at=current.updated_at,
                ).update(number_prefix=prefix, number_year=on.year, number_seq=seq, issued_on=on,
                         issued_at=timezone.now(), issued_by=by, docx=data, docx_sha256=digest)
                if changed:
                    record(by, "letter.issued", current, agency=current.agency, number=number,
                           kind=current.kind, outcome=current.outcome,
                           application=current.application.number, sha256=digest)
        except IntegrityError:
            continue  # another letter took this number meanwhile: take the next one
        if changed:
            letter.refresh_from_db()
            return letter
        # Issued or edited by someone else meanwhile: read it again.
    raise Refused("签发繁忙，请稍后重试。")
