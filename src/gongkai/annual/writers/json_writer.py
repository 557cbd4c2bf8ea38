"""AnnualReport → the public JSON shape of REPORT-JSON.md.

The documented keys carry plain values (an integer, a number in 万元, or null). What a plain
value cannot say is kept in added keys, so `readers.json_reader` reads the file back exactly:
  cells_raw     {"applications.received.total": "22（其中修订16件）", "…": "/"} — the text of
                every cell whose raw text is not simply its value (notes, "/", "—", "1.50")
  cells_absent  cells the report did not have at all (null alone means "left blank")
  title, preamble, section_order (only when not 1..6)
Extra local rows sit under their table as "extra": [{"label", "after", "values", "raw"}].
"""

from __future__ import annotations

import json
from decimal import Decimal

from ..report import AnnualReport, Cell, Finding, cell_address


def plain_raw(value: int | Decimal | float | None) -> str:
    """The raw text a bare JSON value stands for (what the reader assumes without cells_raw)."""
    if value is None:
        return ""
    if isinstance(value, float):
        value = Decimal(repr(value))
    return str(value)


def _json_value(cell: Cell | None) -> int | float | None:
    return None if cell is None else cell.as_json()


def _raw_differs(cell: Cell) -> bool:
    return cell.raw != plain_raw(cell.as_json())


def report_dict(report: AnnualReport, findings: list[Finding] | None = None) -> dict:
    tables: dict[str, dict] = {}
    raws: dict[str, str] = {}
    absent: list[str] = []
    for t in report.format.tables:
        out: dict = {}
        for row in report.layout(t.key):
            values = {}
            for col in t.block_of(row.key).columns:
                address = cell_address(t.key, row.key, col.key)
                cell = report.cells.get(address)
                values[col.key] = _json_value(cell)
                if cell is None:
                    absent.append(address)
                elif _raw_differs(cell):
                    raws[address] = cell.raw
            out[row.key] = values
        extras = [e for e in report.extras if e.table == t.key]
        if extras:
            out["extra"] = [{"label": e.label, "after": e.after,
                             "values": [c.as_json() for c in e.cells],
                             "raw": [c.raw for c in e.cells]} for e in extras]
        tables[t.key] = out
    data: dict = {
        "file": report.source,
        "agency": report.agency,
        "year": report.year,
        "format": report.format.key,
        "sections": {str(n): report.sections[n] for n in sorted(report.sections)},
        "tables": tables,
        "findings": [f.as_json() for f in findings or []],
    }
    if report.title:
        data["title"] = report.title
    if report.preamble:
        data["preamble"] = report.preamble
    if report.section_order and report.section_order != sorted(report.sections):
        data["section_order"] = list(report.section_order)
    if raws:
        data["cells_raw"] = raws
    if absent:
        data["cells_absent"] = absent
    return data


def write(report: AnnualReport, findings=None) -> bytes:
    return (json.dumps(report_dict(report, findings), ensure_ascii=False, indent=1) + "\n").encode()
