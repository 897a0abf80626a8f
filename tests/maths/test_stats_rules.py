"""Tests for the aimline and the four-point and trend decision rules.

Rules as described by the National Center on Intensive Intervention (NCII) progress-
monitoring guidance and Fuchs & Fuchs's curriculum-based measurement work: four most recent
points all below the aimline -> change the intervention; all above -> raise the goal; trend
line flatter/steeper than the aimline (at least 8 points) -> the same decisions.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sendwise.maths import stats

START = date(2024, 9, 2)  # a Monday
# Words read correctly per minute: 20 now, 50 after 15 weeks, i.e. 2 words a week.
AIM = stats.Aimline(START, 20, START + timedelta(weeks=15), 50)


def raises_exactly(text: str):
    return pytest.raises(ValueError, match=f"^{re.escape(text)}$")


def weekly(scores, first_week: int = 1):
    return [(START + timedelta(weeks=first_week + i), score) for i, score in enumerate(scores)]


# ------------------------------------------------------------------------------------------
# Aimline
# ------------------------------------------------------------------------------------------
def test_aimline_values_and_slope():
    assert AIM.value_at(START) == 20
    assert AIM.value_at(START + timedelta(weeks=15)) == 50
    assert AIM.value_at(START + timedelta(weeks=3)) == pytest.approx(26)
    assert AIM.value_at(START + timedelta(weeks=20)) == pytest.approx(60)  # extended
    assert AIM.slope_per_week == pytest.approx(2)


def test_aimline_refuses_bad_input():
    with raises_exactly(stats.ERR_AIMLINE_DATES):
        stats.Aimline(START, 20, START, 50)
    with raises_exactly(stats.ERR_NOT_DATE.format(name="start_date")):
        stats.Aimline(datetime(2024, 9, 2, 9, 0), 20, START + timedelta(days=7), 50)
    with raises_exactly(stats.ERR_NOT_FINITE.format(name="target_value")):
        stats.Aimline(START, 20, START + timedelta(days=7), math.nan)
    with pytest.raises(AttributeError):
        AIM.target_value = 60  # type: ignore[misc]


# ------------------------------------------------------------------------------------------
# Four-point rule
# ------------------------------------------------------------------------------------------
def test_four_point_all_below_means_change_the_intervention():
    # Aimline at weeks 3-6 is 26, 28, 30, 32; the pupil is below at all four.
    points = weekly([22, 24, 30, 25, 26, 27, 28], first_week=0)
    decision = stats.four_point_rule(points, AIM)
    assert decision.verdict == stats.BELOW_AIMLINE
    assert decision.min_points == 4
    assert decision.n_points == 7
    assert decision.scores == (25, 26, 27, 28)
    assert decision.aimline_scores == pytest.approx((26, 28, 30, 32))
    assert decision.dates[-1] == START + timedelta(weeks=6)


def test_four_point_all_above_means_raise_the_goal():
    decision = stats.four_point_rule(weekly([25, 27, 29, 31]), AIM)
    assert decision.verdict == stats.ABOVE_AIMLINE


def test_four_point_mixed_or_on_the_line_is_on_track():
    assert stats.four_point_rule(weekly([21, 27, 21, 27]), AIM).verdict == stats.ON_TRACK
    # week 4 is exactly on the line (28): not "all above"
    assert stats.four_point_rule(weekly([25, 27, 29, 28]), AIM).verdict == stats.ON_TRACK


def test_four_point_needs_four_points_on_or_after_the_start():
    baseline = [(START - timedelta(weeks=2), 10), (START - timedelta(weeks=1), 11)]
    decision = stats.four_point_rule(baseline + weekly([10, 10, 10]), AIM)
    assert decision.verdict == stats.TOO_FEW_POINTS
    assert decision.n_points == 3
    assert decision.scores == ()


def test_four_point_sorts_points_by_date():
    points = list(reversed(weekly([25, 27, 29, 31])))
    assert stats.four_point_rule(points, AIM).verdict == stats.ABOVE_AIMLINE


def test_four_point_lower_is_better():
    """SDQ total difficulties: 24 now, aiming for 14 by the target date; lower is better.
    Scores numerically below the (falling) aimline are *ahead* of the plan."""
    aim = stats.Aimline(START, 24, START + timedelta(weeks=10), 14)  # -1 a week
    ahead = weekly([21, 20, 19, 18])  # aimline 23, 22, 21, 20
    behind = weekly([24, 24, 23, 23])
    assert stats.four_point_rule(ahead, aim, higher_is_better=False).verdict == (
        stats.ABOVE_AIMLINE
    )
    assert stats.four_point_rule(behind, aim, higher_is_better=False).verdict == (
        stats.BELOW_AIMLINE
    )
    assert stats.four_point_rule(ahead, aim).verdict == stats.BELOW_AIMLINE


def test_four_point_refuses_bad_points():
    with raises_exactly(stats.ERR_POINT):
        stats.four_point_rule([(START, 1, 2)], AIM)
    with raises_exactly(stats.ERR_NOT_DATE.format(name="points[0] date")):
        stats.four_point_rule([("2024-09-09", 21)], AIM)
    with raises_exactly(stats.ERR_NOT_FINITE.format(name="points[1] score")):
        stats.four_point_rule(weekly([21, math.inf]), AIM)
    with raises_exactly(stats.ERR_WRONG_TYPE.format(name="aimline", kind="an Aimline")):
        stats.four_point_rule(weekly([21, 22, 23, 24]), None)


# ------------------------------------------------------------------------------------------
# Trend rule
# ------------------------------------------------------------------------------------------
def test_trend_flatter_than_aimline_is_below():
    """Eight weekly points rising exactly 1 a week: OLS slope 1 (zero-width interval) < 2."""
    decision = stats.trend_rule(weekly([20 + i for i in range(8)]), AIM)
    assert decision.verdict == stats.BELOW_AIMLINE
    assert decision.pupil_slope == pytest.approx(1)
    assert decision.slope_ci_low == pytest.approx(1)
    assert decision.aimline_slope == pytest.approx(2)
    assert decision.min_points == 8
    assert decision.n_points == 8


def test_trend_steeper_than_aimline_is_above():
    decision = stats.trend_rule(weekly([20 + 3 * i for i in range(8)]), AIM)
    assert decision.verdict == stats.ABOVE_AIMLINE


def test_trend_hand_computed_slope_and_interval():
    """Weeks 1-8, scores 22, 23, 27, 27, 30, 31, 35, 36. By hand: x-bar 4.5, S_xx 42,
    S_xy 86.5, slope 2.0595 a week; SSE 4.7262, SE(slope) = sqrt(4.7262 / 6 / 42) = 0.1369;
    t(0.975, 6) = 2.4469, so the 95% interval is 1.7244 to 2.3946. It contains the
    aimline's 2 a week, so the rule cannot tell them apart: on track."""
    scores = [22, 23, 27, 27, 30, 31, 35, 36]
    xs = list(range(1, 9))
    x_bar, y_bar = sum(xs) / 8, sum(scores) / 8
    sxx = sum((x - x_bar) ** 2 for x in xs)
    slope = sum((x - x_bar) * (y - y_bar) for x, y in zip(xs, scores, strict=True)) / sxx
    sse = sum((y - y_bar - slope * (x - x_bar)) ** 2 for x, y in zip(xs, scores, strict=True))
    half = 2.446912 * math.sqrt(sse / 6 / sxx)  # t(0.975, 6) = 2.446912
    decision = stats.trend_rule(weekly(scores), AIM)
    assert (slope, slope - half, slope + half) == pytest.approx((2.0595, 1.7244, 2.3946), abs=5e-5)
    assert decision.pupil_slope == pytest.approx(slope)
    assert decision.slope_ci_low == pytest.approx(slope - half, abs=1e-6)
    assert decision.slope_ci_high == pytest.approx(slope + half, abs=1e-6)
    assert decision.verdict == stats.ON_TRACK


