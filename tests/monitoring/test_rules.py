"""The decision rules on one outcome, on cases worked by hand.

Reading fluency (words read correctly a minute): 20 on Monday 5 January, goal 44 by 30 March,
12 weeks later, so the aimline rises 2 a week (22 at week 1, 24 at week 2 ...).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sendwise.monitoring import rules

START = date(2026, 1, 5)
TARGET = START + timedelta(weeks=12)


def week(n: int) -> date:
    return START + timedelta(weeks=n)


def probe(scores, *, today=None, kind="curriculum_probe", first=1, **extra) -> rules.Verdict:
    points = tuple((week(first + i), s) for i, s in enumerate(scores))
    facts = rules.OutcomeFacts(
        kind=kind,
        baseline=extra.pop("baseline", 20),
        baseline_date=START,
        target=extra.pop("target", 44),
        target_date=TARGET,
        points=points + tuple(extra.pop("before", ())),
        today=today or week(first + len(scores)),
        **extra,
    )
    return rules.progress_verdict(facts)


# --- Frequent probes: the four-point rule (4 points) -------------------------------------------
def test_three_points_are_too_few_and_say_one_more_is_needed_next_week():
    verdict = probe([20, 21, 22], today=week(3))
    assert verdict.verdict == rules.TOO_FEW
    assert (verdict.n_points, verdict.more_needed, verdict.by) == (3, 1, week(4))
    assert not verdict.needs_decision


def test_four_points_all_below_the_aimline_mean_not_responding():
    verdict = probe([20, 21, 22, 23])  # aimline 22, 24, 26, 28
    assert (verdict.verdict, verdict.rule) == (rules.NOT_RESPONDING, "four_point")
    assert verdict.needs_decision


def test_four_points_all_above_the_aimline_mean_ahead():
    verdict = probe([25, 27, 29, 31])
    assert (verdict.verdict, verdict.rule) == (rules.AHEAD, "four_point")


def test_four_points_either_side_of_the_aimline_are_on_track():
    verdict = probe([23, 23, 27, 27])
    assert verdict.verdict == rules.ON_TRACK


def test_too_few_points_late_are_due_from_today_one_week_apart():
    # One point at week 1, and it is now week 6: 3 more are needed, by weeks 6, 7 and 8.
    verdict = probe([22], today=week(6))
    assert (verdict.more_needed, verdict.by) == (3, week(8))


def test_points_before_the_baseline_date_are_ignored():
    before = [(START - timedelta(days=d), 99) for d in (1, 8, 15, 22, 29)]
    verdict = probe([20, 21, 22], before=before, today=week(3))
    assert verdict.verdict == rules.TOO_FEW
    assert verdict.n_points == 3


# --- Frequent probes: the trend rule (8 points) ------------------------------------------------
def test_seven_points_are_judged_by_the_four_point_rule_alone():
    verdict = probe([20] * 7)
    assert (verdict.verdict, verdict.rule) == (rules.NOT_RESPONDING, "four_point")
    assert verdict.figures["trend"] == rules.TOO_FEW
    assert "goal_probability" not in verdict.figures


def test_eight_points_on_a_flat_trend_are_judged_by_the_trend_rule():
    verdict = probe([20] * 8)
    assert (verdict.verdict, verdict.rule) == (rules.NOT_RESPONDING, "trend")
    assert verdict.figures["pupil_slope_per_week"] == 0
    assert verdict.figures["aimline_slope_per_week"] == 2
    assert verdict.figures["goal_probability"] == 0


def test_when_the_trend_cannot_tell_the_last_four_points_decide():
    # A noisy rise of about 2 a week (the trend's interval holds the aimline's slope), but the
    # last four points are all below the line: the four-point rule's verdict stands.
    scores = [30, 18, 34, 22, 29, 31, 33, 35]  # aimline at weeks 5-8: 30, 32, 34, 36
    verdict = probe(scores)
    assert verdict.figures["trend"] == "on_track"
    assert verdict.figures["four_point"] == "below_aimline"
    assert (verdict.verdict, verdict.rule) == (rules.NOT_RESPONDING, "four_point")


def test_a_decisive_trend_wins_over_the_four_point_rule():
    # Rising 3 a week from further back (faster than 2 a week), but the last four points are
    # on both sides of the line: 29 < 30, 32.2 > 32, 35 > 34, 38 > 36.
    scores = [17, 20.5, 23, 26, 29, 32.2, 35, 38]  # aimline at weeks 5-8: 30, 32, 34, 36
    verdict = probe(scores, baseline=20)
    assert verdict.figures["four_point"] == "on_track"
    assert (verdict.verdict, verdict.rule) == (rules.AHEAD, "trend")


# --- Lower is better (a rating of difficulties) ------------------------------------------------
def test_lower_is_better_scores_that_stay_high_are_not_responding():
    verdict = probe(
        [20, 20, 20, 20], kind="rating_scale", baseline=20, target=8, higher_is_better=False
    )  # aimline 19, 18, 17, 16
    assert verdict.verdict == rules.NOT_RESPONDING


def test_lower_is_better_scores_that_fall_fast_are_ahead():
    verdict = probe(
        [10, 8, 6, 4], kind="rating_scale", baseline=20, target=8, higher_is_better=False
    )
    assert verdict.verdict == rules.AHEAD


# --- Termly standardised scores ----------------------------------------------------------------
SEPT = date(2025, 9, 10)
JULY = date(2026, 7, 15)  # 308 days later


def termly(latest: float, *, on=date(2026, 1, 10), kind="standardised", **extra):
    facts = rules.OutcomeFacts(
        kind=kind,
        baseline=extra.pop("baseline", 80),
        baseline_date=SEPT,
        target=extra.pop("target", 88),
        target_date=JULY,
        points=((SEPT, extra.pop("baseline_point", 80)), (on, latest)),
        today=on,
        reliability=extra.pop("reliability", 0.9),
        sd=extra.pop("sd", 15),
        **extra,
    )
    return rules.progress_verdict(facts)


def test_a_standardised_score_on_the_baseline_date_alone_is_too_few():
    facts = rules.OutcomeFacts(
        "standardised", 80, SEPT, 88, JULY, ((SEPT, 80),), SEPT + timedelta(days=10), True, 0.9, 15
    )
    verdict = rules.progress_verdict(facts)
    assert (verdict.verdict, verdict.more_needed) == (rules.TOO_FEW, 1)
    assert verdict.by == SEPT + timedelta(days=91)  # about a term after the baseline


def test_the_same_standardised_score_is_expected_progress_and_on_track():
    # Planned by 10 January (122 of 308 days): 8 * 122 / 308 = 3.17 points. S_diff =
    # sqrt(2) * 15 * sqrt(0.1) = 6.708, so the gap of -3.17 is an RCI of -0.47: within error.
    verdict = termly(80)
    assert (verdict.verdict, verdict.rule) == (rules.ON_TRACK, "reliable_change")
    assert verdict.figures["change"] == 0
    assert verdict.figures["expected_change"] == 0
    assert verdict.figures["rci_vs_plan"] == pytest.approx(-0.47, abs=0.01)


def test_a_fall_beyond_measurement_error_is_not_responding():
    # 68: change -12, planned +3.17, gap -15.17, RCI -2.26.
    verdict = termly(68)
    assert verdict.verdict == rules.NOT_RESPONDING
    assert verdict.figures["rci_vs_plan"] == pytest.approx(-2.26, abs=0.01)


def test_a_rise_beyond_measurement_error_is_ahead():
    verdict = termly(100)  # gap 16.83, RCI 2.51
    assert verdict.verdict == rules.AHEAD


def test_lower_reliability_widens_what_counts_as_measurement_error():
    assert termly(68, reliability=0.7).verdict == rules.ON_TRACK  # S_diff 11.6: RCI -1.31


def test_without_a_reliability_the_gap_is_judged_and_the_figures_say_so():
    verdict = termly(79, reliability=None)
    assert (verdict.verdict, verdict.rule) == (rules.NOT_RESPONDING, "gap")
    assert verdict.figures["reliability_unknown"] is True


def test_without_a_reliability_even_a_large_fall_asks_for_no_decision():
    """80 to 60 with no reliability: 23.17 behind the 83.17 planned for 10 January, yet whether
    that is beyond measurement error cannot be judged, so it is not called a reliable decline;
    the same fall with reliability 0.9 is (RCI -23.17 / 6.708 = -3.45)."""
    unknown = termly(60, reliability=None)
    assert unknown.figures["gap"] == pytest.approx(-23.17, abs=0.01)
    assert (unknown.needs_decision, unknown.since) == (False, None)
    known = termly(60)
    assert known.figures["rci_vs_plan"] == pytest.approx(-3.45, abs=0.01)
    assert (known.needs_decision, known.since) == (True, date(2026, 1, 10))
    assert not termly(100, reliability=None).needs_decision  # ahead by 16.83: not judged either


def test_a_probe_decision_is_dated_by_the_score_that_made_the_rule_fire():
    """Four weekly points all below the aimline (the four-point rule): waiting since the fourth
    point's day, however many days later the check runs."""
    verdict = probe([10, 10, 10, 10], today=START + timedelta(weeks=10))
    assert verdict.verdict == rules.NOT_RESPONDING
    assert verdict.since == START + timedelta(weeks=4)
    assert probe([10, 10, 10]).since is None  # too few points: no decision, no date


