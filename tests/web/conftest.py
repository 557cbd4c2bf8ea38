"""Fixtures for the web tests: a small agency tree, staff in several roles, stored reports.

    某市 (city)
    ├── 甲区 (district)  ── 甲乡 (township): report r_a
    └── 乙区 (district)  ── 乙乡 (township): report r_b
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import SAMPLES
from gongkai.agencies import services as agency_services
from gongkai.agencies.models import Agency, AgencyKind, Role
from gongkai.annual import AnnualReport
from gongkai.reports import services as report_services
from gongkai.reports.models import ImportedReport

PASSWORD = "test-pass-9x"
SEED = SAMPLES / "seed-yipingyuan-2021.txt"


@dataclass
class Branch:
    district: Agency
    township: Agency
    report: ImportedReport


@dataclass
class World:
    city: Agency
    a: Branch
    b: Branch


def zeros_report(agency: str, year: int = 2021) -> AnnualReport:
    report = AnnualReport.zeros("2021", agency=agency, year=year)
    for i in range(1, 7):
        report.sections[i] = f"第{i}节正文。"
    return report


def store(agency: Agency, year: int = 2021) -> ImportedReport:
    report = zeros_report(agency.name, year)
    return report_services.store_report(agency, report, [], b"generated", "generated.txt",
                                        None, year)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # The production hasher is slow by design; the tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db) -> World:
    city = agency_services.create_agency(None, name="某市", kind=AgencyKind.CITY)
    branches = []
    for prefix in "甲乙":
        district = agency_services.create_agency(None, name=f"{prefix}区",
                                                 kind=AgencyKind.DISTRICT, parent=city)
        township = agency_services.create_agency(None, name=f"{prefix}乡",
                                                 kind=AgencyKind.TOWNSHIP, parent=district)
        branches.append(Branch(district, township, store(township)))
    return World(city, *branches)


@pytest.fixture
def make_user(db):
    counter = iter(range(1, 10_000))

    def make(agency: Agency, role: str = Role.ADMIN, username: str | None = None):
        return agency_services.create_staff_user(
            None, username=username or f"user{next(counter)}", password=PASSWORD,
            agency=agency, role=role)

    return make


@pytest.fixture
def login(client):
    def do(user, c=None):
        c = c or client
        c.force_login(user)
        return c

    return do


@pytest.fixture
def seed_bytes() -> bytes:
    return Path(SEED).read_bytes()


def broken_seed(seed: bytes) -> bytes:
    """The seed with 5 natural-person applications received and a total of 0 (T3-R1, T3-R4)."""
    text = seed.decode("utf-8")
    out = text.replace("本年新收政府信息公开申请数量\n\t0", "本年新收政府信息公开申请数量\n\t5", 1)
    assert out != text
    return out.encode("utf-8")
