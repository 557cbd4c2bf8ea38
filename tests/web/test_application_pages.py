"""Staff pages for applications: workbench, registering, the application page and its events.

Scope, masking, the statute's refusals and hostile input are checked through the pages, the way
a member of staff meets them."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta

import pytest
from django.contrib.admin.sites import site as admin_site
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from gongkai import clock
from gongkai.agencies.models import Role
from gongkai.applications import services
from gongkai.applications.models import (
    Application,
    ApplicationEvent,
    Attachment,
    CalendarDay,
    CalendarYear,
)

ID = "11010519491231002X"
PHONE = "13800138000"
PERSON = dict(name="张三", id_type="resident_id", id_number=ID, phone=PHONE, channel="in_person",
              request="2025年村道修建项目的批复文件", applicant_type="natural_person")
PDF = b"%PDF-1.4\n%test\n"


def today() -> date:
    return timezone.localdate()


def register(agency, user=None, received_on=None, **extra):
    fields = {**PERSON, "received_on": received_on or today(), **extra}
    return services.register(agency, by=user, **fields).application


def workdays_ago(n: int) -> date:
    """A day n working days before today, counted with the same calendar as the pages."""
    from gongkai.applications.calendar import current_calendar

    cal, d = current_calendar(), today()
    while n:
        d -= timedelta(days=1)
        n -= cal.is_workday(d)
    return d


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def head(world, make_user):
    return make_user(world.a.township, Role.HEAD, "head")


@pytest.fixture
def handler(world, make_user):
    return make_user(world.a.township, Role.HANDLER, "handler")


@pytest.fixture
def registrar(world, make_user):
    return make_user(world.a.township, Role.REGISTRAR, "registrar")


@pytest.fixture
def app(world, handler):
    return register(world.a.township, handler, workdays_ago(2))


def detail_url(app) -> str:
    return reverse("staff_applications:detail", args=[app.pk])


def record_url(app, kind: str) -> str:
    return reverse("staff_applications:record", args=[app.pk, kind])


def post_event(client, app, kind: str, **fields):
    fields.setdefault("date", today().isoformat())
    return client.post(record_url(app, kind), {f"{kind}-{k}": v for k, v in fields.items()})


def section(html: str, start: str, end: str) -> str:
    return html.split(f'id="{start}"', 1)[1].split(f'id="{end}"', 1)[0]


# -- workbench -------------------------------------------------------------------------------


def test_workbench_masks_identity_numbers_and_phones(client, login, world, handler, app):
    login(handler)
    html = client.get(reverse("staff_applications:workbench")).content.decode()
    assert app.number in html and "张三" in html
    assert ID not in html and PHONE not in html
    assert "110*************2X" in html and "138****8000" in html
    assert "已登记" in html


def test_workbench_sorts_into_overdue_due_soon_and_mine(client, login, world, handler, make_user):
    other = make_user(world.a.township, Role.HANDLER, "other")
    late = register(world.a.township, handler, workdays_ago(25))
    soon = register(world.a.township, handler, workdays_ago(18), name="李四")
    theirs = register(world.a.township, handler, workdays_ago(1), name="王五", handler=other)
    mine = register(world.a.township, handler, workdays_ago(1), name="赵六", handler=handler)
    login(handler)
    html = client.get(reverse("staff_applications:workbench")).content.decode()
    overdue = section(html, "overdue", "due-soon")
    due_soon = section(html, "due-soon", "mine")
    my_work = section(html, "mine", "all")
    assert late.number in overdue and "逾期 " in overdue and soon.number not in overdue
    assert soon.number in due_soon and late.number not in due_soon
    assert mine.number in my_work and late.number in my_work  # unassigned counts as mine
    assert theirs.number not in my_work


def test_workbench_filters_open_work_by_status(client, login, world, handler, app):
    services.record_event(app, clock.CORRECTION_REQUESTED, by=handler, note="请写明项目名称")
    fresh = register(world.a.township, handler, name="李四")
    login(handler)
    html = client.get(reverse("staff_applications:workbench"),
                      {"status": clock.AWAITING_CORRECTION}).content.decode()
    listed = section(html, "by-status", "all")
    assert "等待补正（1）" in listed and app.number in listed and fresh.number not in listed


def test_workbench_searches_and_pages(client, login, world, handler):
    for i in range(27):
        register(world.a.township, handler, workdays_ago(1), name=f"申请人{i:02d}")
    special = register(world.a.township, handler, request="关于河道整治的环评报告", name="钱七")
    login(handler)
    url = reverse("staff_applications:workbench")
    first = client.get(url).content.decode()
    assert "共 28 件" in first and "第 1 页，共 2 页" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert section(second, "all", "nothing").count('href="/staff/applications/') == 3
    for words in ("河道整治", "钱七", special.number, special.tracking_number.lower()):
        found = section(client.get(url, {"q": words}).content.decode(), "all", "nothing")
        assert "共 1 件" in found and special.number in found, words
    hostile = client.get(url, {"q": "<script>alert(1)</script>", "page": "x"})
    assert hostile.status_code == 200
    assert b"<script>alert(1)" not in hostile.content and b"&lt;script&gt;" in hostile.content


def test_workbench_shows_only_the_agencies_in_scope(client, login, world, make_user, handler):
    register(world.b.township, None, name="乙方申请人")
    mine = register(world.a.township, handler, name="甲方申请人")
    login(handler)
    html = client.get(reverse("staff_applications:workbench")).content.decode()
    assert mine.number in html and "甲方申请人" in html and "乙方申请人" not in html


# -- registering -----------------------------------------------------------------------------


def register_data(**over) -> dict:
    data = {**PERSON, "received_on": today().isoformat(), "address": "某市某路1号",
            "email": "zhang@example.cn", "fee_method": ""}
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def test_register_form_stores_and_shows_the_query_code_once(client, login, world, registrar):
    login(registrar)
    url = reverse("staff_applications:register", args=[world.a.township.pk])
    page = client.get(url).content.decode()
    assert "以邮寄方式提交的，以行政机关签收之日为收到申请之日" in page  # Art. 31, by the choice
    upload = SimpleUploadedFile("申请书.pdf", PDF, content_type="application/pdf")
    response = client.post(url, {**register_data(), "attachments": [upload]})
    app = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(app)
    assert app.registered_by == registrar and app.id_number == ID
    assert app.attachments.get().name == "申请书.pdf"
    shown = client.get(detail_url(app)).content.decode()
    assert 'id="query-code"' in shown
    code = shown.split('id="query-code">', 1)[1].split("<", 1)[0]
    assert services.verify_query_code(app.tracking_number, code) == app
    assert ID in shown and PHONE in shown  # the one page with the full numbers
    assert 'id="query-code"' not in client.get(detail_url(app)).content.decode()
    download = client.get(reverse("staff_applications:attachment",
                                  args=[app.pk, app.attachments.get().pk]))
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]


@pytest.mark.parametrize("over, message", [
    ({"id_number": "110105194912310021"}, "居民身份证号码校验位不正确"),
    ({"id_number": "12345"}, "居民身份证号码应为18位"),
    ({"received_on": (date.today() + timedelta(days=400)).isoformat()}, "不能晚于今天"),
    ({"received_on": "2025-13-45"}, "日期无效"),
    ({"received_on": "1999-01-01"}, "不能早于 2008-05-01"),
    ({"channel": "carrier_pigeon"}, "申请方式的选项无效"),
    ({"name": None}, "请填写姓名或名称"),
    ({"phone": "<script>"}, "联系电话只能包含数字"),
    ({"email": "not-an-address"}, "电子邮箱格式不正确"),
    ({"request": "查" * 5001}, "申请公开的政府信息不能超过 5000 个字"),
])
def test_register_form_refuses_bad_input_in_chinese(client, login, world, registrar, over,
                                                     message):
    login(registrar)
    url = reverse("staff_applications:register", args=[world.a.township.pk])
    response = client.post(url, register_data(**over))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Application.objects.exists()


def test_a_passport_number_is_not_checksummed(client, login, world, registrar):
    login(registrar)
    url = reverse("staff_applications:register", args=[world.a.township.pk])
    response = client.post(url, register_data(id_type="passport", id_number="E12345678"))
    assert response.status_code == 302
    assert Application.objects.get().id_number == "E12345678"


def test_register_refuses_a_file_that_is_not_a_document(client, login, world, registrar):
    login(registrar)
    url = reverse("staff_applications:register", args=[world.a.township.pk])
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(url, {**register_data(), "attachments": [fake]})
    assert response.status_code == 400
    assert "不是 PDF、JPG、PNG 或 DOCX 文件" in response.content.decode()
    assert not Application.objects.exists() and not Attachment.objects.exists()


def test_only_roles_that_register_see_the_form(client, login, world, make_user):
    url = reverse("staff_applications:register", args=[world.a.township.pk])
    login(make_user(world.a.district, Role.SUPERVISOR))
    assert client.get(url).status_code == 403
    assert client.post(url, register_data()).status_code == 403
    login(make_user(world.b.township, Role.ADMIN))
    assert client.get(url).status_code == 404
    assert not Application.objects.exists()


# -- the application page --------------------------------------------------------------------


def test_page_explains_the_due_date_across_national_day(client, login, world, head):
    app = register(world.a.township, head, date(2025, 9, 26))
    login(head)
    html = client.get(detail_url(app)).content.decode()
    explanation = section(html, "explanation", "details")
    assert "2025-09-26 收到申请，自次日起算20个工作日" in explanation
    assert "10-01…10-08" in explanation and "09-28" in explanation and "10-11" in explanation
    assert 'id="due">2025-10-30<' in html
    assert "已逾期" in section(html, "deadline", "explanation")


def test_page_marks_a_provisional_deadline_and_says_why(client, login, monkeypatch, head, app):
    # A calendar that knows no year at all (as for a year the package and the administrator
    # have not covered yet): the deadline is counted Monday to Friday and marked provisional.
    import functools

    from gongkai.applications import calendar

    monkeypatch.setattr(calendar, "Calendar",
                        functools.partial(calendar.Calendar, use_package=False))
    login(head)
    html = client.get(detail_url(app)).content.decode()
    state = section(html, "deadline", "details")
    assert "期限为暂定" in state and f"{today().year}年的放假安排尚未录入" in state
    assert "暂定" in section(client.get(reverse("staff_applications:workbench")).content.decode(),
                           "mine", "all")


def test_page_offers_only_what_the_statute_allows_now(client, login, world, handler, app):
    login(handler)
    html = client.get(detail_url(app)).content.decode()
    actions = section(html, "actions", "nothing")
    assert 'id="action-correction_requested"' in actions
    assert 'id="action-consultation_sent"' in actions
    assert 'id="action-answered"' not in actions  # signing an answer is the head's
    assert 'id="action-correction_received"' not in actions
    assert 'id="action-extension_approved"' not in actions  # handler: not the head's power
    assert "收到补正：没有待补正的要求" in section(html, "unavailable", "nothing")


def test_a_supervisor_reads_but_has_nothing_to_do(client, login, world, make_user, app):
    login(make_user(world.a.district, Role.SUPERVISOR))
    html = client.get(detail_url(app)).content.decode()
    assert ID in html
    assert "<form method=\"post\" action=\"/staff/applications/" not in html
    response = post_event(client, app, clock.CORRECTION_REQUESTED, note="补正")
    assert response.status_code == 403 and not app.events.exists()


def test_another_agency_gets_404_everywhere(client, login, world, make_user, app):
    login(make_user(world.b.township, Role.HEAD))
    assert client.get(detail_url(app)).status_code == 404
    assert post_event(client, app, clock.CORRECTION_REQUESTED, note="x").status_code == 404
    assert not app.events.exists()


def test_a_registrar_cannot_approve_an_extension(client, login, world, registrar, app):
    login(registrar)
    html = client.get(detail_url(app)).content.decode()
    assert 'id="action-extension_approved"' not in html
    response = post_event(client, app, clock.EXTENSION_APPROVED, working_days=10, note="复杂")
    assert response.status_code == 403 and not app.events.exists()


def test_unknown_event_kind_is_404(client, login, handler, app):
    login(handler)
    assert post_event(client, app, "promoted", note="x").status_code == 404
    assert client.get(record_url(app, clock.CORRECTION_REQUESTED)).status_code == 405


# -- events through the page -----------------------------------------------------------------


def test_correction_then_answer(client, login, world, handler, head, app):
    login(handler)
    until = (today() + timedelta(days=15)).isoformat()
    r = post_event(client, app, clock.CORRECTION_REQUESTED, note="请写明项目名称", until=until)
    assert r.status_code == 302 and r["Location"].endswith("#timeline")
    page = client.get(detail_url(app)).content.decode()
    assert "等待补正" in page and "收到补正后重新起算" in page and f"补正期限：{until}" in page
    assert post_event(client, app, clock.CORRECTION_RECEIVED).status_code == 302
    page = client.get(detail_url(app)).content.decode()
    assert "收到补正后的申请，自次日重新起算20个工作日" in page and 'id="days-left">20<' in page
    # Signing an answer is the head's; the handler's attempt stores nothing.
    assert post_event(client, app, clock.ANSWERED, outcome="granted").status_code == 403
    login(head)
    assert post_event(client, app, clock.ANSWERED, outcome="granted",
                      note="予以公开").status_code == 302
    page = client.get(detail_url(app)).content.decode()
    assert "已办结" in page and "（一）予以公开" in section(page, "timeline", "actions")
    kinds = list(app.events.values_list("kind", "outcome"))
    assert kinds == [(clock.CORRECTION_REQUESTED, ""), (clock.CORRECTION_RECEIVED, ""),
                     (clock.ANSWERED, "granted")]
    assert "本申请已办结" in page and "不能再登记办理事项" in page


def test_extension_moves_the_due_date(client, login, world, head, app):
    login(head)
    before = app.events.count()
    due = client.get(detail_url(app)).content.decode().split('id="due">', 1)[1][:10]
    r = post_event(client, app, clock.EXTENSION_APPROVED, working_days=20, note="需要调档")
    assert r.status_code == 302 and app.events.count() == before + 1
    page = client.get(detail_url(app)).content.decode()
    moved = page.split('id="due">', 1)[1][:10]
    from gongkai.applications.calendar import current_calendar

    assert moved == current_calendar().add_working_days(date.fromisoformat(due), 20).due.isoformat()
    assert "批准延期20个工作日" in page and "延长 20 个工作日" in page


def test_a_second_extension_is_refused_with_the_reason(client, login, head, app):
    login(head)
    post_event(client, app, clock.EXTENSION_APPROVED, working_days=5, note="一次")
    r = post_event(client, app, clock.EXTENSION_APPROVED, working_days=5, note="两次")
    assert r.status_code == 400 and "只能延期一次（条例第三十三条）" in r.content.decode()
    assert app.events.count() == 1


def test_an_answer_after_closing_is_refused(client, login, head, app):
    login(head)
    post_event(client, app, clock.ANSWERED, outcome="granted")
    r = post_event(client, app, clock.ANSWERED, outcome="partially_granted")
    assert r.status_code == 400 and "办结，不能再登记答复" in r.content.decode()
    assert list(app.events.values_list("outcome", flat=True)) == ["granted"]


def test_consultation_pauses_and_answers(client, login, head, app):
    login(head)
    r = post_event(client, app, clock.CONSULTATION_SENT, to="某公司", note="涉及商业秘密")
    assert r.status_code == 302
    page = client.get(detail_url(app)).content.decode()
    assert "征询意见中" in page and "暂停计时中" in page and "征询对象：某公司" in page
    assert 'id="action-consultation_answered"' in page
    assert post_event(client, app, clock.CONSULTATION_ANSWERED).status_code == 302
    assert "办理中" in client.get(detail_url(app)).content.decode()


def test_fee_notice_shows_and_stores_the_tiers(client, login, handler, app):
    login(handler)
    page = client.get(detail_url(app), {"fee_method": "per_page", "fee_units": "120"})
    html = page.content.decode()
    breakdown = section(html, "fee-breakdown", "nothing")
    assert "31–100页：70页 × 10元 = 700元" in breakdown and "合计 1100 元" in breakdown
    bad = client.get(detail_url(app), {"fee_method": "per_page", "fee_units": "lots"})
    assert "件数或页数应为" in bad.content.decode()
    r = post_event(client, app, clock.FEE_NOTICE_SENT, method="per_page", units=120)
    assert r.status_code == 302
    event = app.events.get()
    assert event.data["fee_yuan"] == "1100" and event.data["units"] == 120
    page = client.get(detail_url(app)).content.decode()
    assert "收费 1100 元（按量计收，120）" in page and "等待缴费" in page
    assert post_event(client, app, clock.FEE_PAID).status_code == 302
    assert "办理中" in client.get(detail_url(app)).content.decode()


def test_a_free_fee_notice_is_refused(client, login, handler, app):
    login(handler)
    r = post_event(client, app, clock.FEE_NOTICE_SENT, method="per_application", units=3)
    assert r.status_code == 400 and "不收费，无需发出收费通知" in r.content.decode()
    assert not app.events.exists()


def test_withdrawal_closes_the_case(client, login, registrar, app):
    login(registrar)
    assert post_event(client, app, clock.WITHDRAWN, note="申请人电话撤回").status_code == 302
    page = client.get(detail_url(app)).content.decode()
    assert "已撤回" in page and "撤回日期" in page


def test_an_event_keeps_its_document(client, login, handler, app):
    login(handler)
    doc = SimpleUploadedFile("补正告知书.pdf", PDF, content_type="application/pdf")
    r = client.post(record_url(app, clock.CORRECTION_REQUESTED), {
        "correction_requested-date": today().isoformat(),
        "correction_requested-note": "请写明项目名称",
        "correction_requested-attachment": doc})
    assert r.status_code == 302
    att = app.events.get().attachments.get()
    assert att.name == "补正告知书.pdf"
    timeline = section(client.get(detail_url(app)).content.decode(), "timeline", "actions")
    assert reverse("staff_applications:attachment", args=[app.pk, att.pk]) in timeline


# -- hostile and malformed input -------------------------------------------------------------


@pytest.mark.parametrize("kind, fields, message", [
    (clock.CORRECTION_REQUESTED, {"date": "2025-02-30", "note": "x"}, "日期无效"),
    (clock.CORRECTION_REQUESTED, {"date": "", "note": "x"}, "请填写日期"),
    (clock.CORRECTION_REQUESTED, {"note": ""}, "请填写需要补正的事项"),
    (clock.CORRECTION_REQUESTED, {"note": "x" * 2001}, "不能超过 2000 个字"),
    (clock.CORRECTION_REQUESTED, {"date": "2099-01-01", "note": "x"}, "日期不能晚于今天"),
    (clock.CORRECTION_REQUESTED, {"date": "2008-06-01", "note": "x"}, "日期不能早于收到申请日期"),
    (clock.ANSWERED, {"outcome": "granted_twice"}, "办理结果不是年度报告表三的情形之一"),
    (clock.ANSWERED, {"outcome": clock.NO_CORRECTION}, "办理结果不是年度报告表三的情形之一"),
    (clock.ANSWERED, {"outcome": ""}, "请选择办理结果"),
    (clock.EXTENSION_APPROVED, {"working_days": 21, "note": "x"}, "延期不得超过20个工作日"),
    (clock.EXTENSION_APPROVED, {"working_days": 0, "note": "x"}, "至少为 1"),
    (clock.EXTENSION_APPROVED, {"working_days": "二十", "note": "x"}, "应为整数"),
    (clock.EXTENSION_APPROVED, {"working_days": 5}, "请填写告知申请人的延期理由"),
    (clock.FEE_NOTICE_SENT, {"method": "per_kilo", "units": 5}, "计收方式无效"),
    (clock.FEE_NOTICE_SENT, {"method": "per_page", "units": 10**9}, "件数或页数过大"),
    (clock.ABANDONED, {}, "只有在等待补正时才能按逾期不补正处理"),
    (clock.CONSULTATION_ANSWERED, {}, "没有进行中的征询"),
])
def test_malformed_event_input_is_refused_in_chinese(client, login, head, app, kind, fields,
                                                     message):
    login(head)
    r = post_event(client, app, kind, **fields)
    assert r.status_code == 400
    assert message in r.content.decode()
    assert not ApplicationEvent.objects.exists()


def test_a_10_mb_note_is_refused_and_nothing_stored(client, login, head, app):
    login(head)
    r = client.post(record_url(app, clock.CORRECTION_REQUESTED), {
        "correction_requested-date": today().isoformat(),
        "correction_requested-note": "x" * (10 * 1024 * 1024 + 1)})
    assert r.status_code == 400
    assert "提交的内容过大" in r.content.decode()
    assert not ApplicationEvent.objects.exists()


def test_script_in_a_note_is_shown_as_text(client, login, handler, app):
    login(handler)
    note = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    assert post_event(client, app, clock.CORRECTION_REQUESTED, note=note).status_code == 302
    html = client.get(detail_url(app)).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_event_posts_need_the_csrf_token(world, handler, app):
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    c.force_login(handler)
    r = c.post(record_url(app, clock.CORRECTION_REQUESTED),
               {"correction_requested-date": today().isoformat(),
                "correction_requested-note": "x"})
    assert r.status_code == 403 and not app.events.exists()


# -- assigning a handler (指派承办人) ----------------------------------------------------------


def assign_url(app) -> str:
    return reverse("staff_applications:assign", args=[app.pk])


def options(html: str) -> str:
    """The assign form's select, from the page."""
    return section(html, "id_assign-handler", "/select")


