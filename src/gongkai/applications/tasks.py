"""Background work (Django tasks API): e-mail to applicants, the daily reminder to handlers.

The daily reminder is enqueued by `gongkai remind_due` (run it from cron or a systemd timer
once a day); the database backend's workers (`gongkai db_worker`) run it."""

from __future__ import annotations

import logging
from collections import defaultdict

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django_tasks import task

from gongkai import clock
from gongkai.agencies.models import Membership, Role

from .models import ApplicationEvent
from .selectors import open_applications, rows, today

log = logging.getLogger(__name__)


@task()
def notify_applicant(event_id: int) -> bool:
    """Tell the applicant by e-mail that something happened to their application."""
    event = ApplicationEvent.objects.select_related("application__agency").get(pk=event_id)
    app = event.application
    if not app.email:
        return False
    subject = f"【{app.agency.name}】政府信息公开申请 {app.number} 办理进展"
    body = (
        f"{app.name}：\n\n"
        f"您于 {app.received_on:%Y年%m月%d日} 提交的政府信息公开申请（编号 {app.number}，"
        f"查询编号 {app.tracking_number}）于 {event.date:%Y年%m月%d日} "
        f"有新的办理进展：{clock.KIND_ZH[event.kind]}。\n"
        + (f"\n{event.note}\n" if event.note else "")
        + "\n请使用查询编号和查询码在政府信息公开申请查询页面查看详情；书面文书以送达的为准。\n\n"
        + f"{app.agency.name}\n"
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
