"""DOCX → token stream → AnnualReport.

The document body is walked in order on the XML itself (python-docx's table API repeats a
merged cell at every position it covers, which would repeat numbers). A table becomes one
token per real cell, row by row: a cell merged across (w:gridSpan) or down (w:vMerge) gives its
text once, the positions it covers give nothing, a blank cell gives "" so positions hold.
Tracked changes read as if accepted: deleted text (w:del, w:moveFrom) is left out, inserted
text kept. Content controls (w:sdt) are read through, except our own findings block.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from lxml import etree

from ..report import Location
from . import ReadError, ReadResult
from ._zip import MAX_UNPACKED_BYTES

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
# The writer wraps findings (not part of the report) in a content control with this tag.
FINDINGS_TAG = "gongkai:findings"

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=False, remove_comments=True, remove_pis=True)

# Inline elements whose content is not the visible text of the paragraph.
_SKIP_INLINE = {"del", "moveFrom", "delText", "instrText", "delInstrText", "pPr", "rPr",
                "fldData", "sdtPr", "sdtEndPr", "footnoteReference", "endnoteReference", "commentReference"}
# Containers that may wrap block content (paragraphs, tables, rows, cells).
_WRAPPERS = {"sdt", "sdtContent", "customXml", "ins", "moveTo", "smartTag"}


@dataclass(frozen=True)
class Piece:
    """One paragraph's or table cell's text, in document order (the stream's Token shape)."""

    text: str
    where: Location | None = None
    cell: bool = False


def read(data: bytes, name: str = "") -> ReadResult:
    pieces = walk(data)
    from .stream import Token, interpret  # noqa: PLC0415  (the interpreter is the heavy part)

    return interpret([Token(p.text, p.where, p.cell) for p in pieces], name)


def walk(data: bytes) -> list[Piece]:
    """The document body as pieces: paragraphs and table cells in reading order."""
    root = _main_document(data)
    walker = _Walker(etree.QName(root).namespace or W_NS)
    body = root.find(walker.q("body"))
    if body is not None:
        walker.blocks(body)
    return walker.out


# -- the package ------------------------------------------------------------------------------

def _main_document(data: bytes) -> etree._Element:
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        names = {i.filename: i for i in z.infolist()}
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ReadError("read.bad-zip", "文件已损坏（不是完整的 Word 文档）",
                        "corrupt or truncated docx (bad zip)") from None
    part = _main_part_name(z, names)
    if part is None:
        raise ReadError("read.docx-no-document", "Word 文档缺少正文部分（word/document.xml）",
                        "docx has no main document part (word/document.xml)")
    if names[part].file_size > MAX_UNPACKED_BYTES:
        raise ReadError("read.zip-bomb", "压缩文档解压后过大，疑似恶意文件，已拒绝",
                        "document part expands too much")
    try:
        xml = z.read(part)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError) as exc:
        raise ReadError("read.bad-zip", "文件已损坏（Word 文档的正文无法解压）",
                        f"corrupt docx: cannot unpack {part}: {exc}") from None
    try:
        root = etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise ReadError("read.docx-bad-xml", "Word 文档的正文不是有效的 XML，文件可能已损坏",
                        f"docx main part is not well-formed XML: {exc}") from None
    if etree.QName(root).localname != "document" or \
            etree.QName(root).namespace not in (W_NS, W_STRICT_NS):
        raise ReadError("read.docx-bad-xml", "Word 文档的正文不是 Word 文档格式",
                        f"docx main part root is {root.tag}, not w:document")
    return root


def _main_part_name(z: zipfile.ZipFile, names: dict) -> str | None:
    """The officeDocument target of _rels/.rels (usually word/document.xml)."""
    if "_rels/.rels" in names and names["_rels/.rels"].file_size < 1024 * 1024:
        try:
            rels = etree.fromstring(z.read("_rels/.rels"), _PARSER)
            for rel in rels.iter(f"{{{REL_NS}}}Relationship"):
                if rel.get("Type", "").endswith("/officeDocument"):
                    target = posixpath.normpath(rel.get("Target", "").lstrip("/"))
                    if target in names:
                        return target
        except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError, EOFError, ValueError):
            pass  # fall back to the usual name
    return "word/document.xml" if "word/document.xml" in names else None


# -- the body ---------------------------------------------------------------------------------

