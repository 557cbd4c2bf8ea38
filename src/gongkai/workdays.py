"""Statutory working-day arithmetic (REGULATIONS.md §5).

A working day is Monday–Friday, minus the holidays and plus the make-up days (调休) of the
State Council's yearly arrangement, which the `chinese_calendar` package carries for
2004–2026. An administrator's override table (a regional holiday, a local closure, next
year's arrangement before the package has it) is laid on top.

A year that neither the package nor an override covers completely is never guessed
silently: it is counted Monday–Friday and every result that touches it is marked
provisional, naming the year.

Periods follow 民法典 Art. 201: the start day is not counted, day 1 is the first working day
after it. (`chinese_calendar.find_workday` counts a non-working start day as day 0, one
too many — §5.3 — so it is not used.)

Pure Python: no Django import.
"""

from __future__ import annotations

import csv
import io
import json
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from pathlib import Path

import chinese_calendar as cc

# Package holiday names are English; staff read Chinese.
_HOLIDAY_ZH = {
    cc.Holiday.new_years_day.value: "元旦",
    cc.Holiday.spring_festival.value: "春节",
    cc.Holiday.tomb_sweeping_day.value: "清明节",
    cc.Holiday.labour_day.value: "劳动节",
    cc.Holiday.dragon_boat_festival.value: "端午节",
    cc.Holiday.national_day.value: "国庆节",
    cc.Holiday.mid_autumn_festival.value: "中秋节",
    cc.Holiday.anti_fascist_70th_day.value: "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}
PACKAGE_YEARS = range(min(cc.holidays).year, max(cc.holidays).year + 1)
# Far beyond any statutory period; keeps a typo (n = 2000000) from looping for minutes.
MAX_WORKING_DAYS = 100_000


class OverrideError(ValueError):
    """An override file that cannot be read; `zh` for people, str() for logs."""

    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh = zh
        self.en = en


@dataclass(frozen=True)
class Override:
    day: date
    workday: bool
    name: str = ""


@dataclass(frozen=True)
class Overrides:
    """Days that differ from the package, and the years whose whole arrangement is given
    here (so they count as known even where the package has no data)."""

    days: Mapping[date, Override] = field(default_factory=dict)
    complete_years: frozenset[int] = frozenset()


def _md(d: date, start: date) -> str:
    return d.strftime("%m-%d") if d.year == start.year else d.isoformat()


def _join_years(years: Iterable[int]) -> str:
    return "、".join(f"{y}年" for y in years)


@dataclass(frozen=True)
class Deadline:
    """The `working_days`-th working day after `start` (start itself not counted)."""

    start: date
    working_days: int
    due: date
    provisional: bool = False
    unknown_years: tuple[int, ...] = ()
    calendar: Calendar | None = field(default=None, compare=False, repr=False)

    # The day lists are built on first use: most callers only need `due`, and the bisect
    # lookup stays O(log n) that way.
    @cached_property
    def _walk(self) -> tuple[tuple[date, ...], tuple[date, ...]]:
        cal = self.calendar or DEFAULT
        skipped, make_up = [], []
        d = self.start + timedelta(days=1)
        while d <= self.due:
            if not cal.is_workday(d):
                skipped.append(d)
            elif d.weekday() >= 5:
                make_up.append(d)
            d += timedelta(days=1)
        return tuple(skipped), tuple(make_up)

    @property
    def skipped(self) -> tuple[date, ...]:
        """Non-working days passed over: weekends and weekday holidays."""
        return self._walk[0]

    @property
    def make_up_days(self) -> tuple[date, ...]:
        """Saturdays and Sundays counted as working days (调休上班)."""
        return self._walk[1]

    def explain(self) -> str:
        cal = self.calendar or DEFAULT
        parts = []
        runs = _holiday_runs(self.skipped, cal)
        if runs:
            texts = []
            for first, last, names in runs:
                span = _md(first, self.start) if first == last else (
                    f"{_md(first, self.start)}…{_md(last, self.start)}")
                texts.append(f"{span}（{'、'.join(names)}）" if names else span)
            parts.append("跳过" + "，".join(texts))
        if self.make_up_days:
            parts.append(
                "将" + "、".join(_md(d, self.start) for d in self.make_up_days) + "计为调休上班日")
        head = f"自{self.start.isoformat()}起："
        text = head + "，".join(parts) + ("；" if parts else "")
        text += f"{self.working_days}个工作日 → {self.due.isoformat()}"
        if self.provisional:
            text += (f"（暂定：{_join_years(self.unknown_years)}的放假安排尚未录入，"
                     "按周一至周五计算）")
        return text

    def to_dict(self) -> dict:
        return {
            "start": self.start.isoformat(),
            "working_days": self.working_days,
            "due": self.due.isoformat(),
            "provisional": self.provisional,
            "unknown_years": list(self.unknown_years),
            "skipped": [d.isoformat() for d in self.skipped],
            "make_up_days": [d.isoformat() for d in self.make_up_days],
        }


def _holiday_runs(skipped: Iterable[date], cal: Calendar):
    """Runs of consecutive skipped days that hold a holiday; a plain weekend is not news."""
    runs: list[list[date]] = []
    for d in skipped:
        if runs and (d - runs[-1][-1]).days == 1:
            runs[-1].append(d)
        else:
            runs.append([d])
    out = []
    for run in runs:
        holiday = [d for d in run if d.weekday() < 5 or cal.name_of(d)]
        if not holiday:
            continue
        names = list(dict.fromkeys(n for n in (cal.name_of(d) for d in run) if n))
        out.append((run[0], run[-1], names))
    return out


class Calendar:
    """Working days = package arrangement + overrides; unknown years counted Mon–Fri."""

    def __init__(self, overrides: Overrides | None = None, *, use_package: bool = True):
        self.overrides = overrides or Overrides()
        self._days = dict(self.overrides.days)
        self._package_years = PACKAGE_YEARS if use_package else range(0)
        self._index: dict[int, list[int]] = {}

    @classmethod
    def from_file(cls, path: str | Path) -> Calendar:
        return cls(load_overrides(path))

    # -- single days ------------------------------------------------------------------

    def is_known(self, year: int) -> bool:
        return year in self._package_years or year in self.overrides.complete_years

    def is_workday(self, d: date) -> bool:
        o = self._days.get(d)
        if o is not None:
            return o.workday
        if d.year in self._package_years:
            if d in cc.workdays:
                return True
            if d in cc.holidays:
                return False
        return d.weekday() < 5

    def name_of(self, d: date) -> str:
        """The holiday or make-up day's name, '' for an ordinary day."""
        o = self._days.get(d)
        if o is not None:
            return o.name
        if d.year in self._package_years:
            name = cc.holidays.get(d) or cc.workdays.get(d)
            if name:
                return _HOLIDAY_ZH.get(name, name)
        return ""

    def unknown_years(self, a: date, b: date) -> tuple[int, ...]:
        """Years in the span (a, b] whose arrangement is not known."""
        lo, hi = (a, b) if a <= b else (b, a)
        if lo == hi:
            return ()
        first = lo.year + 1 if lo.month == 12 and lo.day == 31 else lo.year
        if first == hi.year:  # the common case, kept cheap for add_working_days
            return () if self.is_known(first) else (first,)
        return tuple(y for y in range(first, hi.year + 1) if not self.is_known(y))

    # -- the per-year index -----------------------------------------------------------

    def _year(self, year: int) -> list[int]:
        """Sorted ordinals of the year's working days (built once per year)."""
        idx = self._index.get(year)
        if idx is None:
            d, end = date(year, 1, 1), date(year, 12, 31)
            first = d.toordinal()
            idx = [first + i for i in range((end - d).days + 1)
                   if self.is_workday(date.fromordinal(first + i))]
            self._index[year] = idx
        return idx

    def _count_upto(self, d: date) -> tuple[int, list[int], int]:
        idx = self._year(d.year)
        return bisect_right(idx, d.toordinal()), idx, d.year

    # -- periods ----------------------------------------------------------------------

    def add_working_days(self, start: date, n: int) -> Deadline:
        """The n-th working day after `start` (n = 0: `start` itself)."""
        _check_date(start)
        if isinstance(n, bool) or not isinstance(n, int):
            raise ValueError(f"working days must be an integer, got {n!r}")
        if not 0 <= n <= MAX_WORKING_DAYS:
            raise ValueError(f"working days must be between 0 and {MAX_WORKING_DAYS}, got {n}")
        year = start.year
        idx = self._index.get(year) or self._year(year)
        pos, left = bisect_right(idx, start.toordinal()), n
        while pos + left > len(idx):
            left -= len(idx) - pos
            year += 1
            if year > 9999:
                raise ValueError(f"{n} working days after {start} is past the year 9999")
            idx, pos = self._year(year), 0
        due = date.fromordinal(idx[pos + left - 1]) if left else start
        unknown = self.unknown_years(start, due)
        return Deadline(start, n, due, bool(unknown), unknown, self)

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in (a, b]; negative when b is before a."""
        _check_date(a)
        _check_date(b)
        if b < a:
            return -self.working_days_between(b, a)
        pos_a, idx_a, _ = self._count_upto(a)
        pos_b, _, _ = self._count_upto(b)
        if a.year == b.year:
            return pos_b - pos_a
        middle = sum(len(self._year(y)) for y in range(a.year + 1, b.year))
        return len(idx_a) - pos_a + middle + pos_b


def _check_date(d: object) -> None:
    # datetime is a date subclass whose comparisons with date raise; refuse it plainly.
    if type(d) is not date and (not isinstance(d, date) or isinstance(d, datetime)):
        raise ValueError(f"expected a datetime.date, got {d!r}")


# -- override files -------------------------------------------------------------------

_KINDS = {"holiday": False, "workday": True, "休": False, "班": True}
# A row of kind "year" (date = 2027) says the file holds that year's whole arrangement.
_YEAR_KINDS = {"year", "全年"}


def parse_overrides(rows: Iterable[tuple[str, str, str]], source: str = "") -> Overrides:
    """(date, kind, name) rows → Overrides. kind: holiday | workday | year."""
    days: dict[date, Override] = {}
    years: set[int] = set()
    for line, (raw_date, raw_kind, name) in enumerate(rows, 1):
        where = f"{source}:{line}" if source else f"row {line}"
        raw_date, kind, name = str(raw_date).strip(), str(raw_kind).strip().lower(), str(name).strip()
        if kind in _YEAR_KINDS:
            if not (raw_date.isdigit() and 1900 <= int(raw_date) <= 9999):
                raise OverrideError(f"第{line}行：年份“{raw_date}”无效",
                                    f"{where}: invalid year {raw_date!r}")
            years.add(int(raw_date))
            continue
        if kind not in _KINDS:
            raise OverrideError(
                f"第{line}行：类型“{raw_kind}”无效，应为 holiday（放假）或 workday（上班）",
                f"{where}: kind must be holiday, workday or year, got {raw_kind!r}")
        try:
            day = date.fromisoformat(raw_date)
        except ValueError:
            raise OverrideError(f"第{line}行：日期“{raw_date}”无效，应为 YYYY-MM-DD",
                                f"{where}: invalid date {raw_date!r}") from None
        if day in days:
            raise OverrideError(f"第{line}行：日期{day}重复", f"{where}: duplicate date {day}")
        days[day] = Override(day, _KINDS[kind], name)
    return Overrides(days, frozenset(years))


def load_overrides(path: str | Path) -> Overrides:
    """Read an override file: CSV (date,kind,name) or JSON (a list of {date, kind, name}
    objects, or {"complete_years": [...], "days": [...]})."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as e:
        raise OverrideError(f"无法读取调整表文件 {path}", f"cannot read {path}: {e}") from None
    except UnicodeDecodeError:
        raise OverrideError(f"调整表文件 {path} 不是 UTF-8 编码",
                            f"{path}: not UTF-8") from None
    if path.suffix.lower() == ".json" or text.lstrip()[:1] in ("[", "{"):
        return _parse_json(text, path.name)
    return _parse_csv(text, path.name)


def _parse_csv(text: str, source: str) -> Overrides:
    rows = []
    for cells in csv.reader(io.StringIO(text)):
        if not cells or not "".join(cells).strip() or cells[0].lstrip().startswith("#"):
            continue
        if cells[0].strip().lower() in ("date", "日期"):  # header
            continue
        if len(cells) < 2:
            raise OverrideError(f"第{len(rows) + 1}条记录缺少类型（holiday/workday）",
                                f"{source}: row {cells!r} needs date,kind[,name]")
        rows.append((cells[0], cells[1], cells[2] if len(cells) > 2 else ""))
    return parse_overrides(rows, source)


def _parse_json(text: str, source: str) -> Overrides:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise OverrideError(f"调整表文件 {source} 不是有效的 JSON", f"{source}: {e}") from None
    years: list = []
    if isinstance(data, dict):
        years = data.get("complete_years", [])
        data = data.get("days", [])
    if not isinstance(data, list) or not isinstance(years, list):
        raise OverrideError(f"调整表文件 {source} 的结构不对",
                            f"{source}: expected a list of days or {{complete_years, days}}")
    rows = []
    for item in data:
        if not isinstance(item, dict):
            raise OverrideError(f"调整表文件 {source} 的结构不对",
                                f"{source}: each day must be an object, got {item!r}")
        rows.append((item.get("date", ""), item.get("kind", ""), item.get("name", "")))
    rows += [(str(y), "year", "") for y in years]
    return parse_overrides(rows, source)


DEFAULT = Calendar()


def add_working_days(start: date, n: int) -> Deadline:
    return DEFAULT.add_working_days(start, n)


def working_days_between(a: date, b: date) -> int:
    return DEFAULT.working_days_between(a, b)


def is_workday(d: date) -> bool:
    return DEFAULT.is_workday(d)
