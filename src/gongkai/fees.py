"""信息处理费 (国办函〔2020〕109号, REGULATIONS.md §2): the two national schedules as data.

Both methods are excess-progressive (超额累进): each tier's rate applies only to the units
inside that tier. 按件 counts one applicant's applications in a calendar month, so the fee
for the k-th application is cumulative(k) − cumulative(k−1); 按量 counts the pages of one
application. A local schedule is another `Schedule` value.

Amounts are Decimal 元. Pure Python: no Django import.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Tier:
    first: int  # first unit of the tier (1-based, inclusive)
    last: int | None  # last unit, inclusive; None: no upper end
    rate: Decimal  # 元 per unit

    def label(self, unit: str) -> str:
        return f"{self.first}{unit}以上" if self.last is None else f"{self.first}–{self.last}{unit}"


@dataclass(frozen=True)
class Growth:
    """Tiers continuing after the last listed one: `size` units each, each `step` 元 dearer."""

    size: int
    step: Decimal


@dataclass(frozen=True)
class Schedule:
    key: str
    name: str
    unit: str  # 件 or 页
    tiers: tuple[Tier, ...]
    growth: Growth | None = None
    max_units: int = 1_000_000  # beyond this an input is a typo, not a fee

    def __post_init__(self) -> None:
        expected = 1
        for i, t in enumerate(self.tiers):
            if t.first != expected or t.rate < 0:
                raise ValueError(f"schedule {self.key}: tier {i + 1} must start at {expected} "
                                 "with a non-negative rate")
            if t.last is None:
                if i != len(self.tiers) - 1 or self.growth:
                    raise ValueError(f"schedule {self.key}: only the last tier may be open-ended, "
                                     "and not together with growth")
                return
            if t.last < t.first:
                raise ValueError(f"schedule {self.key}: tier {i + 1} ends before it starts")
            expected = t.last + 1
        if not self.growth:
            raise ValueError(f"schedule {self.key}: the last tier needs an open end or growth")
        if self.growth.size < 1:
            raise ValueError(f"schedule {self.key}: growth tiers need at least one unit")

    def walk(self) -> Iterator[Tier]:
        """Every tier in order, the growth tiers generated as far as they are asked for."""
        yield from self.tiers
        if self.growth:
            last = self.tiers[-1]
            first, rate = last.last + 1, last.rate
            while True:
                rate += self.growth.step
                yield Tier(first, first + self.growth.size - 1, rate)
                first += self.growth.size

    def check_units(self, n: int, *, what: str, minimum: int) -> None:
        if isinstance(n, bool) or not isinstance(n, int):
            raise ValueError(f"{what} must be a whole number, got {n!r}")
        if n < minimum:
            raise ValueError(f"{what} must be at least {minimum}, got {n}")
        if n > self.max_units:
            raise ValueError(f"{what} must be at most {self.max_units}, got {n}")

    def charge(self, after: int, upto: int) -> Fee:
        """The fee for units after+1 … upto, with one line per tier touched."""
        lines = []
        if upto > after:
            for t in self.walk():
                if t.first > upto:
                    break
                lo, hi = max(t.first, after + 1), upto if t.last is None else min(t.last, upto)
                if lo <= hi:
                    count = hi - lo + 1
                    lines.append(FeeLine(t, count, t.rate * count))
        return Fee(self, after, upto, tuple(lines))


@dataclass(frozen=True)
class FeeLine:
    """One line of the fee notice: the tier, how many units fall in it, and its subtotal."""

    tier: Tier
    count: int
    subtotal: Decimal


@dataclass(frozen=True)
class Fee:
    schedule: Schedule
    after: int
    upto: int
    lines: tuple[FeeLine, ...]

    @property
    def total(self) -> Decimal:
        return sum((line.subtotal for line in self.lines), Decimal(0))

    def describe(self) -> list[str]:
        """Fee-notice lines in Chinese: "31–100页：70页 × 10元 = 700元"."""
        u = self.schedule.unit
        return [f"{ln.tier.label(u)}：{ln.count}{u} × {yuan(ln.tier.rate)}元 = {yuan(ln.subtotal)}元"
                for ln in self.lines]

    def to_dict(self) -> dict:
        return {
            "fee_yuan": json_yuan(self.total),
            "tiers": [
                {
                    "tier": ln.tier.label(self.schedule.unit),
                    "first": ln.tier.first,
                    "last": ln.tier.last,
                    "count": ln.count,
                    "rate_yuan": json_yuan(ln.tier.rate),
                    "subtotal_yuan": json_yuan(ln.subtotal),
                }
                for ln in self.lines
            ],
        }


def yuan(amount: Decimal) -> str:
    """4700 → "4700", 12.5 → "12.50"."""
    return str(int(amount)) if amount == amount.to_integral_value() else f"{amount:.2f}"


def json_yuan(amount: Decimal) -> int | str:
    # Whole 元 as a JSON number; a fractional local rate as an exact string, never a float.
    return int(amount) if amount == amount.to_integral_value() else f"{amount:.2f}"


# -- the national schedules (REGULATIONS.md §2.2, §2.3) --------------------------------

PER_APPLICATION = Schedule(
    key="per_application",
    name="按件计收",
    unit="件",
    # 31+ "以10件为一档，每增加一档，收费标准提高100元/件": 31–40 at 200, 41–50 at 300, …
    tiers=(Tier(1, 10, Decimal(0)), Tier(11, 30, Decimal(100))),
    growth=Growth(size=10, step=Decimal(100)),
    max_units=10_000,  # one applicant, one calendar month
)

PAGES = Schedule(
    key="pages",
    name="按量计收",
    unit="页",
    tiers=(Tier(1, 30, Decimal(0)), Tier(31, 100, Decimal(10)), Tier(101, 200, Decimal(20)),
           Tier(201, None, Decimal(40))),
)


def fee_for_nth_application(k: int, schedule: Schedule = PER_APPLICATION) -> Fee:
    """The fee for an applicant's k-th application of the calendar month."""
    schedule.check_units(k, what="the application's number in the month", minimum=1)
    return schedule.charge(k - 1, k)


def cumulative_application_fee(k: int, schedule: Schedule = PER_APPLICATION) -> Fee:
    """The total for an applicant's first k applications of the month."""
    schedule.check_units(k, what="the number of applications", minimum=0)
    return schedule.charge(0, k)


def fee_for_pages(n: int, schedule: Schedule = PAGES) -> Fee:
    """The fee for one application providing n pages (0 pages costs nothing)."""
    schedule.check_units(n, what="the number of pages", minimum=0)
    return schedule.charge(0, n)
