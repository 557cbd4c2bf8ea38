"""Letters: every kind from its template with its article and the remedies, 文号 per agency
and year under concurrency, edit-then-issue, issued letters frozen, scope, roles, hostile text."""

from __future__ import annotations

import hashlib
import io
import threading
import time
from datetime import date

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from gongkai import clock
from gongkai.agencies.models import Role
from gongkai.applications import letters as texts
from gongkai.applications import services as application_services
from gongkai.applications.models import OUTCOME_CHOICES
from gongkai.audit.models import AuditEvent
from gongkai.letters import services
from gongkai.letters.models import Letter, LetterFrozen, LetterSettings, NumberPrefix

RECEIVED = date(2025, 9, 26)  # 20 working days over 国庆+中秋 2025 → 2025-10-30
TODAY = date(2025, 10, 9)
PERSON = dict(applicant_type="natural_person", name="张三", id_type="resident_id",
              id_number="11010519491231002X", phone="13800138000", channel="in_person",
              request="2025年村道修建项目的批复文件", delivery="电子邮件")
REMEDIES = ("60日内", "申请行政复议", "6个月内", "提起行政诉讼", "第五十一条")

# What each letter must cite, written out here from REGULATIONS.md §1 and §3.4, not taken
# from the code under test.
KIND_ARTICLES = {
    texts.RECEIPT: ["第三十一条", "第三十三条第二款", "2025年10月30日前"],
    texts.CORRECTION: ["第三十条", "一次性告知", "视为放弃申请"],
    texts.EXTENSION: ["第三十三条第二款", "延长20个工作日", "2025年11月27日前"],
    texts.CONSULTATION: ["第三十二条", "15个工作日内"],
    texts.FEE: ["第四十二条", "国办函〔2020〕109号", "20个工作日内", "不计算在答复期限内"],
}
OUTCOME_ARTICLES = {
    "granted": ["第三十六条第（二）项", "予以公开"],
    "partially_granted": ["第三十七条"],
    "withheld_state_secret": ["第十四条", "第三十六条第（三）项", "国家秘密"],
    "withheld_prohibited_by_law": ["第十四条", "第三十六条第（三）项"],
    "withheld_security_stability": ["第十四条", "第三十六条第（三）项"],
    "withheld_third_party_rights": ["第十五条", "第三十六条第（三）项"],
    "withheld_internal_affairs": ["第十六条第一款", "第三十六条第（三）项"],
    "withheld_process_information": ["第十六条第二款", "第三十六条第（三）项"],
    "withheld_enforcement_file": ["第十六条第二款", "第三十六条第（三）项"],
    "withheld_inquiry_matter": ["第三十六条第（七）项"],
    "unavailable_not_held": ["第三十六条第（四）项、第（五）项"],
    "unavailable_needs_creation": ["第三十八条"],
    "unavailable_still_unclear": ["第三十条"],
    "unhandled_petition": ["第三十九条第一款"],
    "unhandled_repeated": ["第三十六条第（六）项"],
    "unhandled_publication": ["第三十九条第二款"],
    "unhandled_excessive": ["第三十五条"],
    "unhandled_confirmation": ["第二条"],
    "other_no_correction": ["第三十条", "视为您放弃申请"],
    "other_fee_unpaid": ["第四十二条", "信息处理费"],
    "other_misc": [],
}
CASES = ([(k, "") for k in KIND_ARTICLES]
         + [(texts.ANSWER, outcome) for outcome, _label in OUTCOME_CHOICES])


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    """Letters are dated and their deadlines computed as of TODAY."""
    monkeypatch.setattr(services, "today", lambda: TODAY)


@pytest.fixture
def head(world, make_user):
    return make_user(world.a.township, Role.HEAD)


@pytest.fixture
def handler(world, make_user):
    return make_user(world.a.township, Role.HANDLER)


def register(agency, received_on=RECEIVED, **extra):
    return application_services.register(agency, **{**PERSON, "received_on": received_on,
                                                    **extra}).application


@pytest.fixture
def app(world):
    township = world.a.township
    township.letterhead = "甲乡人民政府"
    township.office_address = "甲乡政府大院2号楼101室"
    township.office_phone = "0351-1234567"
    township.save()
    return register(township)


