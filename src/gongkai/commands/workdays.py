"""`gongkai workdays add START N [--overrides FILE] [--format text|json]`.

Prints the N-th working day after START (START itself not counted, 民法典 Art. 201), the
non-working days passed over and the weekend make-up days counted. A deadline reaching a
year whose holiday arrangement is not known is printed as provisional, with the reason.

Exit status: 0 done, 2 bad arguments or an unreadable override file."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from gongkai.workdays import DEFAULT, MAX_WORKING_DAYS, Calendar, OverrideError

from ._output import err, guarded

USAGE = "gongkai workdays add START N [--overrides FILE] [--format text|json]"


class UsageError(Exception):
    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en


class UsageParser(argparse.ArgumentParser):
    """argparse prints English and exits; this raises one zh+en UsageError instead."""

    usage_line = ""

    def error(self, message: str):
        raise UsageError(f"参数错误，用法：{self.usage_line}", message)


def parser_class(usage_line: str) -> type[UsageParser]:
    return type("Parser", (UsageParser,), {"usage_line": usage_line})


def _parser() -> argparse.ArgumentParser:
    cls = parser_class(USAGE)
    p = cls(prog="gongkai workdays", description="法定工作日计算 (statutory working days)")
    sub = p.add_subparsers(dest="action", required=True, parser_class=cls)
    add = sub.add_parser("add", help="START 之后第 N 个工作日 (the N-th working day after START)")
    add.add_argument("start", metavar="START", help="起算日（不计入），YYYY-MM-DD")
    add.add_argument("n", metavar="N", help="工作日数 (number of working days)")
    add.add_argument("--overrides", metavar="FILE",
                     help="节假日调整表 CSV/JSON (holiday overrides: date,kind,name)")
    add.add_argument("--format", choices=("text", "json"), default="text",
                     help="输出格式 (output format)")
    return p


def parse_date(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise UsageError(f"日期“{raw}”无效，应为 YYYY-MM-DD",
                         f"invalid date {raw!r}, expected YYYY-MM-DD") from None


def parse_count(raw: str) -> int:
    try:
        n = int(raw)
    except ValueError:
        n = -1
    if not 0 <= n <= MAX_WORKING_DAYS:
        raise UsageError(f"工作日数“{raw}”无效，应为 0 到 {MAX_WORKING_DAYS} 的整数",
                         f"invalid number of working days {raw!r}, expected 0..{MAX_WORKING_DAYS}")
    return n


def _add(args: argparse.Namespace) -> int:
    start, n = parse_date(args.start), parse_count(args.n)
    cal = DEFAULT
    if args.overrides:
        try:
            cal = Calendar.from_file(args.overrides)
        except OverrideError as e:
            raise UsageError(f"节假日调整表无法使用：{e.zh}", e.en) from None
    try:
        d = cal.add_working_days(start, n)
    except ValueError as e:  # past year 9999
        raise UsageError("结果超出可计算的日期范围", str(e)) from None
    if args.format == "json":
        obj = d.to_dict()
        obj["explanation"] = d.explain()
        json.dump(obj, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    lines = [d.due.isoformat(), d.explain()]
    if d.skipped:
        lines.append(f"跳过的非工作日（{len(d.skipped)}天）：" + "、".join(x.isoformat() for x in d.skipped))
    if d.make_up_days:
        lines.append(f"计入的调休上班日（{len(d.make_up_days)}天）："
                     + "、".join(x.isoformat() for x in d.make_up_days))
    print("\n".join(lines), flush=True)
    return 0


def main(argv: list[str]) -> int:
    def run() -> int:
        try:
            args = _parser().parse_args(argv)
            return _add(args)
        except UsageError as e:
            err(f"gongkai workdays: {e.zh} ({e.en})")
            return 2

    try:
        return guarded(run, "workdays")
    except SystemExit as e:  # --help
        return e.code if isinstance(e.code, int) else 0
