"""Rate limits across web processes through Redis, and the public form when Redis is down.

Needs the Redis of GONGKAI_TEST_REDIS_URL (default redis://127.0.0.1:6379/0); skipped when it
does not answer unless GONGKAI_REQUIRE_REDIS is set (CI sets it, so there these tests run)."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import uuid

import pytest
from django.core.cache import cache
from django.test import override_settings

from gongkai.applications.models import Application

from .test_public_application import agency, form_url, fresh_key, page, submit, valid  # noqa: F401

REDIS_URL = os.environ.get("GONGKAI_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
DOWN_URL = "redis://127.0.0.1:9/0"  # the discard port: nothing listens there


def _redis_answers() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.exceptions.RedisError:
        return False


def _redis_cache(url: str, prefix: str) -> dict:
    return {"default": {"BACKEND": "gongkai.site.cache.ForgivingRedisCache", "LOCATION": url,
                        "KEY_PREFIX": prefix,
                        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}}


@pytest.fixture
def shared_redis():
    if not _redis_answers():
        if os.environ.get("GONGKAI_REQUIRE_REDIS"):
            pytest.fail(f"Redis at {REDIS_URL} does not answer; GONGKAI_REQUIRE_REDIS is set")
        pytest.skip(f"Redis at {REDIS_URL} does not answer")
    prefix = f"gongkai-test-{uuid.uuid4().hex}"  # runs on SQLite and PostgreSQL share Redis
    with override_settings(CACHES=_redis_cache(REDIS_URL, prefix)):
        yield prefix
        cache.clear()


def _hit_from_another_process(prefix: str, ip: str) -> int:
    """One application's worth of the limit, counted by a separate Python process."""
    script = (
        "import django, sys\n"
        "from django.conf import settings\n"
        "settings.CACHES['default']['KEY_PREFIX'] = sys.argv[1]\n"
        "django.setup()\n"
        "from django.test import RequestFactory\n"
        "from gongkai.applications import ratelimit\n"
        "print(ratelimit.hit(RequestFactory().post('/', REMOTE_ADDR=sys.argv[2]), 'apply'))\n"
    )
    env = {**os.environ, "GONGKAI_REDIS_URL": REDIS_URL,
           "DJANGO_SETTINGS_MODULE": "gongkai.site.settings"}
    done = subprocess.run([sys.executable, "-c", script, prefix, ip], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.strip())


def test_the_limit_is_shared_with_other_web_processes(client, agency, settings, shared_redis):  # noqa: F811
    settings.GONGKAI_RATE_LIMITS = {"apply": (2, 3600)}
    assert _hit_from_another_process(shared_redis, "127.0.0.1") == 1
    assert submit(client, agency).status_code == 302  # the second use in this window
    r = client.post(form_url(agency), {**valid(), "key": fresh_key(client, agency)})
    assert r.status_code == 429 and "操作过于频繁" in page(r)
    assert Application.objects.count() == 1
    # …and the other process sees this one's count too.
    assert _hit_from_another_process(shared_redis, "127.0.0.1") == 3


def test_a_double_submit_is_one_application_through_redis(client, agency, shared_redis):  # noqa: F811
    data = {**valid(), "key": fresh_key(client, agency)}
    first, second = client.post(form_url(agency), data), client.post(form_url(agency), data)
    assert first.status_code == second.status_code == 302
    assert Application.objects.count() == 1


def test_with_redis_down_the_form_still_takes_applications(client, agency, settings, caplog):  # noqa: F811
    settings.GONGKAI_RATE_LIMITS = {"apply": (1, 3600)}
    with override_settings(CACHES=_redis_cache(DOWN_URL, "down")), \
            caplog.at_level(logging.ERROR, logger="gongkai.site.cache"):
        assert submit(client, agency).status_code == 302
        receipt = page(client.get("/apply/receipt/"))
        assert 'id="query-code"' in receipt  # the citizen still gets the query code
        # Limits fail open rather than turning citizens away; nothing is lost.
        assert submit(client, agency).status_code == 302
    assert Application.objects.count() == 2
    assert any("cache unavailable" in r.getMessage() for r in caplog.records)