def docx_text(data: bytes) -> tuple[Document, str]:
    doc = Document(io.BytesIO(data))
    return doc, "\n".join(p.text for p in doc.paragraphs)


def draft(app, kind, by, outcome="", **kw) -> Letter:
    if kind == texts.FEE and not kw:
        LetterSettings.objects.create(agency=app.agency, payment_instructions="转账至甲乡财政所非税收入账户")
        kw = {"fee_method": "per_page", "pages": 250}
    return services.create_draft(app, kind, by=by, outcome=outcome, **kw)


def fill(letter: Letter, by) -> Letter:
    """Fill every 【请…】 marker as staff would."""
    body = letter.body
    for m in texts.markers(body):
        body = body.replace(m, "已据实填写", 1)
    return services.edit_draft(letter, body, by=by)


# -- every kind renders -----------------------------------------------------------------------

def test_every_outcome_has_an_expected_citation():
    assert set(OUTCOME_ARTICLES) == {k for k, _ in OUTCOME_CHOICES}


@pytest.mark.parametrize(("kind", "outcome"), CASES, ids=lambda v: v or "-")
def test_each_letter_renders_with_its_article_and_remedies(app, head, kind, outcome):
    letter = draft(app, kind, head, outcome)
    doc, text = docx_text(services.docx(letter))
    assert texts.KINDS[kind].title in text
    assert "《中华人民共和国政府信息公开条例》" in text
    for phrase in KIND_ARTICLES.get(kind, []) + OUTCOME_ARTICLES.get(outcome, []):
        assert phrase in text, phrase
    decision = kind not in (texts.RECEIPT, texts.CONSULTATION)
    for phrase in REMEDIES:
        assert (phrase in text) == decision, phrase
    if decision:  # the 复议机关 defaults to the agency above
        assert "向甲区申请行政复议" in text
    if kind != texts.CONSULTATION:  # the third party is not told who asked
        assert "张三：" in text and app.number in text
    else:
        assert "张三" not in text
    # Letterhead, address and phone of the agency; the draft mark; the seal placeholder.
    assert doc.paragraphs[0].text == "甲乡人民政府"
    assert "甲乡政府大院2号楼101室" in text and "0351-1234567" in text
    assert "草稿" in doc.sections[0].header.paragraphs[0].text
    assert "（印章）" in text and "甲乡" in doc.paragraphs[-2].text


def test_answer_letter_fonts_follow_the_gongwen_standard(app, head):
    letter = draft(app, texts.ANSWER, head, "granted")
    doc, _ = docx_text(services.docx(letter))
    head_run = doc.paragraphs[0].runs[0]
    assert head_run.font.color.rgb is not None and str(head_run.font.color.rgb) == "E60012"
    assert head_run._r.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    body = next(p for p in doc.paragraphs if p.text.startswith("您申请公开的政府信息"))
    fonts = body.runs[0]._r.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert body.runs[0].font.size.pt == 16  # 三号
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    # The date 右空四字 (4 × 16 pt); the agency's name centred over it, so indented further.
    seal, agency, dated = doc.paragraphs[-3:]
    assert seal.text == "（印章）" and dated.paragraph_format.right_indent.pt == 64
    assert agency.paragraph_format.right_indent.pt > 64


def test_outcome_labels_come_from_the_national_format(app, head):
    letter = draft(app, texts.ANSWER, head, "withheld_state_secret")
    assert letter.get_outcome_display() == dict(OUTCOME_CHOICES)["withheld_state_secret"]
    assert letter.get_outcome_display().startswith("（三）不予公开")


def test_fee_notice_shows_method_tiers_and_sum(app, head):
    LetterSettings.objects.create(agency=app.agency, payment_instructions="转账至甲乡财政所账户")
    letter = services.create_draft(app, texts.FEE, by=head, fee_method="per_page", pages=250)
    assert "按量计收（提供信息共250页）" in letter.body
    assert "31–100页：70页 × 10元 = 700元" in letter.body
    assert "201页以上：50页 × 40元 = 2000元" in letter.body
    assert "合计：4700元" in letter.body
    assert "缴费方式：转账至甲乡财政所账户" in letter.body


