"""Writes to imported annual reports: import, publish, withdraw, re-derive. All audited."""

from __future__ import annotations

import hashlib
import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from gongkai.annual import AnnualReport, Finding, ReadError, check, read_bytes

from ..agencies import selectors
from ..agencies.models import Agency
from ..audit.services import record
from . import serialize
from .models import ImportedReport

log = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# The Regulations took effect on 1 May 2008; no annual report predates them.
FIRST_YEAR, LAST_YEAR = 2008, 2100


class ImportRejected(Exception):
    """The file is not stored. `zh` is shown to the user; the exception text goes to logs."""

    def __init__(self, zh: str, en: str = ""):
        super().__init__(en or zh)
        self.zh = zh


def _require(user, action: str, agency: Agency) -> None:
    if user is not None and not selectors.can(user, action, agency):
        raise PermissionDenied(f"无权在“{agency.name}”执行此操作")


def _read_upload(file) -> tuple[bytes, str]:
    name = (getattr(file, "name", "") or "report").rsplit("/", 1)[-1][:255]
    size = getattr(file, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ImportRejected(f"文件过大：上限为 {MAX_UPLOAD_BYTES // 1024 // 1024} MB",
                             f"upload of {size} bytes exceeds the limit")
    data = b"".join(file.chunks()) if hasattr(file, "chunks") else file.read()
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportRejected(f"文件过大：上限为 {MAX_UPLOAD_BYTES // 1024 // 1024} MB",
                             f"upload of {len(data)} bytes exceeds the limit")
    if not data.strip():
        raise ImportRejected("文件为空", "empty upload")
    return data, name


def check_findings(report: AnnualReport) -> list[Finding]:
    try:
        return list(check(report))
    except Exception as exc:  # noqa: BLE001 - a rule bug must not lose the upload
        log.exception("cross-check rules failed on %s", report.source)
        return [Finding("CHECK-FAILED", "warning", f"勾稽关系检查未能完成（{type(exc).__name__}）")]


def _year(report: AnnualReport, year: int | None) -> int:
    if year is not None and report.year is not None and year != report.year:
        raise ImportRejected(f"所填年度（{year}）与报告所写年度（{report.year}）不一致",
                             "year mismatch")
    year = year if year is not None else report.year
    if year is None:
        raise ImportRejected("报告中未写明年度，请在表单中填写年度", "report has no year")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ImportRejected(f"年度 {year} 不在 {FIRST_YEAR}—{LAST_YEAR} 之间", "year out of range")
    return year


@transaction.atomic
def store_report(agency: Agency, report: AnnualReport, findings: list[Finding], data: bytes,
                 name: str, user=None, year: int | None = None) -> ImportedReport:
    """Store a report already read (or generated) with the file it came from."""
    _require(user, selectors.IMPORT_REPORT, agency)
    year = _year(report, year)
    cached = serialize.to_json(report, findings)
    imported = ImportedReport.objects.create(
        agency=agency, year=year, source=data, source_name=name, source_size=len(data),
        source_sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=user if getattr(user, "is_authenticated", False) else None,
        data=cached,
        errors=sum(1 for f in findings if f.severity == "error"),
        warnings=sum(1 for f in findings if f.severity == "warning"),
    )
    record(user, "report.import", imported, agency=agency, year=year, file=name,
           size=len(data), sha256=imported.source_sha256, errors=imported.errors,
           warnings=imported.warnings)
    return imported


def read_report(data: bytes, name: str) -> tuple[AnnualReport, list[Finding]]:
    try:
        result = read_bytes(data, name)
    except ReadError as exc:
        raise ImportRejected(f"无法读取该文件：{exc.zh}", exc.en) from exc
    return result.report, list(result.findings) + check_findings(result.report)


def import_report(agency: Agency, file, user, year: int | None = None) -> ImportedReport:
    """Read an uploaded file as an annual report, check it, and store file and result.
    Raises ImportRejected (nothing stored) or PermissionDenied."""
    _require(user, selectors.IMPORT_REPORT, agency)
    data, name = _read_upload(file)
    report, findings = read_report(data, name)
    return store_report(agency, report, findings, data, name, user, year)


@transaction.atomic
def rederive(imported: ImportedReport, user=None) -> ImportedReport:
    """Read the stored file again (after the readers or rules improved) and refresh the cache."""
    _require(user, selectors.IMPORT_REPORT, imported.agency)
    report, findings = read_report(bytes(imported.source), imported.source_name)
    imported.data = serialize.to_json(report, findings)
    imported.errors = sum(1 for f in findings if f.severity == "error")
    imported.warnings = sum(1 for f in findings if f.severity == "warning")
    imported.save(update_fields=["data", "errors", "warnings"])
    record(user, "report.rederive", imported, agency=imported.agency,
           errors=imported.errors, warnings=imported.warnings)
    return imported


@transaction.atomic
def publish_report(imported: ImportedReport, user) -> ImportedReport:
    _require(user, selectors.PUBLISH_REPORT, imported.agency)
    if imported.published_at is None:
        imported.published_at = timezone.now()
        imported.published_by = user if getattr(user, "is_authenticated", False) else None
        imported.save(update_fields=["published_at", "published_by"])
        record(user, "report.publish", imported, agency=imported.agency, year=imported.year)
    return imported


@transaction.atomic
def withdraw_report(imported: ImportedReport, user) -> ImportedReport:
    _require(user, selectors.PUBLISH_REPORT, imported.agency)
    if imported.published_at is not None:
        imported.published_at = None
        imported.published_by = None
        imported.save(update_fields=["published_at", "published_by"])
        record(user, "report.withdraw", imported, agency=imported.agency, year=imported.year)
    return imported
