"""Uploading a report: what is stored, what is refused (in Chinese, storing nothing), CSRF."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongkai.agencies.models import Role
from gongkai.audit.models import AuditEvent
from gongkai.reports import services
from gongkai.reports.models import ImportedReport

from .conftest import broken_seed

CJK = re.compile(r"[\u4e00-\u9fff]")


def upload(client, agency, data: bytes, name: str = "report.txt", **extra):
    return client.post(reverse("reports:upload", kwargs={"agency_id": agency.pk}),
                       {"file": SimpleUploadedFile(name, data), **extra})


def form_errors(response) -> str:
    m = re.search(r'<div class="errors"[^>]*>(.*?)</div>', response.content.decode(), re.S)
    assert m, "no error box on the page"
    return re.sub(r"<[^>]+>", " ", m.group(1))


@pytest.fixture
def township_admin(world, make_user, login):
    user = make_user(world.a.township, Role.ADMIN)
    login(user)
    return user


def test_a_valid_report_is_stored_with_its_file_and_result(client, world, township_admin,
                                                            seed_bytes):
    response = upload(client, world.a.township, seed_bytes, "一平垣乡2021.txt")
    imported = ImportedReport.objects.exclude(pk=world.a.report.pk).get(agency=world.a.township)
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", kwargs={"pk": imported.pk})
    assert bytes(imported.source) == seed_bytes
    assert imported.source_name == "一平垣乡2021.txt"
    assert imported.year == 2021 and imported.uploaded_by == township_admin
    assert imported.data["agency"] == "一平垣乡"
    assert imported.data["tables"]["applications"]["received"]["total"] == 0
    event = AuditEvent.objects.get(action="report.import", object_id=str(imported.pk))
    assert event.actor == township_admin and event.agency == world.a.township
    assert event.detail["sha256"] == imported.source_sha256


def test_findings_are_stored_and_shown(client, world, township_admin, seed_bytes):
    response = upload(client, world.a.township, broken_seed(seed_bytes))
    imported = ImportedReport.objects.latest("pk")
    assert imported.errors >= 2
    codes = {f["code"] for f in imported.findings}
    assert {"T3-R1", "T3-R4"} <= codes
    page = client.get(response["Location"]).content.decode()
    assert "T3-R1" in page and "不等于" in page


def test_path_in_the_file_name_is_dropped(client, world, township_admin, seed_bytes):
    upload(client, world.a.township, seed_bytes, "../../etc/passwd.txt")
    assert ImportedReport.objects.latest("pk").source_name == "passwd.txt"


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


HOSTILE = {
    "empty": (b"", "report.docx"),
    "blank": (b"   \n\t  ", "report.txt"),
    "png named pdf": (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "report.pdf"),
    "truncated pdf": (b"%PDF-1.7\n1 0 obj << /Type /Catalog", "report.pdf"),
    "legacy doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, "report.doc"),
    "binary": (bytes(range(256)) * 8, "report.bin"),
    "zip that is no office file": (_zip({"a.txt": b"hello"}), "report.docx"),
    "docx bomb": (_zip({"[Content_Types].xml": b"<Types/>",
                        "word/document.xml": b"<" + b"a" * 5_000_000}), "report.docx"),
    "not a report": ("今天天气很好。".encode(), "report.txt"),
    "json not a report": (b'{"hello": [1, 2, 3]}', "report.json"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_bad_files_get_a_chinese_error_and_store_nothing(client, world, township_admin, name):
    data, filename = HOSTILE[name]
    before = ImportedReport.objects.count(), AuditEvent.objects.count()
    response = upload(client, world.a.township, data, filename)
    assert response.status_code == 400
    assert CJK.search(form_errors(response))
    assert (ImportedReport.objects.count(), AuditEvent.objects.count()) == before


def test_a_file_over_20_mb_is_refused_before_reading(client, world, township_admin, monkeypatch):
    def must_not_read(*args, **kwargs):
        raise AssertionError("the reader ran on an oversized upload")

    monkeypatch.setattr(services, "read_bytes", must_not_read)
    response = upload(client, world.a.township, b"x" * (services.MAX_UPLOAD_BYTES + 1))
    assert response.status_code == 400
    assert "文件过大" in form_errors(response)
    assert ImportedReport.objects.count() == 2


def test_year_that_contradicts_the_report_is_refused(client, world, township_admin, seed_bytes):
    response = upload(client, world.a.township, seed_bytes, year=2022)
    assert response.status_code == 400
    assert "不一致" in form_errors(response)
    assert ImportedReport.objects.count() == 2


def test_registrar_may_not_upload_but_handler_may(client, world, make_user, login, seed_bytes):
    login(make_user(world.a.township, Role.REGISTRAR))
    assert upload(client, world.a.township, seed_bytes).status_code == 403
    login(make_user(world.a.township, Role.HANDLER))
    assert upload(client, world.a.township, seed_bytes).status_code == 302
    assert ImportedReport.objects.count() == 3


def test_upload_requires_a_csrf_token(world, make_user, seed_bytes):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(world.a.township, Role.ADMIN))
    url = reverse("reports:upload", kwargs={"agency_id": world.a.township.pk})
    refused = client.post(url, {"file": SimpleUploadedFile("r.txt", seed_bytes)})
    assert refused.status_code == 403
    assert ImportedReport.objects.count() == 2
    form = client.get(url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.content.decode()).group(1)
    accepted = client.post(url, {"file": SimpleUploadedFile("r.txt", seed_bytes),
                                 "csrfmiddlewaretoken": token})
    assert accepted.status_code == 302
    assert ImportedReport.objects.count() == 3


def test_publish_and_withdraw_are_audited(client, world, township_admin):
    report = world.a.report
    client.post(reverse("reports:publish", kwargs={"pk": report.pk}))
    report.refresh_from_db()
    assert report.is_published
    client.post(reverse("reports:withdraw", kwargs={"pk": report.pk}))
    report.refresh_from_db()
    assert not report.is_published
    actions = list(AuditEvent.objects.filter(object_type="reports.importedreport",
                                             object_id=str(report.pk), actor=township_admin)
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["report.publish", "report.withdraw"]


def test_rederive_reads_the_stored_file_again_and_is_audited(world, township_admin, seed_bytes):
    imported = services.import_report(world.a.township, SimpleUploadedFile("r.txt", seed_bytes),
                                      township_admin)
    ImportedReport.objects.filter(pk=imported.pk).update(data={}, errors=9)
    imported.refresh_from_db()
    services.rederive(imported, township_admin)
    imported.refresh_from_db()
    assert imported.errors == 0 and imported.data["agency"] == "一平垣乡"
    assert AuditEvent.objects.filter(action="report.rederive", object_id=str(imported.pk),
                                     actor=township_admin).exists()