def test_per_application_fee_counts_the_applicants_month(world, head):
    apps = [register(world.a.township, date(2025, 9, d)) for d in (1, 2, 3, 4, 5, 8, 9, 10, 11,
                                                                    12, 15)]
    eleventh = apps[-1]
    letter = services.create_draft(eleventh, texts.FEE, by=head, fee_method="per_application")
    assert "第11件申请" in letter.body and "合计：100元" in letter.body
    with pytest.raises(services.Refused, match="0元"):
        services.create_draft(apps[0], texts.FEE, by=head, fee_method="per_application")


def test_extension_after_approval_uses_the_recorded_days(app, head):
    application_services.record_event(app, clock.EXTENSION_APPROVED, by=head, on=date(2025, 10, 9),
                                      data={"working_days": 10})
    letter = services.create_draft(app, texts.EXTENSION, by=head)
    # 2025-10-30 plus 10 working days (10-31, 11-03…07, 11-10…13) → 2025-11-13.
    assert "延长10个工作日" in letter.body
    assert "不能在2025年10月30日前答复" in letter.body and "2025年11月13日前" in letter.body


def test_hostile_request_text_is_quoted_harmlessly(world, head, client, login):
    hostile = register(world.a.township, request="<script>alert(1)</script>" + "很长" * 500)
    letter = services.create_draft(hostile, texts.RECEIPT, by=head)
    assert "<script>" not in letter.body and "＜script＞" in letter.body
    assert len(letter.body) < 2000  # the request is quoted, not copied in full
    login(head)
    page = client.get(reverse("letters:detail", args=[letter.pk])).content.decode()
    assert "<script>alert" not in page


# -- numbering ------------------------------------------------------------------------------------

def test_numbers_run_per_agency_per_series_per_year(world, head, make_user, monkeypatch):
    NumberPrefix.objects.create(agency=world.a.township, kind=texts.EXTENSION, prefix="甲乡政信公延字")
    a1, a2 = register(world.a.township), register(world.a.township)
    issued = []
    for app_, kind in ((a1, texts.RECEIPT), (a2, texts.RECEIPT), (a1, texts.EXTENSION)):
        issued.append(services.issue(fill(draft(app_, kind, head), head), by=head).number)
    assert issued == ["甲乡政信公受字〔2025〕第1号", "甲乡政信公受字〔2025〕第2号",
                      "甲乡政信公延字〔2025〕第1号"]
    other_head = make_user(world.b.township, Role.HEAD)
    b = register(world.b.township)
    assert services.issue(draft(b, texts.RECEIPT, other_head), by=other_head).number == \
        "乙乡政信公受字〔2025〕第1号"
    monkeypatch.setattr(services, "today", lambda: date(2026, 1, 5))
    assert services.issue(draft(a1, texts.RECEIPT, head), by=head).number == \
        "甲乡政信公受字〔2026〕第1号"


def test_a_number_taken_meanwhile_is_retried_not_duplicated(app, head, monkeypatch):
    first = services.issue(draft(app, texts.RECEIPT, head), by=head)
    second = draft(app, texts.RECEIPT, head)
    real = services._next_seq
    stale = iter([first.number_seq])  # the first attempt reads before `first` was issued

    def next_seq(*args):
        for s in stale:
            return s
        return real(*args)

    monkeypatch.setattr(services, "_next_seq", next_seq)
    assert services.issue(second, by=head).number_seq == first.number_seq + 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuers_get_distinct_gapless_numbers(world, head):
    app_ = register(world.a.township)
    drafts = [draft(app_, texts.RECEIPT, head) for _ in range(6)]
    errors = []
    barrier = threading.Barrier(len(drafts))

    def run(letter):
        try:
            barrier.wait()
            for _ in range(500):
                try:
                    services.issue(letter, by=head)
                    break
                except OperationalError as exc:
                    # SQLite's in-memory test database refuses a second writer at once
                    # instead of waiting as a file database does: wait and try again.
                    if "locked" not in str(exc):
                        raise
                    time.sleep(0.01)
        except Exception as exc:  # reported below, with the thread's own error
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(d,)) for d in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    seqs = sorted(Letter.objects.filter(agency=world.a.township).values_list("number_seq", flat=True))
    assert seqs == list(range(1, len(drafts) + 1))


