"""The `gongkai` command: pure subcommands here, everything else through Django.

    gongkai check FILE...            cross-check annual reports (exit 0/1/2)
    gongkai convert FILE --to docx   convert a report
    gongkai workdays add START N     statutory working-day arithmetic
    gongkai fees pages N             信息处理费
    gongkai serve [ADDR]             the web app (Django runserver)
    gongkai <django command>         migrate, createsuperuser, demo, …
"""

from __future__ import annotations

import importlib
import os
import sys

# Subcommands that run without Django settings: fast, and usable on any machine.
PURE = {
    "check": "gongkai.commands.check",
    "convert": "gongkai.commands.convert",
    "workdays": "gongkai.commands.workdays",
    "fees": "gongkai.commands.fees",
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] in PURE:
        return importlib.import_module(PURE[argv[0]]).main(argv[1:])
    if argv and argv[0] == "serve":
        argv = ["runserver", *argv[1:]]
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__.strip())
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.site.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["gongkai", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
