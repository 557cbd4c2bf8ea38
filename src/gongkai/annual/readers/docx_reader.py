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
import re
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
    from .stream import interpret_parts  # noqa: PLC0415  (the interpreter is the heavy part)

    return interpret_parts(_parts(data), name)


def walk(data: bytes) -> list[Piece]:
    """The document body as pieces: paragraphs and table cells in reading order."""
    return [Piece(text, Location(*where), is_cell) for text, where, is_cell in _parts(data)]


def _parts(data: bytes) -> list[tuple[str, tuple, bool]]:
    """The pieces as (text, (page, line, cell), is_cell), the stream's parts."""
    root = _main_document(data)
    ns = etree.QName(root).namespace or W_NS
    body = root.find(f"{{{ns}}}body")
    if body is None:
        return []
    parts = _plain_parts(body, _Names.of(ns))
    if parts is not None:
        return parts
    walker = _Walker(ns)
    walker.survey(body)
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
        try:
            root = etree.fromstring(_without_flat_props(xml), _PARSER)
        except etree.XMLSyntaxError:
            root = etree.fromstring(xml, _PARSER)  # the error as the file has it
    except etree.XMLSyntaxError as exc:
        raise ReadError("read.docx-bad-xml", "Word 文档的正文不是有效的 XML，文件可能已损坏",
                        f"docx main part is not well-formed XML: {exc}") from None
    if etree.QName(root).localname != "document" or \
            etree.QName(root).namespace not in (W_NS, W_STRICT_NS):
        raise ReadError("read.docx-bad-xml", "Word 文档的正文不是 Word 文档格式",
                        f"docx main part root is {root.tag}, not w:document")
    return root


# A run's or paragraph's properties made only of empty elements with plain w: attributes, as
# Word and our writer write them: half the elements of a report, and nothing the reader reads.
# Two patterns, each led by a literal the regex engine searches fast; runs' first, so that a
# paragraph's properties holding flat run properties (its mark's) become flat too.
_FLAT = rb'(?:<w:[A-Za-z]+(?: w:[A-Za-z]+="[^"<&]*")*/>)*'
_FLAT_RPR = re.compile(rb"<w:rPr>" + _FLAT + rb"</w:rPr>")
_FLAT_PPR = re.compile(rb"<w:pPr>" + _FLAT + rb"</w:pPr>")
_W_DECL = b'xmlns:w="' + W_NS.encode() + b'"'


def _without_flat_props(xml: bytes) -> bytes:
    """The part without flat w:rPr/w:pPr elements, so lxml builds half the tree (parsing is
    the reader's largest cost). Only when the text cannot mislead a pattern: w: bound once,
    to WordprocessingML, and no comment, CDATA, DOCTYPE or processing instruction."""
    if b"<!" in xml or xml.find(b"<?", 1) != -1 or xml.count(b'xmlns:w="') != 1 \
            or _W_DECL not in xml:
        return xml
    return _FLAT_PPR.sub(b"", _FLAT_RPR.sub(b"", xml))


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


# -- the plain body: one pass ------------------------------------------------------------------

class _Names:
    """Clark names the one-pass reader matches on, built once per namespace."""

    _cache: dict[str, _Names] = {}

    @classmethod
    def of(cls, ns: str) -> _Names:
        names = cls._cache.get(ns)
        if names is None:
            names = cls._cache[ns] = cls(ns)
        return names

    def __init__(self, ns: str):
        def q(local: str) -> str:
            return f"{{{ns}}}{local}"
        self.P, self.TBL, self.TR, self.TC = q("p"), q("tbl"), q("tr"), q("tc")
        self.T, self.TAB, self.BR, self.CR, self.NBH = (q("t"), q("tab"), q("br"), q("cr"),
                                                        q("noBreakHyphen"))
        self.TCPR, self.TRPR, self.GRID_BEFORE = q("tcPr"), q("trPr"), q("gridBefore")
        self.CELL_PROPS = {q(n): n for n in ("gridSpan", "vMerge", "hMerge", "cellDel")}
        self.VAL, self.TYPE = q("val"), q("type")
        self.LEAVES = frozenset((self.T, self.TAB, self.BR, self.CR, self.NBH))
        # Inside a paragraph, leaves under these (a leaf too) are not its text (as _inline).
        self.NOT_TEXT = frozenset(q(n) for n in ("pPr", "rPr", "footnoteReference",
                                                  "endnoteReference", "commentReference")) \
            | self.LEAVES
        # What only the full walk reads right: tracked deletions, fields, content controls,
        # text boxes, alternative content, wrappers of blocks.
        self.HARD = frozenset(
            [q(n) for n in (_SKIP_INLINE | _WRAPPERS) - {"pPr", "rPr", "footnoteReference",
                                                         "endnoteReference", "commentReference"}]
            + [q("txbxContent"), f"{{{MC_NS}}}AlternateContent"])
        self.ALL = (self.P, self.TBL, self.TR, self.TC, *self.LEAVES, *self.CELL_PROPS,
                    self.GRID_BEFORE, *sorted(self.HARD))


