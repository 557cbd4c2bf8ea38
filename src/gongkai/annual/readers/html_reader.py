"""HTML → token stream → AnnualReport.

Pages come from Word ("Save as Web Page", with mso classes, <o:p>, &nbsp; and GB2312), from
content systems that wrap the report in layout tables, and from our own writer. The body is
walked in document order without recursion (lxml.iterwalk), so a hostile page nested thousands
deep cannot exhaust the stack. Paragraphs and headings become paragraph tokens; a data table is
expanded to its grid and gives one token per real cell, row by row: a merged cell's text once,
the positions it covers nothing, a blank cell "" so positions hold. A table whose cells hold
other tables is layout, and is read as ordinary blocks."""

from __future__ import annotations

import re
import sys

from lxml import etree

from ..formats import REPORT_TITLE
from ..report import Location
from . import ReadError, ReadResult, _decode

# The box our writer adds for findings is not part of the report.
FINDINGS_CLASS = "gongkai-findings"

_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.I)

_SKIP = {"script", "style", "head", "title", "noscript", "template", "iframe", "object", "embed",
         "svg", "math", "select", "option", "textarea", "button", "input", "img", "map", "xml"}
_BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
          "blockquote", "pre", "section", "article", "header", "footer", "main", "nav", "aside",
          "address", "figure", "figcaption", "center", "hr", "form", "fieldset", "legend",
          "caption", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "body", "html",
          "details", "summary"}
_CELL = {"td", "th"}
# Spans beyond these are hostile or broken; the HTML standard itself caps colspan at 1000.
MAX_COLSPAN = 1000
# Sum of the rows every cell spans (a cell's covered rows are remembered one by one).
MAX_SPANNED_ROWS = 200_000

_BR = "\ue000"  # a forced line break while whitespace is being collapsed
_SPACE = re.compile(r"[ \t\r\n\f\v\xa0\u200b\ufeff]+")
_SPACE_RUN = re.compile(f"({_SPACE.pattern})")  # split() keeps the runs
# Characters of which any string collapses to "": spacing that collapse() or str.strip()
# removes, and breaks.
_BLANK = " \t\r\n\f\v\xa0\u200b\ufeff\u3000" + _BR
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# The same characters as UTF-8 bytes: bytes.translate finds them far faster than a regex.
_CONTROL_BYTES = bytes([*range(0x09), 0x0b, 0x0c, *range(0x0e, 0x20)])


def read(data: bytes, name: str = "") -> ReadResult:
    from .stream import interpret_parts  # noqa: PLC0415  (the interpreter is the heavy part)

    return interpret_parts(_parts(data), name)


# -- decoding ---------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """The page's text, honouring its <meta charset> or http-equiv declaration."""
    m = _META_CHARSET.search(data[:16384])
    return _decode.decode(data, m.group(1).decode("ascii") if m else None, what="网页")


def _utf8_without_controls(text: str) -> bytes:
    """The text for libxml2: UTF-8, without the control characters HTML does not allow."""
    try:
        raw = text.encode("utf-8")
        if len(raw.translate(None, _CONTROL_BYTES)) == len(raw):  # no control characters
            return raw
    except UnicodeEncodeError:  # a lone surrogate: raised by the line below, as it always was
        pass
    return _CONTROL.sub("", text).encode("utf-8")


