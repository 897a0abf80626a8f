"""What a school's own pupils show for an intervention, and the update of the research estimate.

The worked example is done by hand below (the arithmetic is written in each test) so that a
reader can check it with a calculator; the t quantile t(0.975, 4) = 2.776445 is from tables.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sendwise.impact import practice, practice_text
from sendwise.maths import stats

T4 = 2.776445  # Student's t, 0.975 quantile, 4 degrees of freedom


def standard(pupil, pre, post, *, response="", reliability=None, higher_is_better=True, sd=15.0):
    return practice.PupilRecord(
        pupil=pupil,
        response=response,
        pre=pre,
        post=post,
        measure="YARC passage reading",
        kind="standardised",
        norm_sd=sd,
        reliability=reliability,
        higher_is_better=higher_is_better,
    )


# Five pupils on a standard-score test (SD 15); raw gains +3, +6, 0, +9, +12 points.
WORKED = [
    standard(1, 80, 83, response="responded", reliability=0.96),
    standard(2, 75, 81, response="responded", reliability=0.96),
    standard(3, 84, 84, response="no_response", reliability=0.96),
    standard(4, 72, 81, response="responded", reliability=0.96),
    standard(5, 78, 90, response="too_early", reliability=0.96),
]
RESEARCH = stats.Pooled(
    estimate=0.2, se=0.1, ci_low=0.004, ci_high=0.396, tau2=0.02, i2=0.5, q=4.0, k=3,
    pi_low=None, pi_high=None,
)  # fmt: skip


def test_the_worked_example_gives_the_hand_computed_school_estimate():
    """Gains in SD units: 3/15 = 0.2, 0.4, 0, 0.6, 0.8. Mean = 2.0 / 5 = 0.4.
    Deviations -0.2, 0, -0.4, 0.2, 0.4; squares sum to 0.04 + 0 + 0.16 + 0.04 + 0.16 = 0.40;
    SD = sqrt(0.40 / 4) = sqrt(0.1) = 0.316228; SE = SD / sqrt(5) = sqrt(0.02) = 0.141421.
    95% t-interval: 0.4 +/- 2.776445 x 0.141421 = 0.4 +/- 0.392649 = 0.007351 to 0.792649.
    EEF months: 0.40 -> 5; 0.007 -> 0.01 -> 0; 0.79 -> 10."""
    summary = practice.summarise(WORKED)
    school = summary.school
    assert summary.status == practice.STATUS_ESTIMATE
    assert school.n == 5
    assert school.mean == pytest.approx(0.4)
    assert school.sd == pytest.approx(math.sqrt(0.1))
    assert school.se == pytest.approx(math.sqrt(0.02))
    assert school.ci_low == pytest.approx(0.4 - T4 * math.sqrt(0.02), abs=1e-6)
    assert school.ci_low == pytest.approx(0.007351, abs=1e-6)
    assert school.ci_high == pytest.approx(0.792649, abs=1e-6)
    assert (school.months, school.months_low, school.months_high) == (5, "0", "10")
    assert summary.school_sentence == (
        "On age-standardised tests, the 5 pupils made on average 0.40 standard deviations more "
        "progress than expected for their age (95% interval 0.01 to 0.79; 5 pupils). On the EEF "
        "scale that is about 5 months' more progress (95% interval 0 to 10 months), but with no "
        "comparison group it is not proof that the intervention caused the gain."
    )
    assert summary.combined is None
    assert "no pooled research estimate" in summary.combined_sentence


def test_the_worked_example_counts_and_reliable_change():
    """Reliability 0.96: S_diff = 15 x sqrt(2) x sqrt(0.04) = 4.2426, so a reliable change
    needs 1.96 x 4.2426 = 8.32 points: the gains of 9 (RCI 2.12) and 12 (RCI 2.83) count;
    6 (RCI 1.41) does not."""
    summary = practice.summarise(WORKED)
    counts = summary.counts
    assert (counts.placements, counts.pupils, counts.with_scores, counts.standardised) == (5,) * 4
    assert (counts.responded, counts.no_response, counts.too_early, counts.not_judged) == (
        3,
        1,
        1,
        0,
    )
    assert summary.reliable == practice.ReliableChange(known=5, improved=2, declined=0)
    assert summary.counts_sentence == (
        "5 pupils in your school have been placed on it; 5 of the placements have a starting "
        "score and a later score on the same measure. At review, 3 made good progress, 1 made "
        "little or no progress and 1 was too early to tell (0 not yet reviewed)."
    )
    assert summary.reliable_sentence.startswith(
        "2 of the 5 pupils whose test has a known reliability improved by more than "
        "measurement error alone would explain"
    )


def test_the_worked_example_updates_the_research_estimate():
    """Research: pooled 0.2, SE 0.1, tau^2 0.02, so A = 0.1^2 + 0.02 = 0.03.
    School: SE 0.141421 widened by t/z = 2.776445 / 1.959964 = 1.416580 to 0.200334, so
    B = 0.02 x 1.416580^2 = 0.0401342. Weight of the school A / (A + B) = 0.03 / 0.0701342
    = 0.427752. Mean = 0.2 + 0.427752 x (0.4 - 0.2) = 0.285550.
    Variance A B / (A + B) = 0.03 x 0.0401342 / 0.0701342 = 0.0171674; SD 0.131024;
    95% credible interval 0.285550 +/- 1.959964 x 0.131024 = 0.028747 to 0.542354.
    Months: 0.29 -> 4; 0.03 -> 1; 0.54 -> 7."""
    summary = practice.summarise(WORKED, research=RESEARCH, research_n=900)
    combined = summary.combined
    assert summary.status == practice.STATUS_UPDATED
    assert combined.school_weight == pytest.approx(0.427752, abs=1e-6)
    assert combined.research_weight == pytest.approx(0.572248, abs=1e-6)
    assert combined.estimate.value == pytest.approx(0.285550, abs=1e-6)
    assert combined.estimate.se == pytest.approx(0.131024, abs=1e-6)
    assert combined.estimate.ci_low == pytest.approx(0.028747, abs=1e-5)
    assert combined.estimate.ci_high == pytest.approx(0.542354, abs=1e-5)
    assert combined.estimate.n == 5
    assert (combined.months, combined.months_low, combined.months_high) == (4, "1", "7")
    assert summary.combined_sentence == (
        "Combining the research (900 pupils in 3 studies) with your 5 pupils gives about 4 "
        "months of additional progress (95% credible interval 1 to 7 months; effect size 0.29, "
        "0.03 to 0.54). Your school's results carry 43% of the weight and the research 57%."
    )


def test_it_is_stats_bayes_update_that_combines_them():
    summary = practice.summarise(WORKED, research=RESEARCH)
    b = (math.sqrt(0.02) * T4 / stats.Z95) ** 2
    direct = stats.bayes_update(0.2, 0.01, 0.02, 0.4, b, local_n=5)
    assert summary.combined.estimate.value == pytest.approx(direct.value, abs=1e-6)
    assert summary.combined.estimate.ci_high == pytest.approx(direct.ci_high, abs=1e-5)


def test_lower_is_better_scores_are_sign_flipped():
    """A score that falls by 3 points where lower is better is a gain of +0.2 SD."""
    flipped = [
        standard(r.pupil, -r.pre, -r.post, higher_is_better=False, reliability=0.96) for r in WORKED
    ]
    summary = practice.summarise(flipped)
    assert summary.school.mean == pytest.approx(0.4)
    assert summary.reliable.improved == 2 and summary.reliable.declined == 0


@pytest.mark.parametrize("scored", [0, 1, 4])
def test_fewer_than_five_pupils_give_no_estimate_and_say_how_many(scored):
    records = WORKED[:scored] + [practice.PupilRecord(pupil=99, response="responded")]
    summary = practice.summarise(records, research=RESEARCH)
    assert summary.status == practice.STATUS_TOO_FEW
    assert summary.school is None and summary.combined is None
    assert summary.school_sentence == (
        f"Not enough data yet: {scored} of the 5 pupils needed have a starting score and a later "
        "score on an age-standardised test."
    )
    assert summary.counts.placements == scored + 1


def test_nobody_placed_is_its_own_empty_state():
    summary = practice.summarise([], research=RESEARCH)
    assert summary.status == practice.STATUS_NONE
    assert summary.counts_sentence == "No pupil in your school has been placed on it yet."
    assert summary.school_sentence.startswith("Not enough data yet: 0 of the 5")


def test_identical_gains_give_no_interval_and_no_update():
    records = [standard(i, 80, 83) for i in range(6)]
    summary = practice.summarise(records, research=RESEARCH)
    assert summary.status == practice.STATUS_NO_SPREAD
    assert summary.school is None and summary.combined is None
    assert "identical" in summary.school_sentence


def test_raw_score_measures_get_counts_and_mean_change_but_no_update():
    """SDQ (lower is better): changes -4, -2, 0, -3, -1 -> mean -10 / 5 = -2.0 points."""
    sdq = [
        practice.PupilRecord(
            pupil=i, pre=20, post=20 + change, measure="SDQ (teacher)", kind="rating_scale",
            higher_is_better=False,
        )
        for i, change in enumerate([-4, -2, 0, -3, -1])
    ]  # fmt: skip
    probe = [
        practice.PupilRecord(pupil=10, pre=40, post=52, measure="Words correct a minute",
                             kind="curriculum_probe", higher_is_better=True)
    ]  # fmt: skip
    summary = practice.summarise(sdq + probe, research=RESEARCH)
    assert summary.status == practice.STATUS_TOO_FEW
    assert summary.combined is None
    sdq_group, probe_group = summary.raw
    assert sdq_group.measure == "SDQ (teacher)" and sdq_group.n == 5
    assert sdq_group.mean_change == pytest.approx(-2.0)
    assert sdq_group.sentence.startswith(
        "SDQ (teacher): the 5 pupils' scores changed by -2.0 points on average (lower is "
        "better). Not combined with the research because a rating scale's points"
    )
    assert probe_group.n == 1 and probe_group.mean_change is None
    assert "from 5 pupils" in probe_group.sentence
    assert summary.counts.with_scores == 6 and summary.counts.standardised == 0


def test_a_standardised_test_without_a_norm_sd_is_shown_as_raw_change():
    records = [standard(i, 80, 84, sd=None) for i in range(5)]
    summary = practice.summarise(records)
    assert summary.school is None
    assert summary.raw[0].reason == practice.REASON_NO_NORM_SD
    assert summary.raw[0].mean_change == pytest.approx(4.0)


def test_a_pupil_placed_in_two_cycles_counts_once_as_a_pupil_and_twice_as_a_placement():
    records = [standard(1, 80, 85), standard(1, 85, 88), standard(2, 90, 91)]
    counts = practice.summarise(records).counts
    assert (counts.pupils, counts.placements) == (2, 3)
    assert practice_text.counts_sentence(counts).startswith(
        "2 pupils in your school (3 placements)"
    )


# ------------------------------------------------------------------------------------------
# Properties
# ------------------------------------------------------------------------------------------
gains_lists = st.lists(st.integers(min_value=-20, max_value=25), min_size=5, max_size=40).filter(
    lambda g: len(set(g)) > 1
)
pooled_results = st.builds(
    lambda mean, se, tau2, k: stats.Pooled(mean, se, mean - 2 * se, mean + 2 * se, tau2, 0.0, 0.0,
                                           k, None, None),
    st.floats(min_value=-0.5, max_value=1.0),
    st.floats(min_value=0.01, max_value=0.5),
    st.floats(min_value=0.0, max_value=0.3),
    st.integers(min_value=1, max_value=20),
)  # fmt: skip


def records_from(gains: list[int]) -> list[practice.PupilRecord]:
    return [standard(i, 85, 85 + g, reliability=0.9) for i, g in enumerate(gains)]


@settings(deadline=None)
@given(gains_lists, pooled_results)
def test_the_combined_estimate_lies_between_research_and_school(gains, research):
    summary = practice.summarise(records_from(gains), research=research)
    school, combined = summary.school.mean, summary.combined.estimate
    assert min(school, research.estimate) - 1e-9 <= combined.value
    assert combined.value <= max(school, research.estimate) + 1e-9
    assert 0 < summary.combined.school_weight < 1
    # More certain than either source alone (normal-normal posterior variance).
    assert combined.se**2 <= research.se**2 + research.tau2 + 1e-12


@settings(deadline=None)
@given(gains_lists, pooled_results)
def test_more_pupils_with_the_same_spread_of_results_get_more_weight(gains, research):
    fewer = practice.summarise(records_from(gains), research=research)
    more = practice.summarise(records_from(gains + gains), research=research)
    assert more.combined.school_weight > fewer.combined.school_weight
    assert more.school.ci_high - more.school.ci_low < fewer.school.ci_high - fewer.school.ci_low


@given(
    st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=8),
            st.sampled_from(["responded", "no_response", "too_early", ""]),
            st.booleans(),
        ),
        max_size=30,
    )
)
def test_counts_always_add_up(rows):
    records = [
        standard(pupil, 80, 84, response=response)
        if scored
        else practice.PupilRecord(pupil=pupil, response=response)
        for pupil, response, scored in rows
    ]
    summary = practice.summarise(records)
    c = summary.counts
    responses = [response for _pupil, response, _scored in rows]
    assert c.placements == len(rows)
    assert (c.responded, c.no_response, c.too_early, c.not_judged) == (
        responses.count("responded"),
        responses.count("no_response"),
        responses.count("too_early"),
        responses.count(""),
    )
    assert c.pupils == len({pupil for pupil, _response, _scored in rows})
    assert c.standardised <= c.with_scores <= c.placements and c.pupils <= c.placements
    enough = summary.status in (practice.STATUS_ESTIMATE, practice.STATUS_NO_SPREAD)
    # One gain per pupil: the minimum counts different pupils with scores, not placements.
    scored_pupils = {pupil for pupil, _response, scored in rows if scored}
    assert enough == (len(scored_pupils) >= practice.MIN_PUPILS)


@given(st.lists(st.integers(min_value=-20, max_value=25), min_size=0, max_size=4))
def test_below_the_minimum_there_is_never_an_estimate(gains):
    summary = practice.summarise(records_from(gains), research=stats.Pooled(
        0.3, 0.1, 0.1, 0.5, 0.01, 0.1, 1.0, 2, None, None))  # fmt: skip
    assert summary.school is None and summary.combined is None
    assert summary.school_sentence.startswith(f"Not enough data yet: {len(gains)} of the 5")


def test_sentences_never_give_a_bare_effect_size():
    summary = practice.summarise(WORKED, research=RESEARCH, research_n=900)
    for text in (summary.school_sentence, summary.combined_sentence):
        assert "95%" in text and "interval" in text and "5 pupils" in text


def test_a_pupil_placed_twice_counts_once_towards_the_minimum_and_the_estimate():
    from sendwise.impact.practice import summarise

    def rec(pupil, pre, post):
        return standard(pupil, pre, post)

    # Four pupils, one of them in two cycles: four independent pupils, below the minimum of 5.
    records = [rec(1, 80, 86), rec(1, 86, 95), rec(2, 82, 85), rec(3, 78, 84), rec(4, 85, 85)]
    assert summarise(records).status == "too_few"
    # A fifth pupil: pupil 1's two gains (6 and 9 points) count as one gain of 7.5 points.
    summary = summarise([*records, rec(5, 90, 93)])
    gains = [7.5 / 15, 3 / 15, 6 / 15, 0.0, 3 / 15]
    assert summary.school.n == 5
    assert summary.school.mean == pytest.approx(sum(gains) / 5)
