"""Benchmark `gongkai check` (read + cross-check rules) per input format.

    .venv/bin/python benchmarks/run.py [--quick] [--markdown] [--profile pdf]

For text, HTML, DOCX and PDF a realistic report (benchmarks/realistic.py) is written with the
project's own writers, then read back and checked in one process, as many times as fit in the
time budget. Each round cycles through POOL different reports (other numbers, other prose), so
a cache that only remembers a whole document cannot flatter the rate: a district reads every
report once. `pdf-published` checks the real published PDFs of ../shared/samples/real/ in turn
(made by office software with TrueType fonts, as the reports an office above reads are). The rate is reports per CPU-second (one core). Beside it runs a baseline: the bare
library parse of the same bytes, so the ratio still compares on a noisy or slow machine.
A format whose writer or reader is not there yet is reported as unavailable."""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import platform
import pstats
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from realistic import realistic_report  # noqa: E402

from gongkai.annual import check, read_bytes, write  # noqa: E402


def _text_baseline(data: bytes) -> None:
    data.decode("utf-8").splitlines()


def _html_baseline(data: bytes) -> None:
    import lxml.html

    lxml.html.fromstring(data)


def _docx_baseline(data: bytes) -> None:
    import docx

    docx.Document(io.BytesIO(data))


def _pdf_baseline(data: bytes) -> None:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            page.extract_text()


@dataclass(frozen=True)
class Case:
    name: str
    writer: str  # gongkai.annual.write target; "" for published files
    suffix: str
    target: float  # reports per second per core
    baseline: Callable[[bytes], None]
    baseline_name: str


CASES = (
    Case("text", "txt", ".txt", 500, _text_baseline, "bytes.decode + splitlines"),
    Case("html", "html", ".html", 500, _html_baseline, "lxml.html.fromstring"),
    Case("docx", "docx", ".docx", 100, _docx_baseline, "python-docx Document()"),
    Case("pdf", "pdf", ".pdf", 20, _pdf_baseline, "pdfplumber open + extract_text"),
    Case("pdf-published", "", ".pdf", 20, _pdf_baseline, "pdfplumber open + extract_text"),
)
PUBLISHED = Path(__file__).resolve().parents[2] / "shared" / "samples" / "real"


@dataclass
class Result:
    case: Case
    size: int = 0
    rate: float = 0.0
    baseline_rate: float = 0.0
    cells: int = 0
    unavailable: str = ""

    @property
    def verdict(self) -> str:
        if self.unavailable:
            return "n/a"
        return "PASS" if self.rate >= self.case.target else "MISS"


def rate(fn: Callable[[], object], budget: float, repeats: int = 3) -> float:
    """Calls per CPU-second: best of `repeats` rounds of about budget/repeats seconds each."""
    fn()  # warm-up: imports, caches
    best = 0.0
    for _ in range(repeats):
        n, start, deadline = 0, time.process_time(), time.perf_counter() + budget / repeats
        while True:
            fn()
            n += 1
            if time.perf_counter() >= deadline:
                break
        best = max(best, n / max(time.process_time() - start, 1e-9))
    return best


def _check(data: bytes, name: str):
    result = read_bytes(data, name)
    return result.report, check(result.report)


def _why(part: str, exc: Exception) -> str:
    if "ModuleNotFoundError" in f"{type(exc).__name__} {getattr(exc, 'en', '')}":
        return f"no {part} yet"
    return f"{part} failed: {type(exc).__name__}: {getattr(exc, 'en', exc)}"[:160]


POOL = 16


def reports_pool() -> list:
    return [realistic_report(seed) for seed in range(2021, 2021 + POOL)]


def prepare(case: Case, reports: list) -> tuple[list[bytes] | None, str]:
    """The case's input bytes, one per report, or None and why they cannot be made or read."""
    try:
        data = [write(report, case.writer) for report in reports]
    except Exception as exc:  # a writer not there yet, or no font for PDF on this machine
        return None, _why(f"{case.writer} writer", exc)
    try:
        _check(data[0], "bench" + case.suffix)
    except Exception as exc:
        return None, _why(f"{case.name} reader", exc)
    return data, ""


def _cycling(fn: Callable[[object], object], items: list) -> Callable[[], object]:
    turn = iter(range(1 << 62))
    return lambda: fn(items[next(turn) % len(items)])


def _published() -> list[tuple[bytes, str]]:
    return [(p.read_bytes(), p.name) for p in sorted(PUBLISHED.glob("*.pdf"))]


def measure_published(case: Case, budget: float) -> Result:
    """The published PDFs checked in turn: the rate is files per CPU-second; "cells" counts
    the cells read with a value, over all files (their exact values are the tests' business)."""
    files = _published()
    if not files:
        return Result(case, unavailable=f"no PDFs in {PUBLISHED}")
    cells = sum(sum(1 for c in _check(d, n)[0].cells.values() if c.value is not None)
                for d, n in files)
    return Result(case, size=sum(len(d) for d, _ in files) // len(files), cells=cells,
                  rate=rate(_cycling(lambda f: _check(*f), files), budget),
                  baseline_rate=rate(_cycling(lambda f: case.baseline(f[0]), files), budget))


