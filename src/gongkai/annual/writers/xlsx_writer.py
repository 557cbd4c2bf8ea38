"""XLSX writer: the statistics sent upward, one sheet per table laid out like the national
template (merged header cells), plus 报告信息 (agency, year, format) and 正文 (the six sections).

Every label comes from formats.py. A value the report wrote as a plain number is stored as a
number; anything else ("/", "—", "22（其中修订16件）", "1.50") keeps its exact text."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..formats import REPORT_TITLE, YEAR_SUFFIX, Block, Table
from ..report import AnnualReport, Cell, Finding

INFO_SHEET = "报告信息"
TEXT_SHEET = "正文"
# 报告信息 fields: (key, caption). The reader finds them by caption.
INFO_FIELDS = (("title", "标题"), ("agency", "机关"), ("year", "年度"), ("format", "格式"))

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_BOLD = Font(bold=True)


def title_of(report: AnnualReport) -> str:
    year = f"{report.year}{YEAR_SUFFIX}" if report.year else ""
    return f"{report.agency or ''}{year}{REPORT_TITLE}"


def number_text(value: int | float) -> str:
    """How a stored number reads back: 5.0 → "5", 7730.28 → "7730.28"."""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def cell_content(cell: Cell | None) -> int | float | str | None:
    """A plain number as a number when it reads back as the same text ("0.0" and "1.50" stay
    text); any other text exactly as written; blank as empty."""
    if cell is None or (cell.kind == "blank" and not cell.raw.strip()):
        return None
    if cell.kind == "number" and not cell.note:
        number = float(cell.value) if isinstance(cell.value, Decimal) else cell.value
        if number_text(number) == cell.raw:
            return number
    return cell.raw


class _Sheet:
    """Writes a grid with merges and borders; rows and columns 1-based."""

    def __init__(self, ws: Worksheet):
        self.ws = ws

    def put(self, row: int, col: int, value, *, rows: int = 1, cols: int = 1,
            header: bool = False, left: bool = False) -> None:
        c = self.ws.cell(row=row, column=col, value=value)
        c.alignment = _LEFT if left else _CENTRE
        if header:
            c.font = _BOLD
        for r in range(row, row + rows):
            for k in range(col, col + cols):
                self.ws.cell(row=r, column=k).border = _BORDER
        if rows > 1 or cols > 1:
            self.ws.merge_cells(start_row=row, start_column=col,
                                end_row=row + rows - 1, end_column=col + cols - 1)


def _header_rows(sheet: _Sheet, top: int, left: int, columns: list[tuple[tuple[str, ...], str]],
                 last_span: int = 1) -> int:
    """Column headers: each column's groups (outermost first) then its label, the same group
    of neighbouring columns merged across, a label merged down to the last header row (and the
    last column across `last_span` sheet columns). Returns the number of header rows."""
    depth = max(len(groups) + 1 for groups, _ in columns)
    for level in range(depth):
        k = 0
        while k < len(columns):
            groups, label = columns[k]
            if level < len(groups):
                span = 1
                while k + span < len(columns) and columns[k + span][0][:level + 1] == groups[:level + 1]:
                    span += 1
                sheet.put(top + level, left + k, groups[level], cols=span, header=True)
                k += span
                continue
            if level == len(groups):
                span = last_span if k == len(columns) - 1 else 1
                sheet.put(top + level, left + k, label, rows=depth - level, cols=span, header=True)
            k += 1
    return depth


def _row_label_columns(rows) -> int:
    return max((len(r.groups) for r in rows), default=0) + 1


def _write_rows(sheet: _Sheet, report: AnnualReport, table: Table, block: Block, rows, top: int,
                label_cols: int, width: int) -> int:
    """Data rows: group cells merged down over their rows, the label merged across the label
    columns it does not share with groups, then the values. Returns the next free row."""
    extras_after: dict[str, list] = {}
    for e in report.extras:
        if e.table == table.key:
            extras_after.setdefault(e.after or "", []).append(e)
    lines: list[tuple[tuple[str, ...], str, list]] = []
    for r in rows:
        values = [cell_content(report.cell(table.key, r.key, c.key)) for c in block.columns]
        lines.append((r.groups, r.label, values))
        for e in extras_after.get(r.key, []):
            lines.append(((), e.label, [cell_content(c) for c in e.cells]))
    for i, (groups, label, values) in enumerate(lines):
        row = top + i
        for level, group in enumerate(groups):
            if i > 0 and lines[i - 1][0][:level + 1] == groups[:level + 1]:
                continue  # inside the merge started above
            span = 1
            while i + span < len(lines) and lines[i + span][0][:level + 1] == groups[:level + 1]:
                span += 1
            sheet.put(row, 1 + level, group, rows=span, header=True)
        sheet.put(row, 1 + len(groups), label, cols=label_cols - len(groups), left=True)
        for k in range(len(block.columns)):
            value = values[k] if k < len(values) else None
            last = k == len(block.columns) - 1
            sheet.put(row, label_cols + 1 + k, value,
                      cols=(width - label_cols - k) if last else 1)
    return top + len(lines)


def _one_line(table: Table) -> bool:
    """Table 四's national layout: its rows become column groups over one line of values."""
    block = table.blocks[0]
    return len(table.blocks) == 1 and not any(c.groups for c in block.columns) \
        and any(r.groups for r in block.rows)


