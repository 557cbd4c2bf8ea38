"""AnnualReport → plain text, in the layout of a Word file's text dump.

Paragraphs are plain lines; every table cell is a line starting with a TAB, and a blank line
separates table rows. `readers.text_reader` reads this back exactly: every cell's raw text,
every section, agency, year and local extra rows. Labels come from `formats`, never spelled here.
"""

from __future__ import annotations

from ..formats import REPORT_TITLE, YEAR_SUFFIX, Table
from ..report import AnnualReport, Cell


def _cell(text: str) -> str:
    # A cell continues over lines without a TAB; a blank line would end it, so none are kept.
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    return "\t" + "\n".join(lines)


def _paragraphs(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines() if ln.strip()]


def _values(cells: list[Cell | None]) -> list[str]:
    return [_cell(c.raw if c is not None else "") for c in cells]


def _extras(report: AnnualReport, table: Table, after: str | None) -> list[str]:
    out: list[str] = []
    for extra in report.extras:
        if extra.table == table.key and extra.after == after:
            out += [_cell(extra.label), *_values(list(extra.cells)), ""]
    return out


def _row_table(report: AnnualReport, table: Table) -> list[str]:
    out: list[str] = []
    out += _extras(report, table, None)
    block = None
    groups: tuple[str, ...] = ()
    if table.note:
        out += [table.note, ""]
    for row in report.layout(table.key):
        b = table.block_of(row.key)
        if b is not block:
            block, groups = b, ()
            header = [b.caption] if b.caption else []
            header += [b.corner] if b.corner else []
            seen: list[str] = []
            for c in b.columns:
                seen += [g for g in c.groups if g not in seen]
            header += seen + [c.label for c in b.columns]
            out += [*(_cell(h) for h in header), ""]
        for k, g in enumerate(row.groups):
            # A group label is printed once, when the rows under it begin.
            if groups[: k + 1] != row.groups[: k + 1] and g != row.label:
                out.append(_cell(g))
        groups = row.groups
        cells = [report.cell(table.key, row.key, c.key) for c in b.columns]
        out += [_cell(row.label), *_values(cells), ""]
        out += _extras(report, table, row.key)
    return out


def _disputes(report: AnnualReport, table: Table) -> list[str]:
    # One row per case kind, its five outcomes after its label (the reader also takes the
    # national one-line layout by position).
    block = table.blocks[0]
    out = [*(_cell(c.label) for c in block.columns), ""]
    group: str | None = None
    for row in table.layout():
        for g in row.groups:
            if g != group:
                out.append(_cell(g))
                group = g
        cells = [report.cell(table.key, row.key, c.key) for c in block.columns]
        out += [_cell(row.label), *_values(cells), ""]
    return out


def render(report: AnnualReport) -> str:
    lines: list[str] = []
    if report.agency:
        lines.append(report.agency)
    lines += [f"{report.year}{YEAR_SUFFIX}{REPORT_TITLE}" if report.year else REPORT_TITLE, ""]
    if report.preamble:
        lines += [*_paragraphs(report.preamble), ""]
    order = report.section_order or sorted(report.sections)
    order = [n for n in order if n in report.sections]
    order += [n for n in range(1, 7) if n not in order]
    for number in order:
        lines.append(report.format.sections[number - 1])
        lines += _paragraphs(report.sections.get(number, ""))
        table = report.format.table_for_section(number)
        if table is not None:
            lines.append("")
            lines += _disputes(report, table) if table.key == "disputes" else \
                _row_table(report, table)
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def write(report: AnnualReport, findings=None) -> bytes:
    return render(report).encode("utf-8")

