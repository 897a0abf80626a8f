"""One placement's gain, reliable change and verdict, the term it counts in, and a group's
figures from stored sums: each against a hand-worked example a reader can check with a
calculator."""

import math
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sendwise.impact import practice, results
from sendwise.impact.results import Scores
from sendwise.maths.reliability import change_reliability, reliability_of

READING = {"kind": "standardised", "sd": 15, "reliability": 0.9, "higher_is_better": True}


def test_a_standardised_gain_is_in_the_norm_groups_sds():
    """(89 - 80) / 15 = 0.6 SD. Reliable change (Jacobson & Truax 1991): S_diff = 15 x sqrt(2)
    x sqrt(1 - 0.9) = 6.7082, RCI = 9 / 6.7082 = 1.342 < 1.96: within measurement error."""
    g = results.gain(Scores(pre=80, post=89, **READING))
    assert (g.kind, g.value, g.reliable) == ("standardised", pytest.approx(0.6), "no_change")
    assert g.rci == pytest.approx(1.3416, abs=1e-4)


def test_a_large_standardised_gain_is_a_reliable_improvement():
    """(95 - 80) / 6.7082 = 2.236 >= 1.96."""
    g = results.gain(Scores(pre=80, post=95, **READING))
    assert (g.reliable, g.rci) == ("improved", pytest.approx(2.2361, abs=1e-4))


def test_a_reading_age_gives_brooks_ratio_gain():
    """Reading age 90 -> 102 months over 182 days = 182 / 30.4375 = 5.9795 months elapsed:
    RG = 12 / 5.9795 = 2.007, "substantial" (Brooks 2016). Reliable change against the month a
    month a pupil is expected to gain: S_diff = 12 x sqrt(2) x sqrt(0.1) = 5.3666,
    RCI = (12 - 5.9795) / 5.3666 = 1.122: not reliable."""
    s = Scores(
        kind="age_equivalent", pre=90, post=102, pre_on=date(2025, 9, 1),
        post_on=date(2026, 3, 2), sd=12, reliability=0.9, higher_is_better=True,
    )  # fmt: skip
    g = results.gain(s)
    assert (g.kind, g.value) == ("ratio", pytest.approx(2.0069, abs=1e-4))
    assert (g.reliable, g.rci) == ("no_change", pytest.approx(1.1219, abs=1e-4))
    assert "2.0 months on Reading age for each month" in results.verdict(
        scores=s, g=g, dose_percent=90, measure="Reading age"
    )
    assert "substantial impact" in results.verdict(scores=s, g=g, dose_percent=90, measure="R")


def test_a_reading_age_less_than_a_month_apart_has_no_gain_yet():
    s = Scores(
        kind="age_equivalent", pre=90, post=92, pre_on=date(2025, 9, 1),
        post_on=date(2025, 9, 20), higher_is_better=True,
    )  # fmt: skip
    assert results.gain(s).value is None


def test_a_rating_scale_where_lower_is_better_counts_a_fall_as_a_gain():
    """A difficulties score 20 -> 14 (lower is better): +6 points. SD 5, r = 0.8:
    S_diff = 5 x sqrt(2) x sqrt(0.2) = 3.1623, RCI = 6 / 3.1623 = 1.897: not reliable."""
    s = Scores(kind="rating_scale", pre=20, post=14, sd=5, reliability=0.8, higher_is_better=False)
    g = results.gain(s)
    assert (g.kind, g.value, g.reliable) == ("raw", 6, "no_change")
    assert g.rci == pytest.approx(1.8974, abs=1e-4)
    sentence = results.verdict(scores=s, g=g, dose_percent=75, measure="SDQ")
    assert sentence == (
        "The pupil improved on SDQ (20 to 14) with 75% of the planned dose: within what "
        "measurement error could explain."
    )


def test_without_a_direction_no_gain_is_claimed():
    s = Scores(kind="curriculum_probe", pre=20, post=30)
    g = results.gain(s)
    assert (g.kind, g.value, g.reliable) == ("raw", None, "")
    assert "whose better direction is not recorded" in results.verdict(
        scores=s, g=g, dose_percent=None, measure="Words a minute"
    )


def test_a_missing_post_score_is_missing_not_zero():
    s = Scores(pre=80, post=None, **READING)
    g = results.gain(s)
    assert (g.kind, g.value) == ("", None)
    assert results.verdict(scores=s, g=g, dose_percent=None, measure="Reading test") == (
        "No later score on Reading test yet: progress will show once one is entered."
    )


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2026, 9, 1), (2026, "autumn")),
        (date(2026, 12, 31), (2026, "autumn")),
        (date(2027, 1, 4), (2026, "spring")),
        (date(2027, 4, 19), (2026, "summer")),
        (date(2026, 8, 31), (2025, "summer")),
    ],
)
def test_a_placement_counts_in_the_term_its_plan_started(day, expected):
    assert results.term_of(day) == expected


def test_a_groups_effect_from_sums_matches_the_hand_worked_example():
    """Gains +3, +6, 0, +9, +12 on SD 15 = 0.2, 0.4, 0, 0.6, 0.8 SD: n = 5, Σx = 2.0,
    Σx² = 1.2. Mean 0.4; var = (1.2 - 2.0²/5) / 4 = 0.1, SD 0.316228, SE 0.141421;
    95% t-interval 0.4 ± 2.776445 × 0.141421 = 0.007351 to 0.792649. EEF months: 0.40 -> 5,
    0.007 -> 0, 0.79 -> 10 (the same as tests/impact/test_practice.py)."""
    est = results.from_sums(5, 2.0, 1.2, kind="standardised")
    assert (est.n, est.mean, est.sd) == (5, pytest.approx(0.4), pytest.approx(0.316228, 1e-6))
    assert (est.ci_low, est.ci_high) == (
        pytest.approx(0.007351, abs=1e-6),
        pytest.approx(0.792649, abs=1e-6),
    )
    assert (est.months, est.months_low, est.months_high) == (5, "0", "10")


