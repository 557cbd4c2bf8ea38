"""Data scope for EVERY staff URL: other agencies are refused, a supervisor reads its subtree only.

Add each new staff URL to STAFF_URLS; test_every_url_is_classified fails until you do."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from gongkai.agencies.models import Role
from gongkai.applications import services as application_services
from gongkai.applications.models import Application, ApplicationEvent, Attachment
from gongkai.letters.models import Letter
from gongkai.reports.models import ImportedReport

from .conftest import Branch


@dataclass(frozen=True)
class StaffUrl:
    name: str
    kwargs: Callable[[Branch], dict]
    method: str = "GET"
    # "read": any post that can see the agency may use it; "write": an action needing a role;
    # "list": not about one agency: the page must only show what is in scope.
    kind: str = "read"
    # What a POST sends; by default nothing, so a write that gets through stores nothing.
    data: Callable[[Branch], dict] | None = None

    def __str__(self):
        return f"{self.method} {self.name}"


def _application(branch: Branch) -> Application:
    """The branch township's one application (with one document), made on first use."""
    app = Application.objects.filter(agency=branch.township).first()
    if app is None:
        from datetime import date

        from django.core.files.uploadedfile import SimpleUploadedFile

        app = application_services.register(
            branch.township, applicant_type="natural_person", name=f"{branch.township.name}申请人",
            id_type="passport", id_number="E12345678", phone="13800138000", channel="in_person",
            received_on=date(2026, 1, 5), request="某项目的批复文件").application
        application_services.attach(app, SimpleUploadedFile("a.pdf", b"%PDF-1.4\n"))
    return app


def _document(branch: Branch) -> dict:
    app = _application(branch)
    return {"pk": app.pk, "attachment_id": app.attachments.get().pk}


def _handler(branch: Branch):
    """A handler of the branch township, made on first use: the one an assignment names."""
    from django.contrib.auth import get_user_model

    from gongkai.agencies import services as agency_services

    username = f"handler-{branch.township.pk}"
    return (get_user_model().objects.filter(username=username).first()
            or agency_services.create_staff_user(None, username=username, password="x",
                                                 agency=branch.township, role=Role.HANDLER))


def _letter(branch: Branch) -> Letter:
    """A draft receipt for the branch's application, made on first use."""
    app = _application(branch)
    return app.letters.first() or Letter.objects.create(
        application=app, agency=app.agency, kind="receipt", title="受理回执", body="张三：\n已收到。")


STAFF_URLS = [
    # 依申请公开 (tests/web/test_application_pages.py); the list shows the agencies it covers.
    StaffUrl("staff_applications:workbench", lambda b: (_application(b), {})[1], kind="list"),
    StaffUrl("staff_applications:register", lambda b: {"agency_id": b.township.pk}, kind="write"),
    StaffUrl("staff_applications:register", lambda b: {"agency_id": b.township.pk}, "POST",
             "write"),
    StaffUrl("staff_applications:detail", lambda b: {"pk": _application(b).pk}),
    StaffUrl("staff_applications:attachment", _document),
    StaffUrl("staff_applications:record",
             lambda b: {"pk": _application(b).pk, "kind": "correction_requested"}, "POST", "write"),
    StaffUrl("staff_applications:take_over", lambda b: {"pk": _application(b).pk}, "POST",
             "write"),
    # A real handler of the application's own agency: only scope and role may stop it.
    StaffUrl("staff_applications:assign", lambda b: {"pk": _application(b).pk}, "POST",
             "write", data=lambda b: {"assign-handler": _handler(b).pk}),
    # Letters (tests/web/test_letters.py)
    StaffUrl("letters:list", lambda b: {"application_id": _application(b).pk}),
    StaffUrl("letters:create", lambda b: {"application_id": _application(b).pk}, "POST", "write"),
    StaffUrl("letters:detail", lambda b: {"pk": _letter(b).pk}),
    StaffUrl("letters:download", lambda b: {"pk": _letter(b).pk}),
    StaffUrl("letters:edit", lambda b: {"pk": _letter(b).pk}, kind="write"),
    StaffUrl("letters:edit", lambda b: {"pk": _letter(b).pk}, "POST", "write"),
    StaffUrl("letters:issue", lambda b: {"pk": _letter(b).pk}, "POST", "write"),
    StaffUrl("reports:home", lambda b: {}, kind="list"),
    StaffUrl("reports:audit", lambda b: {}, kind="list"),
    StaffUrl("reports:agency", lambda b: {"agency_id": b.township.pk}),
    StaffUrl("reports:upload", lambda b: {"agency_id": b.township.pk}, kind="write"),
    StaffUrl("reports:upload", lambda b: {"agency_id": b.township.pk}, "POST", "write"),
    StaffUrl("reports:detail", lambda b: {"pk": b.report.pk}),
    StaffUrl("reports:download", lambda b: {"pk": b.report.pk, "fmt": "html"}),
    StaffUrl("reports:source", lambda b: {"pk": b.report.pk}),
    StaffUrl("reports:publish", lambda b: {"pk": b.report.pk}, "POST", "write"),
    StaffUrl("reports:withdraw", lambda b: {"pk": b.report.pk}, "POST", "write"),
]
# URL names that are public or belong to Django's own admin (which has its own permissions).
PUBLIC = {"portal:home", "portal:report", "portal:download", "login", "logout",
          # 依申请公开: the citizen's form, receipt and tracking (tests/web/test_public_application.py)
          "apply:index", "apply:form", "apply:receipt", "apply:track", "apply:status",
          "apply:track_end"}


