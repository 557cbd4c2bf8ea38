"""Cross-check rules (勾稽关系). Placeholder: the rules land with their tests."""

from __future__ import annotations

from .report import AnnualReport, Finding


def check(report: AnnualReport, previous: AnnualReport | None = None) -> list[Finding]:
    return []
