"""AnnualReport → DOCX laid out as a 公文 (GB/T 9704) with the national template's tables.

Every label and every merge comes from formats.py: a table's header rows are derived from the
columns' `groups`, its label columns from the rows' `groups`, so the 2019 and 2021 formats (and
any future one) print without format-specific code. Merges are written as the national template
writes them (w:gridSpan across, w:vMerge down), which is what offices' Word files look like and
what the DOCX reader expects.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from copy import deepcopy
from dataclasses import dataclass
from functools import lru_cache
from math import lcm

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from ...docx_style import (
    BODY_FONT,
    HEADING_FONT,
    LINE,
    SIZE_2,
    SIZE_3,
    SIZE_5,
    TEXT_WIDTH_MM,
    TITLE_FONT,
    a4_page,
    add_run,
    body_style,
    first_line_indent,
    with_font_fallbacks,
)
from ..formats import REPORT_TITLE, YEAR_SUFFIX, Block, Row, Table
from ..readers.docx_reader import FINDINGS_TAG  # our annotations, which the reader skips
from ..report import AnnualReport, Cell, ExtraRow, Finding

FINDINGS_HEADING = "检查发现的问题（不属于报告正文）"

TABLE_FONT = BODY_FONT


def write(report: AnnualReport, findings: Sequence[Finding] | None = None) -> bytes:
    doc = Document()
    a4_page(doc)
    body_style(doc)
    year = f"{report.year}{YEAR_SUFFIX}" if report.year is not None else ""
    doc.core_properties.title = f"{report.agency or ''}{year}{REPORT_TITLE}"
    _title(doc, report.agency, f"{year}{REPORT_TITLE}")
    _body(doc, report.preamble)
    fmt = report.format
    for number, heading in enumerate(fmt.sections, start=1):
        _heading(doc, heading)
        _body(doc, report.sections.get(number, ""))
        table = fmt.table_for_section(number)
        if table is not None:
            _TABLES[table.key if table.key in _TABLES else "default"](doc, report, table)
    if findings:
        _findings(doc, findings)
    out = io.BytesIO()
    doc.save(out)
    return with_font_fallbacks(out.getvalue())


# -- page and text ----------------------------------------------------------------------------

def _title(doc, agency: str | None, title: str) -> None:
    """The agency on the first line, "2021年政府信息公开工作年度报告" on the second, as
    offices set a title too long for one line (and as readers find the agency)."""
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.line_spacing = Pt(36)
    p.paragraph_format.space_after = LINE
    if agency:
        _title_run(p, agency).add_break()
    _title_run(p, title)


def _title_run(p, text: str):
    return add_run(p, text, TITLE_FONT, SIZE_2)


def _heading(doc, text: str) -> None:
    p = doc.add_paragraph()
    first_line_indent(p)
    p.paragraph_format.keep_with_next = True
    add_run(p, text, HEADING_FONT, SIZE_3)


def _body(doc, text: str) -> None:
    if not text:
        return
    for line in text.split("\n"):
        p = doc.add_paragraph()
        first_line_indent(p)
        add_run(p, line, BODY_FONT, SIZE_3)


def _findings(doc, findings: Sequence[Finding]) -> None:
    """Findings after a page break, inside a content control tagged as ours: a reader of this
    file gets the report back without them."""
    body = doc.element.body
    start = len(body)
    p = doc.add_paragraph()
    p.add_run().add_break(WD_BREAK.PAGE)
    _heading(doc, FINDINGS_HEADING)
    for f in findings:
        p = doc.add_paragraph()
        add_run(p, f"{f.code}（{_SEVERITY.get(f.severity, f.severity)}）{f.message}", BODY_FONT, SIZE_3)
    added = list(body)[start:]
    added = [e for e in added if e.tag != qn("w:sectPr")]
    sdt = OxmlElement("w:sdt")
    pr = OxmlElement("w:sdtPr")
    tag = OxmlElement("w:tag")
    tag.set(qn("w:val"), FINDINGS_TAG)
    pr.append(tag)
    content = OxmlElement("w:sdtContent")
    sdt.append(pr)
    sdt.append(content)
    added[0].addprevious(sdt)
    for e in added:
        content.append(e)


_SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}


# -- tables: a grid of placed cells, then merged XML --------------------------------------------

@dataclass
class _Placed:
    row: int
    col: int
    text: str
    span: int = 1  # grid columns
    down: int = 1  # grid rows (vertical merge)
    header: bool = False
    align_left: bool = False


class _Grid:
    def __init__(self, widths_mm: Sequence[float]):
        self.widths = list(widths_mm)
        self.cells: list[_Placed] = []
        self.rows = 0

    def put(self, row: int, col: int, text: str, span: int = 1, down: int = 1, **kw) -> None:
        self.cells.append(_Placed(row, col, text, span, down, **kw))
        self.rows = max(self.rows, row + down)

    def render(self, doc) -> None:
        table = doc.add_table(rows=0, cols=len(self.widths))
        tbl = table._tbl
        _table_properties(tbl, sum(self.widths))
        for gc, w in zip(tbl.tblGrid.findall(qn("w:gridCol")), self.widths, strict=True):
            gc.set(qn("w:w"), str(round(Mm(w).twips)))
        starts: dict[int, list[_Placed]] = {}
        covering: dict[int, list[_Placed]] = {}
        for c in self.cells:
            starts.setdefault(c.row, []).append(c)
            for r in range(c.row + 1, c.row + c.down):
                covering.setdefault(r, []).append(c)
        for r in range(self.rows):
            tr = OxmlElement("w:tr")
            trpr = OxmlElement("w:trPr")
            cant = OxmlElement("w:cantSplit")
            trpr.append(cant)
            tr.append(trpr)
            tbl.append(tr)
            row_cells = [(c, False) for c in starts.get(r, [])]
            row_cells += [(c, True) for c in covering.get(r, [])]
            for c, continued in sorted(row_cells, key=lambda x: x[0].col):
                tr.append(self._tc(c, continued))

    def _tc(self, c: _Placed, continued: bool):
        tc = OxmlElement("w:tc")
        pr = OxmlElement("w:tcPr")
        width = OxmlElement("w:tcW")
        width.set(qn("w:w"), str(round(Mm(sum(self.widths[c.col:c.col + c.span])).twips)))
        width.set(qn("w:type"), "dxa")
        pr.append(width)
        if c.span > 1:
            gs = OxmlElement("w:gridSpan")
            gs.set(qn("w:val"), str(c.span))
            pr.append(gs)
        if c.down > 1:
            vm = OxmlElement("w:vMerge")
            if not continued:
                vm.set(qn("w:val"), "restart")
            pr.append(vm)
        va = OxmlElement("w:vAlign")
        va.set(qn("w:val"), "center")
        pr.append(va)
        tc.append(pr)
        lines = [""] if continued else c.text.split("\n")
        for line in lines:
            tc.append(_cell_paragraph(line, c.align_left, c.header))
        return tc


def _table_properties(tbl, width_mm: float) -> None:
    """tblPr children in schema order (Word refuses a file whose order is wrong)."""
    pr = tbl.tblPr
    for child in list(pr):
        pr.remove(child)
    tbl_w = OxmlElement("w:tblW")
    tbl_w.set(qn("w:w"), str(round(Mm(width_mm).twips)))
    tbl_w.set(qn("w:type"), "dxa")
    pr.append(tbl_w)
    jc = OxmlElement("w:jc")
    jc.set(qn("w:val"), "center")
    pr.append(jc)
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        b = OxmlElement(f"w:{side}")
        b.set(qn("w:val"), "single")
        b.set(qn("w:sz"), "4")
        b.set(qn("w:space"), "0")
        b.set(qn("w:color"), "000000")
        borders.append(b)
    pr.append(borders)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    pr.append(layout)
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), "57")
        m.set(qn("w:type"), "dxa")
        margins.append(m)
    pr.append(margins)


def _cell_paragraph(text: str, align_left: bool, bold: bool):
    p = deepcopy(_cell_prototype(align_left, bold, bool(text)))
    if text:
        t = p.find(f"{qn('w:r')}/{qn('w:t')}")
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return p


@lru_cache(maxsize=8)
def _cell_prototype(align_left: bool, bold: bool, with_run: bool):
    """One formatted cell paragraph, copied for every cell: python-docx builds each property
    element by parsing XML, which for 300 cells takes a second."""
    from docx.text.paragraph import Paragraph

    p_el = OxmlElement("w:p")
    p = Paragraph(p_el, None)
    pf = p.paragraph_format
    pf.alignment = WD_ALIGN_PARAGRAPH.LEFT if align_left else WD_ALIGN_PARAGRAPH.CENTER
    pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    pf.first_line_indent = Pt(0)
    if with_run:
        add_run(p, "-", TABLE_FONT, SIZE_5, bold)
    return p_el


def _cell_text(cell: Cell | None) -> str:
    """The cell exactly as the report wrote it ("22（其中修订16件）", "/", "1.2500"); a number
    made by gongkai (no raw text) as its value."""
    if cell is None:
        return ""
    if not cell.raw.strip() and cell.value is not None:
        return str(cell.value)
    return cell.raw


def _extra_text(extra: ExtraRow, n: int) -> list[str]:
    """An extra row's cells fitted to n value columns; surplus cells join the last one."""
    texts = [_cell_text(c) for c in extra.cells]
    if len(texts) > n:
        texts = texts[: n - 1] + [" ".join(texts[n - 1:])]
    return texts + [""] * (n - len(texts))