def _plain_parts(body, n: _Names) -> list[tuple[str, tuple, bool]] | None:
    """The parts of a plain body in one lxml pass over the elements that matter, or None when
    the body needs the full walk (_Walker).

    Plain: paragraphs and tables straight under the body, rows straight in their table, cells
    in their row, paragraphs in their cell, nothing of n.HARD anywhere. The pass then sees the
    document's structure in start order alone, and gives exactly what _Walker gives."""
    P, TBL, TR, TC, T, TAB, BR, CR = n.P, n.TBL, n.TR, n.TC, n.T, n.TAB, n.BR, n.CR
    HARD, LEAVES, NOT_TEXT, CELL_PROPS = n.HARD, n.LEAVES, n.NOT_TEXT, n.CELL_PROPS
    TCPR, TRPR, GRID_BEFORE, VAL = n.TCPR, n.TRPR, n.GRID_BEFORE, n.VAL
    # Entries: (paragraphs' text pieces, where, is_cell), joined at the end.
    out: list = []
    paragraphs = tables = 0
    tbl = tr = tc = p = None
    pieces: list[str] = []
    row: list = []  # the current row's cells: [props, paragraphs' pieces]
    cell: list | None = None
    row_no = 0
    before: dict = {}  # the current row's first trPr/gridBefore

    def end_row() -> None:
        col = _int_val(before.get("g"), VAL, 0)
        for props, paras in row:
            if props is None:  # most cells: no merge, no span
                out.append((paras, (None, None, f"表{tables} 行{row_no} 列{col + 1}"), True))
                col += 1
                continue
            if "cellDel" in props:
                continue
            span = props.get("gridSpan")
            span = 1 if span is None else max(1, _int_val(span, VAL, 1))
            if not _merged_on(props, VAL):
                out.append((paras, (None, None, f"表{tables} 行{row_no} 列{col + 1}"), True))
            col += span
        row.clear()
        before.clear()

    for el in body.iter(*n.ALL):
        tag = el.tag
        if tag in LEAVES:
            if p is None:
                return None  # text outside any paragraph: leave it to the full walk
            up = el.getparent()
            while up is not p:
                if up is None:
                    return None  # text outside any paragraph: leave it to the full walk
                if up.tag in NOT_TEXT:
                    break
                up = up.getparent()
            else:
                if tag == T:
                    pieces.append(el.text or "")
                elif tag == TAB:
                    pieces.append("\t")
                elif tag == BR:
                    if el.get(n.TYPE) in (None, "textWrapping"):
                        pieces.append("\n")
                elif tag == CR:
                    pieces.append("\n")
                else:
                    pieces.append("-")
        elif tag == P:
            parent = el.getparent()
            pieces = []
            if parent is body:
                if tr is not None:
                    end_row()
                tbl = tr = tc = cell = None
                paragraphs += 1
                out.append(([pieces], (None, paragraphs, None), False))
            elif parent is tc and tc is not None:
                cell[1].append(pieces)
            else:
                return None
            p = el
        elif tag == TC:
            if el.getparent() is not tr or tr is None:
                return None
            tc, p = el, None
            cell = [None, []]  # [its properties, once it has some; paragraphs]
            row.append(cell)
        elif tag in CELL_PROPS:
            pr = el.getparent()
            if pr is not None and pr.tag == TCPR and pr.getparent() is tc and tc is not None \
                    and (tc[0] is pr or next(tc.iterchildren(TCPR)) is pr):
                if cell[0] is None:
                    cell[0] = {}
                cell[0].setdefault(CELL_PROPS[tag], el)
        elif tag == TR:
            if el.getparent() is not tbl or tbl is None:
                return None
            if tr is not None:
                end_row()
            tr, tc, cell, p = el, None, None, None
            row_no += 1
        elif tag == TBL:
            if el.getparent() is not body:
                return None  # a table in a table: a layout table
            if tr is not None:
                end_row()
            tbl, tr, tc, cell, p = el, None, None, None, None
            tables += 1
            row_no = 0
        elif tag == GRID_BEFORE:
            pr = el.getparent()
            if pr is not None and pr.tag == TRPR and pr.getparent() is tr and tr is not None:
                before.setdefault("g", el)
        elif tag in HARD:
            return None
    if tr is not None:
        end_row()
    return [("".join(paras[0]) if len(paras) == 1 else "\n".join(["".join(x) for x in paras]),
             where, is_cell) for paras, where, is_cell in out]


