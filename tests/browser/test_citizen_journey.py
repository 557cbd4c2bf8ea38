"""A citizen applies online from the portal, writes down the tracking number and query code,
and later looks up the status with them. JavaScript off: the public pages must not need it."""

from __future__ import annotations

import re

import pytest

from browser.conftest import SHOTS
from gongkai import clock
from gongkai.agencies import services as agency_services
from gongkai.agencies.models import AgencyKind, Role
from gongkai.applications import selectors, services
from gongkai.applications.models import Application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ID_NUMBER = "11010519491231002X"


@pytest.fixture
def township():
    city = agency_services.create_agency(None, name="某市", kind=AgencyKind.CITY)
    district = agency_services.create_agency(None, name="甲区", kind=AgencyKind.DISTRICT,
                                             parent=city)
    t = agency_services.create_agency(None, name="甲乡", kind=AgencyKind.TOWNSHIP,
                                      parent=district)
    t.office_address, t.office_phone = "甲乡人民政府一楼政务服务大厅", "0311-1234567"
    t.office_hours = "工作日 上午9:00-12:00，下午13:30-17:00"
    t.save()
    return t


@pytest.fixture
def citizen(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN",
                                  java_script_enabled=False)
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_citizen_applies_and_tracks(live_server, citizen, township):
    page = citizen
    shots = []

    def shot(name):
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"citizen-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        shots.append(path)

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="在线提交申请").click()
    # A province lists thousands of agencies: the citizen finds theirs by name.
    page.get_by_label("查找机关").fill("甲乡")
    page.get_by_role("button", name="查找").click()
    assert page.get_by_text("名称含“甲乡”的机关共 1 个").is_visible()
    assert page.get_by_text("某市 › 甲区").is_visible()
    shot("apply-index-search")
    page.locator("tr", has_text="甲乡").get_by_role("link", name="申请公开").click()
    page.wait_for_url(f"**/apply/{township.pk}/")
    assert page.get_by_text("甲乡人民政府一楼政务服务大厅").is_visible()

    # First attempt with a mistyped ID number: the error sits by the field, nothing is lost.
    page.get_by_label("自然人").check()
    page.get_by_label("姓名或名称").fill("张三")
    page.get_by_label("证件类型").select_option(label="居民身份证")
    page.get_by_label("证件号码").fill("110105194912310021")
    page.get_by_label("联系电话").fill("13812345678")
    page.get_by_label("电子邮箱").fill("zhangsan@example.com")
    page.get_by_label("通讯地址").fill("某市甲区和平路1号")
    page.get_by_label("所需政府信息的名称").fill("2025年本乡村道修建项目的立项批复文件")
    page.get_by_label("纸质文本").check()
    page.get_by_label("邮寄").check()
    shot("apply-form")
    page.get_by_role("button", name="提交申请").click()
    error = page.locator("#id_id_number_error")
    assert "校验位不正确" in error.inner_text()
    assert page.get_by_label("所需政府信息的名称").input_value() == "2025年本乡村道修建项目的立项批复文件"
    assert page.get_by_label("邮寄").is_checked()
    shot("apply-form-errors")
    assert not Application.objects.exists()

    page.get_by_label("证件号码").fill(ID_NUMBER)
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url("**/apply/receipt/")
    shot("apply-receipt")
    number = page.locator("#tracking-number").inner_text().strip()
    code = page.locator("#query-code").inner_text().strip()
    assert re.fullmatch(r"GK[A-Z2-9]{10}", number) and re.fullmatch(r"\d{6}", code)
    assert page.get_by_text("只显示这一次").is_visible()
    app = Application.objects.get()
    assert app.tracking_number == number

    page.get_by_role("link", name="查询办理进度").click()
    page.get_by_label("查询编号").fill(number)
    page.get_by_label("查询码").fill("000000" if code != "000000" else "111111")
    page.get_by_role("button", name="查询").click()
    assert page.get_by_text("查询编号或查询码不正确").is_visible()
    assert page.get_by_label("查询码").input_value() == ""  # a wrong code is not echoed back
    shot("track-wrong")
    page.get_by_label("查询码").fill(code)
    page.get_by_role("button", name="查询").click()
    page.wait_for_url("**/apply/track/status/")
    shot("track-status")
    assert page.locator("#status").inner_text() == "已收到申请，正在办理"
    body = page.locator("main").inner_text()
    assert number in body and "甲乡" in body
    assert ID_NUMBER not in body and "13812345678" not in body and "138****5678" in body

    # The agency extends and answers; the status page shows both, without staff notes.
    head = agency_services.create_staff_user(None, username="head", password="pw-9x-head",
                                             agency=township, role=Role.HEAD)
    today = selectors.today()
    services.record_event(app, clock.EXTENSION_APPROVED, by=head, on=today,
                          data={"working_days": 10}, note="内部：承办人出差")
    services.record_event(app, clock.ANSWERED, by=head, on=today,
                          data={"outcome": "partially_granted"})
    page.reload()
    shot("track-status-answered")
    assert page.locator("#status").inner_text() == "已办结"
    events = page.locator("#events").inner_text()
    assert "批准延期" in events and "答复期限延长10个工作日" in events and "部分公开" in events
    assert "内部" not in page.locator("main").inner_text()