class _Walker:
    def __init__(self, ns: str):
        self.ns = ns
        self.out: list[Piece] = []
        self.paragraphs = 0
        self.tables = 0
        self._names: dict[str, str | None] = {}

    def q(self, local: str) -> str:
        return f"{{{self.ns}}}{local}"

    def local(self, el) -> str | None:
        """The element's WordprocessingML name ("p", "tbl"), "mc:…", or None for others."""
        tag = el.tag
        if not isinstance(tag, str):  # comments, processing instructions
            return None
        try:
            return self._names[tag]
        except KeyError:
            qn = etree.QName(tag)
            if qn.namespace == MC_NS:
                name = "mc:" + qn.localname
            else:
                name = qn.localname if qn.namespace == self.ns else None
            self._names[tag] = name
            return name

    # blocks: paragraphs, tables and what wraps them
    def blocks(self, parent) -> None:
        for el in parent:
            tag = self.local(el)
            if tag == "p":
                self.paragraph(el)
            elif tag == "tbl":
                self.table(el)
            elif tag == "sdt" and self._is_findings(el):
                continue
            elif tag in _WRAPPERS:
                self.blocks(el)
            elif tag == "mc:AlternateContent":
                self.blocks(self._alternative(el))

    def paragraph(self, p) -> None:
        boxes: list = []
        text = self.inline_text(p, boxes)
        self.paragraphs += 1
        self.out.append(Piece(text, Location(line=self.paragraphs)))
        for box in boxes:  # text boxes anchored in the paragraph read after it
            self.blocks(box)

    def inline_text(self, el, boxes: list) -> str:
        parts: list[str] = []
        self._inline(el, parts, boxes)
        return "".join(parts)

    def _inline(self, el, parts: list[str], boxes: list) -> None:
        for ch in el:
            tag = self.local(ch)
            if tag == "t":
                parts.append(ch.text or "")
            elif tag == "tab":
                parts.append("\t")
            elif tag == "br":
                # A page or column break is layout, not a line of the text.
                if ch.get(self.q("type")) in (None, "textWrapping"):
                    parts.append("\n")
            elif tag == "cr":
                parts.append("\n")
            elif tag == "noBreakHyphen":
                parts.append("-")
            elif tag == "txbxContent":
                boxes.append(ch)
            elif tag == "mc:AlternateContent":
                self._inline(self._alternative(ch), parts, boxes)
            elif tag in _SKIP_INLINE:
                continue
            else:
                self._inline(ch, parts, boxes)

    def _alternative(self, el):
        """The one branch of mc:AlternateContent to read (both hold the same content)."""
        for branch in el:
            if self.local(branch) in ("mc:Choice", "mc:Fallback"):
                return branch
        return []

    def _is_findings(self, sdt) -> bool:
        pr = sdt.find(self.q("sdtPr"))
        tag = pr.find(self.q("tag")) if pr is not None else None
        return tag is not None and tag.get(self.q("val")) == FINDINGS_TAG

    # tables
    def table(self, tbl) -> None:
        rows = list(self._rows(tbl))
        if any(self._nested_tables(tc) for tr in rows for tc in self._cells(tr)):
            # A layout table (the whole report, or a data table, framed in cells): its
            # content is read as body content, cell by cell.
            for tr in rows:
                for tc in self._cells(tr):
                    self.blocks(tc)
            return
        self.tables += 1
        for r, tr in enumerate(rows, start=1):
            col = self._int(tr.find(f"{self.q('trPr')}/{self.q('gridBefore')}"), 0)
            for tc in self._cells(tr):
                pr = tc.find(self.q("tcPr"))
                span = max(1, self._int(pr.find(self.q("gridSpan")) if pr is not None else None, 1))
                if not self._covered(pr):
                    where = Location(cell=f"表{self.tables} 行{r} 列{col + 1}")
                    self.out.append(Piece(self.cell_text(tc), where, cell=True))
                col += span

    def _rows(self, tbl) -> Iterator:
        for el in tbl:
            tag = self.local(el)
            if tag == "tr":
                trpr = el.find(self.q("trPr"))
                if trpr is None or trpr.find(self.q("del")) is None:
                    yield el
            elif tag in _WRAPPERS:
                yield from self._rows(el)

    def _cells(self, tr) -> Iterator:
        for el in tr:
            tag = self.local(el)
            if tag == "tc":
                pr = el.find(self.q("tcPr"))
                if pr is None or pr.find(self.q("cellDel")) is None:
                    yield el
            elif tag in _WRAPPERS:
                yield from self._cells(el)

    def _nested_tables(self, tc) -> bool:
        return any(self.local(el) == "tbl" for el in tc.iter())

    def _covered(self, pr) -> bool:
        """A position inside a merge that another cell started."""
        if pr is None:
            return False
        for name in ("vMerge", "hMerge"):
            m = pr.find(self.q(name))
            if m is not None and m.get(self.q("val"), "continue") != "restart":
                return True
        return False

    def cell_text(self, tc) -> str:
        lines: list[str] = []
        self._cell_paragraphs(tc, lines)
        return "\n".join(lines)

    def _cell_paragraphs(self, parent, lines: list[str]) -> None:
        for el in parent:
            tag = self.local(el)
            if tag == "p":
                boxes: list = []
                lines.append(self.inline_text(el, boxes))
            elif tag in _WRAPPERS:
                self._cell_paragraphs(el, lines)

    def _int(self, el, default: int) -> int:
        if el is None:
            return default
        try:
            return int(el.get(self.q("val"), default))
        except ValueError:
            return default