# -- drafting, editing, issuing ----------------------------------------------------------------

def test_edit_then_issue_keeps_the_edit(app, head, client, login):
    login(head)
    letter = draft(app, texts.EXTENSION, head)
    edit_url = reverse("letters:edit", args=[letter.pk])
    assert "【请写明延期答复的理由】" in client.get(edit_url).content.decode()
    body = letter.body.replace("【请写明延期答复的理由】", "所申请信息涉及多个部门，需要调阅档案")
    response = client.post(edit_url, {"body": body})
    assert response.status_code == 302
    response = client.post(reverse("letters:issue", args=[letter.pk]))
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.issued and letter.number == "甲乡政信公延字〔2025〕第1号"
    download = client.get(reverse("letters:download", args=[letter.pk]))
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert hashlib.sha256(download.content).hexdigest() == letter.docx_sha256
    doc, text = docx_text(download.content)
    assert "需要调阅档案" in text and "甲乡政信公延字〔2025〕第1号" in text
    assert "2025年10月9日" in text and "草稿" not in doc.sections[0].header.paragraphs[0].text
    actions = list(AuditEvent.objects.filter(object_type="letters.letter", object_id=str(letter.pk))
                   .values_list("action", flat=True))
    assert sorted(actions) == ["letter.drafted", "letter.edited", "letter.issued"]


def test_a_letter_with_blanks_left_cannot_be_issued(app, head, client, login):
    login(head)
    letter = draft(app, texts.CORRECTION, head)
    response = client.post(reverse("letters:issue", args=[letter.pk]), follow=True)
    assert "待填写的内容" in response.content.decode()
    letter.refresh_from_db()
    assert not letter.issued and letter.number_seq is None


def test_issued_letter_is_frozen(app, head, client, login):
    letter = services.issue(draft(app, texts.RECEIPT, head), by=head)
    stored = bytes(letter.docx)
    letter.body = "改过的正文"
    with pytest.raises(LetterFrozen):
        letter.save()
    with pytest.raises(LetterFrozen):
        letter.delete()
    with pytest.raises(LetterFrozen):
        Letter.objects.filter(pk=letter.pk).update(body="x")
    with pytest.raises(LetterFrozen):
        Letter.objects.filter(pk=letter.pk).delete()
    with pytest.raises(services.Refused, match="已签发"):
        services.edit_draft(Letter.objects.get(pk=letter.pk), "新正文", by=head)
    login(head)
    edit_url = reverse("letters:edit", args=[letter.pk])
    page = client.get(edit_url)
    assert page.status_code == 409 and "已签发" in page.content.decode()
    assert client.post(edit_url, {"body": "新正文"}).status_code == 409
    again = client.post(reverse("letters:issue", args=[letter.pk]), follow=True)
    assert "不能修改或再次签发" in again.content.decode()
    fresh = Letter.objects.get(pk=letter.pk)
    assert "改过的正文" not in fresh.body and bytes(fresh.docx) == stored
    assert fresh.number_seq == 1 and Letter.objects.filter(number_seq__isnull=False).count() == 1


def test_drafts_list_shows_status(app, head, client, login):
    services.issue(draft(app, texts.RECEIPT, head), by=head)
    draft(app, texts.ANSWER, head, "granted")
    login(head)
    page = client.get(reverse("letters:list", args=[app.pk])).content.decode()
    assert "已签发" in page and "草稿" in page and "甲乡政信公受字〔2025〕第1号" in page


def test_create_page_makes_a_draft_and_reports_errors_in_chinese(app, head, client, login):
    login(head)
    url = reverse("letters:create", args=[app.pk])
    missing = client.post(url, {"kind": texts.ANSWER})
    assert missing.status_code == 400 and "答复书须选择办理结果" in missing.content.decode()
    no_pages = client.post(url, {"kind": texts.FEE, "fee_method": "per_page"})
    assert no_pages.status_code == 400 and "页数" in no_pages.content.decode()
    made = client.post(url, {"kind": texts.ANSWER, "outcome": "unavailable_needs_creation"})
    assert made.status_code == 302
    letter = Letter.objects.get()
    assert made["Location"] == reverse("letters:edit", args=[letter.pk])
    assert "第三十八条" in letter.body and not letter.issued