def _table_sheet(ws: Worksheet, report: AnnualReport, table: Table) -> None:
    sheet = _Sheet(ws)
    if _one_line(table):
        block = table.blocks[0]
        columns = [((*r.groups, r.label), c.label) for r in block.rows for c in block.columns]
        depth = _header_rows(sheet, 1, 1, columns)
        for k, (r, c) in enumerate((r, c) for r in block.rows for c in block.columns):
            sheet.put(1 + depth, 1 + k, cell_content(report.cell(table.key, r.key, c.key)))
        _widths(ws, len(columns), 0)
        return
    rows = report.layout(table.key)
    label_cols = _row_label_columns(rows)
    width = label_cols + max(len(b.columns) for b in table.blocks)
    top = 1
    for block in table.blocks:
        block_rows = [r for r in rows if r in block.rows]
        if block.caption:
            sheet.put(top, 1, block.caption, cols=width, header=True)
            top += 1
        columns = [(c.groups, c.label) for c in block.columns]
        # The corner: the block's corner label, or the table's note (表三's 勾稽关系).
        corner = block.corner or table.note
        depth = max(len(g) + 1 for g, _ in columns)
        sheet.put(top, 1, corner, rows=depth, cols=label_cols, header=True)
        # A narrower block's last column spans the rest, as the template prints it.
        _header_rows(sheet, top, label_cols + 1, columns, width - label_cols - len(columns) + 1)
        top += depth
        top = _write_rows(sheet, report, table, block, block_rows, top, label_cols, width)
    _widths(ws, width, label_cols)


def _widths(ws: Worksheet, width: int, label_cols: int) -> None:
    for k in range(1, width + 1):
        ws.column_dimensions[get_column_letter(k)].width = 16 if k <= label_cols else 11
    if label_cols:
        ws.column_dimensions[get_column_letter(label_cols)].width = 36


def write(report: AnnualReport, findings: list[Finding] | None = None) -> bytes:
    wb = Workbook()
    info = wb.active
    info.title = INFO_SHEET
    values = {"title": title_of(report), "agency": report.agency, "year": report.year,
              "format": report.format.key}
    for i, (key, caption) in enumerate(INFO_FIELDS, start=1):
        info.cell(row=i, column=1, value=caption).font = _BOLD
        info.cell(row=i, column=2, value=values[key])
    info.column_dimensions["A"].width = 10
    info.column_dimensions["B"].width = 60

    text = wb.create_sheet(TEXT_SHEET)
    order = [n for n in report.section_order if n in report.sections]
    order += [n for n in sorted(report.sections) if n not in order]
    for i, number in enumerate(order, start=1):
        text.cell(row=i, column=1, value=report.format.sections[number - 1]).font = _BOLD
        body = text.cell(row=i, column=2, value=report.sections[number] or None)
        body.alignment = Alignment(wrap_text=True, vertical="top")
    text.column_dimensions["A"].width = 40
    text.column_dimensions["B"].width = 100

    for table in report.format.tables:
        _table_sheet(wb.create_sheet(table.name), report, table)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