def _extras_after(report: AnnualReport, table: str) -> dict[str | None, list[ExtraRow]]:
    out: dict[str | None, list[ExtraRow]] = {}
    for e in report.extras:
        if e.table == table:
            out.setdefault(e.after, []).append(e)
    return out


# -- 表二: captioned sub-blocks ----------------------------------------------------------------

def _proactive(doc, report: AnnualReport, table: Table) -> None:
    width = lcm(*(len(b.columns) for b in table.blocks))
    label_mm = 40.0
    grid = _Grid([label_mm] + [(TEXT_WIDTH_MM - label_mm) / width] * width)
    extras = _extras_after(report, table.key)
    r = 0
    for i, block in enumerate(table.blocks):
        span = width // len(block.columns)
        grid.put(r, 0, block.caption, span=width + 1, header=True)
        r += 1
        grid.put(r, 0, block.corner, header=True)
        for j, col in enumerate(block.columns):
            grid.put(r, 1 + j * span, col.label, span=span, header=True)
        r += 1
        rows: list[tuple[str, list[str]]] = []
        if i == 0:
            rows += [(e.label, _extra_text(e, len(block.columns))) for e in extras.get(None, [])]
        for row in block.rows:
            cells = [report.cell(table.key, row.key, c.key) for c in block.columns]
            rows.append((row.label, [_cell_text(c) for c in cells]))
            rows += [(e.label, _extra_text(e, len(block.columns)))
                     for e in extras.get(row.key, [])]
        for label, texts in rows:
            grid.put(r, 0, label)
            for j, text in enumerate(texts):
                grid.put(r, 1 + j * span, text, span=span)
            r += 1
    grid.render(doc)


