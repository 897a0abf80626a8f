"""Flags: the current state of each decision rule per outcome, plan and placement, written when
a score or a session is saved and nightly, changing only the rows whose state changed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from sendwise.core.access import actor_for
from sendwise.delivery.session_services import AttendanceInput, SessionInput, session_record
from sendwise.monitoring import flag_services, services
from sendwise.monitoring.models import Flag
from sendwise.monitoring.tasks import progress_check
from sendwise.planning.models import Plan
from tests.delivery.factories import on_plan, running_group
from tests.evidence.factories import InterventionFactory
from tests.monitoring.factories import not_responding, outcome_for, probe_measure, scores_for

TODAY = timezone.localdate  # read at each use: a run that crosses midnight stays right


def flags(**filters):
    return {(f.kind, f.verdict) for f in Flag.objects.filter(**filters)}


def test_four_scores_below_the_aimline_flag_the_outcome_for_a_decision(world):
    outcome = not_responding(world.pupil_in_class)
    changes = flag_services.flags_evaluate_school(school_id=world.school.pk)
    flag = Flag.objects.get(outcome=outcome, kind=Flag.Kind.PROGRESS)
    assert (flag.verdict, flag.rule, flag.needs_decision) == ("not_responding", "four_point", True)
    assert flag.reason == (
        "The last 4 scores are all below the aimline: consider changing the support."
    )
    assert flag.reason_for_parent == "Progress so far is slower than planned for this goal."
    assert flag.figures["n_points"] == 4
    assert (flag.school, flag.pupil, flag.plan) == (
        world.school,
        world.pupil_in_class,
        outcome.plan,
    )
    assert flag.intervention == outcome.placement.intervention
    assert changes.created >= 1


def test_a_second_run_with_nothing_new_writes_nothing(world):
    not_responding(world.pupil_in_class)
    flag_services.flags_evaluate_school(school_id=world.school.pk)
    history = Flag.history.count()
    changes = flag_services.flags_evaluate_school(school_id=world.school.pk)
    assert (changes.created, changes.updated) == (0, 0)
    assert Flag.history.count() == history


def test_a_new_score_changes_only_its_outcomes_flag_and_keeps_the_old_state_in_history(world):
    outcome = not_responding(world.pupil_in_class)
    other = not_responding(world.pupil_elsewhere)
    flag_services.flags_evaluate_school(school_id=world.school.pk)
    others_history = Flag.history.filter(pupil=world.pupil_elsewhere).count()
    start = outcome.baseline_date
    # Three scores well above the line: the last four are no longer all below it.
    scores_for(
        world.pupil_in_class,
        outcome.measure,
        [(start + timedelta(weeks=5), 40), (start + timedelta(days=36), 41)],
    )
    changes = flag_services.flags_evaluate_pupils(
        school_id=world.school.pk, pupil_ids=[world.pupil_in_class.pk]
    )
    flag = Flag.objects.get(outcome=outcome, kind=Flag.Kind.PROGRESS)
    assert (flag.verdict, flag.needs_decision) == ("on_track", False)
    assert changes.updated == 1
    assert [h.verdict for h in flag.history.order_by("history_date")] == [
        "not_responding",
        "on_track",
    ]
    assert Flag.history.filter(pupil=world.pupil_elsewhere).count() == others_history
    assert Flag.objects.get(outcome=other, kind=Flag.Kind.PROGRESS).verdict == "not_responding"


def test_too_few_points_never_need_a_decision(world):
    outcome = not_responding(world.pupil_in_class)
    outcome.plan.outcomes.update(baseline_date=TODAY() - timedelta(weeks=1))
    Flag.objects.all().delete()
    outcome.refresh_from_db()
    outcome.target_date = TODAY() + timedelta(weeks=11)
    outcome.save()
    flag_services.flags_evaluate_outcome(outcome=outcome)
    flag = Flag.objects.get(outcome=outcome, kind=Flag.Kind.PROGRESS)
    assert (flag.verdict, flag.needs_decision) == ("too_few_points", False)
    assert flag.reason.startswith("4 more scores are needed to tell, by about ")


def test_no_score_for_six_weeks_and_an_overdue_review_are_raised(world):
    outcome = not_responding(world.pupil_in_class, weeks_ago=12)  # last score 8 weeks ago
    Plan.objects.filter(pk=outcome.plan_id).update(review_date=TODAY() - timedelta(days=3))
    flag_services.flags_evaluate_school(school_id=world.school.pk)
    assert ("no_score", "raised") in flags(outcome=outcome)
    overdue = Flag.objects.get(plan=outcome.plan, kind=Flag.Kind.REVIEW_OVERDUE)
    assert overdue.needs_decision
    assert overdue.reason.startswith("The plan's review was due on ")


def test_a_concern_is_not_written_until_raised(world):
    placement_outcome = not_responding(world.pupil_in_class, weeks_ago=5)
    flag_services.flags_evaluate_school(school_id=world.school.pk)
    assert flags(outcome=placement_outcome) == {("progress", "not_responding")}
    assert not Flag.objects.filter(kind=Flag.Kind.REVIEW_OVERDUE).exists()


def test_a_reviewed_plans_flags_are_cleared_not_deleted(world):
    outcome = not_responding(world.pupil_in_class)
    flag_services.flags_evaluate_school(school_id=world.school.pk)
    Plan.objects.filter(pk=outcome.plan_id).update(status=Plan.Status.REVIEWED)
    flag_services.flags_evaluate_school(school_id=world.school.pk)
    flag = Flag.objects.get(outcome=outcome, kind=Flag.Kind.PROGRESS)
    assert (flag.verdict, flag.needs_decision) == ("clear", False)
    assert flag.reason == flag_services.CLEARED_REVIEWED


def test_a_draft_plan_is_not_judged(world):
    outcome = not_responding(world.pupil_in_class)
    Plan.objects.filter(pk=outcome.plan_id).update(status=Plan.Status.DRAFT)
    flag_services.flags_evaluate_school(school_id=world.school.pk)
    assert not Flag.objects.exists()


def test_saving_a_score_judges_the_pupil_again(world):
    outcome = not_responding(world.pupil_in_class)
    flag_services.flags_evaluate_school(school_id=world.school.pk)
    services.score_add(
        actor=actor_for(world.users["senco"]),
        pupil=world.pupil_in_class,
        measure=outcome.measure,
        value=60,
        taken_on=TODAY(),
    )
    flag = Flag.objects.get(outcome=outcome, kind=Flag.Kind.PROGRESS)
    assert flag.verdict == "on_track"
    assert flag.history.first().history_user == world.users["senco"]


def test_recording_a_session_judges_the_groups_pupils_dose_once_committed(
    world, django_capture_on_commit_callbacks
):
    # Three members joined 8 weeks ago, planned once a week for 30 minutes; nothing recorded.
    group, members = running_group(world, pupils=2, joined_days_ago=56)
    flag_services.flags_evaluate_school(school_id=world.school.pk)
    low = Flag.objects.filter(kind=Flag.Kind.LOW_DOSE, verdict="raised")
    assert low.count() == 2
    assert low.first().reason.startswith("Reading recovery: 0% of the planned time delivered")
    Flag.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        session_record(
            actor=actor_for(world.users["intervention_specialist"]),
            group=group,
            on=TODAY(),
            slot=group.slots.get(),
            data=SessionInput(
                status="delivered",
                minutes=30,
                attendance=[AttendanceInput(m.pk, "present", engagement=3) for m in members],
            ),
        )
    assert len(callbacks) == 1
    assert Flag.objects.filter(kind=Flag.Kind.LOW_DOSE, verdict="raised").count() == 2
    assert {f.pupil_id for f in Flag.objects.all()} == {m.placement.plan.pupil_id for m in members}


def test_the_nightly_task_and_the_command_judge_each_school(world):
    outcome = not_responding(world.pupil_in_class)
    result = progress_check.enqueue(school_id=world.school.pk)
    assert result.return_value["created"] >= 1
    assert Flag.objects.get(outcome=outcome, kind=Flag.Kind.PROGRESS).needs_decision
    Flag.objects.all().delete()
    call_command("progress_check", "--school", world.school.urn)  # queued: run at once in tests
    assert Flag.objects.filter(outcome=outcome).exists()
    Flag.objects.all().delete()
    call_command("progress_check", "--now")
    assert Flag.objects.filter(outcome=outcome).exists()


def test_the_command_refuses_an_unknown_school(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No school has the URN 999999"):
        call_command("progress_check", "--school", "999999")


def test_an_outcome_on_a_termly_test_reads_the_same_score_as_expected_progress(world):
    from tests.delivery.factories import on_plan
    from tests.evidence.factories import InterventionFactory

    measure = probe_measure(
        "reading-ss", kind="standardised", scale_min=70, scale_max=130, sd=15, reliability=0.9
    )
    start = TODAY() - timedelta(weeks=20)
    placement = on_plan(world.pupil_in_class, InterventionFactory(), start=start)
    outcome = outcome_for(placement, measure, start=start, baseline=80, target=84, weeks=40)
    scores_for(world.pupil_in_class, measure, [(TODAY() - timedelta(days=2), 80)])
    flag_services.flags_evaluate_outcome(outcome=outcome)
    flag = Flag.objects.get(outcome=outcome, kind=Flag.Kind.PROGRESS)
    assert (flag.verdict, flag.rule) == ("on_track", "reliable_change")
    assert "expected progress, not none" in flag.reason


def test_since_when_a_decision_is_needed_is_kept_while_it_is_and_cleared_after(world):
    outcome = not_responding(world.pupil_in_class)
    flag_services.flags_evaluate_school(school_id=world.school.pk)
    flag = Flag.objects.get(outcome=outcome, kind=Flag.Kind.PROGRESS)
    first = flag.decision_since
    assert first is not None
    start = outcome.baseline_date
    # A fifth low score: the sentence is the same, the figures change; still not responding.
    scores_for(world.pupil_in_class, outcome.measure, [(start + timedelta(days=36), 21)])
    flag_services.flags_evaluate_school(school_id=world.school.pk)
    flag.refresh_from_db()
    assert flag.figures["n_points"] == 5
    assert flag.decision_since == first
    scores_for(world.pupil_in_class, outcome.measure, [(start + timedelta(days=37), 60)])
    flag_services.flags_evaluate_school(school_id=world.school.pk)
    flag.refresh_from_db()
    assert (flag.needs_decision, flag.decision_since) == (False, None)


def test_a_placement_never_put_in_a_group_is_flagged_as_not_started_not_as_a_low_dose(world):
    # In the pupil's plan for three weeks at 2 sessions a week, but in no group.
    placement = on_plan(
        world.pupil_in_class,
        InterventionFactory(name="Lego therapy"),
        start=TODAY() - timedelta(21),
    )
    placement.sessions_per_week, placement.minutes_per_session, placement.weeks = 2, 30, 10
    placement.save()
    flag_services.flags_evaluate_school(school_id=world.school.pk)
    flag = Flag.objects.get(placement=placement, kind=Flag.Kind.LOW_DOSE)
    assert flag.verdict == "raised"
    assert flag.reason.startswith("Lego therapy: not started: not in a group yet, so none of")
    assert "below 80%" not in flag.reason
    assert flag.reason_for_parent == "Lego therapy: has not started yet."
    assert flag.figures["placed"] is False


def _day(flag) -> object:
    return timezone.localtime(flag.decision_since).date()


def test_each_reason_waits_from_the_day_it_became_true_not_the_day_of_the_check(world):
    """Plan started 12 weeks ago with weekly scores in weeks 1-4 (flat, below the aimline):
    not responding since the fourth score (8 weeks ago); no score since then for more than 6
    weeks: raised 6 weeks after the last score (2 weeks ago); review due 18 days ago: overdue
    since the day after (17 days ago)."""
    outcome = not_responding(world.pupil_in_class, weeks_ago=12)
    start = outcome.baseline_date
    Plan.objects.filter(pk=outcome.plan_id).update(review_date=TODAY() - timedelta(days=18))
    flag_services.flags_evaluate_school(school_id=world.school.pk)
    progress = Flag.objects.get(outcome=outcome, kind=Flag.Kind.PROGRESS)
    assert _day(progress) == start + timedelta(weeks=4)
    overdue = Flag.objects.get(plan=outcome.plan, kind=Flag.Kind.REVIEW_OVERDUE)
    assert _day(overdue) == TODAY() - timedelta(days=17)
    no_score = Flag.objects.get(outcome=outcome, kind=Flag.Kind.NO_SCORE)
    assert no_score.verdict == "raised"
    assert no_score.figures["last_score_on"] == (start + timedelta(weeks=4)).isoformat()


def test_a_flag_dated_today_by_an_earlier_check_is_put_back_to_the_day_it_became_true(world):
    outcome = not_responding(world.pupil_in_class, weeks_ago=12)
    Plan.objects.filter(pk=outcome.plan_id).update(review_date=TODAY() - timedelta(days=18))
    flag_services.flags_evaluate_school(school_id=world.school.pk)
    # As rows written before reasons carried their dates: waiting since the check's own day.
    Flag.objects.filter(needs_decision=True).update(decision_since=timezone.now())
    flag_services.flags_evaluate_school(school_id=world.school.pk)
    overdue = Flag.objects.get(plan=outcome.plan, kind=Flag.Kind.REVIEW_OVERDUE)
    assert _day(overdue) == TODAY() - timedelta(days=17)


def test_a_fall_on_a_measure_without_a_reliability_does_not_ask_for_a_decision(world):
    """Standardised, SD 15, no reliability: 80 at the start, 79 two days ago, the aimline
    planned a rise: behind, but by how much measurement error could explain is unknown, so the
    pupil is not put on the decisions list for it."""
    measure = probe_measure(
        "reading-ss", kind="standardised", scale_min=70, scale_max=130, sd=15, reliability=None
    )
    start = TODAY() - timedelta(weeks=20)
    placement = on_plan(world.pupil_in_class, InterventionFactory(), start=start)
    outcome = outcome_for(placement, measure, start=start, baseline=80, target=84, weeks=40)
    scores_for(world.pupil_in_class, measure, [(TODAY() - timedelta(days=2), 79)])
    flag_services.flags_evaluate_outcome(outcome=outcome)
    flag = Flag.objects.get(outcome=outcome, kind=Flag.Kind.PROGRESS)
    assert (flag.verdict, flag.rule, flag.needs_decision) == ("not_responding", "gap", False)
    assert flag.decision_since is None
    assert "cannot be judged reliable" in flag.reason


def test_progress_is_judged_with_the_same_reliability_as_impact_and_says_which(world, client_as):
    """A reading test whose sources give test–retest 0.95 and a cross-informant agreement of
    0.40 (its lowest, stored as ``reliability``). Baseline 80, goal 84 in 40 weeks; 20 weeks in
    the aimline is at 82 and the pupil scored 71, 11 behind. With test–retest 0.95 (the
    coefficient impact uses, maths.reliability), S_diff = 15·√2·√0.05 = 4.74 and the gap is
    −2.32 S_diff: not responding, more than measurement error. With 0.40, S_diff = 16.43 and
    −0.67: within measurement error, which would hide the pupil from the decisions list."""
    measure = probe_measure(
        "reading-ss", kind="standardised", scale_min=70, scale_max=130, sd=15, reliability=0.40,
        reliability_detail=[
            {"coefficient": 0.95, "type": "test-retest (2 weeks)"},
            {"coefficient": 0.40, "type": "cross-informant correlation"},
        ],
    )  # fmt: skip
    start = TODAY() - timedelta(weeks=20)
    placement = on_plan(world.pupil_in_class, InterventionFactory(), start=start)
    outcome = outcome_for(placement, measure, start=start, baseline=80, target=84, weeks=40)
    scores_for(world.pupil_in_class, measure, [(TODAY(), 71)])
    flag_services.flags_evaluate_outcome(outcome=outcome)
    flag = Flag.objects.get(outcome=outcome, kind=Flag.Kind.PROGRESS)
    assert (flag.verdict, flag.rule, flag.needs_decision) == (
        "not_responding", "reliable_change", True,
    )  # fmt: skip
    assert flag.figures["reliability"] == 0.95
    assert flag.figures["reliability_label"] == "test–retest reliability 0.95"
    # The progress page names the coefficient, as the impact pages do.
    client = client_as("senco")
    page = client.get(
        reverse("pupils:outcome_progress", args=[world.pupil_in_class.pk, outcome.pk])
    ).content.decode()
    assert "further behind the planned progress than measurement error explains" in page
    assert "Reliable change was judged with the measure&#x27;s test–retest reliability 0.95." in (
        page
    )


def test_a_register_never_kept_waits_from_the_day_the_first_week_ended(world):
    """In a weekly group for 60 days with no session recorded: short of its dose since the
    first week after joining ended, not since the day the check ran."""
    _group, members = running_group(world, pupils=1, joined_days_ago=60)
    flag_services.flags_evaluate_school(school_id=world.school.pk)
    flag = Flag.objects.get(placement=members[0].placement, kind=Flag.Kind.LOW_DOSE)
    assert (flag.verdict, flag.needs_decision) == ("raised", True)
    assert flag.figures["percent"] == 0
    assert _day(flag) == members[0].joined_on + timedelta(weeks=1)


def test_a_pupil_waiting_for_a_place_waits_from_the_day_sessions_were_first_owed(world):
    start = TODAY() - timedelta(days=24)
    placement = on_plan(world.pupil_in_class, InterventionFactory(name="Lego therapy"), start=start)
    placement.sessions_per_week, placement.minutes_per_session, placement.weeks = 2, 30, 10
    placement.save()
    flag_services.flags_evaluate_school(school_id=world.school.pk)
    flag = Flag.objects.get(placement=placement, kind=Flag.Kind.LOW_DOSE)
    assert flag.figures["placed"] is False
    assert _day(flag) == start + timedelta(weeks=1)
