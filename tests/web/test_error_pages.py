"""Errors reach people as Chinese pages, never as Django's English debug or default pages."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


def test_unknown_page_is_a_chinese_404(db, client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_form_without_csrf_token_is_a_chinese_403(world):
    c = Client(enforce_csrf_checks=True)
    response = c.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "页面已过期" in body and "CSRF" not in body


def test_oversized_form_body_is_a_chinese_400(db, client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = client.post("/accounts/login/", {"username": "x" * 5000, "password": "y"})
    assert response.status_code == 400
    assert "过大" in response.content.decode()


def test_server_error_page_is_chinese_and_shows_no_traceback(db, settings):
    from django.urls import path

    def boom(request):
        raise RuntimeError("secret internal detail")

    settings.ROOT_URLCONF = type("urls", (), {"urlpatterns": [path("boom/", boom)]})
    c = Client(raise_request_exception=False)
    response = c.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "系统错误" in body and "secret internal detail" not in body
    assert "Traceback" not in body


def test_signed_in_staff_see_the_applications_workbench_link(world, make_user, login):
    from gongkai.agencies.models import Role

    c = login(make_user(world.a.township, Role.HANDLER))
    body = c.get("/").content.decode()
    assert "/staff/applications/" in body
