"""Every measure enforces its range: each known end on its own, no negative counts or standard
scores, a sanity band for standard scores with norms but no published range, and the range in
words for the forms' hints. Pure (``evidence.measure_range``) and through ``Measure``."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sendwise.evidence import measure_range as r
from sendwise.evidence.models import Measure
from sendwise.planning import goals


def check(value, **measure):
    kind = measure.setdefault("kind", "standardised")
    measure.setdefault("scale_min", None)
    measure.setdefault("scale_max", None)
    found = r.bounds(**measure)
    return r.problem(value, found, what="score", measure="M", kind=kind)


# The three examples, with ranges as the seed file may give them.
def test_bpvs3_999_is_refused_with_its_published_range():
    # An illustrative range: BPVS3's own ends are not yet sourced (seed README, round 6).
    assert check(999, scale_min=70, scale_max=130) == "The score must be between 70 and 130 on M"


def test_towre_500_is_refused_when_only_the_norms_are_known():
    # No published range yet: mean 100, SD 15, so 25 to 175 (five SDs either side).
    assert check(500, mean=100, sd=15) == "The score must be between 25 and 175 on M"
    assert check(145, mean=100, sd=15) is None


def test_a_reading_fluency_of_minus_10_is_refused_with_no_range_at_all():
    message = check(-10, kind="curriculum_probe")
    assert message == "The score cannot be below 0 on M: it is a count of what the pupil did"
    assert check(0, kind="curriculum_probe") is None
    assert check(212, kind="curriculum_probe") is None


def test_each_known_end_is_checked_on_its_own():
    assert check(150, kind="rating_scale", scale_max=140) == "The score must be 140 or less on M"
    assert check(150, scale_max=140) == "The score must be between 0 and 140 on M"
    assert check(-5, kind="rating_scale", scale_min=0) == "The score must be 0 or more on M"
    assert check(99_000, kind="rating_scale", scale_min=0) is None  # open above, within reason


def test_a_count_with_only_an_upper_end_is_between_0_and_it():
    assert check(-1, kind="curriculum_probe", scale_max=250) == (
        "The score must be between 0 and 250 on M"
    )


def test_an_age_in_months_cannot_be_negative():
    assert check(-3, kind="age_equivalent").endswith("it is an age in months")


def test_a_rating_scale_with_no_range_accepts_any_number():
    assert check(-3.5, kind="rating_scale") is None


@pytest.mark.parametrize("value", [None, math.nan, math.inf, -math.inf])
def test_something_that_is_not_a_number_is_refused(value):
    assert check(value, kind="rating_scale") == "Enter the score as a number"


@pytest.mark.parametrize(
    ("measure", "hint"),
    [
        ({"scale_min": 70, "scale_max": 130}, "From 70 to 130"),
        ({"kind": "curriculum_probe"}, "0 or more"),
        ({"kind": "rating_scale", "scale_max": 40}, "40 or less"),
        ({"kind": "rating_scale"}, ""),
        ({"scale_min": 0, "scale_max": 1000.5}, "From 0 to 1,000.5"),
    ],
)
def test_the_hint_says_the_range_in_words(measure, hint):
    measure.setdefault("kind", "standardised")
    measure.setdefault("scale_min", None)
    measure.setdefault("scale_max", None)
    assert r.hint(r.bounds(**measure)) == hint


@given(
    low=st.floats(-1000, 1000),
    width=st.floats(0, 1000),
    value=st.floats(allow_nan=False, allow_infinity=False, width=32),
)
def test_a_value_is_allowed_exactly_when_it_lies_within_a_known_range(low, width, value):
    high = low + width
    message = check(value, kind="rating_scale", scale_min=low, scale_max=high)
    assert (message is None) == (low <= value <= high)


def test_the_measure_model_uses_the_same_rule_for_scores_and_targets():
    measure = Measure(name="Words correct per minute", kind="curriculum_probe", scale_max=250)
    assert measure.value_problem(-10) == (
        "The score must be between 0 and 250 on Words correct per minute"
    )
    assert measure.value_problem(400, what="target") == (
        "The target must be between 0 and 250 on Words correct per minute"
    )
    assert measure.range_hint == "From 0 to 250"


def test_a_measure_with_no_published_range_still_refuses_a_number_no_measure_reports():
    open_scale = r.bounds(kind="rating_scale", scale_min=None, scale_max=None)
    floor_only = r.bounds(kind="curriculum_probe", scale_min=None, scale_max=None)
    assert r.problem(95_000, open_scale, what="score", measure="M", kind="x") is None
    assert r.problem(1e308, open_scale, what="score", measure="M", kind="x") == (
        "The score must be between -100,000 and 100,000 on M: no measure reports a number "
        "that large, so check for a typing slip"
    )
    assert "between 0 and 100,000" in r.problem(
        1e6, floor_only, what="score", measure="M", kind="curriculum_probe"
    )


# Issue 11: "every measure enforces its range". A standardised test whose range and norms are
# both unrecorded (BPVS3, NGST, SWST ... in the catalogue) was open-ended: 9999 was saved.
def test_a_standard_score_with_no_range_and_no_norms_is_at_most_175():
    assert check(9999) == (
        "The score must be between 0 and 175 on M: its norms are not recorded, and a standard "
        "score on any usual scale is never above 175, so check for a typing slip"
    )
    assert check(175) is None and check(0) is None
    assert check(175.5) is not None
    assert check(-1) == "The score cannot be below 0 on M: it is a standardised score"
    assert r.hint(r.bounds(kind="standardised", scale_min=None, scale_max=None)) == "From 0 to 175"


def test_the_ceiling_is_the_most_any_usual_scale_reaches_five_sds_above_its_mean():
    # Standard scores (100, 15) reach 175, T-scores (50, 10) 100, scaled scores (10, 3) 25.
    assert r.UNNORMED_CEILING == 100 + r.NORM_SDS * 15 == 175
    assert all(mean + r.NORM_SDS * sd <= 175 for mean, sd in r.USUAL_SCALES)


def test_a_standard_score_with_only_a_floor_is_held_by_the_same_ceiling():
    assert check(200, scale_min=70) == (
        "The score must be between 70 and 175 on M: its norms are not recorded, and a standard "
        "score on any usual scale is never above 175, so check for a typing slip"
    )
    assert check(60, scale_min=70) == "The score must be between 70 and 175 on M"


def test_the_ceiling_gives_way_to_a_recorded_range_or_norms():
    assert check(1400, scale_min=0, scale_max=1400) is None  # a vertical scale, as Star Reading
    assert check(30, mean=10, sd=3, scale_min=1, scale_max=19) is not None
    assert check(180, mean=100, sd=15) == "The score must be between 25 and 175 on M"
    assert check(9999, kind="rating_scale") is None  # a rating scale may be open above
    assert check(300, kind="age_equivalent") is None  # an age in months has no such scale


@pytest.mark.parametrize(
    ("kind", "value", "message"),
    [
        ("standardised", 5.5, "The score must be a whole number: M is reported in whole numbers, "
         "so enter 5 or 6"),
        ("standardised", 95.5, "The score must be a whole number: M is reported in whole numbers, "
         "so enter 95 or 96"),
        ("curriculum_probe", 41.2, "The score must be a whole number: M is reported in whole "
         "numbers, so enter 41 or 42"),
        ("standardised", 95.0, None),
        ("curriculum_probe", 0, None),
        ("rating_scale", 2.5, None),
        ("age_equivalent", 30.5, None),
    ],
)  # fmt: skip
def test_a_measure_reported_in_whole_numbers_refuses_a_decimal(kind, value, message):
    assert r.whole_problem(value, what="score", measure="M", kind=kind) == message


def test_the_measure_checks_a_score_for_its_range_first_then_for_a_whole_number():
    celf = Measure(name="CELF", kind="standardised", scale_min=1, scale_max=19, mean=10, sd=3)
    assert celf.score_problem(25.5) == "The score must be between 1 and 19 on CELF"
    assert celf.score_problem(5.5) == (
        "The score must be a whole number: CELF is reported in whole numbers, so enter 5 or 6"
    )
    assert celf.score_problem(5) is None
    # A baseline or target keeps the range rule; a goal's own whole-number rule is planning's.
    assert celf.value_problem(5.5, what="baseline") is None


def test_goals_and_scores_share_one_whole_number_rule():
    assert goals.whole_scores is r.whole_scores
    assert goals.WHOLE_NUMBER_KINDS is r.WHOLE_NUMBER_KINDS
