"""`gongkai check FILE... [--previous FILE] [--format text|json]`: cross-check annual reports.

Text output is one linter line per finding on standard output,

    report.pdf: T3-R1 error 表三“总计”列：…（第2页 表三 第5行 第8列）
    other.docx: 无法读取：文件不存在 (file not found)

and a summary line on standard error. JSON output is the REPORT-JSON.md object (an array when
several files are given; an unreadable file is an object with `file` and `error`).

Exit status: 0 no error finding, 1 some error finding, 2 some file could not be read."""

from __future__ import annotations

import argparse
import json
import sys

from gongkai.annual import ReadError, check, write
from gongkai.annual.report import Finding

from ._output import err, finding_line, guarded, internal, plural, read_input, unreadable

# More files than this show progress even when standard error is not a terminal.
PROGRESS_ABOVE = 20


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="gongkai check",
                                description="检查政府信息公开工作年度报告的勾稽关系 (cross-check annual reports)")
    p.add_argument("files", nargs="+", metavar="FILE", help="报告文件（txt/html/docx/xlsx/pdf/json；- 为标准输入）")
    p.add_argument("--previous", metavar="FILE", help="上一年度的报告，用于核对结转数 (previous year's report)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="输出格式 (output format)")
    return p


class _Tally:
    def __init__(self) -> None:
        self.files = self.errors = self.warnings = self.unreadable = 0

    def add(self, findings: list[Finding]) -> None:
        self.errors += sum(1 for f in findings if f.severity == "error")
        self.warnings += sum(1 for f in findings if f.severity == "warning")

    def status(self) -> int:
        return 2 if self.unreadable else 1 if self.errors else 0

    def summary(self) -> str:
        zh = f"检查了 {self.files} 个文件：{self.errors} 个错误，{self.warnings} 个警告"
        en = (f"checked {plural(self.files, 'file')}: {plural(self.errors, 'error')}, "
              f"{plural(self.warnings, 'warning')}")
        if self.unreadable:
            zh += f"，{self.unreadable} 个文件无法读取"
            en += f", {self.unreadable} unreadable"
        return f"{zh} ({en})"


class _Progress:
    """"[12/300] file" on standard error: redrawn in place on a terminal, one line otherwise."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.tty = sys.stderr.isatty()
        self.on = self.tty or total > PROGRESS_ABOVE

    def step(self, i: int, name: str) -> None:
        if not self.on:
            return
        line = f"[{i}/{self.total}] {name}"
        if self.tty:
            sys.stderr.write("\r\033[K" + line)
            sys.stderr.flush()
        else:
            err(line)

    def clear(self) -> None:
        if self.on and self.tty:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def _check_one(name: str, previous, as_json: bool, tally: _Tally, out: list) -> list[str]:
    """Read and check one file: its JSON object goes to `out`, its text lines are returned."""
    try:
        result = read_input(name)
    except ReadError as e:
        tally.unreadable += 1
        if as_json:
            err(unreadable(name, e))
            out.append({"file": name, "error": {"code": e.code, "message": e.zh, "detail": e.en}})
            return []
        return [unreadable(name, e)]
    try:
        findings = [*result.findings, *check(result.report, previous)]
        obj = _json_object(name, result.report, findings) if as_json else None
    except Exception as exc:  # a rule or writer bug: report it for this file and go on
        tally.unreadable += 1
        line = internal(name, "无法检查该文件", exc)
        if as_json:
            err(line)
            out.append({"file": name, "error": {"code": "internal", "message": "内部错误，无法检查该文件",
                                                 "detail": f"{type(exc).__name__}: {exc}"}})
            return []
        return [line]
    tally.add(findings)
    if as_json:
        out.append(obj)
        return []
    return [finding_line(name, f) for f in findings]


def _json_object(name: str, report, findings: list[Finding]) -> dict:
    obj = json.loads(write(report, "json", findings).decode("utf-8"))
    obj["file"] = name  # as the user named it, so scripts can match input to output
    return obj


def _run(args: argparse.Namespace) -> int:
    previous = None
    if args.previous:
        try:
            previous = read_input(args.previous).report
        except ReadError as e:
            # stdout stays valid JSON under --format json, so the reason goes to stderr there.
            print(unreadable(args.previous, e), flush=True,
                  file=sys.stderr if args.format == "json" else sys.stdout)
            return 2
    as_json = args.format == "json"
    tally, out = _Tally(), []
    progress = _Progress(len(args.files))
    for i, name in enumerate(args.files, 1):
        progress.step(i, name)
        tally.files += 1
        lines = _check_one(name, previous, as_json, tally, out)
        if lines:
            progress.clear()  # so a result line never lands after a half-drawn progress line
            print("\n".join(lines), flush=True)
    progress.clear()
    if as_json:
        doc = out[0] if len(args.files) == 1 else out
        json.dump(doc, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        sys.stdout.flush()
    else:
        err(tally.summary())
    return tally.status()


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as e:  # usage errors and --help: argparse has printed its message
        return e.code if isinstance(e.code, int) else 2
    return guarded(lambda: _run(args), "check")
