"""The sentences staff and parents read for each verdict and concern, one by one."""

from __future__ import annotations

from datetime import date, timedelta

from sendwise.monitoring import progress_text as text
from sendwise.monitoring import rules
from tests.monitoring.test_rules import START, TARGET, probe, termly, week

TODAY = date(2026, 3, 2)
JARGON = ("aimline", "RCI", "trend rule", "four-point", "reliab", "consider")


def test_too_few_points_say_how_many_more_and_by_when():
    verdict = probe([20, 21], today=week(2))  # 2 more, weekly: by week 4, 2 February
    assert text.progress_sentence(verdict, today=TODAY) == (
        "2 more scores are needed to tell, by about 2 February."
    )
    one = probe([20, 21, 22], today=week(3))
    assert text.progress_sentence(one, today=TODAY) == (
        "1 more score is needed to tell, by about 2 February."
    )


def test_scores_due_after_the_goals_date_are_not_promised_by_a_later_date():
    # 2 more weekly scores from week 11 would come by week 13, after the goal's date (week 12,
    # 30 March): the sentence names the goal's date instead of a later one.
    verdict = probe([20, 21], first=10, today=week(11))
    assert verdict.by > TARGET
    assert text.progress_sentence(verdict, today=TODAY) == (
        "2 more scores are needed to tell, and at the usual pace they would come after the "
        "goal's date (30 March): score more often or review the goal."
    )
    assert text.progress_sentence(verdict, audience=text.PARENT, today=TODAY) == (
        "It is too early to tell how this is going: 2 more scores are needed before the "
        "goal's date, 30 March."
    )


def test_a_goal_whose_date_has_passed_is_not_promised_scores_that_would_come_after_it():
    """Read a week after the goal's date (30 March): "would come after the goal's date"
    read as if that date were still ahead (a tester found it on a review)."""
    verdict = probe([20, 21], first=10, today=week(11))
    after = TARGET + timedelta(days=7)
    assert text.progress_sentence(verdict, today=after) == (
        "2 more scores are needed to tell, and the goal's date (30 March) has passed: review "
        "the goal."
    )
    parent = text.progress_sentence(verdict, audience=text.PARENT, today=after)
    assert parent == (
        "It is too early to tell how this is going: the goal's date (30 March) has passed, and "
        "the school will look at this goal again."
    )
    assert not any(word in parent for word in JARGON)


def test_four_points_below_the_aimline():
    verdict = probe([20, 21, 22, 23])
    assert text.progress_sentence(verdict, today=TODAY) == (
        "The last 4 scores are all below the aimline: consider changing the support."
    )


def test_four_points_above_the_aimline():
    assert text.progress_sentence(probe([25, 27, 29, 31]), today=TODAY) == (
        "The last 4 scores are all above the aimline: consider raising the goal."
    )


def test_lower_is_better_says_which_side_is_worse():
    verdict = probe(
        [20, 20, 20, 20], kind="rating_scale", baseline=20, target=8, higher_is_better=False
    )
    assert text.progress_sentence(verdict, today=TODAY) == (
        "The last 4 scores are all above the aimline (worse): consider changing the support."
    )


def test_on_track_by_the_four_point_rule():
    assert text.progress_sentence(probe([23, 23, 27, 27]), today=TODAY) == (
        "The latest scores are on both sides of the aimline: carry on and keep scoring."
    )


def test_a_flat_trend_gives_the_pace_against_the_plan():
    assert text.progress_sentence(probe([20] * 8), today=TODAY) == (
        "Over 8 scores the trend is slower than the aimline (about 0 a week against 2 planned): "
        "consider changing the support."
    )


def test_the_chance_of_reaching_the_goal_on_the_trend():
    verdict = probe([20] * 8)
    assert text.goal_sentence(verdict, target=44, target_date=TARGET, today=TODAY) == (
        "On the trend so far, the chance of reaching 44 by 30 March is under 5%."
    )
    assert text.goal_sentence(probe([20] * 7), target=44, target_date=TARGET, today=TODAY) == ""


def test_standardised_scores_within_error_say_carry_on():
    assert text.progress_sentence(termly(80), today=TODAY) == (
        "The latest score, 80 on 10 January, is within measurement error of the planned "
        "progress: carry on."
    )


def test_standardised_scores_behind_beyond_error():
    assert text.progress_sentence(termly(68), today=TODAY) == (
        "The latest score, 68 on 10 January, is further behind the planned progress than "
        "measurement error explains: consider changing the support."
    )