def test_age_equivalent_expects_a_month_a_month_and_gives_the_ratio_gain():
    # Reading age 96 months in September, 100 in January (4.0 months later): ratio gain 1.0.
    verdict = termly(
        100, kind="age_equivalent", baseline=96, baseline_point=96, target=106, sd=None
    )
    assert verdict.figures["ratio_gain"] == pytest.approx(1.0, abs=0.02)
    assert verdict.figures["expected_change"] == pytest.approx(4.0, abs=0.05)


# --- Concerns ---------------------------------------------------------------------------------
def test_no_score_for_six_weeks_on_a_probe_is_a_concern_and_five_is_not():
    last = date(2026, 2, 2)
    assert rules.no_recent_score(
        kind="curriculum_probe", last_score_on=last, since=START, today=last + timedelta(weeks=6)
    ).raised
    assert not rules.no_recent_score(
        kind="curriculum_probe", last_score_on=last, since=START, today=last + timedelta(days=41)
    ).raised


def test_a_standardised_test_may_wait_a_term_of_sixteen_weeks():
    last = date(2026, 1, 10)
    ok = rules.no_recent_score(
        kind="standardised", last_score_on=last, since=SEPT, today=last + timedelta(weeks=15)
    )
    late = rules.no_recent_score(
        kind="standardised", last_score_on=last, since=SEPT, today=last + timedelta(weeks=16)
    )
    assert (ok.raised, late.raised) == (False, True)