def test_the_head_chooses_among_the_agency_staff_who_may_handle(client, login, world, head,
                                                                handler, registrar, make_user,
                                                                app):
    outsider = make_user(world.b.township, Role.HANDLER, "outsider")
    make_user(world.a.district, Role.SUPERVISOR, "watcher")
    login(head)
    choices = options(client.get(detail_url(app)).content.decode())
    assert f'value="{handler.pk}"' in choices and f'value="{head.pk}"' in choices
    for name in ("registrar", "watcher", "outsider"):
        assert f">{name}<" not in choices
    assert f'value="{outsider.pk}"' not in choices


@pytest.mark.parametrize("role", [Role.HANDLER, Role.REGISTRAR])
def test_only_the_head_and_administrator_see_the_assign_form(client, login, world, make_user,
                                                             app, role):
    login(make_user(world.a.township, role))
    assert 'id="assign"' not in client.get(detail_url(app)).content.decode()
    login(make_user(world.a.township, Role.ADMIN))
    assert 'id="assign"' in client.get(detail_url(app)).content.decode()


def test_an_assigned_application_is_the_handlers_work(client, login, world, head, handler,
                                                      make_user):
    other = make_user(world.a.township, Role.HANDLER, "other")
    app = register(world.a.township, head, workdays_ago(1), handler=other)
    login(head)
    response = client.post(assign_url(app), {"assign-handler": handler.pk})
    assert response.status_code == 302 and response["Location"].endswith("#details")
    page = client.get(response["Location"]).content.decode()
    assert "已指派 handler 承办本申请" in page
    assert 'id="handler-name">handler</span>' in page
    app.refresh_from_db()
    assert app.handler == handler
    login(handler)
    assert app.number in section(client.get(reverse("staff_applications:workbench"))
                                 .content.decode(), "mine", "all")
    login(other)
    assert app.number not in section(client.get(reverse("staff_applications:workbench"))
                                     .content.decode(), "mine", "all")


