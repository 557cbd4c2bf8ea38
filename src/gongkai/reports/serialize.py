"""An AnnualReport to and from the REPORT-JSON object (see REPORT-JSON.md).

The database caches that object for each imported report, so that pages never re-parse a
PDF. Both directions go through the annual package's JSON writer and reader, so the cache
keeps everything they keep (raw cell text, local extra rows, section order)."""

from __future__ import annotations

import json

from gongkai.annual import AnnualReport, Finding, write
from gongkai.annual.readers import json_reader


def to_json(report: AnnualReport, findings: list[Finding]) -> dict:
    return json.loads(write(report, "json", findings=findings))


def from_json(data: dict) -> AnnualReport:
    """The report the cached object describes."""
    payload = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return json_reader.read(payload, data.get("file") or "").report