# -- scope and roles ------------------------------------------------------------------------------

@pytest.mark.parametrize(("role", "kind", "outcome", "may"), [
    (Role.HEAD, texts.ANSWER, "granted", True),
    (Role.HANDLER, texts.ANSWER, "granted", False),
    (Role.ADMIN, texts.ANSWER, "granted", False),
    (Role.HEAD, texts.EXTENSION, "", True),
    (Role.HANDLER, texts.EXTENSION, "", False),
    (Role.HANDLER, texts.RECEIPT, "", True),
    (Role.ADMIN, texts.RECEIPT, "", True),
    (Role.REGISTRAR, texts.RECEIPT, "", False),
    (Role.SUPERVISOR, texts.RECEIPT, "", False),
])
def test_only_the_roles_of_the_action_may_issue(app, head, make_user, client, login, role, kind,
                                                outcome, may):
    letter = fill(draft(app, kind, head, outcome), head)
    login(make_user(app.agency, role))
    response = client.post(reverse("letters:issue", args=[letter.pk]))
    assert response.status_code == (302 if may else 403)
    letter.refresh_from_db()
    assert letter.issued == may


def test_registrar_and_supervisor_cannot_draft_or_edit(app, head, world, make_user, client, login):
    letter = draft(app, texts.RECEIPT, head)
    for user in (make_user(app.agency, Role.REGISTRAR), make_user(world.a.district, Role.SUPERVISOR)):
        login(user)
        assert client.get(reverse("letters:list", args=[app.pk])).status_code == 200
        assert client.post(reverse("letters:create", args=[app.pk]),
                           {"kind": texts.RECEIPT}).status_code == 403
        assert client.post(reverse("letters:edit", args=[letter.pk]),
                           {"body": "改"}).status_code == 403
    assert Letter.objects.count() == 1 and Letter.objects.get().body != "改"


def test_other_agency_gets_404_everywhere(app, head, world, make_user, client, login):
    letter = draft(app, texts.RECEIPT, head)
    login(make_user(world.b.township, Role.HEAD))
    for name, args in (("letters:list", [app.pk]), ("letters:detail", [letter.pk]),
                       ("letters:download", [letter.pk]), ("letters:edit", [letter.pk])):
        assert client.get(reverse(name, args=args)).status_code == 404, name
    for name, args, data in (("letters:create", [app.pk], {"kind": texts.RECEIPT}),
                             ("letters:edit", [letter.pk], {"body": "改"}),
                             ("letters:issue", [letter.pk], {})):
        assert client.post(reverse(name, args=args), data).status_code == 404, name
    letter.refresh_from_db()
    assert not letter.issued and letter.body != "改" and Letter.objects.count() == 1


def test_posts_need_the_csrf_token(app, head):
    letter = draft(app, texts.RECEIPT, head)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(head)
    assert strict.post(reverse("letters:issue", args=[letter.pk])).status_code == 403
    letter.refresh_from_db()
    assert not letter.issued


# -- hostile text in the edit form ------------------------------------------------------------------

@pytest.mark.parametrize(("body", "status", "message"), [
    ("张三：\n<script>alert('x')</script>", 400, "HTML 标签"),
    ("张三：\n<img src=x onerror=alert(1)>", 400, "HTML 标签"),
    ("一" * (1024 * 1024), 400, "不能超过"),
    ("张三：\n正文\x01\x02", 400, "控制字符"),
    ("   \n  ", 400, "不能为空"),
])
def test_hostile_text_is_refused_in_chinese(app, head, client, login, body, status, message):
    letter = draft(app, texts.RECEIPT, head)
    before = letter.body
    login(head)
    response = client.post(reverse("letters:edit", args=[letter.pk]), {"body": body})
    assert response.status_code == status
    assert message in response.content.decode()
    letter.refresh_from_db()
    assert letter.body == before


