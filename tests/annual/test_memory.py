"""A process that checks report after report (a district importing thousands) keeps memory
bounded: what the readers remember between reports is labels and cells, not documents."""

from __future__ import annotations

import gc
import tracemalloc

from conftest import SAMPLES
from gongkai.annual import check, read_bytes

SEED = (SAMPLES / "seed-yipingyuan-2021.txt").read_text(encoding="utf-8")


def _report(n: int) -> bytes:
    # A different report each time: its own paragraph of prose in every section.
    prose = "".join(f"第{n}号报告第{i}段：本机关依法推进政务公开，编号{n * 7919 + i}。" for i in range(40))
    return SEED.replace("在区委、区政府的正确领导下", prose + "在区委、区政府的正确领导下", 1
                        ).encode("utf-8")


def _read_many(start: int, count: int) -> None:
    for n in range(start, start + count):
        result = read_bytes(_report(n), f"r{n}.txt")
        check(result.report)


def test_reading_many_reports_does_not_keep_them():
    assert len(_report(1)) > 10_000 and _report(1) != _report(2)
    _read_many(0, 80)  # warm: labels, cells and the last few documents are remembered
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        _read_many(1000, 300)
        gc.collect()
        grown = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    # 300 reports of > 10 KB each, kept in a few forms, would be tens of MB.
    assert grown < 2_000_000, f"{grown / 1e6:.1f} MB kept after 300 reports"
