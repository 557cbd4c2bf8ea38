"""PDF writer: the HTML writer's page rendered by WeasyPrint (A4, for publishing).

A PDF rendered without a Chinese font shows boxes where every character should be, and looks
fine to a program that only checks it was produced; so the font is checked first and its
absence is an error, never a silent fallback."""

from __future__ import annotations

import shutil
import subprocess

from ..report import AnnualReport, Finding
from . import html_writer

__all__ = ["WriteError", "cjk_fonts", "write"]


class WriteError(Exception):
    """The report cannot be written. `code` is stable (e.g. "write.no-cjk-font")."""

    def __init__(self, code: str, zh: str, en: str):
        super().__init__(en)
        self.code, self.zh, self.en = code, zh, en

    def __str__(self) -> str:
        return f"{self.zh} ({self.en})"


def cjk_fonts() -> list[str]:
    """Families fontconfig offers for Simplified Chinese (what WeasyPrint will find)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return []
    try:
        done = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True,
                              timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    families = {f.strip() for line in done.stdout.splitlines() for f in line.split(",")}
    return sorted(f for f in families if f)


def write(report: AnnualReport, findings: list[Finding] | None = None) -> bytes:
    if not cjk_fonts():
        raise WriteError(
            "write.no-cjk-font",
            "系统中没有可用的中文字体，无法生成 PDF（请安装 fonts-noto-cjk 或其他中文字体）",
            "no CJK font available to fontconfig (fc-list :lang=zh is empty); "
            "install fonts-noto-cjk to render PDF",
        )
    from weasyprint import HTML  # noqa: PLC0415  (heavy import, only when a PDF is wanted)

    page = html_writer.render(report, findings)
    try:
        return HTML(string=page).write_pdf()
    except Exception as exc:  # WeasyPrint's own failures reach the user as one clear error
        raise WriteError("write.pdf-failed", "生成 PDF 失败", f"PDF rendering failed: {exc}") from exc
