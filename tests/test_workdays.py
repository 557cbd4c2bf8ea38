"""Working-day arithmetic against the official 2025/2026 arrangements (REGULATIONS.md §5.2)."""

import json
from datetime import date, timedelta

import chinese_calendar as cc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.workdays import (
    DEFAULT,
    Calendar,
    OverrideError,
    add_working_days,
    is_workday,
    load_overrides,
    working_days_between,
)

D = date.fromisoformat


def naive(cal: Calendar, start: date, n: int) -> date:
    d, counted = start, 0
    while counted < n:
        d += timedelta(days=1)
        counted += cal.is_workday(d)
    return d


@pytest.mark.parametrize(
    "start, n, due, make_up, skipped_holidays",
    [
        # 国庆+中秋 2025: 10-01…10-08 off, Sunday 09-28 and Saturday 10-11 worked.
        ("2025-09-26", 20, "2025-10-30", ["2025-09-28", "2025-10-11"],
         [f"2025-10-0{i}" for i in range(1, 9)]),
        # 春节 2026: 02-15…02-23 off, Saturdays 02-14 and 02-28 worked (hand count: 5+1+4+1+5+4).
        ("2026-02-06", 20, "2026-03-12", ["2026-02-14", "2026-02-28"],
         [f"2026-02-{i}" for i in range(15, 24)]),
        # 元旦 2026: 01-01…01-03 off, Sunday 01-04 worked.
        ("2025-12-30", 3, "2026-01-05", ["2026-01-04"], ["2026-01-01", "2026-01-02"]),
        # Saturday start (the find_workday pitfall): day 1 is the make-up Sunday 09-28.
        ("2025-09-27", 1, "2025-09-28", ["2025-09-28"], []),
        ("2025-09-27", 20, "2025-10-30", ["2025-09-28", "2025-10-11"], ["2025-10-01"]),
        # Start on a holiday: counting begins the first working day after it.
        ("2025-10-03", 1, "2025-10-09", [], ["2025-10-06", "2025-10-08"]),
        # n = 0 is the start day itself.
        ("2025-06-02", 0, "2025-06-02", [], []),
    ],
)
def test_add_working_days_official_arrangements(start, n, due, make_up, skipped_holidays):
    d = add_working_days(D(start), n)
    assert d.due == D(due)
    assert [x.isoformat() for x in d.make_up_days] == make_up
    assert set(map(D, skipped_holidays)) <= set(d.skipped)
    assert not d.provisional and d.unknown_years == ()
    # every skipped day is a non-working day, every make-up day a worked weekend
    assert all(not is_workday(x) for x in d.skipped)
    assert all(is_workday(x) and x.weekday() >= 5 for x in d.make_up_days)
    assert working_days_between(D(start), D(due)) == n


def test_find_workday_pitfall_is_avoided():
    # The package counts a non-working start day as day 0 and lands one day late.
    assert cc.find_workday(1, D("2025-09-27")) == D("2025-09-29")
    assert add_working_days(D("2025-09-27"), 1).due == D("2025-09-28")


def test_skipped_counts_weekends_and_weekday_holidays():
    d = add_working_days(D("2025-09-26"), 20)
    assert D("2025-09-27") in d.skipped  # an ordinary Saturday
    assert D("2025-10-06") in d.skipped  # 中秋 on a Monday
    assert D("2025-09-28") not in d.skipped
    assert len(d.skipped) == (d.due - d.start).days - 20


def test_explain_names_holidays_and_make_up_days():
    text = add_working_days(D("2025-09-26"), 20).explain()
    assert text.startswith("自2025-09-26起：跳过10-01…10-08")
    assert "国庆节" in text and "中秋节" in text
    assert "将09-28、10-11计为调休上班日" in text
    assert text.endswith("20个工作日 → 2025-10-30")


def test_explain_leaves_out_plain_weekends():
    text = add_working_days(D("2025-06-03"), 10).explain()
    assert text == "自2025-06-03起：10个工作日 → 2025-06-17"


def test_deadline_into_unknown_year_is_provisional_and_says_why():
    d = add_working_days(D("2026-12-20"), 20)
    assert d.provisional and d.unknown_years == (2027,)
    # counted Monday–Friday in 2027: 12-21…12-31 has 9 weekdays, 01-01 is Friday
    assert d.due == D("2027-01-15")
    assert "暂定" in d.explain() and "2027年" in d.explain()


def test_unknown_year_counted_weekdays_only():
    assert is_workday(D("2027-01-01"))  # 元旦 2027, but no data: never silently guessed
    assert DEFAULT.unknown_years(D("2026-12-31"), D("2027-01-01")) == (2027,)
    assert DEFAULT.unknown_years(D("2026-12-30"), D("2026-12-31")) == ()


