"""The JSON of REPORT-JSON.md → AnnualReport (the inverse of writers.json_writer).

The shape is checked key by key; anything malformed is a ReadError naming the place
("tables.applications.received.total"), never a traceback. Unknown keys at the top are
allowed (the shape grows by adding keys); unknown rows or columns are warned about.
The `findings` of the file are not read back: they are derived, and checking recomputes them.
"""

from __future__ import annotations

import json
from decimal import Decimal

from ..formats import FORMATS, format_for_year
from ..report import AnnualReport, Cell, ExtraRow, Finding, cell_address
from . import ReadError, ReadResult
from .text_reader import decode


def _shape(where: str, zh: str, en: str) -> ReadError:
    return ReadError("read.json-shape", f"JSON 结构不正确：{where} {zh}", f"bad JSON shape at {where}: {en}")


def _number(value, where: str):
    if value is None or (isinstance(value, int | Decimal) and not isinstance(value, bool)):
        return value
    raise _shape(where, "应为数字或 null", f"expected a number or null, got {type(value).__name__}")


def _text(value, where: str, nullable: bool = True) -> str | None:
    if value is None and nullable:
        return None
    if isinstance(value, str):
        return value
    raise _shape(where, "应为文字" + ("或 null" if nullable else ""), "expected a string")


def _plain_raw(value) -> str:
    return "" if value is None else str(value)


def _cell(value, raw: str | None, where: str, findings: list[Finding]) -> Cell:
    if raw is None:
        return Cell.parse(_plain_raw(value)) if value is not None else Cell(None, "", "blank")
    cell = Cell.parse(raw)
    if cell.value != value:
        findings.append(Finding("JSON-RAW-MISMATCH", "warning",
                                f"“{where}”的数值（{value}）与原文“{raw}”不一致，以数值为准",
                                (where,)))
        return Cell.parse(_plain_raw(value)) if value is not None else Cell(None, "", "blank")
    return cell


