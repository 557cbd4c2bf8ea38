"""`gongkai demo`: idempotent, reads the sample when given, generates a report otherwise."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from gongkai.agencies.models import Agency, Membership, Role
from gongkai.reports.management.commands import demo
from gongkai.reports.models import ImportedReport

from .conftest import SEED


def run(**kwargs) -> str:
    out = io.StringIO()
    call_command("demo", stdout=out, **kwargs)
    return out.getvalue()


@pytest.mark.django_db
def test_twice_gives_one_tree_one_login_one_report(monkeypatch):
    monkeypatch.setenv("GONGKAI_DEMO_PASSWORD", "demo-pass-1")
    first = run(report=SEED)
    second = run(report=SEED)
    assert "已导入" in first and "已存在" in second
    township = Agency.objects.get(name="一平垣乡")
    assert [a.name for a in Agency.objects.order_by("path")] == ["某市", "某区", "一平垣乡"]
    assert [a.kind for a in Agency.objects.order_by("path")] == ["city", "district", "township"]
    assert ImportedReport.objects.count() == 1
    report = ImportedReport.objects.get()
    assert (report.agency, report.year, report.is_published) == (township, 2021, True)
    assert report.data["agency"] == "一平垣乡"
    user = get_user_model().objects.get(username="demo")
    assert Membership.objects.filter(user=user).count() == 1
    assert Membership.objects.get(user=user).role == Role.ADMIN


@pytest.mark.django_db
def test_password_is_printed_and_works(client, monkeypatch, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.delenv("GONGKAI_DEMO_PASSWORD", raising=False)
    out = run(report=SEED)
    password = out.split("密码 ", 1)[1].split()[0]
    assert client.login(username="demo", password=password)
    response = client.get(reverse("reports:home"))
    assert response.status_code == 200 and "一平垣乡" in response.content.decode()


@pytest.mark.django_db
def test_without_the_sample_a_zero_report_is_generated(monkeypatch, tmp_path):
    monkeypatch.setattr(demo, "DEFAULT_REPORT", tmp_path / "missing.txt")
    out = run()
    assert "已生成" in out
    report = ImportedReport.objects.get()
    assert report.year == 2021 and report.is_published
    received = report.data["tables"]["applications"]["received"]
    assert set(received.values()) == {0}
    assert len(report.data["sections"]) == 6
    run()
    assert ImportedReport.objects.count() == 1


@pytest.mark.django_db
def test_missing_report_path_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="报告文件不存在"):
        run(report=tmp_path / "nope.txt")
    assert not Agency.objects.exists()
