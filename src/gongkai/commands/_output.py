"""Printing and input helpers shared by `gongkai check` and `gongkai convert`.

People read the Chinese; logs and bug reports carry the English. Every problem is one line,
never a traceback."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable

from gongkai.annual import ReadError, ReadResult, read, read_bytes
from gongkai.annual.report import Finding

STDIN = "-"


def read_input(path: str) -> ReadResult:
    """Read a report from a path, or from standard input when the path is "-"."""
    if path == STDIN:
        return read_bytes(sys.stdin.buffer.read(), "<stdin>")
    return read(path)


def one_line(text: str) -> str:
    """Line breaks inside a message (a quoted paragraph, a parser's detail) would split a
    linter line in two; fold them into single spaces."""
    return " ".join(str(text).split())


def unreadable(name: str, err: ReadError) -> str:
    return f"{name}: 无法读取：{one_line(err.zh)} ({one_line(err.en)})"


def finding_line(name: str, f: Finding) -> str:
    where = f"（{f.where}）" if f.where and str(f.where) else ""
    return f"{name}: {f.code} {f.severity} {one_line(f.message)}{where}"


def internal(name: str, doing_zh: str, exc: BaseException) -> str:
    """The one line shown for an unexpected failure (a bug): what failed, and the English detail."""
    detail = one_line(exc)[:300]
    return f"{name}: 内部错误，{doing_zh} (internal error: {type(exc).__name__}: {detail})"


def err(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def guarded(run: Callable[[], int], command: str) -> int:
    """Run a command's body so that nothing escapes as a traceback.

    Ctrl-C exits 130, a closed pipe (`gongkai check … | head`) exits 141 quietly (as a shell
    reports SIGPIPE), anything else is logged on one line and exits 2."""
    try:
        return run()
    except KeyboardInterrupt:
        err(f"gongkai {command}: 已中断 (interrupted)")
        return 130
    except BrokenPipeError:
        # The reader of our output went away; point stdout at /dev/null so the flush at exit
        # does not complain (the recipe in the Python docs for SIGPIPE).
        with contextlib.suppress(Exception):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as exc:  # the last line of defence: a bug must not show a traceback
        err(internal(f"gongkai {command}", "命令未能完成", exc))
        return 2