def _merged_on(props: dict, val: str) -> bool:
    """A position inside a merge that another cell started (as _Walker._covered)."""
    for name in ("vMerge", "hMerge"):
        m = props.get(name)
        if m is not None and m.get(val, "continue") != "restart":
            return True
    return False


def _int_val(el, val: str, default: int) -> int:
    if el is None:
        return default
    try:
        return int(el.get(val, default))
    except ValueError:
        return default


# -- the body ---------------------------------------------------------------------------------

class _Walker:
    def __init__(self, ns: str):
        self.ns = ns
        self.out: list[tuple[str, tuple, bool]] = []
        self.paragraphs = 0
        self.tables = 0
        self._names: dict[str, str | None] = {}
        q = self.q
        self.T, self.TAB, self.BR, self.CR = q("t"), q("tab"), q("br"), q("cr")
        self.LEAVES = (self.T, self.TAB, self.BR, self.CR, q("noBreakHyphen"))
        # What makes a paragraph's text more than its runs' text (see inline_text).
        self.HARD = (*(q(n) for n in sorted(_SKIP_INLINE - {"pPr", "rPr"})), q("txbxContent"),
                     f"{{{MC_NS}}}AlternateContent")
        self.PROPS = (q("pPr"), q("rPr"), *self.LEAVES)
        self.P, self.TC, self.TCPR, self.TBL = q("p"), q("tc"), q("tcPr"), q("tbl")
        self.WRAPPERS = frozenset(q(n) for n in _WRAPPERS)
        # Filled by survey(): each plain paragraph's text pieces, the paragraphs that need the
        # full walk, the cells that hold a table. None: every paragraph takes the full walk.
        self.texts: dict | None = None
        self.hard: set = set()
        self.framing: set = set()
        self.props: dict = {}
        self.CELL_PROPS = {q(n): n for n in ("gridSpan", "vMerge", "hMerge", "cellDel")}
        self.VAL = q("val")

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
        self.out.append((text, (None, self.paragraphs, None), False))
        for box in boxes:  # text boxes anchored in the paragraph read after it
            self.blocks(box)

    def inline_text(self, el, boxes: list) -> str:
        texts = self.texts
        if texts is not None and el not in self.hard:
            return "".join(texts.get(el, ()))
        parts: list[str] = []
        self._inline(el, parts, boxes)
        return "".join(parts)

    def survey(self, body) -> None:
        """Read the plain paragraphs' text in a few passes of lxml over the whole body (in C),
        instead of walking each paragraph's runs in Python; the result is what _inline gives.

        A paragraph is plain when it holds nothing _inline treats specially but pPr/rPr (no
        deleted or field text, text box, alternative content…): its text is then that of its
        leaves (t, tab, br, cr, noBreakHyphen) not inside pPr, rPr or another leaf. A plain
        paragraph holding another paragraph (malformed) would own that one's leaves too: such
        a body is left to the full walk."""
        P, props = self.P, self.PROPS
        hard = set()
        for el in body.iter(*self.HARD):
            up = el.getparent()
            while up is not None:
                if up.tag == P:
                    hard.add(up)
                up = up.getparent()
        for inner in body.xpath(".//w:p//w:p", namespaces={"w": self.ns}):
            up = inner.getparent()
            while up is not None:
                if up.tag == P and up not in hard:
                    return
                up = up.getparent()
        T, TAB, BR, CR = self.T, self.TAB, self.BR, self.CR
        texts: dict = {}
        for leaf in body.iter(*self.LEAVES):
            up = leaf.getparent()
            while up is not None and up.tag != P:
                if up.tag in props:  # _inline does not enter these
                    break
                up = up.getparent()
            else:
                if up is None:
                    continue
                tag = leaf.tag
                if tag == T:
                    piece = leaf.text or ""
                elif tag == TAB:
                    piece = "\t"
                elif tag == BR:
                    piece = "\n" if leaf.get(self.q("type")) in (None, "textWrapping") else ""
                elif tag == CR:
                    piece = "\n"
                else:
                    piece = "-"
                texts.setdefault(up, []).append(piece)
        framing = set()
        for tbl in body.iter(self.TBL):
            up = tbl.getparent()
            while up is not None:
                if up.tag == self.q("tc"):
                    framing.add(up)
                up = up.getparent()
        # Each cell's properties (see _cell_parts), from the few property elements there are.
        props: dict = {}
        TC, TCPR, names = self.q("tc"), self.TCPR, self.CELL_PROPS
        for el in body.iter(*names):
            pr = el.getparent()
            tc = pr.getparent() if pr is not None and pr.tag == TCPR else None
            if tc is None or tc.tag != TC:
                continue
            if tc[0] is not pr and next(tc.iterchildren(TCPR)) is not pr:
                continue  # only the cell's first tcPr counts
            props.setdefault(tc, {}).setdefault(names[el.tag], el)
        self.texts, self.hard, self.framing, self.props = texts, hard, framing, props

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
        rows = [(tr, list(self._cells(tr))) for tr in self._rows(tbl)]
        if any(self._frames_table(cell[0]) for _, cells in rows for cell in cells):
            # A layout table (the whole report, or a data table, framed in cells): its
            # content is read as body content, cell by cell.
            for _, cells in rows:
                for tc, _, _ in cells:
                    self.blocks(tc)
            return
        self.tables += 1
        n = self.tables
        append = self.out.append
        for r, (tr, cells) in enumerate(rows, start=1):
            col = self._int(tr.find(f"{self.q('trPr')}/{self.q('gridBefore')}"), 0)
            for _, props, paragraphs in cells:
                span = props.get("gridSpan")
                span = 1 if span is None else max(1, self._int(span, 1))
                if not self._covered(props):
                    text = "\n".join([self.inline_text(p, []) for p in paragraphs])
                    append((text, (None, None, f"表{n} 行{r} 列{col + 1}"), True))
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

    def _cells(self, tr) -> Iterator[tuple]:
        """(tc, its properties, its paragraphs) of each cell kept (see _cell_parts)."""
        TC, wrappers = self.TC, self.WRAPPERS
        for el in tr:
            tag = el.tag
            if tag == TC:
                props, paragraphs = self._cell_parts(el)
                if "cellDel" not in props:
                    yield el, props, paragraphs
            elif tag in wrappers:
                yield from self._cells(el)

    def _cell_parts(self, tc) -> tuple[dict, list]:
        """In one pass over the cell's children: {"gridSpan"/"vMerge"/"hMerge"/"cellDel": the
        first such element of the cell's first tcPr}, and its paragraphs in order, those in
        wrappers (content controls, tracked insertions) included."""
        paragraphs: list = []
        P, TCPR, wrappers, names = self.P, self.TCPR, self.WRAPPERS, self.CELL_PROPS
        surveyed = self.texts is not None
        props: dict = self.props.get(tc, {}) if surveyed else {}
        seen_pr = surveyed  # survey() has read the properties
        for ch in tc:
            tag = ch.tag
            if tag == P:
                paragraphs.append(ch)
            elif tag == TCPR:
                if not seen_pr:
                    seen_pr = True
                    for x in ch:
                        name = names.get(x.tag)
                        if name is not None and name not in props:
                            props[name] = x
            elif tag in wrappers:
                self._wrapped_paragraphs(ch, paragraphs)
        return props, paragraphs

    def _wrapped_paragraphs(self, parent, paragraphs: list) -> None:
        for el in parent:
            tag = el.tag
            if tag == self.P:
                paragraphs.append(el)
            elif tag in self.WRAPPERS:
                self._wrapped_paragraphs(el, paragraphs)

    def _frames_table(self, tc) -> bool:
        if self.texts is not None:
            return tc in self.framing
        return next(tc.iter(self.TBL), None) is not None

    def _covered(self, props: dict) -> bool:
        """A position inside a merge that another cell started."""
        for name in ("vMerge", "hMerge"):
            m = props.get(name)
            if m is not None and m.get(self.VAL, "continue") != "restart":
                return True
        return False

    def _int(self, el, default: int) -> int:
        if el is None:
            return default
        try:
            return int(el.get(self.q("val"), default))
        except ValueError:
            return default
