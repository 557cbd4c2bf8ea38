"""The shortcuts taken for speed answer exactly as the long way they skip."""

import re
from difflib import SequenceMatcher

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.annual import labels, narrative
from gongkai.annual.formats import FORMAT_2019, FORMAT_2021
from gongkai.annual.report import AnnualReport, Cell
from gongkai.annual.text import _has_astral, label_key

APPS = FORMAT_2021.table("applications")


def test_collapsed_counts_a_column_outside_the_format_under_the_row():
    report = AnnualReport.zeros("2021")
    report.cells["applications.other.local_column"] = Cell.of(1)
    assert report.collapsed("applications") == {"other"}


def test_collapsed_ignores_a_row_whose_key_only_starts_alike():
    report = AnnualReport.zeros("2021")
    report.cells["applications.otherwise.total"] = Cell.of(1)
    report.cells["applications.other"] = Cell.of(1)
    assert report.collapsed("applications") == frozenset()


def test_collapsed_with_the_formats_own_cells():
    report = AnnualReport.zeros("2021")
    assert report.collapsed("applications") == frozenset()
    report.cells["applications.other.total"] = Cell.of(1)
    assert report.collapsed("applications") == {"other"}


def test_astral_test_agrees_with_a_regex_at_the_edges():
    astral = re.compile("[\U00010000-\U0010ffff]")
    edges = ["", "a", "中", "\ud800", "\udfff", "\ud800\udc00", "\uffff", "\U00010000",
             "\U0010ffff", "中\U0001f600文", "\ud83d"]
    for text in edges:
        assert _has_astral(text) == (astral.search(text) is not None), repr(text)


def _best_row(table, key):
    """match_row's fuzzy stage without its shortcut: every label compared."""
    best, best_ratio = None, 0.0
    for label, row in labels._row_keys(table):
        if labels._leading_number(label) != labels._leading_number(key):
            continue
        ratio = SequenceMatcher(None, key, label).ratio()
        if ratio > best_ratio:
            best, best_ratio = row, ratio
    return best if best_ratio >= 0.8 else None


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([r.label for r in APPS.rows]), st.data())
def test_fuzzy_rows_as_without_the_length_bound(label, data):
    cut = data.draw(st.integers(0, len(label) - 1))
    extra = data.draw(st.text(alphabet="的申请人信息公开处理", max_size=30))
    text = label[:cut] + label[cut + 1:] + extra
    key = labels._ITEM_COMMA.sub(r"\1.", labels._without_groups(APPS, label_key(text)), count=1)
    exact = labels.match_row(APPS, text, fuzzy=False)
    if exact is None and len(key) >= 4:
        assert labels.match_row(APPS, text) == _best_row(APPS, key)


def test_prose_is_no_row():
    assert labels.match_row(APPS, "依申请公开工作严格按照法定程序和期限办理" * 20) is None


def test_detect_format_by_year_and_by_labels():
    assert labels.detect_format("本年制发件数 本年新制作数量", 2022) is FORMAT_2021  # year's own
    assert labels.detect_format("本年制发件数 本年新制作数量", 2019) is FORMAT_2019
    assert labels.detect_format("本年制发件数", 2019) is FORMAT_2021  # only the other's labels
    assert labels.detect_format("本年新制作数量", 2022) is FORMAT_2019
    assert labels.detect_format("", 2019) is FORMAT_2019
    assert labels.detect_format("本年新制作数量", None) is FORMAT_2019


def test_counts_at_clause_edges():
    stated = narrative.numbers_stated("受理申请40件（含上年结转2件）。受理3,119件")
    assert [(s.quantity, s.value) for s in stated] == [("carried_in", 2), ("received", 3119)]
    assert narrative.numbers_stated("：收到申请5件；") == [narrative.Stated("received", 5, "收到申请5件")]


def test_years_need_report_or_day():
    assert narrative.years_stated("2020年工作要点") == []
    assert narrative.years_stated("统计期限自2020年1月1日起至2020年12月31日止") == [
        (2020, "2020年1月1日起至2020年12月31日止")]
