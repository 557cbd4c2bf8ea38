"""`gongkai demo`: a demo township with a login and its 2021 annual report. Idempotent.

The real 2021 report of 一平垣乡 is read from --report (default: ../shared/samples beside the
repository, where development checkouts have it). It is public material that is not shipped
with the package, so without it the command generates a report of zeros through the writers.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

import gongkai
from gongkai.agencies import services as agency_services
from gongkai.agencies.models import Agency, AgencyKind, Role
from gongkai.annual import AnnualReport, ReadError, write
from gongkai.reports import services
from gongkai.reports.models import ImportedReport

ROOT = Path(gongkai.__file__).resolve().parents[2]
DEFAULT_REPORT = ROOT.parent / "shared" / "samples" / "seed-yipingyuan-2021.txt"
TREE = (("某市", AgencyKind.CITY), ("某区", AgencyKind.DISTRICT), ("一平垣乡", AgencyKind.TOWNSHIP))
YEAR = 2021
USERNAME = "demo"


def generated_report() -> AnnualReport:
    report = AnnualReport.zeros("2021", agency=TREE[-1][0], year=YEAR)
    for i in range(1, len(report.format.sections) + 1):
        report.sections[i] = "（演示数据）本节为系统生成的占位文字。"
        report.section_order.append(i)
    return report


class Command(BaseCommand):
    help = "创建演示机关（某市 › 某区 › 一平垣乡）、演示账号和 2021 年度报告；可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("--report", type=Path, default=None,
                            help=f"2021 年度报告文件（默认 {DEFAULT_REPORT}，不存在时生成）")

    def handle(self, *args, report: Path | None = None, **options):
        if report is not None and not report.is_file():
            raise CommandError(f"报告文件不存在：{report} (report file not found)")
        with transaction.atomic():
            township = self._agencies()
            self._user(township)
            self._report(township, report or (DEFAULT_REPORT if DEFAULT_REPORT.is_file() else None))

    def _agencies(self) -> Agency:
        parent = None
        for name, kind in TREE:
            agency = Agency.objects.filter(name=name, parent=parent).first()
            if agency is None:
                agency = agency_services.create_agency(None, name=name, kind=kind, parent=parent)
                self.stdout.write(f"已创建机关：{name}")
            parent = agency
        return parent

    def _user(self, township: Agency) -> None:
        User = get_user_model()
        wanted = os.environ.get("GONGKAI_DEMO_PASSWORD")
        user = User.objects.filter(username=USERNAME).first()
        if user is None:
            password = wanted or secrets.token_urlsafe(9)
            agency_services.create_staff_user(None, username=USERNAME, password=password,
                                              agency=township, role=Role.ADMIN,
                                              full_name="演示管理员")
            self.stdout.write(f"演示账号：用户名 {USERNAME}  密码 {password}")
            return
        agency_services.add_membership(None, user, township, Role.ADMIN)
        if wanted and not user.check_password(wanted):
            agency_services.set_password(None, user, wanted, township)
            self.stdout.write(f"演示账号：用户名 {USERNAME}  密码已改为 GONGKAI_DEMO_PASSWORD 的值")
        else:
            self.stdout.write(f"演示账号 {USERNAME} 已存在，密码未改"
                              "（设置 GONGKAI_DEMO_PASSWORD 后重新运行可重设密码）")

    def _report(self, township: Agency, path: Path | None) -> None:
        if ImportedReport.objects.filter(agency=township, year=YEAR).exists():
            self.stdout.write(f"{township.name} {YEAR} 年度报告已存在，未重复导入")
            return
        imported = None
        if path is not None:
            try:
                imported = services.import_report(township, _Bytes(path.read_bytes(), path.name),
                                                  None, year=YEAR)
                self.stdout.write(f"已导入 {path}")
            except services.ImportRejected as exc:
                self.stdout.write(f"无法读取 {path}：{exc.zh}；改为生成报告")
        if imported is None:
            imported = self._generate(township)
        services.publish_report(imported, None)
        self.stdout.write(f"已公开：{township.name} {YEAR} 年度报告"
                          f"（错误 {imported.errors} 项，警告 {imported.warnings} 项）")

    def _generate(self, township: Agency) -> ImportedReport:
        report = generated_report()
        try:
            data, name = write(report, "txt"), f"{township.name}{YEAR}.txt"
        except (ImportError, ValueError, TypeError) as exc:
            data, name = write(report, "html"), f"{township.name}{YEAR}.html"
            self.stdout.write(f"（文本写出不可用：{type(exc).__name__}，改用 HTML）")
        try:
            imported = services.import_report(township, _Bytes(data, name), None, year=YEAR)
            self.stdout.write(f"已生成 {township.name} {YEAR} 年度报告（全部为 0，经写出和读取）")
        except (services.ImportRejected, ReadError):
            # No reader for what the writers produce yet: store the report object itself.
            imported = services.store_report(township, report, services.check_findings(report),
                                             data, name, None, YEAR)
            self.stdout.write(f"已生成 {township.name} {YEAR} 年度报告（全部为 0，未经读取）")
        return imported


class _Bytes:
    def __init__(self, data: bytes, name: str):
        self.data, self.name, self.size = data, name, len(data)

    def read(self) -> bytes:
        return self.data
