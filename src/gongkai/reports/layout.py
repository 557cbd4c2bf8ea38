"""The printed grid of a report's tables, computed from formats.py.

Templates only walk this grid (cells with text, rowspan, colspan); every label comes from the
format definition. Row and column groups become merged cells the way the national format
prints them: 表三's “三、本年度办理结果” spans the result rows and “（三）不予公开” its eight."""

from __future__ import annotations

from dataclasses import dataclass, field

from gongkai.annual import AnnualReport
from gongkai.annual.formats import Block, Table
from gongkai.annual.report import Cell


@dataclass
class GridCell:
    text: str
    rowspan: int = 1
    colspan: int = 1
    header: bool = False
    number: bool = False
    address: str = ""  # "table.row.column" for value cells


@dataclass
class GridBlock:
    caption: str
    head: list[list[GridCell]] = field(default_factory=list)
    body: list[list[GridCell]] = field(default_factory=list)


@dataclass
class Grid:
    key: str
    name: str
    unit: str
    blocks: list[GridBlock]


def _show(cell: Cell | None) -> str:
    if cell is None:
        return ""
    if cell.value is None:
        return cell.raw.strip()
    return str(cell.value)


def _block(report: AnnualReport, table: Table, block: Block, rows) -> GridBlock:
    row_depth = max((len(r.groups) for r in rows), default=0)
    label_cols = row_depth + 1
    col_depth = max((len(c.groups) for c in block.columns), default=0)
    head_rows = col_depth + 1
    out = GridBlock(caption=block.caption)
    # Header: the corner, then column groups merged across equal neighbours.
    for level in range(head_rows):
        line: list[GridCell] = []
        if level == 0:
            line.append(GridCell(block.corner or table.note, rowspan=head_rows,
                                 colspan=label_cols, header=True))
        cols = block.columns
        i = 0
        while i < len(cols):
            c = cols[i]
            if level < len(c.groups):
                prefix = c.groups[: level + 1]
                j = i
                while j < len(cols) and cols[j].groups[: level + 1] == prefix:
                    j += 1
                line.append(GridCell(c.groups[level], colspan=j - i, header=True))
                i = j
                continue
            if level == len(c.groups):
                line.append(GridCell(c.label, rowspan=head_rows - level, header=True))
            i += 1
        out.head.append(line)
    # Body: row groups merged down equal neighbours, the label filling the remaining columns.
    for n, r in enumerate(rows):
        line = []
        for level in range(label_cols):
            if level < len(r.groups):
                prefix = r.groups[: level + 1]
                if n > 0 and rows[n - 1].groups[: level + 1] == prefix:
                    continue
                span = 1
                while n + span < len(rows) and rows[n + span].groups[: level + 1] == prefix:
                    span += 1
                line.append(GridCell(r.groups[level], rowspan=span, header=True))
            else:
                line.append(GridCell(r.label, colspan=label_cols - level, header=True))
                break
        for c in block.columns:
            line.append(GridCell(_show(report.cell(table.key, r.key, c.key)), number=True,
                                 address=f"{table.key}.{r.key}.{c.key}"))
        out.body.append(line)
    return out


def table_grid(report: AnnualReport, table_key: str) -> Grid:
    table = report.format.table(table_key)
    printed = {r.key for r in report.layout(table_key)}
    blocks = []
    for block in table.blocks:
        rows = [r for r in block.rows if r.key in printed]
        if rows:
            blocks.append(_block(report, table, block, rows))
    return Grid(key=table.key, name=table.name, unit=table.unit, blocks=blocks)


@dataclass
class Section:
    number: int
    title: str
    text: str
    grid: Grid | None


def sections(report: AnnualReport) -> list[Section]:
    """The six sections in order, each with its table (表二 in 二, 表三 in 三, 表四 in 四)."""
    out = []
    for i, title in enumerate(report.format.sections, start=1):
        table = report.format.table_for_section(i)
        out.append(Section(i, title, report.sections.get(i, ""),
                           table_grid(report, table.key) if table else None))
    return out