# -- 表三 and any table with grouped rows and columns -------------------------------------------

def _header_paths(columns: Sequence[tuple[str, ...]]) -> list[tuple[int, int, int, str, int]]:
    """Header cells (level, first column, span, label, rows down) for columns named by their
    paths from the outermost group to their own label: equal prefixes merge across, a label
    whose path ends above the deepest level reaches down to it."""
    depth = max(len(p) for p in columns)
    out = []
    for level in range(depth):
        j = 0
        while j < len(columns):
            path = columns[j]
            if level >= len(path):
                j += 1
                continue
            k = j + 1
            if level < len(path) - 1:
                while k < len(columns) and columns[k][: level + 1] == path[: level + 1] \
                        and level < len(columns[k]) - 1:
                    k += 1
            down = depth - level if level == len(path) - 1 else 1
            out.append((level, j, k - j, path[level], down))
            j = k
    return out


def _row_paths(rows: Sequence[tuple[str, ...]]) -> list[tuple[int, int, int, str, int]]:
    """Label cells (first row, level, span across, label, rows down): the transpose of
    _header_paths, so group labels merge down and a row's own label spans to the values."""
    return [(j, level, down, label, span) for level, j, span, label, down in _header_paths(rows)]


def _grouped(doc, report: AnnualReport, table: Table) -> None:
    block: Block = table.blocks[0]
    layout = report.layout(table.key)
    extras = _extras_after(report, table.key)
    printed: list[tuple[tuple[str, ...], Row | ExtraRow]] = []
    for e in extras.get(None, []):
        printed.append(((e.label,), e))
    for i, row in enumerate(layout):
        printed.append((row.groups + (row.label,), row))
        following = layout[i + 1].groups if i + 1 < len(layout) else ()
        # An extra row sits inside the groups its neighbours share, so their merges hold.
        shared = _common_prefix(row.groups, following)
        for e in extras.get(row.key, []):
            printed.append((shared + (e.label,), e))
    col_paths = [c.groups + (c.label,) for c in block.columns]
    label_cols = max(len(p) for p, _ in printed)
    head_rows = max(len(p) for p in col_paths)
    label_widths = _label_widths(label_cols)
    value_mm = (TEXT_WIDTH_MM - sum(label_widths)) / len(block.columns)
    grid = _Grid(label_widths + [value_mm] * len(block.columns))
    grid.put(0, 0, table.note, span=label_cols, down=head_rows, header=True, align_left=True)
    for level, j, span, label, down in _header_paths(col_paths):
        grid.put(level, label_cols + j, label, span=span, down=down, header=True)
    for r, level, span, label, down in _row_paths([p for p, _ in printed]):
        grid.put(head_rows + r, level, label, span=span, down=down, align_left=span > 1 or down == 1)
    for r, (_, row) in enumerate(printed):
        if isinstance(row, ExtraRow):
            texts = _extra_text(row, len(block.columns))
        else:
            texts = [_cell_text(report.cell(table.key, row.key, c.key)) for c in block.columns]
        for j, text in enumerate(texts):
            grid.put(head_rows + r, label_cols + j, text)
    grid.render(doc)