def test_fewer_than_five_pupils_or_identical_gains_give_no_estimate():
    assert results.from_sums(4, 1.6, 0.8, kind="standardised") is None
    assert results.from_sums(5, 1.0, 0.2, kind="standardised") is None  # every gain 0.2


def test_ratio_gains_have_an_interval_but_no_eef_months():
    est = results.from_sums(5, 10.0, 22.0, kind="ratio")  # 1, 1.5, 2, 2.5, 3
    assert est.months is None and est.mean == pytest.approx(2.0)


@given(st.lists(st.floats(-3, 3), min_size=5, max_size=40))
def test_sums_give_the_same_interval_as_the_school_estimate_from_every_gain(gains):
    """The stored sums lose nothing: the page's interval is the practice panel's."""
    direct = practice.school_estimate(gains) if len(set(gains)) > 1 else None
    est = results.from_sums(len(gains), sum(gains), sum(g * g for g in gains), kind="standardised")
    if direct is None or direct.sd < 1e-6:
        return
    assert est is not None
    assert math.isclose(est.ci_low, direct.ci_low, abs_tol=1e-6)
    assert math.isclose(est.ci_high, direct.ci_high, abs_tol=1e-6)


@pytest.mark.parametrize(
    "kind, value, text",
    [
        ("standardised", 0.6, "+0.60 SD"),
        ("standardised", -0.2, "-0.20 SD"),
        ("ratio", 2.0069, "ratio gain 2.0"),
        ("raw", 6, "+6 points"),
        ("raw", -1, "\u22121 point"),
        ("raw", None, "not worked out"),
    ],
)
def test_a_gain_in_words(kind, value, text):
    assert results.gain_text(kind, value) == text


# Issue 12: a raw change says which way the scores went; reliable change uses the right
# reliability (test–retest, else internal consistency; never agreement between informants).
SDQ_RELIABILITY = [  # as the catalogue holds it (evidence/seed/measures.yaml, sdq_teacher)
    {"coefficient": 0.73, "type": "internal consistency (mean Cronbach alpha across scales)"},
    {"coefficient": 0.62, "type": "test-retest (mean, 4 to 6 months)"},
    {"coefficient": 0.34, "type": "cross-informant correlation (mean)"},
]


@pytest.mark.parametrize(
    ("value", "higher_is_better", "text"),
    [
        (2.7, False, "improved by 2.7 points (the scores fell: lower is better on this measure)"),
        (-1.0, False, "worsened by 1 point (the scores rose: lower is better on this measure)"),
        (4.0, True, "improved by 4 points (the scores rose: higher is better on this measure)"),
        (-2.5, True, "worsened by 2.5 points (the scores fell: higher is better on this measure)"),
        (0.0, False, "no change"),
    ],
)
def test_a_raw_change_says_its_direction_in_words(value, higher_is_better, text):
    assert results.raw_change_words(value, higher_is_better=higher_is_better) == text


def test_a_group_change_on_a_lower_is_better_scale_reads_as_an_improvement():
    """Gains 4, 2, 3, 1, 5 (scores fell by as much): mean 3, 95% interval 1.04 to 4.96."""
    e = results.from_sums(5, 15, 55, kind=results.RAW)
    assert e.effect_text(results.RAW, higher_is_better=False) == (
        "improved by 3 points (the scores fell: lower is better on this measure) on average "
        "(95% interval of the improvement 1.0 to 5.0 points, where a negative figure is a "
        "worsening; n = 5)"
    )
    assert results.gain_text(results.RAW, 6, higher_is_better=False).startswith("improved by 6")


def test_the_right_reliability_changes_the_verdict():
    """A fall of 10 on a scale with SD 5: with test–retest r = 0.62, S_diff = 5·√2·√0.38 =
    4.359, RCI = 2.29, a reliable improvement; with the cross-informant 0.34 the same fall
    would give S_diff = 5·√2·√0.66 = 5.745, RCI = 1.74, and be called no reliable change."""

    class Sdq:
        reliability = 0.34
        reliability_detail = SDQ_RELIABILITY

    r = reliability_of(Sdq)
    s = Scores(kind="rating_scale", pre=25, post=15, sd=5, reliability=r, higher_is_better=False)
    g = results.gain(s)
    assert (g.reliable, round(g.rci, 2)) == ("improved", 2.29)
    old = results.gain(
        Scores(kind="rating_scale", pre=25, post=15, sd=5, reliability=0.34, higher_is_better=False)
    )
    assert (old.reliable, round(old.rci, 2)) == ("no_change", 1.74)


def test_why_reliable_change_cannot_be_judged_is_said_plainly():
    retest = change_reliability(SDQ_RELIABILITY)
    assert results.reliable_change_missing(sd=None, higher_is_better=False, reliability=retest) == (
        "the measure's standard deviation is not recorded (measurement error is worked out from "
        "it and the test–retest reliability 0.62)"
    )
    assert "no test–retest or internal-consistency" in results.reliable_change_missing(
        sd=5, higher_is_better=False, reliability=None
    )
    assert results.reliable_change_missing(sd=5, higher_is_better=False, reliability=retest) == ""