def test_trend_needs_min_points_and_two_dates():
    decision = stats.trend_rule(weekly([20 + i for i in range(7)]), AIM)
    assert decision.verdict == stats.TOO_FEW_POINTS
    assert decision.pupil_slope is None and decision.slope_ci_low is None
    same_day = [(START + timedelta(days=3), 20 + i) for i in range(8)]
    assert stats.trend_rule(same_day, AIM).verdict == stats.TOO_FEW_POINTS
    assert stats.trend_rule(weekly([20, 21, 22]), AIM, min_points=3).verdict == (
        stats.BELOW_AIMLINE
    )


def test_trend_refuses_min_points_below_three():
    with raises_exactly(stats.ERR_NOT_WHOLE.format(name="min_points", minimum=3)):
        stats.trend_rule(weekly([20, 21]), AIM, min_points=2)


def test_trend_lower_is_better():
    aim = stats.Aimline(START, 24, START + timedelta(weeks=10), 14)  # -1 a week
    falling_fast = weekly([24 - 2 * i for i in range(8)])
    flat = weekly([24] * 8)
    assert stats.trend_rule(falling_fast, aim, higher_is_better=False).verdict == (
        stats.ABOVE_AIMLINE
    )
    assert stats.trend_rule(flat, aim, higher_is_better=False).verdict == stats.BELOW_AIMLINE


# ------------------------------------------------------------------------------------------
# Property: adding points never brings back too_few_points; verdicts are always known words.
# ------------------------------------------------------------------------------------------
point_lists = st.lists(
    st.tuples(st.integers(-30, 200), st.floats(0, 200, allow_nan=False)), max_size=20
)


@settings(deadline=None)
@given(raw=point_lists, min_points=st.integers(3, 10), lower_better=st.booleans())
def test_more_points_never_bring_back_too_few_points(raw, min_points, lower_better):
    points = [(START + timedelta(days=day), score) for day, score in raw]
    seen_decision = {"four": False, "trend": False}
    for stop in range(len(points) + 1):
        shown = points[:stop]
        four = stats.four_point_rule(shown, AIM, higher_is_better=not lower_better)
        trend = stats.trend_rule(
            shown, AIM, higher_is_better=not lower_better, min_points=min_points
        )
        for name, decision in (("four", four), ("trend", trend)):
            assert decision.verdict in stats.VERDICTS
            if decision.verdict == stats.TOO_FEW_POINTS:
                assert not seen_decision[name]
            else:
                seen_decision[name] = True
                assert decision.n_points >= decision.min_points
        if trend.pupil_slope is not None:
            values = (trend.pupil_slope, trend.slope_ci_low, trend.slope_ci_high)
            assert all(math.isfinite(v) for v in values)
