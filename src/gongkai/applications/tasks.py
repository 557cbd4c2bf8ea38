"""Background work (Django tasks API): e-mail to applicants, the daily reminder to handlers.

The daily reminder is enqueued by `gongkai remind_due` (run it from cron or a systemd timer
once a day); the database backend's workers (`gongkai db_worker`) run it."""

from __future__ import annotations

import logging
import re
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django_tasks import task

from gongkai import clock
from gongkai.agencies.models import Membership, Role

from .models import ApplicationEvent
from .selectors import application_state, open_applications, rows, today

log = logging.getLogger(__name__)


def outcome_for_applicant(label: str) -> str:
    """Table 三's row label as a sentence for the applicant: （三）不予公开1.属于国家秘密 →
    不予公开：属于国家秘密; the statistician's note on 部分公开 is dropped."""
    text = re.sub(r"^（[一二三四五六七八九十]+）", "", label)
    text = re.sub(r"（区分处理的[^）]*）", "", text)
    return re.sub(r"(\D)\d+\.", r"\1：", text, count=1)


REMEDIES = "如对答复不服，可以自知道之日起60日内依法申请行政复议，或者6个月内依法提起行政诉讼。"


def _what_happened(event: ApplicationEvent) -> str:
    """One paragraph on what the event means for the applicant. Staff notes are internal and
    never go out by e-mail; the letters served on the applicant are the formal record."""
    kind = event.kind
    if kind == clock.CORRECTION_REQUESTED:
        return ("本机关已向您发出补正告知。请按补正告知书的要求在期限内补正；"
                "无正当理由逾期不补正的，视为放弃申请（条例第三十条）。")
    if kind == clock.EXTENSION_APPROVED:
        days = event.data.get("working_days")
        due = application_state(event.application).due
        return (f"经政府信息公开工作机构负责人同意，答复期限延长"
                f"{days if isinstance(days, int) else ''}个工作日（条例第三十三条）"
                + (f"，延长后的答复期限为 {due.due:%Y年%m月%d日}。" if due else "。"))
    if kind == clock.FEE_NOTICE_SENT:
        return ("本机关已向您发出收费通知。请按收费通知书的要求缴纳信息处理费；"
                "等待缴费的时间不计入答复期限，逾期未缴纳的，本机关不再处理该申请。")
    if kind == clock.ANSWERED:
        outcome = outcome_for_applicant(event.get_outcome_display()) if event.outcome else ""
        return ("本机关已作出答复" + (f"，办理结果：{outcome}" if outcome else "")
                + "。答复内容以送达的答复书为准。" + REMEDIES)
    if kind == clock.ABANDONED:
        return "因无正当理由逾期未补正，视为放弃申请，本机关不再处理该申请（条例第三十条）。"
    if kind == clock.FEE_LAPSED:
        return "因逾期未按收费通知要求缴纳费用，本机关不再处理该申请。"
    if kind == clock.WITHDRAWN:
        return "您的申请已撤回，本机关不再处理该申请。"
    return f"办理进展：{clock.KIND_ZH[kind]}。"


@task()
def notify_applicant(event_id: int) -> bool:
    """Tell the applicant by e-mail that something happened to their application. The mail
    names the application by its numbers only: no identity number, no phone."""
    event = ApplicationEvent.objects.select_related("application__agency").get(pk=event_id)
    app = event.application
    if not app.email:
        return False
    subject = (f"【{app.agency.name}】政府信息公开申请办理进展"
               f"（查询编号 {app.tracking_number}）")
    body = (
        f"{app.name}：\n\n"
        f"您于 {app.received_on:%Y年%m月%d日} 向{app.agency.name}提交的政府信息公开申请"
        f"（申请编号 {app.number}，查询编号 {app.tracking_number}），"
        f"{event.date:%Y年%m月%d日} {clock.KIND_ZH[event.kind]}。\n\n"
        f"{_what_happened(event)}\n\n"
        "您可以在本机关政府信息公开网站的“申请查询”页面，凭查询编号和查询码查看办理进度。"
        "本邮件由系统自动发送，请勿回复。\n\n"
        f"{app.agency.name}\n"
        + (f"地址：{app.agency.office_address}\n" if app.agency.office_address else "")
        + (f"咨询电话：{app.agency.office_phone}\n" if app.agency.office_phone else "")
    )
    send_mail(subject, body, None, [app.email])
    log.info("notified applicant of application %s event %s (%s)", app.pk, event.pk, event.kind)
    return True


@task()
def remind_handlers() -> int:
    """E-mail each handler and head their overdue and due-within-3-working-days applications.
    Returns the number of e-mails sent."""
    from .models import Application

    on = today()
    by_agency = defaultdict(list)
    for r in rows(open_applications(Application.objects.select_related("agency")), on):
        left = r.state.working_days_left
        if r.state.overdue or (left is not None and left <= 3):
            by_agency[r.application.agency_id].append(r)
    sent = 0
    users = get_user_model().objects
    for agency_id, due in by_agency.items():
        members = (Membership.objects.filter(agency_id=agency_id,
                                             role__in=[Role.HANDLER, Role.HEAD])
                   .values_list("user_id", flat=True))
        emails = [u.email for u in users.filter(pk__in=members, is_active=True) if u.email]
        if not emails:
            continue
        lines = []
        for r in due:
            s = r.state
            flag = "已逾期" if s.overdue else f"剩余{s.working_days_left}个工作日"
            lines.append(f"{r.application.number} {r.application.name}：期限 {s.due.due}，{flag}")
        send_mail(f"政府信息公开申请办理提醒（{len(due)}件）",
                  "以下申请已逾期或将在3个工作日内到期：\n\n" + "\n".join(lines), None, emails)
        sent += 1
    log.info("due reminders: %d e-mails for %d agencies", sent, len(by_agency))
    return sent