@pytest.mark.parametrize("forged", [
    "outsider", "registrar", "999999", "0", "-1", "1.5", "abc", "", "99999999999999999999",
    "1 OR 1=1", "<script>alert(1)</script>", "\x00",
])
def test_a_forged_handler_is_refused_in_chinese(client, login, world, head, handler, registrar,
                                                make_user, app, forged):
    outsider = make_user(world.b.township, Role.HANDLER, "outsider")
    value = {"outsider": outsider.pk, "registrar": registrar.pk}.get(forged, forged)
    login(head)
    response = client.post(assign_url(app), {"assign-handler": value})
    assert response.status_code == 400
    html = response.content.decode()
    reason = "请选择承办人" if forged == "" else "所选人员不是本机关的承办人员，不能指派"
    assert f"未能指派承办人：{reason}" in html
    assert "Traceback" not in html and "<script>alert(1)" not in html
    app.refresh_from_db()
    assert app.handler is None


def test_two_handler_values_are_refused(client, login, head, handler, app):
    login(head)
    response = client.post(assign_url(app), {"assign-handler": [str(head.pk), "junk"]})
    app.refresh_from_db()
    # The form reads the last value; one junk value is enough to be refused.
    assert response.status_code == 400 and app.handler is None


def test_a_handler_who_left_meanwhile_is_refused_by_the_service(client, login, world, head,
                                                               handler, make_user, app,
                                                               monkeypatch):
    leaving = make_user(world.a.township, Role.HANDLER, "leaving")
    login(head)
    # Listed when the form is built, refused when the service asks again.
    monkeypatch.setattr(services.scope, "can", lambda user, action, agency: user != leaving)
    response = client.post(assign_url(app), {"assign-handler": leaving.pk})
    assert response.status_code == 400
    assert "所选人员不能承办该机关的申请，不能指派" in response.content.decode()
    app.refresh_from_db()
    assert app.handler is None