def _names(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            yield from _names(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + p.name


def test_every_url_is_classified():
    names = {n for n in _names(get_resolver().url_patterns) if not n.startswith("admin:")}
    assert names - PUBLIC == {u.name for u in STAFF_URLS}


def _call(client, url: StaffUrl, branch: Branch):
    path = reverse(url.name, kwargs=url.kwargs(branch))
    if url.method == "GET":
        return client.get(path)
    return client.post(path, url.data(branch) if url.data else {})


@pytest.fixture(autouse=True)
def applications(request, settings, tmp_path):
    """One application in each township, made before any snapshot is taken."""
    settings.MEDIA_ROOT = tmp_path / "media"
    if "world" in request.fixturenames:
        world = request.getfixturevalue("world")
        _application(world.a), _application(world.b)
        _letter(world.a), _letter(world.b)
        _handler(world.a), _handler(world.b)


def _snapshot():
    return (list(ImportedReport.objects.order_by("pk").values_list("pk", "published_at")),
            list(Application.objects.order_by("pk").values_list("pk", "handler_id")),
            ApplicationEvent.objects.count(),
            Attachment.objects.count(),
            list(Letter.objects.order_by("pk").values_list("pk", "body", "number_seq")))


@pytest.mark.parametrize("url", STAFF_URLS, ids=str)
def test_anonymous_is_sent_to_login(client, world, url):
    response = _call(client, url, world.a)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url", STAFF_URLS, ids=str)
def test_user_of_another_agency_is_refused(client, world, make_user, login, url):
    login(make_user(world.b.township, Role.ADMIN))
    before = _snapshot()
    response = _call(client, url, world.a)
    assert _snapshot() == before
    if url.kind == "list":
        assert response.status_code == 200
        body = response.content.decode()
        assert "乙乡" in body or url.name == "reports:audit"
        assert "甲乡" not in body and "甲区" not in body
    else:
        assert response.status_code in (403, 404)


@pytest.mark.parametrize("url", STAFF_URLS, ids=str)
def test_supervisor_reads_its_subtree_only(client, world, make_user, login, url):
    login(make_user(world.a.district, Role.SUPERVISOR))
    inside = _call(client, url, world.a)
    if url.kind == "write":
        assert inside.status_code == 403
    else:
        assert inside.status_code == 200
        if url.kind == "list":
            body = inside.content.decode()
            assert "乙乡" not in body and "乙区" not in body
    if url.kind != "list":
        before = _snapshot()
        assert _call(client, url, world.b).status_code == 404
        assert _snapshot() == before


@pytest.mark.parametrize("url", STAFF_URLS, ids=str)
def test_admin_of_the_agency_is_let_in(client, world, make_user, login, url):
    login(make_user(world.a.township, Role.ADMIN))
    response = _call(client, url, world.a)
    # POSTs redirect after success; the empty upload POST re-shows the form with its errors.
    expected = {"GET": {200}, "POST": {302, 400}}[url.method]
    assert response.status_code in expected


def test_user_without_a_post_is_refused_everywhere(client, world, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody", password="x"))
    for url in STAFF_URLS:
        assert _call(client, url, world.a).status_code == 403, url
