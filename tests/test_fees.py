"""信息处理费 schedules (REGULATIONS.md §2.2–2.3) at every tier boundary."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.fees import (
    PAGES,
    PER_APPLICATION,
    Growth,
    Schedule,
    Tier,
    cumulative_application_fee,
    fee_for_nth_application,
    fee_for_pages,
)


def reference_per_application(n: int) -> int:
    """REGULATIONS.md §2.2's reading, unit by unit."""
    fee = 0
    for k in range(1, n + 1):
        if k <= 10:
            rate = 0
        elif k <= 30:
            rate = 100
        else:
            rate = 100 + 100 * ((k - 31) // 10 + 1)
        fee += rate
    return fee


@pytest.mark.parametrize(
    "k, fee, cumulative",
    [(1, 0, 0), (10, 0, 0), (11, 100, 100), (30, 100, 2000), (31, 200, 2200),
     (40, 200, 4000), (41, 300, 4300), (50, 300, 7000), (51, 400, 7400)],
)
def test_per_application_boundaries(k, fee, cumulative):
    assert fee_for_nth_application(k).total == fee
    assert cumulative_application_fee(k).total == cumulative


@pytest.mark.parametrize(
    "pages, fee",
    [(0, 0), (1, 0), (30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740),
     (250, 4700)],
)
def test_pages_boundaries(pages, fee):
    assert fee_for_pages(pages).total == fee


def test_250_pages_breakdown_for_the_fee_notice():
    f = fee_for_pages(250)
    assert [(ln.tier.first, ln.tier.last, ln.count, ln.tier.rate, ln.subtotal) for ln in f.lines] == [
        (1, 30, 30, 0, 0), (31, 100, 70, 10, 700), (101, 200, 100, 20, 2000), (201, None, 50, 40, 2000)]
    assert f.describe()[1] == "31–100页：70页 × 10元 = 700元"
    assert f.describe()[3] == "201页以上：50页 × 40元 = 2000元"
    assert f.to_dict()["fee_yuan"] == 4700
    assert f.to_dict()["tiers"][3]["last"] is None


def test_nth_application_shows_its_single_tier():
    f = fee_for_nth_application(41)
    assert len(f.lines) == 1
    line = f.lines[0]
    assert (line.tier.first, line.tier.last, line.count, line.tier.rate) == (41, 50, 1, 300)
    assert f.describe() == ["41–50件：1件 × 300元 = 300元"]


@given(st.integers(1, 300))
def test_nth_is_difference_of_cumulatives(k):
    assert fee_for_nth_application(k).total == reference_per_application(k) - reference_per_application(k - 1)
    assert cumulative_application_fee(k).total == reference_per_application(k)


@pytest.mark.parametrize("bad", [0, -1, 10_001, 2.5, "3", True, None])
def test_bad_application_number(bad):
    with pytest.raises(ValueError, match="application"):
        fee_for_nth_application(bad)


@pytest.mark.parametrize("bad", [-1, 1_000_001, 1.0, "30"])
def test_bad_page_count(bad):
    with pytest.raises(ValueError, match="pages"):
        fee_for_pages(bad)


def test_a_local_schedule_is_data():
    half = Schedule("local", "某地按量", "页",
                    (Tier(1, 50, Decimal(0)), Tier(51, None, Decimal("0.5"))))
    f = fee_for_pages(61, half)
    assert f.total == Decimal("5.5")
    assert f.to_dict()["fee_yuan"] == "5.50"  # exact, never a float


@pytest.mark.parametrize(
    "tiers, growth",
    [
        ((Tier(2, 10, Decimal(0)), Tier(11, None, Decimal(1))), None),  # gap at 1
        ((Tier(1, 10, Decimal(0)), Tier(12, None, Decimal(1))), None),  # gap at 11
        ((Tier(1, 10, Decimal(-1)), Tier(11, None, Decimal(1))), None),  # negative rate
        ((Tier(1, 10, Decimal(0)),), None),  # no open end, no growth
        ((Tier(1, None, Decimal(0)),), Growth(10, Decimal(1))),  # both
        ((Tier(1, 10, Decimal(0)),), Growth(0, Decimal(1))),  # empty growth tiers
    ],
)
def test_inconsistent_schedule_is_refused(tiers, growth):
    with pytest.raises(ValueError):
        Schedule("x", "x", "页", tiers, growth)


def test_national_schedules_are_the_defaults():
    assert PER_APPLICATION.name == "按件计收" and PAGES.name == "按量计收"
    assert fee_for_pages(250, PAGES).total == fee_for_pages(250).total