@pytest.mark.parametrize("role", [Role.HANDLER, Role.REGISTRAR])
def test_who_may_not_assign_gets_403(client, login, world, make_user, head, app, role):
    login(make_user(world.a.township, role))
    assert client.post(assign_url(app), {"assign-handler": head.pk}).status_code == 403
    app.refresh_from_db()
    assert app.handler != head


def test_assigning_is_a_csrf_protected_post(world, head, app):
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    c.force_login(head)
    assert c.post(assign_url(app), {"assign-handler": head.pk}).status_code == 403
    assert c.get(assign_url(app)).status_code == 405
    app.refresh_from_db()
    assert app.handler != head


# -- the letters sent (文书) --------------------------------------------------------------------


def test_the_page_lists_the_letters_issued_and_drafted(client, login, head, handler, app):
    from gongkai.letters import services as letter_services

    login(handler)
    assert "尚未制作文书" in section(client.get(detail_url(app)).content.decode(),
                                    "letters", "actions")
    issued = letter_services.issue(letter_services.create_draft(app, "receipt", by=handler),
                                   by=handler)
    draft = letter_services.create_draft(app, "answer", by=handler, outcome="granted")
    letters = section(client.get(detail_url(app)).content.decode(), "letters", "actions")
    first, second = letters.split('class="letter-')[1:]
    assert first.startswith("issued") and issued.number in first and "受理回执" in first
    assert today().isoformat() in first and "已签发" in first
    assert reverse("letters:download", args=[issued.pk]) in first
    assert second.startswith("draft") and "草稿" in second and "（一）予以公开" in second
    assert reverse("letters:download", args=[draft.pk]) in second
    assert issued.number not in second
    assert reverse("letters:list", args=[app.pk]) in letters
    download = client.get(reverse("letters:download", args=[issued.pk]))
    assert download.status_code == 200 and download.content == bytes(issued.docx)


