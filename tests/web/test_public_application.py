"""The public side of 依申请公开: the online form, the receipt, tracking, limits, e-mail."""

from __future__ import annotations

import re
import threading

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from gongkai import clock
from gongkai.agencies.models import Role
from gongkai.applications import selectors, services
from gongkai.applications.models import Application, ApplicationEvent, Attachment

ID_NUMBER = "11010519491231002X"
PHONE = "13812345678"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def fresh_cache():
    # Rate-limit counters and double-submit hand-offs live in the (process-wide) cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def agency(world):
    a = world.a.township
    a.office_address, a.office_phone, a.office_hours = "甲乡人民政府一楼", "0311-1234567", "工作日 9:00-17:00"
    a.save()
    return a


def form_url(agency) -> str:
    return f"/apply/{agency.pk}/"


def fresh_key(client, agency) -> str:
    html = client.get(form_url(agency)).content.decode()
    return re.search(r'name="key" value="([^"]+)"', html).group(1)


def valid(**overrides) -> dict:
    data = {
        "applicant_type": "natural_person", "name": "张三", "contact_person": "",
        "id_type": "resident_id", "id_number": ID_NUMBER.lower(), "phone": PHONE,
        "email": "zhangsan@example.com", "address": "某市甲区某路1号",
        "request": "2025年村道修建项目的立项批复文件", "purpose": "了解本村道路规划",
        "form_requested": "纸质文本", "delivery": "邮寄",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def submit(client, agency, **overrides):
    data = valid(**overrides)
    data.setdefault("key", fresh_key(client, agency))
    return client.post(form_url(agency), data)


def page(response) -> str:
    return response.content.decode()


def apply_and_track(client, agency, **overrides):
    """Apply, read the receipt; returns (application, query code)."""
    r = submit(client, agency, **overrides)
    assert r.status_code == 302 and r["Location"] == "/apply/receipt/"
    html = page(client.get("/apply/receipt/"))
    code = re.search(r'id="query-code">(\d{6})<', html).group(1)
    return Application.objects.get(), code


# -- the form -----------------------------------------------------------------------------


def test_form_shows_the_agency_office_and_all_applicant_types(client, agency):
    html = page(client.get(form_url(agency)))
    for text in ("甲乡人民政府一楼", "0311-1234567", "工作日 9:00-17:00",
                 "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "法人或其他组织"):
        assert text in html, text
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'enctype="multipart/form-data"' in html


def test_a_valid_application_is_registered_online_today_with_a_receipt(client, agency):
    r = submit(client, agency)
    assert r.status_code == 302 and r["Location"] == "/apply/receipt/"
    assert "query" not in r["Location"]  # the code never travels in a URL
    app = Application.objects.get()
    assert app.agency == agency and app.channel == "online"
    assert app.received_on == selectors.today()
    assert app.id_number == ID_NUMBER  # normalised: upper-case X
    assert app.registered_by is None and app.number.endswith("-0001")

    receipt = client.get("/apply/receipt/")
    html = page(receipt)
    assert receipt["Cache-Control"] == "no-store"
    assert app.tracking_number in html
    code = re.search(r'id="query-code">(\d{6})<', html).group(1)
    assert services.verify_query_code(app.tracking_number, code) == app
    assert "只显示这一次" in html
    due = selectors.application_state(app).due.due
    assert f"{due.year}年{due.month}月{due.day}日" in html
    assert "20个工作日" in html and "双方确认之日" in html
    assert ID_NUMBER not in html and PHONE not in html

    # Shown once: the receipt again keeps the tracking number but not the code.
    again = page(client.get("/apply/receipt/"))
    assert app.tracking_number in again and code not in again and "不再显示" in again


def test_receipt_without_a_submission_goes_to_the_lookup(client, db):
    r = client.get("/apply/receipt/")
    assert r.status_code == 302 and r["Location"] == "/apply/track/"


def test_an_organisation_applies_with_contact_person_and_credit_code(client, agency):
    r = submit(client, agency, applicant_type="legal_service", name="某律师事务所",
               contact_person="李四", id_type="credit_code", id_number="91110000600037341L")
    assert r.status_code == 302
    app = Application.objects.get()
    assert (app.applicant_type, app.contact_person) == ("legal_service", "李四")


ERRORS = [
    ("name", {"name": ""}, "请填写姓名或名称"),
    ("applicant_type", {"applicant_type": None}, "请选择申请人类型"),
    ("applicant_type", {"applicant_type": "alien"}, "请从列出的申请人类型中选择"),
    ("contact_person", {"applicant_type": "commercial", "id_type": "credit_code",
                        "id_number": "91110000600037341L"}, "法人或其他组织请填写联系人"),
    ("id_type", {"id_type": "driving_licence"}, "请从列出的证件类型中选择"),
    ("id_type", {"id_type": "credit_code", "id_number": "91110000600037341L"},
     "自然人请选择身份证件"),
    ("id_number", {"id_number": ""}, "请填写证件号码"),
    ("id_number", {"id_number": "110105194912310021"}, "校验位不正确"),
    ("id_number", {"id_number": "11010519491331002X"}, "出生日期无效"),
    ("id_number", {"id_number": "1101051949"}, "应为18位"),
    ("id_number", {"applicant_type": "research", "contact_person": "王五",
                   "id_type": "credit_code", "id_number": "abc"}, "统一社会信用代码应为18位"),
    ("phone", {"phone": ""}, "请填写联系电话"),
    ("phone", {"phone": "12ab"}, "请输入有效的电话号码"),
    ("email", {"email": "not-an-address"}, "请输入有效的电子邮箱地址"),
    ("email", {"email": "", "delivery": "电子邮件"}, "请填写电子邮箱"),
    ("address", {"address": "", "delivery": "邮寄"}, "请填写通讯地址"),
    ("request", {"request": "  "}, "请填写所需政府信息的描述"),
    ("request", {"request": "政" * 2001}, "2000"),
    ("form_requested", {"form_requested": None}, "请选择信息的载体形式"),
    ("delivery", {"delivery": "飞鸽传书"}, "请从列出的方式中选择"),
]


@pytest.mark.parametrize(("field", "change", "message"), ERRORS,
                         ids=[f"{f}-{m}" for f, _, m in ERRORS])
def test_each_error_is_shown_in_chinese_next_to_its_field(client, agency, field, change, message):
    r = submit(client, agency, **change)
    assert r.status_code == 200
    html = page(r)
    error = re.search(rf'<p class="error" id="id_{field}_error">([^<]*)</p>', html)
    assert error and message in error.group(1), html[html.find('class="errors"'):][:600]
    assert "申请未能提交" in html
    assert not Application.objects.exists()


def test_nothing_typed_is_lost_when_the_form_comes_back(client, agency):
    key = fresh_key(client, agency)
    data = valid(phone="12ab", request="请公开《关于某某事项的通知》（甲政发〔2025〕3号）",
                 purpose="查阅", address="某市甲区某路1号")
    data["key"] = key
    html = page(client.post(form_url(agency), {
        **data, "attachments": SimpleUploadedFile("a.pdf", PDF, "application/pdf")}))
    for value in ("张三", ID_NUMBER.lower(), "12ab", "zhangsan@example.com", "某市甲区某路1号",
                  "请公开《关于某某事项的通知》（甲政发〔2025〕3号）", "查阅"):
        assert value in html, value
    assert re.search(r'value="natural_person"[^>]*checked', html)
    assert re.search(r'value="邮寄"[^>]*checked', html)
    assert f'value="{key}"' in html  # the same one-time key: still one application
    assert "附件未保留" in html  # files cannot be kept; the page says so


def test_csrf_is_enforced(agency):
    browser = Client(enforce_csrf_checks=True)
    key = fresh_key(browser, agency)
    refused = browser.post(form_url(agency), {**valid(), "key": key})
    assert refused.status_code == 403 and not Application.objects.exists()
    token = browser.cookies["csrftoken"].value
    ok = browser.post(form_url(agency), {**valid(), "key": key, "csrfmiddlewaretoken": token})
    assert ok.status_code == 302 and Application.objects.count() == 1

    lookup = Client(enforce_csrf_checks=True)
    lookup.get("/apply/track/")
    assert lookup.post("/apply/track/", {"tracking_number": "GKX", "query_code": "1"}
                       ).status_code == 403


def test_a_double_submit_makes_one_application_and_still_shows_the_code(client, agency):
    key = fresh_key(client, agency)
    first = client.post(form_url(agency), {**valid(), "key": key})
    second = client.post(form_url(agency), {**valid(), "key": key})  # double click
    assert first.status_code == second.status_code == 302
    assert Application.objects.count() == 1
    app = Application.objects.get()
    html = page(client.get("/apply/receipt/"))
    code = re.search(r'id="query-code">(\d{6})<', html).group(1)
    assert services.verify_query_code(app.tracking_number, code) == app

    # Back and resubmit after the receipt was shown: still the same one, code not shown again.
    third = client.post(form_url(agency), {**valid(name="张三（改）"), "key": key})
    assert third.status_code == 302 and Application.objects.count() == 1
    html = page(client.get("/apply/receipt/"))
    assert app.tracking_number in html and code not in html


def test_a_twin_request_from_another_session_gets_the_code_from_the_first(client, agency):
    # Two requests of one double click may carry different session states; the second
    # request's response is the one the browser shows, so it must be able to show the code.
    key = fresh_key(client, agency)
    assert client.post(form_url(agency), {**valid(), "key": key}).status_code == 302
    twin = Client()
    assert twin.post(form_url(agency), {**valid(), "key": key}).status_code == 302
    app = Application.objects.get()
    code = re.search(r'id="query-code">(\d{6})<', page(twin.get("/apply/receipt/"))).group(1)
    assert services.verify_query_code(app.tracking_number, code) == app
    # Once shown anywhere, it is gone for the other too.
    assert "query-code" not in page(client.get("/apply/receipt/"))


def test_a_forged_or_foreign_submission_key_is_refused_without_losing_data(client, agency, world):
    other_key = fresh_key(client, world.b.township)
    for key in ("hand-made-key", other_key, ""):
        r = client.post(form_url(agency), {**valid(), "key": key})
        html = page(r)
        assert r.status_code == 200 and "表单已失效" in html and "张三" in html
        assert not Application.objects.exists()
    new_key = re.search(r'name="key" value="([^"]+)"', html).group(1)
    assert client.post(form_url(agency), {**valid(), "key": new_key}).status_code == 302


def test_attachments_are_stored_and_checked_by_content(client, agency):
    r = submit(client, agency, attachments=[
        SimpleUploadedFile("身份证.pdf", PDF, "application/pdf"),
        SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png")])
    assert r.status_code == 302
    assert sorted(Attachment.objects.values_list("content_type", flat=True)) == [
        "application/pdf", "image/png"]

    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    html = page(submit(client, agency, attachments=fake))
    assert "不是 PDF、JPG、PNG 或 DOCX 文件" in html
    many = [SimpleUploadedFile(f"{i}.pdf", PDF, "application/pdf") for i in range(4)]
    assert "最多上传 3 个附件" in page(submit(client, agency, attachments=many))
    assert Application.objects.count() == 1


def test_an_attachment_too_large_is_refused(client, agency, monkeypatch):
    monkeypatch.setattr(services, "MAX_ATTACHMENT_BYTES", 1024)
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * 2048, "application/pdf")
    html = page(submit(client, agency, attachments=big))
    assert "big.pdf" in html and "超过" in html and not Application.objects.exists()


# -- rate limits --------------------------------------------------------------------------


def test_applications_are_limited_per_ip_with_a_chinese_429(client, agency, settings):
    settings.GONGKAI_RATE_LIMITS = {"apply": (2, 3600)}
    assert submit(client, agency).status_code == 302
    assert submit(client, agency).status_code == 302
    # A forged X-Forwarded-For does not make a new client while no proxy is trusted.
    r = client.post(form_url(agency), {**valid(), "key": fresh_key(client, agency)},
                    HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert r.status_code == 429
    assert "操作过于频繁" in page(r) and int(r["Retry-After"]) > 0
    assert Application.objects.count() == 2
    other = client.post(form_url(agency), {**valid(), "key": fresh_key(client, agency)},
                        REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 302


def test_behind_a_trusted_proxy_the_forwarded_client_is_limited(client, agency, settings):
    settings.GONGKAI_RATE_LIMITS = {"apply": (1, 3600)}
    settings.GONGKAI_TRUSTED_PROXIES = ["127.0.0.0/8"]

    def post(forwarded):
        return client.post(form_url(agency), {**valid(), "key": fresh_key(client, agency)},
                           HTTP_X_FORWARDED_FOR=forwarded)

    assert post("203.0.113.1").status_code == 302
    assert post("203.0.113.1").status_code == 429
    # The client may prepend anything; the proxy's own entry (rightmost) is what counts.
    assert post("203.0.113.2, 203.0.113.1").status_code == 429
    assert post("203.0.113.2").status_code == 302


def test_lookups_are_limited_even_with_the_right_code(client, agency, settings):
    settings.GONGKAI_RATE_LIMITS = {"track": (3, 600)}
    app, code = apply_and_track(client, agency)
    for _ in range(3):
        r = client.post("/apply/track/", {"tracking_number": app.tracking_number,
                                          "query_code": "000000"})
        assert r.status_code == 200
    r = client.post("/apply/track/", {"tracking_number": app.tracking_number, "query_code": code})
    assert r.status_code == 429 and "操作过于频繁" in page(r)


# -- hostile input ------------------------------------------------------------------------

SCRIPT = '<script>alert("x")</script>'


def test_script_is_escaped_on_every_page(client, agency):
    html = page(submit(client, agency, phone="bad", name=SCRIPT, request=SCRIPT))
    assert SCRIPT not in html and "&lt;script&gt;" in html
    app, code = apply_and_track(client, agency, name=SCRIPT, request=SCRIPT, purpose=SCRIPT)
    receipt = page(client.get("/apply/receipt/"))
    assert SCRIPT not in receipt and "&lt;script&gt;" in receipt
    client.post("/apply/track/", {"tracking_number": app.tracking_number, "query_code": code})
    status = page(client.get("/apply/track/status/"))
    assert SCRIPT not in status and "&lt;script&gt;" in status
    lookup = page(client.post("/apply/track/", {"tracking_number": SCRIPT, "query_code": SCRIPT}))
    assert SCRIPT not in lookup


def test_a_megabyte_in_a_text_field_is_refused(client, agency):
    for field in ("name", "request", "purpose", "address", "id_number", "phone"):
        r = submit(client, agency, **{field: "字" * 1_000_000})
        assert r.status_code == 200 and "申请未能提交" in page(r), field
    assert not Application.objects.exists()
    r = client.post("/apply/track/", {"tracking_number": "G" * 1_000_000, "query_code": "1"})
    assert r.status_code == 200 and "查询编号或查询码不正确" not in page(r)


def test_wrong_types_are_form_errors_not_tracebacks(client, agency):
    key = fresh_key(client, agency)
    cases = [
        {**valid(), "key": key, "name": SimpleUploadedFile("n.txt", b"x")},  # a file for a name
        {**valid(), "key": key, "name": "张三\x00"},  # a NUL byte
        {**valid(), "key": key, "applicant_type": ["natural_person", "commercial", "x"]},
        {**valid(), "key": ["a", "b"]},
    ]
    for data in cases:
        r = client.post(form_url(agency), data)
        assert r.status_code == 200, data
        assert "申请未能提交" in page(r) or "表单已失效" in page(r)
    assert not Application.objects.exists()
    assert client.put(form_url(agency), "x").status_code == 405
    # Text where a file belongs is not a file: the application goes in without attachments.
    assert client.post(form_url(agency), {**valid(), "key": key, "attachments": "x"}
                       ).status_code == 302
    assert Application.objects.count() == 1 and not Attachment.objects.exists()


@pytest.mark.parametrize("path", ["/apply/999999/", "/apply/99999999999999999999999999/",
                                  "/apply/abc/", "/apply/-1/"])
def test_an_unknown_agency_is_404(client, db, path):
    assert client.get(path).status_code == 404
    assert client.post(path, valid()).status_code == 404


# -- tracking -----------------------------------------------------------------------------


def test_tracking_with_the_right_pair_shows_the_status_with_masked_identity(client, agency):
    app, code = apply_and_track(client, agency)
    looker = Client()  # another browser, later
    r = looker.post("/apply/track/", {"tracking_number": app.tracking_number.lower(),
                                      "query_code": f" {code} "})
    assert r.status_code == 302 and r["Location"] == "/apply/track/status/"
    assert code not in r["Location"]
    html = page(looker.get("/apply/track/status/"))
    assert app.tracking_number in html and "已收到申请，正在办理" in html
    due = selectors.application_state(app).due.due
    assert f"{due.year}年{due.month}月{due.day}日" in html
    assert ID_NUMBER not in html and ID_NUMBER.lower() not in html and PHONE not in html
    assert "110*************2X" in html and "138****5678" in html
    # Ending the lookup closes the page for this browser.
    looker.post("/apply/track/end/")
    assert looker.get("/apply/track/status/")["Location"] == "/apply/track/"


@pytest.mark.parametrize("which", ["code", "number", "both"])
def test_a_wrong_pair_gets_one_generic_message(client, agency, which):
    app, code = apply_and_track(client, agency)
    number = "GKNOSUCH234" if which in ("number", "both") else app.tracking_number
    wrong = f"{(int(code) + 1) % 10**6:06d}" if which in ("code", "both") else code
    r = Client().post("/apply/track/", {"tracking_number": number, "query_code": wrong})
    html = page(r)
    assert r.status_code == 200
    assert "查询编号或查询码不正确，请核对后重新输入" in html
    assert "不存在" not in html and app.name not in html
    assert f'value="{wrong}"' not in html  # the code typed is not written back


def test_both_lookup_fields_are_required(client, db):
    html = page(client.post("/apply/track/", {"tracking_number": "", "query_code": ""}))
    assert "请填写查询编号" in html and "请填写查询码" in html


def test_status_without_a_lookup_goes_to_the_lookup(client, db):
    assert client.get("/apply/track/status/")["Location"] == "/apply/track/"


def test_status_lists_what_concerns_the_applicant_but_no_internal_notes(
        client, agency, make_user, django_capture_on_commit_callbacks):
    head = make_user(agency, Role.HEAD)
    app, code = apply_and_track(client, agency)
    today = selectors.today()
    with django_capture_on_commit_callbacks(execute=True):
        services.record_event(app, clock.CONSULTATION_SENT, by=head, on=today,
                              note="内部：征询第三方某公司")
        services.record_event(app, clock.CONSULTATION_ANSWERED, by=head, on=today)
        services.record_event(app, clock.EXTENSION_APPROVED, by=head, on=today,
                              data={"working_days": 15}, note="内部：承办人请假")
    client.post("/apply/track/", {"tracking_number": app.tracking_number, "query_code": code})
    html = page(client.get("/apply/track/status/"))
    assert "批准延期" in html and "答复期限延长15个工作日" in html
    assert "内部" not in html and "发出征询" not in html

    with django_capture_on_commit_callbacks(execute=True):
        services.record_event(app, clock.ANSWERED, by=head, on=today,
                              data={"outcome": "partially_granted"}, note="内部：已签发")
    html = page(client.get("/apply/track/status/"))
    assert "已办结" in html and "部分公开" in html
    assert "区分处理的" not in html and "内部" not in html


# -- e-mail -------------------------------------------------------------------------------


def test_an_answer_sends_one_email_without_the_identity_number(
        client, agency, make_user, django_capture_on_commit_callbacks):
    head = make_user(agency, Role.HEAD)
    app, _code = apply_and_track(client, agency)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.record_event(app, clock.ANSWERED, by=head, on=selectors.today(),
                              data={"outcome": "withheld_state_secret"}, note="内部：密级文件")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["zhangsan@example.com"]
    text = message.subject + message.body
    assert app.tracking_number in message.subject and app.tracking_number in message.body
    assert "不予公开：属于国家秘密" in message.body and "行政复议" in message.body
    assert ID_NUMBER not in text and ID_NUMBER[:14] not in text and PHONE not in text
    assert "内部" not in text  # staff notes stay internal


def test_events_that_do_not_concern_the_applicant_send_nothing(
        client, agency, make_user, django_capture_on_commit_callbacks):
    head = make_user(agency, Role.HEAD)
    app, _code = apply_and_track(client, agency)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.record_event(app, clock.CONSULTATION_SENT, by=head, on=selectors.today())
        services.record_event(app, clock.CONSULTATION_ANSWERED, by=head, on=selectors.today())
    assert mail.outbox == []
    assert ApplicationEvent.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_posts_of_one_form_make_one_application(agency, settings):
    # A real double click: both requests in flight at once, each with its own session state.
    # Sessions in the cache: SQLite's in-memory test database refuses (rather than waits for)
    # two writers of django_session at once, which a file database or PostgreSQL does not.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"

    key = fresh_key(Client(), agency)
    browsers = [Client(), Client()]
    start = threading.Barrier(2)
    statuses = []

    def post(browser):
        try:
            start.wait()
            statuses.append(browser.post(form_url(agency), {**valid(), "key": key}).status_code)
        finally:
            connection.close()  # this thread's own connection, or the test database stays busy

    threads = [threading.Thread(target=post, args=(b,)) for b in browsers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [302, 302]
    app = Application.objects.get()
    codes = [re.search(r'id="query-code">(\d{6})<', page(b.get("/apply/receipt/")))
             for b in browsers]
    shown = [m.group(1) for m in codes if m]
    assert len(shown) == 1  # whichever page the browser shows first has the code, once
    assert services.verify_query_code(app.tracking_number, shown[0]) == app
