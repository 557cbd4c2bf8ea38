"""The head assigns an application to a handler (指派承办人) on its page, where the letters sent
for it are listed; a forged choice is refused in Chinese; the handler signs in and finds the
application under 我的待办 on the workbench, and another handler no longer does."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from gongkai.agencies import services as agency_services
from gongkai.agencies.models import AgencyKind, Role
from gongkai.applications import services
from gongkai.applications.models import Application
from gongkai.letters import services as letter_services

PASSWORD = "journey-pass-9x"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def office(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    town = agency_services.create_agency(None, name="一平垣乡", kind=AgencyKind.TOWNSHIP)
    other_town = agency_services.create_agency(None, name="二平垣乡", kind=AgencyKind.TOWNSHIP)

    def person(username, role, name, agency=town):
        return agency_services.create_staff_user(None, username=username, password=PASSWORD,
                                                 agency=agency, role=role, full_name=name)

    people = {"head": person("head", Role.HEAD, "赵主任"),
              "li": person("li", Role.HANDLER, "李承办"),
              "wang": person("wang", Role.HANDLER, "王承办"),
              "registrar": person("registrar", Role.REGISTRAR, "孙登记"),
              "outsider": person("outsider", Role.HANDLER, "外乡承办", other_town)}
    app = services.register(
        town, by=people["registrar"], applicant_type="natural_person", name="张三",
        id_type="resident_id", id_number="11010519491231002X", phone="13800138000",
        channel="in_person", received_on=timezone.localdate() - timedelta(days=3),
        request="2025年村道修建项目的批复文件和验收报告", handler=people["wang"]).application
    receipt = letter_services.create_draft(app, "receipt", by=people["wang"])
    letter_services.issue(receipt, by=people["wang"])
    letter_services.create_draft(app, "answer", by=people["wang"], outcome="granted")
    return app, people


def sign_in(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def my_work(page, base: str):
    page.goto(base + "/staff/applications/")
    # The rows between the 我的待办 heading and the next one.
    return page.locator("#mine + table")


def test_head_assigns_and_the_handler_finds_it(live_server, page, shot, office):
    app, people = office
    base = live_server.url
    sign_in(page, base, "li")
    assert my_work(page, base).get_by_text(app.number).count() == 0  # 王承办's, not mine

    sign_in(page, base, "head")
    page.goto(f"{base}/staff/applications/{app.pk}/")
    assert page.locator("#handler-name").inner_text() == "王承办"
    select = page.locator("#id_assign-handler")
    labels = select.locator("option").all_inner_texts()
    assert {"李承办", "王承办", "赵主任"} <= set(labels)
    assert "孙登记" not in labels and "外乡承办" not in labels

    # The letters sent for it, beside the timeline: the issued receipt and a draft answer.
    letters = page.locator("#letter-list")
    issued = letters.locator("tr.letter-issued")
    receipt = app.letters.get(kind="receipt")
    assert issued.get_by_text(receipt.number).is_visible()
    assert issued.get_by_text(timezone.localdate().isoformat()).is_visible()
    assert issued.get_by_role("link", name="下载").get_attribute("href") == (
        f"/staff/letters/{receipt.pk}/download/")
    assert letters.locator("tr.letter-draft").get_by_text("草稿", exact=True).is_visible()

    # A forged choice (another agency's handler) is refused in Chinese, nothing changes.
    select.evaluate("(s, id) => { s.options[1].value = String(id); }", people["outsider"].pk)
    select.select_option(index=1)
    with page.expect_navigation():
        page.locator("#assign").get_by_role("button", name="指派").click()
    assert page.get_by_role("alert").get_by_text(
        "未能指派承办人：所选人员不是本机关的承办人员，不能指派").is_visible()
    assert "Traceback" not in page.content()
    assert Application.objects.get(pk=app.pk).handler == people["wang"]
    shot("application-assign-refused")

    page.goto(f"{base}/staff/applications/{app.pk}/")
    page.locator("#id_assign-handler").select_option(label="李承办")
    with page.expect_navigation():
        page.locator("#assign").get_by_role("button", name="指派").click()
    assert page.get_by_text("已指派 李承办 承办本申请。").is_visible()
    assert page.locator("#handler-name").inner_text() == "李承办"
    shot("application-assigned")

    sign_in(page, base, "li")
    mine = my_work(page, base)
    assert mine.get_by_role("link", name=app.number).is_visible()
    shot("workbench-assigned-to-me")
    sign_in(page, base, "wang")
    assert my_work(page, base).get_by_text(app.number).count() == 0
