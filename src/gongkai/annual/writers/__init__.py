"""Writers: AnnualReport → bytes in one of the supported formats."""

from __future__ import annotations

import importlib

from ..report import AnnualReport

# target → (module, media type, file suffix)
WRITERS = {
    "txt": ("text_writer", "text/plain; charset=utf-8", ".txt"),
    "json": ("json_writer", "application/json", ".json"),
    "html": ("html_writer", "text/html; charset=utf-8", ".html"),
    "docx": ("docx_writer",
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "xlsx": ("xlsx_writer",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    "pdf": ("pdf_writer", "application/pdf", ".pdf"),
}


def write(report: AnnualReport, to: str, findings=None) -> bytes:
    """The report as `to` ("txt", "json", "html", "docx", "xlsx", "pdf")."""
    module = importlib.import_module(f"{__name__}.{WRITERS[to][0]}")
    return module.write(report, findings=findings)