def test_no_score_counts_from_the_baseline_when_there_is_none_after_it():
    concern = rules.no_recent_score(
        kind="curriculum_probe", last_score_on=None, since=START, today=START + timedelta(weeks=6)
    )
    assert concern.raised
    assert concern.figures["last_score_on"] == START.isoformat()


def test_no_recent_score_is_dated_from_the_last_score_plus_the_allowed_gap():
    """Last score 9 July, 6 weeks allowed: true from 20 August (9 July + 42 days), which is
    what "waiting since" shows on 7 December, not 7 December."""
    concern = rules.no_recent_score(
        kind="curriculum_probe", last_score_on=date(2026, 7, 9), since=date(2026, 5, 1),
        today=date(2026, 12, 7),
    )  # fmt: skip
    assert concern.raised and concern.since == date(2026, 8, 20)
    fresh = rules.no_recent_score(
        kind="curriculum_probe", last_score_on=date(2026, 12, 1), since=date(2026, 5, 1),
        today=date(2026, 12, 7),
    )  # fmt: skip
    assert (fresh.raised, fresh.since) == (False, None)


def test_review_overdue_the_day_after_it_was_due():
    due = date(2026, 3, 1)
    assert not rules.review_overdue(review_date=due, today=due).raised
    assert rules.review_overdue(review_date=due, today=due + timedelta(days=1)).raised


def test_a_review_overdue_since_20_november_waits_from_that_day_not_from_today():
    overdue = rules.review_overdue(review_date=date(2026, 11, 19), today=date(2026, 12, 7))
    assert overdue.raised and overdue.since == date(2026, 11, 20)
    assert (
        rules.review_overdue(review_date=date(2026, 12, 7), today=date(2026, 12, 7)).since is None
    )


def test_dose_below_eighty_percent_is_a_concern_and_nothing_owed_is_not():
    assert rules.low_dose(percent=79).raised
    assert not rules.low_dose(percent=80).raised
    assert not rules.low_dose(percent=None).raised


# --- Properties ---------------------------------------------------------------------------------
scores = st.floats(min_value=0, max_value=200, allow_nan=False)


@given(st.lists(scores, min_size=0, max_size=12), scores)
def test_adding_a_later_point_never_brings_too_few_back(values, extra):
    before = probe(values, today=week(20))
    after = probe([*values, extra], today=week(20))
    if before.verdict != rules.TOO_FEW:
        assert after.verdict != rules.TOO_FEW


@given(st.lists(scores, min_size=0, max_size=3))
def test_never_a_decision_on_fewer_than_four_probe_points(values):
    verdict = probe(values, today=week(20))
    assert verdict.verdict == rules.TOO_FEW
    assert not verdict.needs_decision
    assert verdict.more_needed == 4 - len(values)


@given(st.lists(scores, min_size=0, max_size=12))
def test_lower_is_better_mirrors_higher_is_better(values):
    """A rating where lower is better, read upside down, is judged as the same rising scores."""
    up = probe(values, today=week(20))
    down = probe(
        [-v for v in values],
        today=week(20),
        kind="rating_scale",
        baseline=-20,
        target=-44,
        higher_is_better=False,
    )
    assert (down.verdict, down.rule, down.more_needed) == (up.verdict, up.rule, up.more_needed)
