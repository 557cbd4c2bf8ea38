"""The codes `gongkai check` reports are an interface: docs/codes.md lists every one, and the
source uses no other. Renaming, adding or dropping a code fails here until the page agrees."""

from __future__ import annotations

import re

from conftest import ROOT

SOURCE = ROOT / "src" / "gongkai"
DOC = ROOT / "docs" / "codes.md"

# A code as the source spells it: a finding code passed to Finding/_finding/_undecidable or a
# format rule (Sum/Balance), or a ReadError code.
FINDING_CALL = re.compile(r'\b(?:Finding|_finding|_undecidable|Sum|Balance)\(\s*"([A-Z][A-Z0-9-]*)"')
READ_ERROR = re.compile(r'\bReadError\(\s*"(read\.[a-z0-9-]+)"')
# Codes written as constants elsewhere still look like codes.
CODE_LITERAL = re.compile(r'"((?:T\d-R\d|R6-[A-Z]+|X\d(?:-[A-Z]+)?|N\d|S-[A-Z]+|Y-[A-Z]+'
                          r'|READ-[A-Z-]+|JSON-[A-Z-]+))"')
DOC_ROW = re.compile(r"^\| `([^`]+)` \|", re.MULTILINE)


def _source_codes() -> set[str]:
    found: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for pattern in (FINDING_CALL, READ_ERROR, CODE_LITERAL):
            found.update(pattern.findall(text))
    return found


def _documented() -> list[str]:
    return DOC_ROW.findall(DOC.read_text(encoding="utf-8"))


def test_every_code_in_the_source_is_documented_and_every_documented_code_exists():
    documented = _documented()
    source = _source_codes()
    assert len(documented) == len(set(documented)), "a code is listed twice in docs/codes.md"
    assert source - set(documented) == set(), "codes used but not in docs/codes.md"
    assert set(documented) - source == set(), "codes in docs/codes.md that nothing reports"


def test_the_scan_sees_codes_of_every_kind():
    # Guards the test above against a scan that silently finds nothing.
    source = _source_codes()
    for code in ("T3-R1", "T4-R5", "R6-TEXT", "X1", "N1", "S-MISSING", "READ-ROW-MISSING",
                 "JSON-UNKNOWN-KEY", "read.no-table3", "read.misnamed", "read.zip-bomb"):
        assert code in source
