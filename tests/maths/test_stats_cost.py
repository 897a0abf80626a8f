"""Cost per pupil and per month of progress, against hand-worked examples."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sendwise.maths.stats_cost import NO_PROGRESS, cost_per_month, cost_per_pupil


def test_a_groups_cost_is_shared_equally_among_its_pupils():
    # £1,000 for six pupils: £166.666... rounds to £166.67.
    assert cost_per_pupil(Decimal("1000"), 6).per_pupil == Decimal("166.67")
    assert cost_per_pupil(Decimal("1000"), 0).per_pupil is None


def test_cost_per_month_divides_by_the_months_and_by_each_end_of_their_interval():
    # Worked by hand: £240 a pupil, 4 months (2 to 6): 240/4 = 60; 240/6 = 40; 240/2 = 120.
    result = cost_per_month(per_pupil=Decimal("240"), months=4, low=2, high=6, n=12)
    assert (result.per_month, result.low, result.high) == (
        Decimal("60.00"),
        Decimal("40.00"),
        Decimal("120.00"),
    )
    assert "£60.00" in result.sentence() and "£40.00 to £120.00" in result.sentence()
    assert "12 pupils" in result.sentence()


def test_cost_per_month_rounds_to_the_penny():
    # £100 / 3 months = £33.333... -> £33.33; £100 / 7 = £14.2857 -> £14.29; £100 / 1 = £100.
    result = cost_per_month(per_pupil=100, months=3, low=1, high=7, n=8)
    assert (result.per_month, result.low, result.high) == (
        Decimal("33.33"),
        Decimal("14.29"),
        Decimal("100.00"),
    )


@pytest.mark.parametrize("low", [0, -1, Decimal("-0.5")])
def test_cost_per_month_is_undefined_when_the_interval_includes_no_progress(low):
    result = cost_per_month(per_pupil=240, months=2, low=low, high=5, n=10)
    assert not result.defined
    assert result.per_month is None and result.low is None and result.high is None
    assert result.sentence() == NO_PROGRESS


def test_cost_per_month_needs_pupils_and_a_cost():
    assert not cost_per_month(per_pupil=None, months=2, low=1, high=3, n=5).defined
    assert not cost_per_month(per_pupil=100, months=2, low=1, high=3, n=0).defined


def test_bad_figures_are_refused():
    with pytest.raises(ValueError):
        cost_per_month(per_pupil=-1, months=2, low=1, high=3, n=5)
    with pytest.raises(ValueError):
        cost_per_month(per_pupil=10, months=5, low=1, high=3, n=5)
    with pytest.raises(ValueError):
        cost_per_month(per_pupil=10, months=float("nan"), low=1, high=3, n=5)


@given(
    cost=st.decimals(min_value=1, max_value=10_000, places=2),
    low=st.integers(min_value=1, max_value=12),
    spread=st.integers(min_value=0, max_value=12),
)
def test_more_progress_never_costs_more_per_month(cost, low, spread):
    high = low + spread
    result = cost_per_month(per_pupil=cost, months=low, low=low, high=high, n=5)
    assert result.low <= result.per_month <= result.high