def parse(data: bytes) -> etree._Element:
    text = decode(data)
    # huge_tree lifts libxml2's buffer limits (a long attribute or text node in a page that
    # is already under MAX_INPUT_BYTES) and its depth limit from 256 to 2048 levels.
    # lxml's own HTML parser, not lxml.html's: the tree is the same, but lxml.html looks up
    # a Python element class for every element the reader touches.
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True,
                              no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(_utf8_without_controls(text), parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise ReadError("read.html-empty", "网页没有可读的内容", f"no HTML content: {exc}") from None
    if root is None:  # lxml.html.document_fromstring's words for it
        raise ReadError("read.html-empty", "网页没有可读的内容", "no HTML content: Document is empty")
    limits = [e for e in parser.error_log if e.type_name == "ERR_RESOURCE_LIMIT"]
    if limits:
        # libxml2 stops at the limit and drops the rest: a partial report would mislead.
        raise ReadError("read.html-limit", "网页结构嵌套过深或过大，超出安全限制，无法完整读取",
                        f"HTML exceeds parser limits: {limits[0].message.strip()}")
    return root


# -- text -------------------------------------------------------------------------------------

# What an element's tag makes it, as bits: lxml gives tags as written (HTML names in lower
# case), and a tag is looked up once per page element, so its .lower() and set look-ups are
# done once per distinct tag and kept.
_K_SKIP, _K_BLOCK, _K_BR, _K_CELL, _K_TABLE = 1, 2, 4, 8, 16
# Distinct tags kept at most, and their longest name: a hostile page may invent any number,
# of any length.
_MAX_KINDS, _MAX_KEPT_TAG = 4096, 64


def _kind(tag) -> int:
    if not isinstance(tag, str):  # a comment, processing instruction or entity
        return _K_SKIP
    name = tag.lower()
    return ((_K_SKIP if name in _SKIP else 0) | (_K_BLOCK if name in _BLOCK else 0)
            | (_K_BR if name == "br" else 0) | (_K_CELL if name in _CELL else 0)
            | (_K_TABLE if name == "table" else 0))


class _Kinds(dict):
    def __missing__(self, tag) -> int:
        kind = _kind(tag)
        if isinstance(tag, str) and len(tag) <= _MAX_KEPT_TAG and len(self) < _MAX_KINDS:
            self[tag] = kind
        return kind


_KINDS = _Kinds()


def _wide(ch: str) -> bool:
    return ch > "\u2e7f"


def collapse(raw: str) -> str:
    """HTML whitespace rules: runs of spaces become one, except that a line break in the
    source between two Chinese characters disappears (Word wraps its HTML mid-sentence)."""
    if " " not in raw and raw.isprintable():  # no spacing, no break (both unprintable)
        return raw
    # Line by line, and stripped first: a run at a line's edge goes whatever it would become,
    # and the runs inside have the neighbours they have in the whole text.
    lines = []
    for part in raw.split(_BR):
        line = part.strip()
        if " " in line or not line.isprintable():
            line = _join_runs(line).strip()
        if line:
            lines.append(line)
    # Consecutive breaks (</p><p>, <br><br>) make one line break: blank lines carry nothing.
    return "\n".join(lines)


def _join_runs(text: str) -> str:
    """Each run of spacing as one space, or as nothing where it holds a line break between
    two Chinese characters."""
    pieces = _SPACE_RUN.split(text)  # text, run, text, …, text: runs at odd places
    for i in range(1, len(pieces), 2):
        run = pieces[i]
        # The characters either side of a run are the ends of its neighbours ("" at the edges).
        if ("\n" in run or "\r" in run) and _wide(pieces[i - 1][-1:]) and _wide(pieces[i + 1][:1]):
            pieces[i] = ""
        else:
            pieces[i] = " "
    return "".join(pieces)


def _hidden(el) -> bool:
    """Our findings box, or hidden by its style (Word's revision marks and the like)."""
    cls = el.get(b"class")  # names as bytes: see _Walker.table
    if cls and FINDINGS_CLASS in cls and FINDINGS_CLASS in cls.split():
        return True
    style = el.get(b"style")
    if style:
        compact = style.replace(" ", "").lower()
        if "display:none" in compact or "mso-hide:all" in compact:
            return True
    return False


def cell_text(cell) -> str:
    """A cell's text: nested paragraphs and <br> as line breaks, markup dropped."""
    if not len(cell):  # text only: what the walk below gives, without walking
        return collapse(cell.text or "")
    kinds = _KINDS
    parts: list[str] = []
    walker = etree.iterwalk(cell, events=("start", "end"))
    next(walker)  # the cell's own start
    if cell.text:
        parts.append(cell.text)
    for event, el in walker:
        kind = kinds[el.tag]
        if event == "start":
            if kind & _K_SKIP or _hidden(el):
                walker.skip_subtree()
                continue
            if kind & (_K_BR | _K_BLOCK):
                parts.append(_BR)
            text = el.text
            if text:
                parts.append(text)
        elif el is cell:  # the last event
            break
        else:
            if kind & _K_BLOCK:
                parts.append(_BR)
            text = el.tail
            if text:
                parts.append(text)
    return collapse("".join(parts))


# -- the walk ---------------------------------------------------------------------------------


def _has_inner_table(table) -> bool:
    """Whether any table is inside this one (rare: only then are layout and rows looked into)."""
    tables = table.iter("table")
    next(tables)  # the table itself
    return next(tables, None) is not None


def _is_layout(table) -> bool:
    return bool(table.xpath(".//td//table | .//th//table"))


def _own_rows(table, nested: bool = True) -> list:
    """The table's rows, not those of tables inside it (`nested`: whether it has any), nor
    Word's zero-height row that only fixes column widths (<![if !supportMisalignedColumns]>)."""
    rows = table.iter("tr")
    if nested:
        rows = [tr for tr in rows if _nearest_table(tr) is table]
    return [tr for tr in rows if not (tr.get("height") == "0" and not cell_text(tr))]


def _nearest_table(el):
    p = el.getparent()
    while p is not None and p.tag != "table":
        p = p.getparent()
    return p


def _span(value: str | None, limit: int) -> int:
    if value is None:
        return 1
    if value.isdigit() and value.isascii():  # the usual "3"
        n = int(value)
    else:
        try:
            n = int(value.strip().split(".")[0])
        except ValueError:
            return 1
    if n <= 0:
        return 0  # rowspan="0": to the end of the table
    return min(n, limit)


class _Walker:
    """Walks a page into (text, (page, line, cell), is_cell) parts, the stream's Token fields."""

    def __init__(self) -> None:
        self.out: list[tuple[str, tuple, bool]] = []
        self.buffer: list[str] = []
        self.line: int | None = None
        self.tables = 0

    def text(self, s: str | None, el) -> None:
        if s:
            if self.line is None and s.strip():
                self.line = el.sourceline
            self.buffer.append(s)

    def flush(self) -> None:
        if not self.buffer:  # and so no line either: nothing to give
            return
        text = "".join(self.buffer)
        if text.strip(_BLANK):  # spacing and breaks alone (between blocks) collapse to nothing
            text = collapse(text)
            if text:
                self.out.append((text, (None, self.line, None), False))
        self.buffer, self.line = [], None

    def walk(self, root) -> None:
        kinds = _KINDS
        walker = etree.iterwalk(root, events=("start", "end"))
        for event, el in walker:
            kind = kinds[el.tag]
            if event == "start":
                if kind & _K_SKIP or _hidden(el):
                    walker.skip_subtree()
                    continue
                if kind & _K_TABLE:
                    nested = _has_inner_table(el)
                    if not (nested and _is_layout(el)):
                        self.flush()
                        self.table(el, nested)
                        walker.skip_subtree()
                        continue
                if kind & _K_BR:
                    self.buffer.append(_BR)
                elif kind & _K_BLOCK:
                    self.flush()
                self.text(el.text, el)
            else:
                if kind & _K_BLOCK:
                    self.flush()
                self.text(el.tail, el)
        self.flush()

    def table(self, table, nested: bool = True) -> None:
        """One data table: its caption as a paragraph, then its cells in grid order."""
        self.tables += 1
        n = self.tables
        append = self.out.append
        kinds = _KINDS
        for caption in table.findall("caption"):
            text = cell_text(caption)
            if text:
                append((text, (None, caption.sourceline, None), False))
        rows = _own_rows(table, nested)
        # Per row, the column ranges that cells from rows above reach down into.
        taken: dict[int, list[tuple[int, int]]] = {}
        budget = MAX_SPANNED_ROWS
        for r, tr in enumerate(rows):
            c = 0
            # The covered ranges of this row, merged; columns are asked for left to right, so
            # one pass serves the row: `start, end` is the first range that does not end at or
            # before c. This loop runs for every cell, hence the locals.
            below = taken.pop(r, None)
            covered = _merged(below) if below else _NONE_COVERED
            i = 0
            start, end = covered[0]
            left = len(rows) - r  # rows from this one to the end of the table
            where = f"表{n} 行{r + 1} 列"
            for cell in tr:
                if not kinds[cell.tag] & _K_CELL:
                    continue
                while end <= c:
                    i += 1
                    start, end = covered[i]
                if start <= c:  # the first column at or after c that no cell above covers
                    c = end
                    i += 1
                    start, end = covered[i]
                # Attribute names as bytes spare lxml encoding them; the values are str alike.
                span = cell.get(b"colspan")
                colspan = 1 if span is None else max(_span(span, MAX_COLSPAN), 1)
                span = cell.get(b"rowspan")
                rowspan = 1 if span is None else _span(span, left) or left
                budget -= rowspan
                if budget < 0:
                    raise ReadError("read.html-table-too-large", "网页中的表格过大，无法读取",
                                    "HTML table cells span more rows than the limit")
                if rowspan > 1:
                    for dr in range(1, rowspan):
                        taken.setdefault(r + dr, []).append((c, c + colspan))
                # cell_text(), with the commonest cell (text without markup or spacing) inline.
                if len(cell):
                    text = cell_text(cell)
                else:
                    text = cell.text
                    if not text:
                        text = ""
                    elif " " in text or not text.isprintable():
                        text = collapse(text)
                append((text, (None, cell.sourceline, where + str(c + 1)), True))
                c += colspan


# A range past every column, so the walk over a row's ranges needs no end test.
_NONE_COVERED = [(sys.maxsize, sys.maxsize)]


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Column ranges sorted, overlapping and touching ones joined, and the range past every
    column last."""
    merged: list[list[int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged] + _NONE_COVERED


def tokens(data: bytes) -> list:
    """The page as stream tokens, in reading order."""
    from .stream import Token  # noqa: PLC0415

    return [Token(text, Location(*where), is_cell) for text, where, is_cell in _parts(data)]


def _parts(data: bytes) -> list[tuple[str, tuple, bool]]:
    """The page as (text, (page, line, cell), is_cell) parts, in reading order."""
    root = parse(data)
    body = root.find("body")
    walker = _Walker()
    walker.walk(body if body is not None else root)
    out = walker.out
    # Some pages name the report only in <title>; give it to the interpreter when the body
    # has no line with the report's name.
    title = root.find("head/title")
    if title is not None:
        text = collapse("".join(title.itertext()))
        if REPORT_TITLE in text and not any(REPORT_TITLE in t for t, _, is_cell in out
                                            if not is_cell):
            out.insert(0, (text, (None, title.sourceline, None), False))
    return out
