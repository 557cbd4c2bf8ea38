"""What the staff and the public report pages share: the page context and the downloads."""

from __future__ import annotations

import logging

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from gongkai.annual import WRITERS, AnnualReport, write

from . import rendering, serialize
from .models import ImportedReport

log = logging.getLogger(__name__)

FORMAT_NAMES = {
    "txt": "文本（TXT）",
    "json": "数据（JSON）",
    "html": "网页（HTML）",
    "docx": "Word（DOCX）",
    "xlsx": "Excel（XLSX）",
    "pdf": "PDF",
}
SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}


def report_context(imported: ImportedReport) -> dict:
    report = serialize.from_json(imported.data)
    findings = [
        {**f, "severity_name": SEVERITY_NAMES.get(f.get("severity"), f.get("severity"))}
        for f in imported.findings
    ]
    return {
        "imported": imported,
        "title": rendering.title(report) if report.agency else rendering.title(
            AnnualReport(format=report.format, agency=imported.agency.name, year=imported.year)),
        "document": rendering.report_html(report),
        "findings": findings,
        "formats": [(key, FORMAT_NAMES.get(key, key)) for key in WRITERS],
    }


def download(request, imported: ImportedReport, fmt: str) -> HttpResponse:
    if fmt not in WRITERS:
        raise Http404("不支持的格式")
    report = serialize.from_json(imported.data)
    name = FORMAT_NAMES.get(fmt, fmt)
    try:
        data = write(report, fmt)
    except ImportError:
        log.warning("writer %s is not installed", fmt)
        return render(request, "reports/writer_error.html", {
            "imported": imported, "format_name": name,
            "reason": "本系统暂未提供该格式的导出功能，请选择其他格式下载。",
        }, status=503)
    except Exception as exc:  # noqa: BLE001 - a writer bug is a clear page, not a 500
        log.exception("writer %s failed on report %s: %s", fmt, imported.pk, exc)
        return render(request, "reports/writer_error.html", {
            "imported": imported, "format_name": name,
            "reason": "生成该格式的文件时出错，已记录在系统日志中。请选择其他格式下载，或联系系统管理员。",
        }, status=503)
    _module, media_type, suffix = WRITERS[fmt]
    response = HttpResponse(data, content_type=media_type)
    filename = f"{imported.agency.name}{imported.year}年政府信息公开工作年度报告{suffix}"
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