def _object(data: bytes) -> dict:
    try:
        obj = json.loads(decode(data), parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise ReadError("read.json-malformed",
                        f"JSON 格式错误：第{exc.lineno}行第{exc.colno}列，{exc.msg}",
                        f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise ReadError("read.json-malformed", "JSON 嵌套过深", "JSON nested too deeply") from None
    except ValueError as exc:  # e.g. an integer of thousands of digits
        raise ReadError("read.json-malformed", "JSON 中有无法读取的数值",
                        f"unreadable JSON value: {exc}") from None
    if isinstance(obj, list):
        if len(obj) != 1:
            raise ReadError("read.json-count",
                            f"JSON 数组中有 {len(obj)} 份报告，一次只能读取一份",
                            f"a JSON array of {len(obj)} reports; exactly one is read at a time")
        obj = obj[0]
    if not isinstance(obj, dict):
        raise _shape("顶层", "应为一个对象（一份报告）", "top level must be an object")
    return obj


def _format(obj: dict, year: int | None):
    key = obj.get("format")
    if key is None:
        fmt = format_for_year(year)
        if fmt is None:
            raise _shape("format", "缺少报告格式（2019 或 2021），也无年份可推断",
                         "no format and no year to infer it from")
        return fmt
    if key not in FORMATS:
        raise _shape("format", f"应为 {' 或 '.join(sorted(FORMATS))}", f"unknown format {key!r}")
    return FORMATS[key]


def read(data: bytes, name: str = "") -> ReadResult:
    obj = _object(data)
    year = obj.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        raise _shape("year", "应为整数或 null", "expected an integer or null")
    fmt = _format(obj, year)
    report = AnnualReport(format=fmt, agency=_text(obj.get("agency"), "agency"), year=year,
                          title=_text(obj.get("title"), "title"),
                          preamble=_text(obj.get("preamble"), "preamble") or "")
    report.source = _text(obj.get("file"), "file")
    findings: list[Finding] = []
    _sections(report, obj)
    raws = obj.get("cells_raw") or {}
    absent = obj.get("cells_absent") or []
    if not isinstance(raws, dict) or not all(isinstance(v, str) for v in raws.values()):
        raise _shape("cells_raw", "应为“单元格: 原文”的对象", "expected an object of strings")
    if not isinstance(absent, list) or not all(isinstance(v, str) for v in absent):
        raise _shape("cells_absent", "应为单元格名称的列表", "expected a list of strings")
    tables = obj.get("tables")
    if not isinstance(tables, dict):
        raise _shape("tables", "应为对象", "expected an object")
    _tables(report, tables, raws, frozenset(absent), findings)
    return ReadResult(report, findings)


def _sections(report: AnnualReport, obj: dict) -> None:
    sections = obj.get("sections") or {}
    if not isinstance(sections, dict):
        raise _shape("sections", "应为对象", "expected an object")
    for key, text in sections.items():
        if key not in {str(n) for n in range(1, 7)}:
            raise _shape(f"sections.{key}", "部分编号应为 1–6", "section keys are 1 to 6")
        report.sections[int(key)] = _text(text, f"sections.{key}", nullable=False) or ""
    order = obj.get("section_order")
    if order is None:
        report.section_order = sorted(report.sections)
    elif isinstance(order, list) and all(isinstance(n, int) and n in report.sections for n in order):
        report.section_order = list(order)
    else:
        raise _shape("section_order", "应为已有部分编号的列表", "expected a list of section numbers")


def _tables(report: AnnualReport, tables: dict, raws: dict, absent: frozenset[str],
            findings: list[Finding]) -> None:
    fmt = report.format
    for tkey, rows in tables.items():
        try:
            table = fmt.table(tkey)
        except KeyError:
            findings.append(Finding("JSON-UNKNOWN-KEY", "warning", f"未知的表“{tkey}”，已忽略"))
            continue
        if not isinstance(rows, dict):
            raise _shape(f"tables.{tkey}", "应为对象", "expected an object")
        for rkey, values in rows.items():
            where = f"tables.{tkey}.{rkey}"
            if rkey == "extra":
                _extras(report, tkey, values, where)
                continue
            try:
                block = table.block_of(rkey)
            except KeyError:
                findings.append(Finding("JSON-UNKNOWN-KEY", "warning", f"{table.name}没有“{rkey}”行，已忽略"))
                continue
            if not isinstance(values, dict):
                raise _shape(where, "应为对象", "expected an object")
            columns = {c.key for c in block.columns}
            for ckey, value in values.items():
                if ckey not in columns:
                    findings.append(Finding("JSON-UNKNOWN-KEY", "warning",
                                            f"{table.name}没有“{ckey}”列，已忽略"))
                    continue
                address = cell_address(tkey, rkey, ckey)
                value = _number(value, f"{where}.{ckey}")
                if value is None and address in absent:
                    continue
                report.cells[address] = _cell(value, raws.get(address), address, findings)
    for t in fmt.tables:
        for row in report.layout(t.key):
            cols = t.block_of(row.key).columns
            addresses = [cell_address(t.key, row.key, c.key) for c in cols]
            if not any(a in report.cells for a in addresses) and not set(addresses) <= absent:
                findings.append(Finding("READ-ROW-MISSING", "warning",
                                        f"{t.name}缺少“{row.label}”行", tuple(addresses)))


def _extras(report: AnnualReport, tkey: str, extras, where: str) -> None:
    if not isinstance(extras, list):
        raise _shape(where, "应为列表", "expected a list")
    for k, e in enumerate(extras):
        at = f"{where}[{k}]"
        if not isinstance(e, dict) or not isinstance(e.get("values"), list):
            raise _shape(at, "应为含 label 与 values 的对象", "expected an object with label and values")
        values = [_number(v, f"{at}.values") for v in e["values"]]
        raw = e.get("raw")
        if raw is None:
            raw = [_plain_raw(v) for v in values]
        if not isinstance(raw, list) or len(raw) != len(values) \
                or not all(isinstance(r, str) for r in raw):
            raise _shape(f"{at}.raw", "应为与 values 等长的文字列表", "expected strings, one per value")
        report.extras.append(ExtraRow(tkey, _text(e.get("label"), f"{at}.label", nullable=False) or "",
                                      [Cell.parse(r) for r in raw],
                                      _text(e.get("after"), f"{at}.after")))
