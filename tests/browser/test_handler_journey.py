"""A handler requests a correction and receives it; the head approves an extension, and the due
date on the page moves by exactly that many working days; the head answers (予以公开)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from gongkai.agencies import services as agency_services
from gongkai.agencies.models import AgencyKind, Role
from gongkai.applications import services
from gongkai.applications.calendar import current_calendar
from gongkai.applications.models import Application

PASSWORD = "journey-pass-9x"
ID = "11010519491231002X"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def office(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    town = agency_services.create_agency(None, name="一平垣乡", kind=AgencyKind.TOWNSHIP)
    people = {role: agency_services.create_staff_user(None, username=role, password=PASSWORD,
                                                      agency=town, role=role)
              for role in (Role.HANDLER, Role.HEAD)}
    received = timezone.localdate() - timedelta(days=3)
    app = services.register(town, by=people[Role.HANDLER], applicant_type="natural_person",
                            name="张三", id_type="resident_id", id_number=ID,
                            phone="13800138000", channel="in_person", received_on=received,
                            request="2025年村道修建项目的批复文件和验收报告").application
    services.register(town, by=people[Role.HANDLER], applicant_type="commercial",
                      name="某某建材有限公司", id_type="credit_code",
                      id_number="91140000MA0K000001", phone="0351-1234567", channel="online",
                      received_on=received - timedelta(days=35),
                      request="本乡2025年砂石开采许可的审批材料")
    return town, app


def sign_in(page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def act(page, kind: str, button: str, **fields) -> None:
    """Open the action's panel, fill it in, submit, and wait for the page after the redirect."""
    panel = page.locator(f"#action-{kind}")
    if not panel.evaluate("e => e.open"):
        panel.locator("summary").click()
    for name, value in fields.items():
        selector = f"[name='{kind}-{name}']"
        if panel.locator(selector).evaluate("e => e.tagName") == "SELECT":
            panel.locator(selector).select_option(value)
        else:
            panel.locator(selector).fill(value)
    with page.expect_navigation():
        panel.get_by_role("button", name=button).click()


def test_correction_extension_and_answer(live_server, page, shot, office):
    town, app = office
    sign_in(page, live_server.url, Role.HANDLER)
    page.goto(f"{live_server.url}/staff/applications/agencies/{town.pk}/register/")
    assert page.get_by_text("以邮寄方式提交的，以行政机关签收之日为收到申请之日").is_visible()
    page.get_by_role("button", name="登记").click()  # empty: every required field says so
    assert page.get_by_text("请填写姓名或名称").first.is_visible()
    shot("application-register-errors")
    page.goto(live_server.url + "/staff/applications/")
    shot("applications-workbench")
    assert ID not in page.content()
    assert page.locator("#overdue ~ table").first.get_by_text("某某建材有限公司").is_visible()
    page.get_by_role("link", name=app.number).first.click()
    page.wait_for_url(f"**/staff/applications/{app.pk}/")
    assert page.locator("#id-number").inner_text() == ID

    until = (timezone.localdate() + timedelta(days=15)).isoformat()
    act(page, "correction_requested", "发出补正通知", note="请写明所需文件的项目名称和年份",
        until=until)
    assert page.locator(".gk-state").get_by_text("等待补正").is_visible()
    assert page.locator("#due").inner_text() == "—"
    act(page, "correction_received", "登记收到补正")
    assert page.locator(".gk-state").get_by_text("办理中").is_visible()
    assert page.locator("#days-left").inner_text() == "20"
    assert page.locator("#action-answered").count() == 0  # the head signs answers
    shot("application-after-correction")

    page.context.clear_cookies()
    sign_in(page, live_server.url, Role.HEAD)
    page.goto(f"{live_server.url}/staff/applications/{app.pk}/")
    due_before = date.fromisoformat(page.locator("#due").inner_text())
    act(page, "extension_approved", "批准延期", working_days="15",
        note="需调取多个年度的档案，延期答复")
    due_after = date.fromisoformat(page.locator("#due").inner_text())
    assert due_after == current_calendar().add_working_days(due_before, 15).due
    assert page.locator("#explanation").get_by_text("批准延期15个工作日").is_visible()
    assert page.locator("#timeline").get_by_text("延长 15 个工作日").is_visible()
    shot("application-extended")

    # The fee notice's calculator: the tiers and the sum before anything is sent.
    page.goto(f"{live_server.url}/staff/applications/{app.pk}/?fee_method=per_page&fee_units=120")
    breakdown = page.locator("#fee-breakdown")
    assert breakdown.get_by_text("101–200页：20页 × 20元 = 400元").is_visible()
    assert breakdown.get_by_text("合计 1100 元").is_visible()
    page.locator("#action-answered summary").click()
    shot("application-forms-open")

    act(page, "answered", "登记答复", outcome="granted", note="提供批复文件复印件")
    assert page.locator(".gk-state").get_by_text("已办结").is_visible()
    assert page.locator("#timeline").get_by_text("（一）予以公开").is_visible()
    shot("application-answered")
    assert list(Application.objects.get(pk=app.pk).events.values_list("kind", flat=True)) == [
        "correction_requested", "correction_received", "extension_approved", "answered"]
