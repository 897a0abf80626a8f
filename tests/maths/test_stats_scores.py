"""Tests for reliable change, ratio gain, standardised-score gain and the EEF conversion."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sendwise.maths import stats


def raises_exactly(text: str):
    return pytest.raises(ValueError, match=f"^{re.escape(text)}$")


# ------------------------------------------------------------------------------------------
# Reliable change index: Jacobson & Truax (1991) J. Consult. Clin. Psychol. 59(1), 12-19.
# The paper's own worked example (a marital-therapy questionnaire) could not be checked
# against the original text here, so these are hand-computed with the paper's formulas:
# SEM = SD sqrt(1 - r_xx), S_diff = sqrt(2 SEM^2), RC = (x2 - x1) / S_diff.
# ------------------------------------------------------------------------------------------
def test_rci_hand_computed_questionnaire_example():
    """SD 7.5, reliability 0.80: SEM = 3.3541, S_diff = 4.7434; 72 -> 53 gives RC = -4.0056."""
    rc = stats.reliable_change_index(72, 53, sd=7.5, reliability=0.80)
    assert rc == pytest.approx(-19 / (math.sqrt(2) * 7.5 * math.sqrt(0.2)))
    assert rc == pytest.approx(-4.0056, abs=5e-5)
    assert stats.is_reliable_change(72, 53, sd=7.5, reliability=0.80)


def test_rci_standard_score_example_either_side_of_the_threshold():
    """Standardised score (SD 15), reliability 0.90: S_diff = 15 sqrt(2) sqrt(0.1) = 6.7082,
    so a change must be at least 1.96 * 6.7082 = 13.15 points to be reliable."""
    assert stats.reliable_change_index(85, 99, sd=15, reliability=0.9) == pytest.approx(
        14 / 6.708204, abs=1e-6
    )
    assert stats.is_reliable_change(85, 99, sd=15, reliability=0.9)
    assert not stats.is_reliable_change(85, 98, sd=15, reliability=0.9)
    assert stats.is_reliable_change(99, 85, sd=15, reliability=0.9)  # a fall counts too


@pytest.mark.parametrize("reliability", [0, 1, -0.2, 1.5])
def test_rci_refuses_reliability_outside_zero_one(reliability):
    with raises_exactly(stats.ERR_RELIABILITY):
        stats.reliable_change_index(80, 90, sd=15, reliability=reliability)


def test_rci_refuses_bad_sd_and_scores():
    with raises_exactly(stats.ERR_NOT_POSITIVE.format(name="sd")):
        stats.reliable_change_index(80, 90, sd=0, reliability=0.9)
    with raises_exactly(stats.ERR_NOT_FINITE.format(name="post")):
        stats.reliable_change_index(80, math.nan, sd=15, reliability=0.9)


# ------------------------------------------------------------------------------------------
# Ratio gain: Brooks (2016) What works for children and young people with literacy
# difficulties? 5th ed. RG = months of reading-age gain / months elapsed; bands: under 1.4
# modest, 1.4-1.9 useful, 2.0-2.9 substantial, 3.0+ remarkable.
# ------------------------------------------------------------------------------------------
def test_ratio_gain_hand_computed():
    """Reading age 7y0m (84) -> 8y0m (96) over 6 months: RG = 12 / 6 = 2.0."""
    rg = stats.ratio_gain(pre_months=84, post_months=96, elapsed_months=6)
    assert rg == 2.0
    assert stats.ratio_gain_band(rg) == "substantial"


@pytest.mark.parametrize(
    ("rg", "band"),
    [
        (-1.0, "modest"),
        (0.0, "modest"),
        (1.0, "modest"),
        (1.34, "modest"),
        (1.35, "useful"),  # reported to 1 d.p. as 1.4
        (1.4, "useful"),
        (1.9, "useful"),
        (1.94, "useful"),
        (1.95, "substantial"),  # 2.0
        (2.0, "substantial"),
        (2.9, "substantial"),
        (2.94, "substantial"),
        (2.95, "remarkable"),  # 3.0
        (3.0, "remarkable"),
        (12.5, "remarkable"),
    ],
)
def test_ratio_gain_bands_at_brooks_boundaries(rg, band):
    assert stats.ratio_gain_band(rg) == band
    assert stats.RATIO_GAIN_LABELS[band] == f"{band} impact"


def test_ratio_gain_refuses_bad_input():
    with raises_exactly(stats.ERR_NOT_POSITIVE.format(name="elapsed_months")):
        stats.ratio_gain(pre_months=84, post_months=96, elapsed_months=0)
    with raises_exactly(stats.ERR_NEGATIVE.format(name="pre_months")):
        stats.ratio_gain(pre_months=-1, post_months=96, elapsed_months=6)
    with raises_exactly(stats.ERR_NOT_FINITE.format(name="rg")):
        stats.ratio_gain_band(math.inf)


# ------------------------------------------------------------------------------------------
# Standardised-score gain: 0 means expected progress (kept pace with peers), not none.
# ------------------------------------------------------------------------------------------
def test_standardised_gain_zero_is_expected_progress():
    gain = stats.standardised_gain(85, 85)
    assert gain.change == 0
    assert gain.meaning == "kept_pace"
    assert gain.reliable is None and gain.rci is None


def test_standardised_gain_directions():
    assert stats.standardised_gain(85, 92).meaning == "gained_ground"
    assert stats.standardised_gain(92, 85).meaning == "fell_behind"


def test_standardised_gain_within_measurement_error_counts_as_kept_pace():
    """Reliability 0.90, SD 15: a 7-point rise is RC = 1.04, inside measurement error."""
    gain = stats.standardised_gain(85, 92, reliability=0.9)
    assert gain.change == 7
    assert gain.meaning == "kept_pace"
    assert gain.reliable is False
    assert gain.rci == pytest.approx(7 / 6.708204, abs=1e-6)
    assert stats.standardised_gain(85, 100, reliability=0.9).meaning == "gained_ground"


# ------------------------------------------------------------------------------------------
# EEF Toolkit conversion, from
# https://educationendowmentfoundation.org.uk/evidence-summaries/about-the-toolkits/attainment/
# ------------------------------------------------------------------------------------------
EEF_TABLE = [
    (0, -0.01, 0.01),
    (1, 0.02, 0.09),
    (2, 0.10, 0.18),
    (3, 0.19, 0.26),
    (4, 0.27, 0.35),
    (5, 0.36, 0.44),
    (6, 0.45, 0.52),
    (7, 0.53, 0.61),
    (8, 0.62, 0.69),
    (9, 0.70, 0.78),
    (10, 0.79, 0.87),
    (11, 0.88, 0.95),
    (12, 0.96, 1.00),
]


@pytest.mark.parametrize(("months", "low", "high"), EEF_TABLE)
def test_eef_months_at_both_ends_of_every_band_both_signs(months, low, high):
    assert stats.eef_months(low) == (months if low >= 0 else 0)
    assert stats.eef_months(high) == months
    assert stats.eef_months(-high) == -months
    assert stats.eef_months(-low) == (-months if low >= 0 else 0)


@pytest.mark.parametrize(
    ("effect_size", "months"),
    [
        (0.0, 0),
        (0.004, 0),
        (0.005, 0),  # rounds half-up to 0.01
        (0.015, 1),  # 0.02
        (0.0949, 1),  # 0.09
        (0.095, 2),  # 0.10
        (-0.095, -2),
        (0.185, 3),  # 0.19
        (0.265, 4),  # 0.27
        (0.955, 12),  # 0.96
        (1.004, 12),
        (1.2, 12),  # above the table: capped
        (-3.5, -12),
        (1e308, 12),
    ],
)
def test_eef_months_rounds_to_two_decimals_then_looks_up(effect_size, months):
    assert stats.eef_months(effect_size) == months


@pytest.mark.parametrize(
    ("months", "label"),
    [
        (0, "very low or no impact"),
        (1, "low impact"),
        (2, "low impact"),
        (3, "moderate impact"),
        (5, "moderate impact"),
        (6, "high impact"),
        (8, "high impact"),
        (9, "very high impact"),
        (12, "very high impact"),
        (-1, "negative impact"),
        (-12, "negative impact"),
    ],
)
def test_eef_label(months, label):
    assert stats.eef_label(months) == label


@pytest.mark.parametrize("months", [13, -13, 2.0, True, "3"])
def test_eef_label_refuses_bad_months(months):
    with raises_exactly(stats.ERR_MONTHS):
        stats.eef_label(months)


def test_eef_months_refuses_nan():
    with raises_exactly(stats.ERR_NOT_FINITE.format(name="effect_size")):
        stats.eef_months(math.nan)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_eef_months_is_odd_bounded_and_monotone(effect_size):
    months = stats.eef_months(effect_size)
    assert isinstance(months, int) and -12 <= months <= 12
    assert stats.eef_months(-effect_size) == -months
    assert stats.eef_months(effect_size + 0.05) >= months


@given(
    pre=st.floats(0, 300),
    post=st.floats(0, 300),
    elapsed=st.floats(0.5, 60),
    sd=st.floats(0.5, 50),
    reliability=st.floats(0.01, 0.99),
)
def test_scores_never_return_nan_or_infinity(pre, post, elapsed, sd, reliability):
    values = [
        stats.ratio_gain(pre_months=pre, post_months=post, elapsed_months=elapsed),
        stats.reliable_change_index(pre, post, sd=sd, reliability=reliability),
        stats.standardised_gain(pre, post, sd=sd, reliability=reliability).change,
    ]
    assert all(math.isfinite(v) for v in values)
