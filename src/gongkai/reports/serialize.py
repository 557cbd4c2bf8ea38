"""An AnnualReport to and from the REPORT-JSON object (see REPORT-JSON.md).

The database caches that object for each imported report, so that pages never re-parse a
PDF. `to_json` uses the project's JSON writer; while it is missing or fails, the same shape
is built here from formats.py. `from_json` rebuilds the report for rendering."""

from __future__ import annotations

import json
import logging
from decimal import Decimal

from gongkai.annual import FORMATS, AnnualReport, Finding, write
from gongkai.annual.report import Cell

log = logging.getLogger(__name__)


def _value(cell: Cell | None):
    return None if cell is None else cell.as_json()


def _fallback(report: AnnualReport, findings: list[Finding]) -> dict:
    tables: dict = {}
    for table in report.format.tables:
        out: dict = {}
        for row in report.layout(table.key):
            out[row.key] = {
                col.key: _value(report.cell(table.key, row.key, col.key))
                for col in table.block_of(row.key).columns
            }
        tables[table.key] = out
    return {
        "file": report.source,
        "agency": report.agency,
        "year": report.year,
        "format": report.format.key,
        "sections": {str(k): v for k, v in sorted(report.sections.items())},
        "tables": tables,
        "findings": [f.as_json() for f in findings],
    }


def to_json(report: AnnualReport, findings: list[Finding]) -> dict:
    try:
        data = json.loads(write(report, "json", findings=findings))
        if isinstance(data, dict) and "tables" in data:
            data["findings"] = [f.as_json() for f in findings]
            return data
    except Exception as exc:  # noqa: BLE001 - a missing or broken writer must not block imports
        log.warning("json writer unavailable, using the built-in shape: %s: %s",
                    type(exc).__name__, exc)
    return _fallback(report, findings)


def from_json(data: dict) -> AnnualReport:
    """The report the cached object describes (cells as numbers or blank; local extra rows
    are not rebuilt)."""
    fmt = FORMATS.get(str(data.get("format") or "2021"), FORMATS["2021"])
    report = AnnualReport(format=fmt, agency=data.get("agency"), year=data.get("year"),
                          source=data.get("file"))
    for key, text in (data.get("sections") or {}).items():
        if str(key).isdigit() and isinstance(text, str):
            report.sections[int(key)] = text
            report.section_order.append(int(key))
    for table in fmt.tables:
        rows = (data.get("tables") or {}).get(table.key) or {}
        for row in table.rows:
            values = rows.get(row.key)
            if not isinstance(values, dict):
                continue
            for col in table.block_of(row.key).columns:
                v = values.get(col.key)
                if isinstance(v, bool) or not isinstance(v, int | float) or v is None:
                    report.set(table.key, row.key, col.key, None)
                elif col.kind == "decimal" or isinstance(v, float):
                    report.set(table.key, row.key, col.key, Decimal(str(v)))
                else:
                    report.set(table.key, row.key, col.key, int(v))
    return report
