"""HTML writer: the report as one standalone HTML5 page in the layout of the national template.

Every label comes from formats.py. The merged header cells of 表三 and 表四 and the rowspans of
表三's group cells are derived from Column.groups and Row.groups, so both formats and a report
that prints （六）其他处理 as one row come out right without special cases."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from html import escape
from importlib import resources

from ..formats import REPORT_TITLE, YEAR_SUFFIX, Block, Table
from ..report import AnnualReport, Cell, ExtraRow, Finding

# Marks the findings box so readers (ours included) know it is not part of the report.
FINDINGS_CLASS = "gongkai-findings"
_SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


def write(report: AnnualReport, findings: list[Finding] | None = None) -> bytes:
    return render(report, findings).encode("utf-8")


def title_of(report: AnnualReport) -> str:
    """"{机关}{年度}年政府信息公开工作年度报告", from what the report knows."""
    if report.agency or report.year:
        year = f"{report.year}{YEAR_SUFFIX}" if report.year else ""
        return f"{report.agency or ''}{year}{REPORT_TITLE}"
    return report.title or REPORT_TITLE


def _heading(report: AnnualReport) -> str:
    """The title as the template prints it: the agency on its own line above
    "{年度}年政府信息公开工作年度报告" (so the agency reads back even when the year is unknown)."""
    if report.agency:
        rest = f"{report.year}{YEAR_SUFFIX}{REPORT_TITLE}" if report.year else REPORT_TITLE
        return f"{escape(report.agency)}<br>{escape(rest)}"
    return escape(title_of(report))


def render(report: AnnualReport, findings: list[Finding] | None = None) -> str:
    css = resources.files(__package__).joinpath("templates/report.css").read_text("utf-8")
    title = escape(title_of(report))
    out = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="gongkai; format {escape(report.format.key)}">',
        f"<title>{title}</title>",
        f"<style>\n{css}</style>",
        "</head>",
        "<body>",
        '<article class="annual-report">',
        f"<h1>{_heading(report)}</h1>",
    ]
    out += _paragraphs(report.preamble)
    for number, heading in enumerate(report.format.sections, start=1):
        out.append(f'<section id="s{number}">')
        out.append(f"<h2>{escape(heading)}</h2>")
        out += _paragraphs(report.sections.get(number, ""))
        table = report.format.table_for_section(number)
        if table is not None:
            out += _table(report, table)
        out.append("</section>")
    out.append("</article>")
    if findings:
        out += _findings(findings)
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


# --------------------------------------------------------------------------------------
# text


def _paragraphs(text: str) -> list[str]:
    return [f"<p>{escape(line.strip())}</p>" for line in (text or "").split("\n") if line.strip()]


def _text(s: str) -> str:
    """Escaped, with the line breaks a cell or label holds kept as <br>."""
    return "<br>".join(escape(part) for part in s.split("\n"))


def cell_text(cell: Cell | None) -> str:
    """What a value cell prints: the number, or the report's own text when it is anything else."""
    if cell is None:
        return ""
    if cell.kind == "number" and not cell.note and cell.value is not None:
        v = cell.value
        return format(v, "f") if isinstance(v, Decimal) else str(v)
    return cell.raw


def _attrs(colspan: int = 1, rowspan: int = 1, cls: str = "") -> str:
    out = ""
    if colspan > 1:
        out += f' colspan="{colspan}"'
    if rowspan > 1:
        out += f' rowspan="{rowspan}"'
    if cls:
        out += f' class="{cls}"'
    return out


def _th(text: str, colspan: int = 1, rowspan: int = 1, cls: str = "") -> str:
    return f"<th{_attrs(colspan, rowspan, cls)}>{_text(text)}</th>"


def _td(cell: Cell | None, colspan: int = 1) -> str:
    return f'<td{_attrs(colspan, 1, "num")}>{_text(cell_text(cell))}</td>'


# --------------------------------------------------------------------------------------
# tables


@dataclass
class _Line:
    """One printed data row: its group cells, its label and its value cells."""

    label: str
    cells: list[Cell | None]
    groups: tuple[str, ...] = ()
    extra: bool = False
    block: Block | None = None
    spans: list[int] = field(default_factory=list)


