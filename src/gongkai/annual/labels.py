"""Matching what a report printed against the labels of a format.

Readers find rows, columns, captions and section titles through these functions only, so a
spelling variant is taught to every reader at once (by adding an alias in formats.py)."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from .formats import FORMATS, Format, Row, Table
from .memo import per_object
from .text import label_key

_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+|\d+)[,.．、]\s*|^\(([一二三四五六七八九十]+|\d+)\)")
_SECTION_NUMBER = re.compile(r"^(?:([一二三四五六])|([1-6]))[,.．、]")
_CN = "一二三四五六"
_ITEM_COMMA = re.compile(r"^(\d+),")


def _strip_numbering(key: str) -> str:
    return _NUMBERING.sub("", key, count=1)


@per_object(256)
def _table_keys(table: Table) -> tuple[tuple[tuple[str, Row], ...], tuple[str, ...]]:
    """A table's row label keys (longest first) and group keys, computed once per table."""
    rows: list[tuple[str, Row]] = []
    for r in table.rows:
        for label in (r.label, *r.aliases):
            rows.append((label_key(label), r))
    # Longest first, so "（二）部分公开（区分处理的…）" wins over its alias "（二）部分公开".
    row_keys = tuple(sorted(rows, key=lambda kr: -len(kr[0])))
    groups = {label_key(g) for r in table.rows for g in r.groups}
    group_keys = tuple(sorted(groups, key=len, reverse=True))
    return row_keys, group_keys


def _row_keys(table: Table) -> tuple[tuple[str, Row], ...]:
    return _table_keys(table)[0]


def _group_keys(table: Table) -> tuple[str, ...]:
    return _table_keys(table)[1]


def _without_groups(table: Table, key: str) -> str:
    """Drop group labels printed in front of a row label ("（三）不予公开1.属于国家秘密")."""
    changed = True
    while changed:
        changed = False
        for g in _group_keys(table):
            if key.startswith(g) and len(key) > len(g):
                key, changed = key[len(g):], True
    return key


def match_row(table: Table, text: str, fuzzy: bool = True) -> Row | None:
    """The row whose label `text` is, tolerating line breaks, half-width brackets, trailing
    notes ("（含…）") and, with `fuzzy`, a character or two lost by a PDF extractor."""
    key = label_key(text)
    if not key:
        return None
    key = _without_groups(table, key)
    # "1、申请人…" is the same item as "1.申请人…" (label_key turns "、" into ",").
    key = _ITEM_COMMA.sub(r"\1.", key, count=1)
    candidates = _row_keys(table)
    for label, row in candidates:
        if key == label:
            return row
    for label, row in candidates:
        # A trailing parenthetical or explanatory note after the official label.
        if key.startswith(label) and len(label) >= 3 and key[len(label)] in "(（,:;含其":
            return row
    for label, row in candidates:
        # A label cut short ("…行政机关不再处理其政府信息公" at a page edge).
        if label.startswith(key) and len(key) >= max(6, len(label) * 2 // 3):
            return row
    if fuzzy and len(key) >= 4:
        best, best_ratio = None, 0.0
        number = _leading_number(key)
        for label, row in candidates:
            if _leading_number(label) != number:
                continue
            # ratio() is at most what the lengths allow (SequenceMatcher.real_quick_ratio, the
            # same sum): a label that cannot reach 0.8, or beat the best, is not compared. A
            # line of prose is never near a label's length, and comparing it costs most.
            bound = _length_ratio(key, label)
            if bound < 0.8 or bound <= best_ratio:
                continue
            ratio = SequenceMatcher(None, key, label).ratio()
            if ratio > best_ratio:
                best, best_ratio = row, ratio
        if best_ratio >= 0.8:
            return best
    return None


def _length_ratio(a: str, b: str) -> float:
    """SequenceMatcher(None, a, b).real_quick_ratio(): an upper bound on its ratio()."""
    return 2.0 * min(len(a), len(b)) / (len(a) + len(b))


def _leading_number(key: str) -> str:
    m = _NUMBERING.match(key)
    return m.group(0) if m else ""


def match_group(table: Table, text: str) -> str | None:
    """The group label (e.g. "（三）不予公开") `text` is, or None."""
    key = label_key(text)
    for r in table.rows:
        for g in r.groups:
            if label_key(g) == key:
                return g
    return None


def match_caption(table: Table, text: str):
    """The block of table 二 whose caption ("第二十条第（一）项") `text` is."""
    key = label_key(text)
    for b in table.blocks:
        if b.caption and label_key(b.caption) == key:
            return b
    return None


@lru_cache(maxsize=8)
def _section_bodies(format_key: str) -> tuple[tuple[str, int], ...]:
    fmt = FORMATS[format_key]
    out = []
    for i, title in enumerate(fmt.sections, start=1):
        out.append((_strip_numbering(label_key(title)), i))
        for alias in fmt.section_aliases.get(i, ()):
            out.append((_strip_numbering(label_key(alias)), i))
    return tuple(out)


def match_section(fmt: Format, line: str) -> int | None:
    """The section number (1–6) whose title `line` is ("1、 总体情况", "五、存在问题及改进情况").

    Only a whole-line title matches: narrative text that starts with the same words does not."""
    key = label_key(line)
    if not key or len(key) > 40:
        return None
    m = _SECTION_NUMBER.match(key)
    printed = None
    if m:
        printed = _CN.index(m.group(1)) + 1 if m.group(1) else int(m.group(2))
    body = _strip_numbering(key).rstrip(":：。")
    for title, number in _section_bodies(fmt.key):
        if body == title:
            return number
    # A numbered line whose body names the section loosely ("四、行政复议和行政诉讼情况").
    if printed and len(body) <= 30:
        for title, number in _section_bodies(fmt.key):
            if number == printed and _length_ratio(body, title) >= 0.7 \
                    and SequenceMatcher(None, body, title).ratio() >= 0.7:
                return number
    return None


@lru_cache(maxsize=8)
def _marker_keys(format_key: str) -> tuple[str, ...]:
    return tuple(label_key(m) for m in FORMATS[format_key].markers)


def detect_format(text: str, year: int | None) -> Format:
    """REGULATIONS.md §4.5: by year when known, else by the labels only one format has."""
    key = label_key(text)
    if year is not None and year <= 2020:
        by_year = FORMATS["2019"]
    elif year is not None:
        by_year = FORMATS["2021"]
    else:
        by_year = None
    if by_year is not None and any(m in key for m in _marker_keys(by_year.key)):
        return by_year  # the year's format has its own labels: no other can win
    scores = {f.key: sum(m in key for m in _marker_keys(f.key)) for f in FORMATS.values()}
    best = max(scores, key=lambda k: scores[k])
    if scores[best] > 0 and (by_year is None or scores[by_year.key] == 0):
        return FORMATS[best]
    return by_year or FORMATS["2021"]