def test_a_body_over_the_request_limit_is_refused_in_chinese(app, head, client, login, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100_000
    letter = draft(app, texts.RECEIPT, head)
    login(head)
    response = client.post(reverse("letters:edit", args=[letter.pk]), {"body": "一" * 200_000})
    assert response.status_code == 413 and "提交的内容过大" in response.content.decode()


def test_plain_angle_free_text_with_entities_is_kept_verbatim(app, head, client, login):
    letter = draft(app, texts.RECEIPT, head)
    login(head)
    body = "张三：\n请于3月5日前补正，A&B 公司的“说明”不少于2页 & 5 < 6。"
    assert client.post(reverse("letters:edit", args=[letter.pk]), {"body": body}).status_code == 302
    letter.refresh_from_db()
    assert letter.body == body
    _, text = docx_text(services.docx(letter))
    assert "A&B 公司" in text and "5 < 6" in text


def test_the_application_page_links_to_its_letters(world, make_user, login):
    from datetime import date

    from gongkai.agencies.models import Role
    from gongkai.applications import services as app_services

    head = make_user(world.a.township, Role.HEAD)
    app = app_services.register(
        world.a.township, by=head, applicant_type="natural_person", name="张三",
        id_type="other", id_number="A1", phone="13800138000", channel="in_person",
        received_on=date(2025, 3, 3), request="村道修建").application
    body = login(head).get(f"/staff/applications/{app.pk}/").content.decode()
    assert f"/staff/letters/applications/{app.pk}/" in body


# -- the letters the steps call for ---------------------------------------------------------

def _to_draft(page: str) -> list[str]:
    import re

    block = re.search(r'<p id="letters-to-draft">(.*?)</p>', page, re.S)
    return re.findall(r"起草([^<]+)</a>", block.group(1)) if block else []


def test_each_step_asks_for_its_letter_until_one_is_drafted(app, head, client, login):
    login(head)
    url = f"/staff/applications/{app.pk}/"
    assert _to_draft(client.get(url).content.decode()) == ["受理回执"]
    draft(app, texts.RECEIPT, head)
    assert _to_draft(client.get(url).content.decode()) == []
    application_services.record_event(app, clock.CORRECTION_REQUESTED, by=head,
                                      on=date(2025, 9, 29), note="请补充具体文件名称")
    application_services.record_event(app, clock.CORRECTION_RECEIVED, by=head,
                                      on=date(2025, 10, 9))
    application_services.record_event(app, clock.ANSWERED, by=head, on=date(2025, 10, 10),
                                      data={"outcome": "withheld_state_secret"})
    page = client.get(url).content.decode()
    assert _to_draft(page) == ["补正告知书", "答复书"]
    # The answer's link carries its outcome to the letters page, which chooses it.
    link = f"/staff/letters/applications/{app.pk}/?kind=answer&amp;outcome=withheld_state_secret"
    assert link in page
    chosen = client.get(link.replace("&amp;", "&")).content.decode()
    assert '<option value="answer" selected>' in chosen
    assert '<option value="withheld_state_secret" selected>' in chosen
    # A draft of another outcome does not count for this one.
    draft(app, texts.ANSWER, head, "granted")
    assert _to_draft(client.get(url).content.decode()) == ["补正告知书", "答复书"]
    draft(app, texts.ANSWER, head, "withheld_state_secret")
    draft(app, texts.CORRECTION, head)
    assert _to_draft(client.get(url).content.decode()) == []


def test_only_those_who_may_draft_are_asked_to(app, world, make_user, client, login):
    login(make_user(world.a.township, Role.REGISTRAR))
    assert 'id="letters-to-draft"' not in client.get(f"/staff/applications/{app.pk}/").content.decode()


@pytest.mark.parametrize(("query", "kept"), [
    ("kind=nonsense", None), ("kind=answer&outcome=<script>", "answer"),
    ("outcome=" + "x" * 5000, None), ("kind=", None), ("kind=fee&kind=answer", "answer"),
    ("kind=%00", None)])
def test_a_bad_choice_in_the_letters_link_is_ignored(app, head, client, login, query, kept):
    import re

    login(head)
    r = client.get(f"/staff/letters/applications/{app.pk}/?{query}")
    assert r.status_code == 200
    page = r.content.decode()
    chosen = re.findall(r'<option value="([^"]+)" selected>', page)
    assert "<script>" not in page and chosen == ([kept] if kept else [])
