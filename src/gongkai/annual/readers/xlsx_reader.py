"""XLSX → stream tokens → AnnualReport.

Reads gongkai's own workbook (报告信息, 正文, one sheet per table) and workbooks made by hand:
merged cells, the whole report on one sheet, numbers stored as text, formulas (their cached
values: the workbook is opened with data_only=True). Each sheet is walked row by row; a cell's
text is a cell token, a long or multi-line text alone in its row a paragraph. When the sheets
are gongkai's layout, each table sheet is read right after its section in 正文."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.utils.exceptions import InvalidFileException

from ..formats import FORMATS
from ..labels import match_section
from ..report import Cell, Location
from ..writers.xlsx_writer import INFO_FIELDS, INFO_SHEET, number_text
from . import ReadError, ReadResult
from .stream import Token, interpret

_NUMBERED_LABEL = re.compile(r"^\s*\d+\s*[.、,，]\s*\D")
# A text this long, alone in its row, is prose rather than a label.
_PARAGRAPH_CHARS = 40


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        return number_text(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _value_cell(text: str) -> bool:
    return bool(text) and Cell.parse(text).kind in ("number", "slash", "dash") \
        and not _NUMBERED_LABEL.match(text)


def _sheet_tokens(ws) -> list[Token]:
    """A sheet's cells row by row. A blank cell is kept only outside the label columns
    (columns where rows holding values have their labels): there it is a blank value."""
    rows: list[tuple[int, list[tuple[int, str]]]] = []
    for row in ws.iter_rows():
        cells = [(c.column, _text(c.value).strip()) for c in row if not isinstance(c, MergedCell)]
        if any(t for _, t in cells):
            rows.append((row[0].row, cells))
    label_cols = [col for _, cells in rows if any(_value_cell(t) for _, t in cells)
                  for col, t in cells if t and not _value_cell(t)]
    last_label = max(label_cols) if label_cols else 0
    tokens: list[Token] = []
    for number, cells in rows:
        filled = [(col, t) for col, t in cells if t]
        where = Location(line=number, cell=f"{ws.title}!{filled[0][0]}")
        if len(filled) == 1 and ("\n" in filled[0][1] or len(filled[0][1]) > _PARAGRAPH_CHARS):
            tokens.append(Token(filled[0][1], where))
            continue
        for col, t in cells:
            if not t and col <= last_label:
                continue
            tokens.append(Token(t, Location(line=number, cell=f"{ws.title}!{_column(col)}{number}"),
                                cell=True))
    return tokens


def _column(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(col)


def _info(wb) -> dict[str, str]:
    if INFO_SHEET not in wb.sheetnames:
        return {}
    captions = {caption: key for key, caption in INFO_FIELDS}
    out = {}
    for row in wb[INFO_SHEET].iter_rows(max_col=2, values_only=True):
        if row and isinstance(row[0], str) and row[0].strip() in captions:
            out[captions[row[0].strip()]] = _text(row[1] if len(row) > 1 else None).strip()
    return out


def _ordered_tokens(wb) -> list[Token]:
    """gongkai's layout: each table sheet right after its section's text in the sheet of
    sections; any other workbook: its sheets in order."""
    fmt = FORMATS["2021"]  # both formats share section titles and table names
    names = {t.name for t in fmt.tables}
    text_sheet = next((ws for ws in wb.worksheets if ws.title not in names and any(
        match_section(fmt, _text(c.value)) for c in next(ws.iter_cols(max_col=1), ()))), None)
    if text_sheet is None or not names & set(wb.sheetnames):
        return [t for ws in wb.worksheets if ws.title != INFO_SHEET for t in _sheet_tokens(ws)]
    tokens: list[Token] = []
    done = {INFO_SHEET, text_sheet.title}
    for row in text_sheet.iter_rows():
        values = [(c.column, _text(c.value).strip()) for c in row if not isinstance(c, MergedCell)]
        values = [(col, t) for col, t in values if t]
        if not values:
            continue
        number = match_section(fmt, values[0][1])
        for col, t in values:
            where = Location(line=row[0].row, cell=f"{text_sheet.title}!{_column(col)}{row[0].row}")
            tokens.append(Token(t, where))
        table = fmt.table_for_section(number) if number else None
        if table is not None and table.name in wb.sheetnames and table.name not in done:
            done.add(table.name)
            tokens += _sheet_tokens(wb[table.name])
    for ws in wb.worksheets:
        if ws.title not in done:
            tokens += _sheet_tokens(ws)
    return tokens


def read(data: bytes, name: str = "") -> ReadResult:
    try:
        wb = load_workbook(io.BytesIO(data), data_only=True, read_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ReadError("read.bad-xlsx", "XLSX 文件已损坏或不是有效的 Excel 工作簿",
                        f"corrupt xlsx: {type(exc).__name__}: {exc}") from None
    info = _info(wb)
    tokens = _ordered_tokens(wb)
    if info.get("title"):
        tokens.insert(0, Token(info["title"], Location(cell=f"{INFO_SHEET}!B1")))
    result = interpret(tokens, name)
    report = result.report
    if "agency" in info:
        report.agency = info["agency"] or None
    if "year" in info:
        report.year = int(info["year"]) if info["year"].isdigit() else None
    return result