def test_application_page_queries_do_not_grow_with_the_letters(client, login, handler, app):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gongkai.letters import services as letter_services

    login(handler)
    letter_services.create_draft(app, "receipt", by=handler)
    with CaptureQueriesContext(connection) as few:
        client.get(detail_url(app))
    for _ in range(3):
        letter_services.issue(letter_services.create_draft(app, "receipt", by=handler),
                              by=handler)
    with CaptureQueriesContext(connection) as many:
        client.get(detail_url(app))
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


# -- calendar overrides ----------------------------------------------------------------------


def test_import_calendar_loads_a_year_and_replaces_it(db, tmp_path):
    first = tmp_path / "2031.json"
    first.write_text(json.dumps({"complete_years": [2031], "days": [
        {"date": "2031-01-01", "kind": "holiday", "name": "元旦"},
        {"date": "2031-01-02", "kind": "holiday", "name": "元旦"},
        {"date": "2031-01-04", "kind": "workday", "name": "元旦调休"}]}), encoding="utf-8")
    out = io.StringIO()
    call_command("import_calendar", str(first), source="国办发明电〔2030〕1号", stdout=out)
    assert CalendarDay.objects.filter(day__year=2031).count() == 3
    assert CalendarYear.objects.get(year=2031).source == "国办发明电〔2030〕1号"
    assert "3" in out.getvalue()
    again = tmp_path / "2031.csv"
    again.write_text("date,kind,name\n2031,year,\n2031-01-01,holiday,元旦\n", encoding="utf-8")
    call_command("import_calendar", str(again), stdout=io.StringIO())
    # The year is complete in the file: days no longer in it are gone.
    assert list(CalendarDay.objects.values_list("day", flat=True)) == [date(2031, 1, 1)]
    assert CalendarDay.objects.get().workday is False