def _table(report: AnnualReport, table: Table) -> list[str]:
    if len(table.blocks) > 1:
        return _blocks_table(report, table)
    if any(r.groups for r in table.rows) and not any(c.groups for c in table.blocks[0].columns):
        return _one_line_table(report, table)
    return _grouped_table(report, table)


def _lines(report: AnnualReport, table: Table) -> list[_Line]:
    """The data rows in print order, each local extra row right after the row it followed."""
    rows = report.layout(table.key)
    extras: dict[str | None, list[ExtraRow]] = {}
    for e in report.extras:
        if e.table == table.key:
            after = e.after if any(r.key == e.after for r in rows) else None
            extras.setdefault(after, []).append(e)
    out: list[_Line] = []
    for i, r in enumerate(rows):
        block = table.block_of(r.key)
        out.append(_Line(r.label, [report.cell(table.key, r.key, c.key) for c in block.columns],
                         r.groups, block=block))
        following = rows[i + 1].groups if i + 1 < len(rows) else ()
        for e in extras.get(r.key, []):
            # An extra row stays inside a group only when the group goes on after it.
            groups = _common_prefix(r.groups, following)
            out.append(_Line(e.label, list(e.cells), groups, extra=True, block=block))
    for e in extras.get(None, []):
        out.append(_Line(e.label, list(e.cells), (), extra=True, block=table.blocks[-1]))
    return out