def measure(case: Case, reports: list, budget: float) -> Result:
    if not case.writer:
        return measure_published(case, budget)
    data, why = prepare(case, reports)
    if data is None:
        return Result(case, unavailable=why)
    report = reports[0]
    back, _ = _check(data[0], "bench" + case.suffix)
    read_ok = sum(1 for a, c in report.cells.items() if back.cells.get(a) and back.cells[a].value == c.value)
    name = "bench" + case.suffix
    return Result(
        case, size=sum(map(len, data)) // len(data), cells=read_ok,
        rate=rate(_cycling(lambda d: _check(d, name), data), budget),
        baseline_rate=rate(_cycling(case.baseline, data), budget),
    )


def machine() -> dict[str, str]:
    import os

    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"date": dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
            "cores": str(os.cpu_count()), "cpu": model,
            "python": platform.python_version()}


def table(results: list[Result], total_cells: int) -> str:
    rows = ["| format | input | check/s | baseline/s | check ÷ baseline time | target | result | cells read back |",
            "| --- | --- | ---: | ---: | ---: | ---: | --- | ---: |"]
    for r in results:
        if r.unavailable:
            rows.append(f"| {r.case.name} | unavailable ({r.unavailable}) | | | | ≥ {r.case.target:g} | n/a | |")
            continue
        slower = r.baseline_rate / r.rate if r.rate else float("inf")
        size, cells = f"{r.size / 1024:.0f} KB", f"{r.cells}/{total_cells}"
        if not r.case.writer:
            size, cells = f"{len(_published())} files, {size} on average", f"{r.cells} with a value"
        rows.append(f"| {r.case.name} | {size} | {r.rate:.0f} | {r.baseline_rate:.0f} "
                    f"({r.case.baseline_name}) | {slower:.1f}× | ≥ {r.case.target:g} | {r.verdict} "
                    f"| {cells} |")
    return "\n".join(rows)


def profile(case: Case, reports: list, budget: float) -> None:
    if case.writer:
        data, why = prepare(case, reports)
        if data is None:
            print(f"{case.name}: unavailable ({why})")
            return
        inputs = [(d, "bench" + case.suffix) for d in data]
    else:
        inputs = _published()
    prof = cProfile.Profile()
    deadline = time.perf_counter() + budget
    prof.enable()
    while time.perf_counter() < deadline:
        for data, name in inputs:
            _check(data, name)
    prof.disable()
    stats = pstats.Stats(prof).strip_dirs()
    for key in ("tottime", "cumulative"):
        print(f"--- {case.name}: top functions by {key}")
        stats.sort_stats(key).print_stats(15)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="about 1 s per measurement instead of 5")
    p.add_argument("--markdown", action="store_true", help="print a section for docs/benchmarks.md")
    p.add_argument("--profile", choices=[c.name for c in CASES], help="cProfile one format instead")
    p.add_argument("--only", choices=[c.name for c in CASES], action="append", help="measure only these")
    args = p.parse_args(argv)
    budget = 1.0 if args.quick else 5.0
    reports = reports_pool()
    report = reports[0]
    if args.profile:
        profile(next(c for c in CASES if c.name == args.profile), reports, budget)
        return 0
    m = machine()
    print(f"{m['date']} · {m['cores']} cores · {m['cpu']} · Python {m['python']}"
          f"{' · quick' if args.quick else ''}", file=sys.stderr)
    results = []
    for case in CASES:
        if args.only and case.name not in args.only:
            continue
        r = measure(case, reports, budget)
        results.append(r)
        if r.unavailable:
            print(f"{case.name:13} unavailable  ({r.unavailable})", file=sys.stderr)
        else:
            print(f"{case.name:13} {r.rate:8.0f}/s  baseline {r.baseline_rate:8.0f}/s  "
                  f"({r.baseline_rate / r.rate:.1f}× the bare parse)  target ≥ {r.case.target:g}/s  "
                  f"{r.verdict}", file=sys.stderr)
    # The rules' share: check() alone on a report already read caps every format's rate.
    rules_rate = rate(_cycling(check, reports), budget)
    print(f"{'rules':13} {rules_rate:8.0f}/s  (check() alone on a report already read)", file=sys.stderr)
    out = table(results, len(report.cells))
    out += f"\n\nRules alone (`check()` on a report already read): {rules_rate:.0f}/s."
    if args.markdown:
        print(f"Measured {m['date']} on {m['cores']} cores ({m['cpu']}), Python {m['python']}, "
              f"{'--quick' if args.quick else 'full run'}; one process, reports per CPU-second.\n")
    print(out)
    return 1 if any(r.verdict == "MISS" for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
