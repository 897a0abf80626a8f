"""Figures across schools come from sums (n, Σx, Σx²) and equal the figures from every pupil's
gain; one placement's gain fits its measure (sendwise.impact.sums)."""

import math
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sendwise.impact import practice, sums


def test_a_hand_worked_example_of_mean_sd_and_interval_from_sums():
    # Gains 0.1, 0.3, 0.5, 0.2, 0.4 (SDs): n = 5, Σx = 1.5, Σx² = 0.55.
    # Mean 0.3; variance (0.55 - 1.5²/5) / 4 = (0.55 - 0.45) / 4 = 0.025; SD 0.1581;
    # SE 0.1581 / √5 = 0.0707; t(0.975, 4) = 2.776; interval 0.3 ± 0.1963 = 0.104 to 0.496.
    e = sums.estimate_from_sums(5, 1.5, 0.55)
    assert e.mean == pytest.approx(0.3)
    assert e.sd == pytest.approx(math.sqrt(0.025))
    assert (e.ci_low, e.ci_high) == pytest.approx((0.1037, 0.4963), abs=1e-4)
    assert e.months == 4  # EEF: 0.27 to 0.35 is four months
    assert (e.months_low, e.months_high) == ("2", "6")


def test_fewer_than_five_pupils_or_no_spread_give_no_estimate():
    assert sums.estimate_from_sums(4, 1.2, 0.5) is None
    assert sums.estimate_from_sums(5, 1.0, 0.2) is None  # every gain 0.2


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.floats(-2, 2, allow_nan=False), min_size=1, max_size=8),
        min_size=1,
        max_size=5,
    )
)
def test_schools_sums_added_give_the_same_figure_as_all_their_pupils(schools):
    gains = [g for school in schools for g in school]
    if len(gains) < 5 or statistics.pstdev(gains) < 1e-6:
        return
    n = sum(len(s) for s in schools)
    total = sum(sum(s) for s in schools)
    total_sq = sum(sum(g * g for g in s) for s in schools)
    from_sums = sums.estimate_from_sums(n, total, total_sq)
    from_gains = practice.school_estimate(gains)
    assert from_sums.mean == pytest.approx(from_gains.mean, abs=1e-9)
    assert from_sums.ci_low == pytest.approx(from_gains.ci_low, abs=1e-6)
    assert from_sums.ci_high == pytest.approx(from_gains.ci_high, abs=1e-6)


def test_a_gain_fits_its_measure_and_a_missing_post_is_no_gain():
    reading = sums.placement_gain(
        kind="standardised", pre=82, post=88, norm_sd=15, reliability=0.9, higher_is_better=True
    )
    assert (reading.kind, reading.value) == ("standardised", pytest.approx(0.4))
    # RCI = 6 / (15 × √(2 × 0.1)) = 0.894: within measurement error.
    assert reading.reliable == sums.NO_CHANGE
    sdq = sums.placement_gain(kind="rating_scale", pre=24, post=19, higher_is_better=False)
    assert (sdq.kind, sdq.value) == ("raw", 5.0), "lower is better: a fall of 5 is +5"
    age = sums.placement_gain(kind="age_equivalent", pre=90, post=96, days_elapsed=122)
    assert age.kind == "ratio" and age.value == pytest.approx(6 / (122 / 30.4375))
    assert sums.placement_gain(kind="standardised", pre=82, post=None) == sums.NO_GAIN


def test_dose_share_is_attended_over_planned_and_capped_at_one():
    assert sums.dose_share(planned=10, attended=8) == 0.8
    assert sums.dose_share(planned=10, attended=12) == 1.0
    assert sums.dose_share(planned=0, attended=0) is None