def _common_prefix(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def _label_widths(n: int) -> list[float]:
    # Outer group columns are narrow (their labels stand vertically); the row label is wide.
    if n == 1:
        return [60.0]
    return [10.0] * (n - 2) + [16.0, 44.0]


# -- 表四: rows flattened into one line of values ------------------------------------------------

def _flat(doc, report: AnnualReport, table: Table) -> None:
    """Each row becomes a group of columns (行政复议 › 结果维持 …) and the values one line."""
    paths: list[tuple[str, ...]] = []
    texts: list[str] = []
    for row in report.layout(table.key):
        for col in table.block_of(row.key).columns:
            paths.append(row.groups + (row.label,) + col.groups + (col.label,))
            texts.append(_cell_text(report.cell(table.key, row.key, col.key)))
    grid = _Grid([TEXT_WIDTH_MM / len(paths)] * len(paths))
    head = max(len(p) for p in paths)
    for level, j, span, label, down in _header_paths(paths):
        grid.put(level, j, label, span=span, down=down, header=True)
    for j, text in enumerate(texts):
        grid.put(head, j, text)
    grid.render(doc)


def _default(doc, report: AnnualReport, table: Table) -> None:
    if len(table.blocks) > 1 or any(b.caption for b in table.blocks):
        _proactive(doc, report, table)
    else:
        _grouped(doc, report, table)


_TABLES = {"proactive": _proactive, "applications": _grouped, "disputes": _flat,
           "default": _default}
