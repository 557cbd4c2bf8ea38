"""`gongkai fees per-application K | pages N [--format text|json]`: 信息处理费.

    per-application K   the fee for an applicant's K-th application of the calendar month (按件)
    pages N             the fee for one application providing N pages (按量)

Text output is the amount in 元 and the fee-notice lines, one per tier; JSON is
{"fee_yuan", "tiers"}. Exit status: 0 done, 2 bad arguments."""

from __future__ import annotations

import argparse
import json
import sys

from gongkai.fees import (
    PAGES,
    PER_APPLICATION,
    fee_for_nth_application,
    fee_for_pages,
    yuan,
)

from ._output import err, guarded
from .workdays import UsageError, parser_class

USAGE = "gongkai fees per-application K | pages N [--format text|json]"


def _parser() -> argparse.ArgumentParser:
    cls = parser_class(USAGE)
    p = cls(prog="gongkai fees", description="信息处理费 (disclosure processing fee)")
    sub = p.add_subparsers(dest="method", required=True, parser_class=cls)
    for name, metavar, help_ in (
        ("per-application", "K", "本月第 K 件申请的费用，按件计收 (fee for the K-th application this month)"),
        ("pages", "N", "N 页的费用，按量计收 (fee for N pages)"),
    ):
        s = sub.add_parser(name, help=help_)
        s.add_argument("count", metavar=metavar)
        s.add_argument("--format", choices=("text", "json"), default="text",
                       help="输出格式 (output format)")
    return p


def _count(raw: str, minimum: int, maximum: int, what_zh: str, what_en: str) -> int:
    try:
        n = int(raw)
    except ValueError:
        n = minimum - 1
    if not minimum <= n <= maximum:
        raise UsageError(f"{what_zh}“{raw}”无效，应为 {minimum} 到 {maximum} 的整数",
                         f"invalid {what_en} {raw!r}, expected {minimum}..{maximum}")
    return n


def _run(args: argparse.Namespace) -> int:
    if args.method == "per-application":
        k = _count(args.count, 1, PER_APPLICATION.max_units, "申请序号", "application number")
        fee, head = fee_for_nth_application(k), f"按件计收：本月第{k}件申请"
    else:
        n = _count(args.count, 0, PAGES.max_units, "页数", "page count")
        fee, head = fee_for_pages(n), f"按量计收：{n}页"
    if args.format == "json":
        json.dump(fee.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print("\n".join([f"{yuan(fee.total)}元", head, *fee.describe()]), flush=True)
    return 0


def main(argv: list[str]) -> int:
    def run() -> int:
        try:
            return _run(_parser().parse_args(argv))
        except UsageError as e:
            err(f"gongkai fees: {e.zh} ({e.en})")
            return 2

    try:
        return guarded(run, "fees")
    except SystemExit as e:  # --help
        return e.code if isinstance(e.code, int) else 0