def test_override_file_makes_2027_known(tmp_path):
    f = tmp_path / "2027.csv"
    f.write_text(
        "date,kind,name\n"
        "2027,year,2027年放假安排\n"
        "2027-01-01,holiday,元旦\n"
        "2027-01-02,holiday,元旦\n"
        "2027-01-03,holiday,元旦\n",
        encoding="utf-8",
    )
    cal = Calendar.from_file(f)
    d = cal.add_working_days(D("2026-12-20"), 20)
    assert not d.provisional and d.unknown_years == ()
    assert d.due == D("2027-01-18")  # one day later than the weekday-only count
    assert D("2027-01-01") in d.skipped
    assert "元旦" in d.explain()


def test_override_without_complete_year_stays_provisional(tmp_path):
    f = tmp_path / "o.json"
    f.write_text(json.dumps([{"date": "2027-01-01", "kind": "holiday", "name": "元旦"}]),
                 encoding="utf-8")
    d = Calendar.from_file(f).add_working_days(D("2026-12-20"), 20)
    assert d.provisional and d.unknown_years == (2027,)
    assert d.due == D("2027-01-18")


def test_json_override_with_complete_years(tmp_path):
    f = tmp_path / "o.json"
    f.write_text(json.dumps({"complete_years": [2027], "days": [
        {"date": "2027-02-06", "kind": "workday", "name": "春节调休"}]}), encoding="utf-8")
    cal = Calendar.from_file(f)
    assert cal.is_known(2027) and cal.is_workday(D("2027-02-06"))
    assert cal.name_of(D("2027-02-06")) == "春节调休"


def test_regional_holiday_is_an_override(tmp_path):
    # e.g. a minority-nationality holiday on a Thursday in a known year
    f = tmp_path / "region.csv"
    f.write_text("2025-03-13,holiday,地方民族节日\n", encoding="utf-8")
    cal = Calendar.from_file(f)
    assert is_workday(D("2025-03-13")) and not cal.is_workday(D("2025-03-13"))
    assert cal.add_working_days(D("2025-03-12"), 1).due == D("2025-03-14")
    assert "地方民族节日" in cal.add_working_days(D("2025-03-12"), 1).explain()


@pytest.mark.parametrize(
    "content, fragment",
    [
        ("2025-13-01,holiday,x\n", "日期"),
        ("2025-03-13,vacation,x\n", "类型"),
        ("2025-03-13\n", "类型"),
        ("2025-03-13,holiday,a\n2025-03-13,workday,b\n", "重复"),
        ("abcd,year,\n", "年份"),
    ],
)
def test_bad_override_file_gives_clear_error(tmp_path, content, fragment):
    f = tmp_path / "bad.csv"
    f.write_text(content, encoding="utf-8")
    with pytest.raises(OverrideError) as e:
        load_overrides(f)
    assert fragment in e.value.zh


@pytest.mark.parametrize("content", ["{not json", '{"days": 3}', "[1, 2]"])
def test_bad_json_override(tmp_path, content):
    f = tmp_path / "bad.json"
    f.write_text(content, encoding="utf-8")
    with pytest.raises(OverrideError):
        load_overrides(f)


def test_missing_override_file(tmp_path):
    with pytest.raises(OverrideError) as e:
        load_overrides(tmp_path / "nope.csv")
    assert "无法读取" in e.value.zh


@pytest.mark.parametrize("n", [-1, 1.5, True, "20", 10**9])
def test_bad_n_is_refused(n):
    with pytest.raises(ValueError):
        add_working_days(D("2025-01-01"), n)


def test_datetime_is_refused():
    from datetime import datetime

    with pytest.raises(ValueError):
        add_working_days(datetime(2025, 1, 1, 9), 1)


def test_working_days_between_is_antisymmetric_and_spans_years():
    a, b = D("2024-12-01"), D("2026-03-01")
    n = working_days_between(a, b)
    assert n == -working_days_between(b, a)
    assert add_working_days(a, n).due <= b < add_working_days(a, n + 1).due


@settings(max_examples=300, deadline=None)
@given(start=st.dates(date(2004, 1, 1), date(2026, 12, 31)), n=st.integers(0, 60))
def test_agrees_with_naive_loop(start, n):
    due = naive(DEFAULT, start, n)
    assert add_working_days(start, n).due == due
    assert working_days_between(start, due) == n


@settings(max_examples=50, deadline=None)
@given(start=st.dates(date(2004, 1, 1), date(2026, 11, 30)))
def test_is_workday_agrees_with_package(start):
    assert is_workday(start) == cc.is_workday(start)


def test_calendar_without_package_is_all_provisional():
    cal = Calendar(use_package=False)
    d = cal.add_working_days(D("2025-09-26"), 20)
    assert cal.is_workday(D("2025-10-01")) and not cal.is_workday(D("2025-09-28"))
    assert d.provisional and d.unknown_years == (2025,)
    assert d.due == D("2025-10-24")


def test_csv_with_chinese_header_and_bom(tmp_path):
    f = tmp_path / "o.csv"
    f.write_bytes("\ufeff日期,类型,名称\n2025-03-13,休,地方节日\n".encode())
    assert not Calendar.from_file(f).is_workday(D("2025-03-13"))