def _common_prefix(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


def _spans(n: int, width: int) -> list[int]:
    """Spread `n` columns over `width` grid columns, wider first (表二's 1-value blocks span 3)."""
    if n <= 0:
        return []
    base, extra = divmod(max(width, n), n)
    return [base + (1 if i < extra else 0) for i in range(n)]


def _value_cells(cells: list[Cell | None], spans: list[int]) -> list[str]:
    out = []
    for i in range(max(len(cells), len(spans))):
        cell = cells[i] if i < len(cells) else None
        out.append(_td(cell, spans[i] if i < len(spans) else 1))
    return out


def _colgroup(label_widths: list[float], values: int) -> str:
    """Fixed column widths (percent): label columns as given, value columns share the rest,
    so narrow value columns do not get squeezed into one character per line."""
    rest = max(100 - sum(label_widths), 0) / max(values, 1)
    widths = [*label_widths, *([rest] * values)]
    return "<colgroup>" + "".join(f'<col style="width:{w:.2f}%">' for w in widths) + "</colgroup>"


def _blocks_table(report: AnnualReport, table: Table) -> list[str]:
    """表二: sub-blocks, each a caption row, a header row and its data rows, in one grid."""
    width = max(len(b.columns) for b in table.blocks)
    lines = _lines(report, table)
    out = [f'<table class="report t-{table.key}">', _colgroup([28], width)]
    for block in table.blocks:
        spans = _spans(len(block.columns), width)
        out.append("<tr>" + _th(block.caption, width + 1, cls="caption") + "</tr>")
        out.append("<tr>" + _th(block.corner) +
                   "".join(_th(c.label, s) for c, s in zip(block.columns, spans, strict=True)) +
                   "</tr>")
        for line in lines:
            if line.block is block:
                out.append("<tr>" + _th(line.label, cls="label") +
                           "".join(_value_cells(line.cells, spans)) + "</tr>")
    out.append("</table>")
    return out


@dataclass
class _Head:
    text: str
    colspan: int = 1
    rowspan: int = 1


def header_rows(paths: list[tuple[str, ...]]) -> list[list[_Head]]:
    """Merged header rows over value columns, each named by its path of labels from the top
    ("申请人情况", "法人或其他组织", "商业企业"): equal neighbours merge into one colspan, and a
    path that ends early reaches down to the last header row."""
    depth = max(len(p) for p in paths)
    rows: list[list[_Head]] = [[] for _ in range(depth)]

    def build(level: int, items: list[tuple[str, ...]]) -> None:
        i = 0
        while i < len(items):
            head = items[i]
            if len(head) == level + 1:
                rows[level].append(_Head(head[level], 1, depth - level))
                i += 1
                continue
            j = i
            while j < len(items) and len(items[j]) > level + 1 and items[j][level] == head[level]:
                j += 1
            rows[level].append(_Head(head[level], j - i))
            build(level + 1, items[i:j])
            i = j

    build(0, paths)
    return rows


def _grouped_table(report: AnnualReport, table: Table) -> list[str]:
    """表三: the note in the corner, merged column headers, group cells down the left."""
    block = table.blocks[0]
    heads = header_rows([(*c.groups, c.label) for c in block.columns])
    label_cols = 1 + max(len(r.groups) for r in table.rows)
    lines = _lines(report, table)
    groups = [6.5] * (label_cols - 1)
    out = [f'<table class="report t-{table.key}">',
           _colgroup([*groups, 42 - sum(groups)], len(block.columns))]
    # In <thead>, so the header repeats when the table runs onto the next page.
    out.append("<thead>")
    for i, row in enumerate(heads):
        corner = _th(table.note or block.corner, label_cols, len(heads), cls="note") if i == 0 else ""
        out.append("<tr>" + corner + "".join(_th(h.text, h.colspan, h.rowspan) for h in row) + "</tr>")
    out.append("</thead>")
    out.append("<tbody>")
    for i, line in enumerate(lines):
        cells = []
        for level in range(len(line.groups)):
            prefix = line.groups[: level + 1]
            if i > 0 and lines[i - 1].groups[: level + 1] == prefix:
                continue  # covered by the group cell above
            span = 1
            while i + span < len(lines) and lines[i + span].groups[: level + 1] == prefix:
                span += 1
            cells.append(_th(line.groups[level], 1, span, cls="group"))
        cells.append(_th(line.label, label_cols - len(line.groups), cls="label"))
        out.append("<tr>" + "".join(cells) + "".join(_value_cells(line.cells, [])) + "</tr>")
    out.append("</tbody>")
    out.append("</table>")
    return out


def _one_line_table(report: AnnualReport, table: Table) -> list[str]:
    """表四: the rows side by side as one line of values under three header rows
    (行政复议 | 行政诉讼 › 未经复议直接起诉 / 复议后起诉 › 结果维持 …)."""
    block = table.blocks[0]
    rows = report.layout(table.key)
    paths = [(*r.groups, r.label, c.label) for r in rows for c in block.columns]
    heads = header_rows(paths)
    values = [report.cell(table.key, r.key, c.key) for r in rows for c in block.columns]
    out = [f'<table class="report t4 t-{table.key}">', _colgroup([], len(values))]
    for row in heads:
        out.append("<tr>" + "".join(_th(h.text, h.colspan, h.rowspan) for h in row) + "</tr>")
    out.append("<tr>" + "".join(_td(v) for v in values) + "</tr>")
    out.append("</table>")
    extras = [e for e in report.extras if e.table == table.key]
    if extras:
        # A local row has no place in the one-line layout: printed below, label then values.
        width = max(len(e.cells) for e in extras) + 1
        out.append(f'<table class="report t-{table.key}-extra">')
        for e in extras:
            out.append("<tr>" + _th(e.label, cls="label") +
                       "".join(_value_cells(list(e.cells), [1] * (width - 1))) + "</tr>")
        out.append("</table>")
    return out


# --------------------------------------------------------------------------------------
# findings


def _findings(findings: list[Finding]) -> list[str]:
    out = [f'<aside class="{FINDINGS_CLASS}">',
           "<h2>检查结果（由 gongkai 生成，不属于报告正文）</h2>", "<ol>"]
    for f in findings:
        where = f"（{escape(str(f.where))}）" if f.where else ""
        out.append(
            f'<li class="{escape(f.severity)}"><code>{escape(f.code)}</code> '
            f"[{escape(_SEVERITY_ZH.get(f.severity, f.severity))}] {_text(f.message)}{where}</li>"
        )
    out += ["</ol>", "</aside>"]
    return out