def test_the_same_standardised_score_is_expected_progress_not_none():
    verdict = termly(80)
    assert text.gain_sentence(verdict, kind="standardised") == (
        "Standardised score 80 to 80: kept pace with pupils of the same age, which is the "
        "progress expected (a standardised score that stays the same means expected progress, "
        "not none)."
    )
    assert text.gain_sentence(verdict, kind="standardised", audience=text.PARENT) == (
        "The score went from 80 to 80: your child kept pace with pupils of the same age, which "
        "is the progress expected."
    )
    # 80 to 86 with reliability 0.9 and SD 15: S_diff = sqrt(2) x 15 x sqrt(0.1) = 6.71, so the
    # change's reliable change index is 6 / 6.71 = 0.89, within measurement error: kept pace.
    assert text.gain_sentence(termly(86), kind="standardised") == (
        "Standardised score 80 to 86: kept pace with pupils of the same age, which is the "
        "progress expected (the change is within measurement error)."
    )
    # 80 to 95: 15 / 6.71 = 2.24, beyond 1.96: gained ground.
    assert text.gain_sentence(termly(95), kind="standardised") == (
        "Standardised score 80 to 95: gained ground on pupils of the same age (more than "
        "measurement error)."
    )


def emily():
    """The tester's case (demo pupil 196, outcome 25): a CELF-5 scaled score (SD 3) with no
    reliability recorded; 7.2 on 22 September aiming at 8.4 by 5 January (105 days); 8 on 4
    December, 73 days in, when the aimline stands at 7.2 + 1.2 x 73 / 105 = 8.034."""
    facts = rules.OutcomeFacts(
        kind="standardised",
        baseline=7.2,
        baseline_date=date(2026, 9, 22),
        target=8.4,
        target_date=date(2027, 1, 5),
        points=((date(2026, 9, 22), 7.2), (date(2026, 12, 4), 8.0)),
        today=date(2026, 12, 6),
        reliability=None,
        sd=3.0,
    )
    return rules.progress_verdict(facts)


def test_a_score_judged_without_a_reliability_never_claims_measurement_error():
    """The rule judges the latest score against the aimline that day (not a trend); with no
    reliability it allows nothing for error, so 8 against 8.034 is behind. The sentence gives
    both numbers and says no allowance was made, instead of "further behind ... than
    measurement error explains"."""
    verdict = emily()
    assert (verdict.verdict, verdict.rule) == (rules.NOT_RESPONDING, "gap")
    assert verdict.figures["aim_that_day"] == 8.034 and verdict.figures["gap"] == -0.034
    today = date(2026, 12, 6)
    assert text.progress_sentence(verdict, today=today) == (
        "The latest score, 8 on 4 December, is behind the aimline's 8.03 for that day by 0.03. "
        "This measure's reliability is not recorded, so the change cannot be judged reliable: "
        "it may be measurement error alone, and it does not put the pupil on the decisions "
        "list. Record the measure's reliability so that the change can be judged against "
        "measurement error."
    )
    assert not verdict.needs_decision
    assert text.progress_sentence(verdict, today=today, audience=text.PARENT) == (
        "The latest score is behind the plan for that day, but this test cannot show whether a "
        "difference that size is more than the usual ups and downs of testing."
    )
    # A rise of 0.8 cannot be told from measurement error either: no "gained ground".
    assert text.gain_sentence(verdict, kind="standardised") == (
        "Standardised score 7.2 to 8: up 0.8, where no change is the progress expected for age. "
        "This measure's reliability is not recorded, so whether that is more than measurement "
        "error cannot be told."
    )
    assert text.gain_sentence(verdict, kind="standardised", audience=text.PARENT) == (
        "The score went from 7.2 to 8."
    )


def test_a_score_exactly_on_the_aimline_without_a_reliability_is_on_track():
    # 7 on 1 September aiming at 9 by 10 November (70 days): on 6 October, 35 days in, the
    # aimline stands at 8, and the score is 8.
    facts = rules.OutcomeFacts(
        kind="standardised",
        baseline=7,
        baseline_date=date(2026, 9, 1),
        target=9,
        target_date=date(2026, 11, 10),
        points=((date(2026, 10, 6), 8.0),),
        today=date(2026, 10, 7),
        reliability=None,
        sd=3.0,
    )
    verdict = rules.progress_verdict(facts)
    assert (verdict.verdict, verdict.rule) == (rules.ON_TRACK, "gap")
    assert text.progress_sentence(verdict, today=date(2026, 10, 7)) == (
        "The latest score, 8 on 6 October, is on the aimline's 8 for that day: carry on."
    )


def test_kept_pace_beside_not_responding_says_the_goal_asked_for_more():
    """80 to 81 with reliability 0.98 (S_diff = sqrt(2) x 15 x sqrt(0.02) = 3): the change's
    index is 1 / 3 = 0.33, kept pace; but the goal of 100 by 15 July planned 20 x 122 / 308 =
    7.92 by 10 January, and (1 - 7.92) / 3 = -2.31 is behind the plan beyond error."""
    verdict = termly(81, target=100, reliability=0.98)
    assert verdict.verdict == rules.NOT_RESPONDING
    assert text.gain_sentence(verdict, kind="standardised") == (
        "Standardised score 80 to 81: kept pace with pupils of the same age, which is the "
        "progress expected (the change is within measurement error), though the goal planned "
        "a rise of 7.92 by then."
    )


def test_an_age_equivalent_gain_in_months():
    verdict = termly(
        100, kind="age_equivalent", baseline=96, baseline_point=96, target=106, sd=None
    )
    assert text.gain_sentence(verdict, kind="age_equivalent") == (
        "Age-equivalent score 96 to 100 months: gained 4 months (1 month for each month that "
        "passed); one month a month is expected progress."
    )


