"""`gongkai convert FILE --to docx|pdf|html|xlsx|json|txt [-o OUT]`: convert a report.

OUT defaults to FILE's stem with the new suffix, in the current directory; "-o -" writes to
standard output. The input file is never overwritten, and OUT is replaced only once the new
bytes exist, so a failed conversion leaves no half-written file.

Exit status: 0 converted, 2 the input cannot be read or the output cannot be written."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from gongkai.annual import WRITERS, ReadError, check, write

from ._output import STDIN, guarded, internal, one_line, read_input, unreadable


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="gongkai convert",
                                description="转换政府信息公开工作年度报告的格式 (convert an annual report)")
    p.add_argument("file", metavar="FILE", help="报告文件（- 为标准输入，此时须给出 -o）")
    p.add_argument("--to", required=True, choices=sorted(WRITERS), help="目标格式 (target format)")
    p.add_argument("-o", "--output", metavar="OUT", help="输出文件；- 为标准输出 (output file, - for stdout)")
    return p


def _out_path(args: argparse.Namespace) -> str | None:
    if args.output:
        return args.output
    if args.file == STDIN:
        return None
    return str(Path.cwd() / (Path(args.file).stem + WRITERS[args.to][2]))


def _same_file(a: str, b: str) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve() or (
            Path(b).exists() and os.path.samefile(a, b))
    except OSError:
        return False


def _save(data: bytes, out: str) -> None:
    """Write next to OUT, then rename: OUT is either the old file or the whole new one."""
    target = Path(out)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        # mkstemp makes the file private (0600); a converted report gets the usual mode.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _run(args: argparse.Namespace) -> int:
    name = args.file
    out = _out_path(args)
    if out is None:
        print(f"{name}: 从标准输入读取时须用 -o 指定输出 (reading stdin needs -o OUT)", file=sys.stderr)
        return 2
    if name != STDIN and out != STDIN and _same_file(name, out):
        print(f"{name}: 输出文件与输入文件相同，拒绝覆盖 (output would overwrite the input)",
              file=sys.stderr)
        return 2
    try:
        result = read_input(name)
    except ReadError as e:
        print(unreadable(name, e), file=sys.stderr)
        return 2
    # JSON carries the findings (REPORT-JSON.md); other formats are the report as written.
    findings = [*result.findings, *check(result.report)] if args.to == "json" else None
    try:
        data = write(result.report, args.to, findings)
    except Exception as exc:
        zh, en = getattr(exc, "zh", None), getattr(exc, "en", None)
        if zh and en:  # a writer's own error (e.g. no CJK font for PDF) says what to do
            print(f"{name}: 无法转换为 {args.to}：{one_line(zh)} ({one_line(en)})", file=sys.stderr)
        elif isinstance(exc, ModuleNotFoundError) and ".writers." in str(exc):
            print(f"{name}: 尚不支持转换为 {args.to} (no {args.to} writer in this installation)",
                  file=sys.stderr)
        else:
            print(internal(name, f"无法转换为 {args.to}", exc), file=sys.stderr)
        return 2
    if out == STDIN:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    try:
        _save(data, out)
    except OSError as exc:
        print(f"{out}: 无法写入输出文件 (cannot write output: {exc.strerror or exc})", file=sys.stderr)
        return 2
    print(f"{name} → {out}", file=sys.stderr)
    return 0


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else 2
    return guarded(lambda: _run(args), "convert")
