"""Django settings, all from the environment.

GONGKAI_SECRET_KEY   required when GONGKAI_DEBUG is off
GONGKAI_DEBUG        "1" for development
GONGKAI_DATA_DIR     where the SQLite file and uploads live (default ./var)
DATABASE_URL         e.g. postgres://user@host:5432/gongkai (default: SQLite in the data dir)
GONGKAI_ALLOWED_HOSTS comma-separated host names
GONGKAI_EMAIL_URL    not used yet; e-mail goes to the console backend unless EMAIL_* are set
GONGKAI_TRUSTED_PROXIES comma-separated addresses/networks of reverse proxies whose
                     X-Forwarded-For is believed (none by default)
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("GONGKAI_DATA_DIR", Path.cwd() / "var")).resolve()

DEBUG = os.environ.get("GONGKAI_DEBUG", "") == "1"
SECRET_KEY = os.environ.get("GONGKAI_SECRET_KEY") or (
    "insecure-development-key-set-GONGKAI_SECRET_KEY" if DEBUG or "PYTEST_VERSION" in os.environ
    else None
)
if SECRET_KEY is None:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set GONGKAI_SECRET_KEY (or GONGKAI_DEBUG=1 for development).")

ALLOWED_HOSTS = [h for h in os.environ.get("GONGKAI_ALLOWED_HOSTS", "localhost,127.0.0.1").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "gongkai.site",
    "gongkai.audit",
    "gongkai.agencies",
    "gongkai.reports",
    "gongkai.portal",
    "gongkai.applications",
    "gongkai.letters",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "gongkai.site.urls"
WSGI_APPLICATION = "gongkai.site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'gongkai.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Several web processes and a task worker share one file: take the write lock at BEGIN
    # (no deadlock between two upgrading readers), wait for it, and let readers run beside
    # the writer (WAL).
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Each test run gets its own database, created UTF-8 for Chinese search (pg_trgm).
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get(
        "GONGKAI_TEST_DB_NAME", "test_gongkai"
    )
    DATABASES["default"]["TEST"]["TEMPLATE"] = "template0"
    DATABASES["default"]["TEST"]["CHARSET"] = "UTF8"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "media/"

# Uploads: a report or an attachment is a few MB; refuse far larger requests outright.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "GONGKAI_TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend"
            if "PYTEST_VERSION" in os.environ else "django_tasks_db.DatabaseBackend",
        ),
    }
}

EMAIL_BACKEND = os.environ.get("GONGKAI_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("GONGKAI_FROM_EMAIL", "gongkai@localhost")

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if not os.environ.get("GONGKAI_REDIS_URL")
    else {"BACKEND": "gongkai.site.cache.ForgivingRedisCache",
          "LOCATION": os.environ["GONGKAI_REDIS_URL"],
          # Fail fast when Redis is down: the cache is optional, the request is not.
          "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}
}

# Public forms (apply, tracking lookup), per client IP: (count, seconds). See
# gongkai.applications.ratelimit for how the client IP is found.
GONGKAI_RATE_LIMITS = {"apply": (5, 3600), "track": (20, 600)}
GONGKAI_TRUSTED_PROXIES = [
    p.strip() for p in os.environ.get("GONGKAI_TRUSTED_PROXIES", "").split(",") if p.strip()
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("GONGKAI_LOG_LEVEL", "INFO")},
}

DATA_DIR.mkdir(parents=True, exist_ok=True)