def test_parent_sentences_have_no_instructions_or_jargon():
    verdicts = [
        probe([20, 21], today=week(2)),
        probe([20, 21, 22, 23]),
        probe([25, 27, 29, 31]),
        probe([23, 23, 27, 27]),
        termly(68),
    ]
    sentences = [text.progress_sentence(v, audience=text.PARENT, today=TODAY) for v in verdicts] + [
        text.no_score_sentence(last_score_on=START, today=TODAY, audience=text.PARENT),
        text.review_overdue_sentence(review_date=START, today=TODAY, audience=text.PARENT),
        text.low_dose_sentence(intervention="Reading club", percent=60, audience=text.PARENT),
    ]
    assert sentences[:5] == [
        "It is too early to tell how this is going: 2 more scores are needed, by about 2 February.",
        "Progress so far is slower than planned for this goal.",
        "Progress is faster than planned: the goal may be reached early.",
        "Progress is in line with the goal so far.",
        "Progress so far is slower than planned for this goal.",
    ]
    for sentence in sentences:
        assert not any(word.lower() in sentence.lower() for word in JARGON), sentence


def test_concern_sentences_for_staff():
    assert text.no_score_sentence(last_score_on=date(2026, 1, 12), today=TODAY) == (
        "No score since 12 January (7 weeks): add one so progress can be judged."
    )
    assert text.review_overdue_sentence(review_date=date(2026, 2, 20), today=TODAY) == (
        "The plan's review was due on 20 February and has not been held."
    )
    assert text.low_dose_sentence(
        intervention="Reading club", percent=62, reason="mostly cancellations: staff absent"
    ) == (
        "Reading club: 62% of the planned time delivered so far, mostly cancellations: staff "
        "absent; below 80%, check the dose before judging progress."
    )


def test_dates_in_another_year_carry_the_year():
    assert text.day(date(2027, 1, 4), TODAY) == "4 January 2027"
    assert text.day(date(2026, 1, 4), TODAY) == "4 January"
    assert rules.VERDICTS  # the four verdicts the sentences cover


def others(sentence: str) -> str:
    """The sentence as a specialist, teacher or head reads it (they cannot change a plan)."""
    return text.for_reader(sentence, may_change_plan=False)


def test_the_senco_reads_the_advice_as_written():
    sentence = text.progress_sentence(probe([20, 21, 22, 23]), today=TODAY)
    assert text.for_reader(sentence, may_change_plan=True) == sentence


def test_staff_who_cannot_change_a_plan_are_told_to_bring_it_to_the_senco():
    assert others(text.progress_sentence(probe([20, 21, 22, 23]), today=TODAY)) == (
        "The last 4 scores are all below the aimline: raise it with the SENCO, who can change "
        "the support, or bring it to the plan's review."
    )
    assert others(text.progress_sentence(probe([25, 27, 29, 31]), today=TODAY)) == (
        "The last 4 scores are all above the aimline: tell the SENCO, who can raise the goal, "
        "or bring it to the plan's review."
    )
    assert others(text.progress_sentence(probe([20] * 8), today=TODAY)) == (
        "Over 8 scores the trend is slower than the aimline (about 0 a week against 2 planned): "
        "raise it with the SENCO, who can change the support, or bring it to the plan's review."
    )
    late = probe([20, 21], first=10, today=week(11))
    assert others(text.progress_sentence(late, today=TODAY)) == (
        "2 more scores are needed to tell, and at the usual pace they would come after the "
        "goal's date (30 March): score more often, or ask the SENCO to review the goal."
    )
    assert others(text.not_started_sentence(intervention="Reading club", owed=6)) == (
        "Reading club: not started: not in a group yet, so none of the 6 sessions planned so "
        "far could take place; ask the SENCO to add the pupil to a group running it, or to "
        "change the plan."
    )


def test_without_a_reliability_other_staff_are_sent_to_the_senco_too():
    gap = others(text.progress_sentence(emily(), today=date(2026, 12, 6)))
    # Without a reliability a gap is not judged (the pupil is not on the decisions list), and
    # only the SENCO can record one in the catalogue.
    assert gap.endswith(
        "Ask the SENCO to record the measure's reliability so that the change can be judged "
        "against measurement error."
    )


def test_no_staff_sentence_tells_someone_who_cannot_change_a_plan_to_change_it():
    sentences = [
        text.progress_sentence(v, today=TODAY)
        for v in (
            probe([20, 21, 22, 23]),
            probe([25, 27, 29, 31]),
            probe([20] * 8),
            probe([20] * 8 + [40, 44, 48, 52]),
            probe([20, 21], first=10, today=week(11)),
            emily(),
        )
    ] + [text.not_started_sentence(intervention="Reading club", owed=2)]
    for sentence in sentences:
        reworded = others(sentence)
        assert "consider" not in reworded.lower() and ", or change the plan." not in reworded
        if reworded != sentence:
            assert "SENCO" in reworded
