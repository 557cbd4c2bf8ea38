"""The daily reminder (Django tasks API): handlers and heads hear of overdue and due-soon work."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from gongkai import clock
from gongkai.agencies.models import Role
from gongkai.applications import services
from gongkai.applications.tasks import remind_handlers

FIELDS = dict(applicant_type="natural_person", name="张三", id_type="resident_id",
              id_number="11010519491231002X", phone="13800138000", channel="in_person",
              request="村道修建项目批复")


@pytest.fixture
def staff(world, make_user):
    head = make_user(world.a.township, Role.HEAD)
    head.email = "head@example.gov.cn"
    head.save()
    registrar = make_user(world.a.township, Role.REGISTRAR)
    registrar.email = "registrar@example.gov.cn"
    registrar.save()
    return head, registrar


# Relative to the day the tests run: 60 calendar days always hold more than 20 working days,
# and an application received today has 20 working days left.
def _days_ago(n: int):
    return timezone.localdate() - timedelta(days=n)


def _register(world, head, received_on):
    return services.register(world.a.township, by=head, received_on=received_on,
                             **FIELDS).application


def test_reminder_lists_overdue_and_due_soon_for_handlers_and_heads(world, staff, settings):
    head, _registrar = staff
    overdue = _register(world, head, _days_ago(60))
    _register(world, head, _days_ago(0))  # 20 working days left: not mentioned
    answered = _register(world, head, _days_ago(59))
    services.record_event(answered, clock.ANSWERED, by=head, on=_days_ago(50),
                          data={"outcome": "granted"})
    mail.outbox.clear()
    sent = remind_handlers.enqueue().return_value
    assert sent == 1
    [message] = mail.outbox
    assert message.to == ["head@example.gov.cn"]  # the registrar is not a handler
    assert overdue.number in message.body and "已逾期" in message.body
    assert answered.number not in message.body
    assert "11010519491231002X" not in message.body


def test_no_reminder_when_nothing_is_due(world, staff):
    head, _ = staff
    _register(world, head, _days_ago(0))
    mail.outbox.clear()
    assert remind_handlers.enqueue().return_value == 0
    assert mail.outbox == []


def test_remind_due_command_enqueues_the_task(world, staff, capsys):
    head, _ = staff
    _register(world, head, _days_ago(60))
    mail.outbox.clear()
    call_command("remind_due")
    assert "已提交提醒任务" in capsys.readouterr().out
    assert len(mail.outbox) == 1  # the immediate backend ran it