def test_import_calendar_refuses_a_bad_file_and_changes_nothing(db, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("2031-01-01,holiday,元旦\n2031-02-30,holiday,春节\n", encoding="utf-8")
    with pytest.raises(CommandError, match="日期“2031-02-30”无效"):
        call_command("import_calendar", str(bad), stdout=io.StringIO())
    assert not CalendarDay.objects.exists()
    with pytest.raises(CommandError, match="无法读取"):
        call_command("import_calendar", str(tmp_path / "missing.csv"), stdout=io.StringIO())


def test_admin_edits_the_calendar_and_only_reads_events(admin_client, handler, app):
    assert admin_client.get(reverse("admin:applications_calendarday_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:applications_calendarday_add")).status_code == 200
    assert admin_client.get(reverse("admin:applications_calendaryear_add")).status_code == 200
    event = services.record_event(app, clock.WITHDRAWN, by=handler)
    model_admin = admin_site._registry[ApplicationEvent]
    assert admin_client.get(reverse("admin:applications_applicationevent_changelist")
                            ).status_code == 200
    assert admin_client.get(reverse("admin:applications_applicationevent_add")).status_code == 403
    change = reverse("admin:applications_applicationevent_change", args=[event.pk])
    assert admin_client.get(change).status_code == 200
    admin_client.post(change, {"note": "改写"})
    event.refresh_from_db()
    assert event.note == "" and not model_admin.has_delete_permission(None, event)


def test_workbench_queries_do_not_grow_with_the_applications(client, login, world, handler):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("staff_applications:workbench")
    login(handler)
    for _ in range(3):
        register(world.a.township, handler, workdays_ago(3))
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(30):
        app = register(world.a.township, handler, workdays_ago(i % 25))
        services.record_event(app, clock.CORRECTION_REQUESTED, by=handler, note="补正")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_application_page_queries_do_not_grow_with_the_events(client, login, world, head, app):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(head)
    services.record_event(app, clock.CONSULTATION_SENT, by=head, data={"to": "甲"})
    with CaptureQueriesContext(connection) as few:
        client.get(detail_url(app))
    services.record_event(app, clock.CONSULTATION_ANSWERED, by=head)
    services.record_event(app, clock.EXTENSION_APPROVED, by=head, data={"working_days": 3},
                          note="延期")
    with CaptureQueriesContext(connection) as many:
        client.get(detail_url(app))
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_a_closed_application_says_so_once_instead_of_refusing_every_step(client, login, head,
                                                                          app):
    services.record_event(app, clock.ANSWERED, by=head, data={"outcome": "granted"})
    html = login(head).get(detail_url(app)).content.decode()
    closed_on = today().isoformat()
    assert f"本申请已办结（{closed_on}），不能再登记办理事项。" in html
    assert 'id="unavailable"' not in html
