"""The JSON shape of REPORT-JSON.md: writing, reading back exactly, refusing malformed input."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from strategies import differences, reports

from conftest import SAMPLES
from gongkai.annual.readers import ReadError, read, read_bytes
from gongkai.annual.readers.json_reader import read as read_json
from gongkai.annual.report import AnnualReport, Cell, ExtraRow, Finding
from gongkai.annual.writers.json_writer import write

SEED = SAMPLES / "seed-yipingyuan-2021.txt"


def _seed_json(findings=None) -> dict:
    r = read(SEED).report
    return json.loads(write(r, findings))


def test_seed_as_json_has_the_documented_shape():
    data = _seed_json([Finding("T3-R1", "error", "不平衡", ("applications.received.total",))])
    assert (data["agency"], data["year"], data["format"]) == ("一平垣乡", 2021, "2021")
    assert list(data["sections"]) == ["1", "2", "3", "4", "5", "6"]
    assert data["file"].endswith("seed-yipingyuan-2021.txt")
    apps = data["tables"]["applications"]
    assert list(apps)[0] == "received" and list(apps)[-1] == "carried_out"
    assert len(apps) == 25 and "other" not in apps
    assert apps["received"] == {"natural_person": 0, "commercial": 0, "research": 0,
                                "public_welfare": 0, "legal_service": 0, "other_org": 0,
                                "total": 0}
    assert data["tables"]["disputes"]["lawsuit_direct"] == dict.fromkeys(
        ["upheld", "corrected", "other", "pending", "total"], 0)
    assert data["tables"]["proactive"]["fees"] == {"amount_wan_yuan": 0}
    assert data["findings"] == [{"code": "T3-R1", "severity": "error", "message": "不平衡",
                                 "cells": ["applications.received.total"]}]
    assert "cells_raw" not in data and "cells_absent" not in data


def _report_with_odd_cells() -> AnnualReport:
    r = AnnualReport.zeros("2021", agency="某某局", year=2022)
    r.set("applications", "received", "total", Cell.parse("22（其中修订16件）"))
    r.set("applications", "received", "commercial", Cell.parse("/"))
    r.set("applications", "received", "research", Cell.parse(""))
    r.set("proactive", "fees", "amount_wan_yuan", Cell.parse("1.2500"))
    return r


def test_missing_cells_are_null_and_raw_text_is_kept_beside():
    data = json.loads(write(_report_with_odd_cells()))
    received = data["tables"]["applications"]["received"]
    assert received["total"] == 22 and received["commercial"] is None and received["research"] is None
    assert data["tables"]["proactive"]["fees"]["amount_wan_yuan"] == 1.25
    assert data["cells_raw"] == {"applications.received.total": "22（其中修订16件）",
                                 "applications.received.commercial": "/",
                                 "proactive.fees.amount_wan_yuan": "1.2500"}


def test_odd_cells_round_trip():
    r = _report_with_odd_cells()
    assert differences(r, read_json(write(r)).report) == []


def test_collapsed_other_and_extra_rows():
    r = AnnualReport.zeros("2021")
    for key in ("other_no_correction", "other_fee_unpaid", "other_misc"):
        for c in r.format.table("applications").blocks[0].columns:
            del r.cells[f"applications.{key}.{c.key}"]
            r.set("applications", "other", c.key, 3)
    r.extras.append(ExtraRow("proactive", "其他主动公开文件", [Cell.parse("5"), Cell.parse("—")],
                             "licensing"))
    data = json.loads(write(r))
    apps = data["tables"]["applications"]
    assert "other" in apps and "other_misc" not in apps and len(apps) == 23
    assert data["tables"]["proactive"]["extra"] == [
        {"label": "其他主动公开文件", "after": "licensing", "values": [5, None], "raw": ["5", "—"]}]
    back = read_json(write(r)).report
    assert differences(r, back) == []
    assert back.collapsed("applications") == {"other"}


def test_absent_cells_stay_absent():
    r = AnnualReport.zeros("2019")
    del r.cells["applications.granted.total"]
    data = json.loads(write(r))
    assert data["cells_absent"] == ["applications.granted.total"]
    assert read_json(write(r)).report.cell("applications", "granted", "total") is None


def test_json_is_sniffed_by_read_bytes_and_an_array_of_one_is_accepted():
    data = json.dumps([_seed_json()], ensure_ascii=False).encode()
    r = read_bytes(data, "x.json").report
    assert (r.agency, len(r.cells)) == ("一平垣乡", 200)


def test_missing_row_in_json_is_a_finding():
    data = _seed_json()
    del data["tables"]["applications"]["granted"]
    result = read_json(json.dumps(data).encode())
    assert [f.code for f in result.findings] == ["READ-ROW-MISSING"]
    assert result.report.cell("applications", "granted", "total") is None


def test_unknown_row_is_warned_and_ignored():
    data = _seed_json()
    data["tables"]["applications"]["granted_typo"] = {"total": 1}
    result = read_json(json.dumps(data).encode())
    assert [f.code for f in result.findings] == ["JSON-UNKNOWN-KEY"]


def test_stale_raw_text_loses_to_the_value():
    data = _seed_json()
    data["tables"]["applications"]["received"]["total"] = 5
    data["cells_raw"] = {"applications.received.total": "4"}
    result = read_json(json.dumps(data).encode())
    assert result.report.value("applications", "received", "total") == 5
    assert [f.code for f in result.findings] == ["JSON-RAW-MISMATCH"]


@pytest.mark.parametrize("text, code", [
    ('{"agency": "x", ', "read.json-malformed"),
    ("[1, 2", "read.json-malformed"),
    ("[]", "read.json-count"),
    ('[{"format": "2021"}, {"format": "2021"}]', "read.json-count"),
    ('"a string"', "read.json-shape"),
    ("[5]", "read.json-shape"),
    ('{"format": "2030", "tables": {}}', "read.json-shape"),
    ('{"format": "2021"}', "read.json-shape"),
    ('{"format": "2021", "tables": []}', "read.json-shape"),
    ('{"format": "2021", "year": "2021", "tables": {}}', "read.json-shape"),
    ('{"format": "2021", "year": true, "tables": {}}', "read.json-shape"),
    ('{"format": "2021", "sections": {"9": "x"}, "tables": {}}', "read.json-shape"),
    ('{"format": "2021", "sections": {"1": 5}, "tables": {}}', "read.json-shape"),
    ('{"format": "2021", "tables": {"applications": {"received": {"total": "5"}}}}',
     "read.json-shape"),
    ('{"format": "2021", "tables": {"applications": {"received": {"total": true}}}}',
     "read.json-shape"),
    ('{"format": "2021", "tables": {"applications": {"received": [1, 2]}}}', "read.json-shape"),
    ('{"format": "2021", "tables": {"proactive": {"extra": {"label": "x"}}}}', "read.json-shape"),
    ('{"tables": {}}', "read.json-shape"),
    ('{"format": "2021", "tables": {"disputes": {"reconsideration": {"total": NaN}}}}',
     "read.json-shape"),
    ('{"format": "2021", "year": ' + "9" * 5000 + "}", "read.json-malformed"),
    ("[" * 100000 + "]" * 100000, "read.json-malformed"),
])
def test_malformed_or_wrongly_shaped_json_is_refused(text, code):
    with pytest.raises(ReadError) as err:
        read_json(text.encode(), "x.json")
    assert err.value.code == code
    assert err.value.zh and err.value.en


def test_shape_error_names_the_place():
    bad = '{"format": "2021", "tables": {"applications": {"received": {"total": "5"}}}}'
    with pytest.raises(ReadError) as err:
        read_json(bad.encode())
    assert "tables.applications.received.total" in err.value.zh


def test_format_inferred_from_year_when_absent():
    data = _seed_json()
    del data["format"]
    data["year"] = 2020
    # A 2019-format reader ignores the 2021 proactive rows it does not know, with warnings.
    result = read_json(json.dumps(data).encode())
    assert result.report.format.key == "2019"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_json_round_trip(report):
    result = read_json(write(report), "x")
    assert differences(report, result.report) == []
    assert result.findings == []
