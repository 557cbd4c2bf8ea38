"""Plain text → tokens → AnnualReport.

Two layouts are understood. The dump of a Word file (the seed): a table cell is a line starting
with a TAB, the lines after it without a TAB continue that cell, and a blank line ends it. And
the linear text of pdftotext and of hand-typed reports, where a row label and its numbers share
a line; those lines are paragraph tokens, which `stream.interpret` splits.
"""

from __future__ import annotations

from ..report import Location
from . import ReadError, ReadResult, _decode
from .stream import Token, interpret_parts


def decode(data: bytes) -> str:
    """The text of `data` (see _decode: BOM, UTF-8, GB18030, then a guess)."""
    return _decode.decode(data, what="文本")


def parts(text: str) -> list[tuple[str, tuple, bool]]:
    """The text as (text, (page, line, cell), is_cell) parts, the fields of stream Tokens."""
    out: list[tuple[str, tuple, bool]] = []
    append = out.append
    # The open cell: its first line, and its further lines only when it has some (most cells
    # are one line, and a list and a join for each would be a fifth of this loop).
    cell: str | None = None
    more: list[str] | None = None
    cell_line = 0
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    for number, line in enumerate(text.split("\n"), 1):
        if line[:1] == "\t":
            if cell is not None:
                append((cell if more is None else "\n".join(more), (None, cell_line, None), True))
            cell, more, cell_line = line[1:].rstrip(), None, number
        elif not line or line.isspace():
            if cell is not None:
                append((cell if more is None else "\n".join(more), (None, cell_line, None), True))
                cell = None
        elif cell is not None:
            if more is None:
                more = [cell]
            more.append(line.rstrip())
        else:
            append((line.rstrip(), (None, number, None), False))
    if cell is not None:
        append((cell if more is None else "\n".join(more), (None, cell_line, None), True))
    return out


def tokens(text: str) -> list[Token]:
    return [Token(t, Location(*where), cell=is_cell) for t, where, is_cell in parts(text)]


def read(data: bytes, name: str = "") -> ReadResult:
    text = decode(data)
    if not text.strip():
        raise ReadError("read.empty", "文件为空", "file is empty")
    return interpret_parts(parts(text), name)
