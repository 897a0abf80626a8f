"""The decision rules' flags are judged again, once the change is committed, whenever what they
read changes in a plan: an outcome's aimline corrected, a placement's dose corrected, the review
date moved, an outcome added or withdrawn. So the dashboard never shows yesterday's reason for a
goal or a date that has since been put right."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sendwise.core.access import actor_for
from sendwise.monitoring import flag_services
from sendwise.monitoring.models import Flag
from sendwise.planning import correction_services as corrections
from sendwise.planning import services as planning
from sendwise.planning import withdraw_services
from sendwise.planning.models import Plan
from tests.delivery.factories import on_plan
from tests.evidence.factories import InterventionFactory
from tests.monitoring.factories import outcome_for, probe_measure, scores_for

TODAY = timezone.localdate  # read at each use: a run that crosses midnight stays right


@pytest.fixture
def senco(world):
    return actor_for(world.users["senco"])


@pytest.fixture
def behind(world):
    """Amara's reading goal: 20 words a minute six weeks ago to 44 in twelve weeks (2 a week).
    Her last four weekly scores, 21.5, 21.5, 23.5 and 23.5, are each below that aimline (22, 24,
    26, 28): the four-point rule says she is not responding."""
    start = TODAY() - timedelta(weeks=6)
    placement = on_plan(world.pupil_in_class, InterventionFactory(name="Reading club"), start=start)
    outcome = outcome_for(placement, probe_measure(), start=start)
    points = [(start + timedelta(weeks=n), v) for n, v in enumerate((21.5, 21.5, 23.5, 23.5), 1)]
    scores_for(world.pupil_in_class, outcome.measure, points)
    flag_services.flags_evaluate_school(school_id=world.school.pk)
    return outcome


def progress(outcome) -> Flag:
    return Flag.objects.get(outcome=outcome, kind=Flag.Kind.PROGRESS)


def test_correcting_the_target_to_one_the_points_meet_changes_not_responding_at_once(
    senco, behind, django_capture_on_commit_callbacks
):
    assert progress(behind).verdict == "not_responding"
    assert progress(behind).needs_decision
    # The goal agreed was 32 (1 a week), not 44: the aimline is then 21, 22, 23, 24 at weeks
    # 1 to 4, and her points sit above, below, above, below it: on track.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        corrections.outcome_correct(
            actor=senco, outcome=behind, text=behind.text, measure=behind.measure,
            baseline=20, baseline_date=behind.baseline_date, target=32,
            target_date=behind.target_date, placement=behind.placement,
            reason="The goal agreed was 32", seen_version=1,
        )  # fmt: skip
    assert len(callbacks) >= 1
    flag = progress(behind)
    assert flag.verdict == "on_track"
    assert not flag.needs_decision
    assert flag.history.first().verdict == "on_track"


def test_nothing_is_judged_until_the_correction_is_committed(
    senco, behind, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        corrections.outcome_correct(
            actor=senco, outcome=behind, text=behind.text, measure=behind.measure,
            baseline=20, baseline_date=behind.baseline_date, target=32,
            target_date=behind.target_date, placement=behind.placement,
            reason="The goal agreed was 32", seen_version=1,
        )  # fmt: skip
    assert progress(behind).verdict == "not_responding"
    for callback in callbacks:
        callback()
    assert progress(behind).verdict == "on_track"


def test_review_overdue_clears_when_the_review_date_is_moved_later(
    world, senco, behind, django_capture_on_commit_callbacks
):
    plan = behind.plan
    Plan.objects.filter(pk=plan.pk).update(review_date=TODAY() - timedelta(days=3))
    flag_services.flags_evaluate_school(school_id=world.school.pk)
    overdue = Flag.objects.get(plan=plan, kind=Flag.Kind.REVIEW_OVERDUE)
    assert overdue.verdict == "raised"
    plan.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        corrections.plan_review_date_change(
            actor=senco, plan=plan, review_date=TODAY() + timedelta(days=14),
            reason="Parents asked for the meeting after half-term", seen_version=1,
        )  # fmt: skip
    overdue.refresh_from_db()
    assert overdue.verdict == "clear"
    assert not overdue.needs_decision


def test_withdrawing_the_outcome_clears_its_flag_at_once(
    senco, behind, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_services.outcome_withdraw(actor=senco, outcome=behind, reason="Wrong pupil")
    assert progress(behind).verdict == "clear"


def test_an_outcome_added_to_a_plan_in_place_is_judged_at_once(
    world, senco, behind, django_capture_on_commit_callbacks
):
    Flag.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        added = planning.outcome_add(
            actor=senco, plan=behind.plan, text="Reads more words a minute",
            measure=behind.measure, baseline=20, baseline_date=behind.baseline_date,
            target=44, target_date=behind.target_date,
        )  # fmt: skip
    assert progress(added).verdict == "not_responding"


def test_correcting_a_dose_judges_the_dose_flag_again(
    world, senco, django_capture_on_commit_callbacks
):
    """A place planned at 1 × 30 minutes a week, eight weeks in, with nothing recorded, is at
    0% of its dose. The flag rows are cleared away here only to show that correcting the dose
    judges them again at once (not at night)."""
    from tests.delivery.factories import running_group

    _, members = running_group(world, pupils=1, joined_days_ago=56)
    placement = members[0].placement
    Flag.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        corrections.placement_correct(
            actor=senco, placement=placement, sessions_per_week=2, minutes_per_session=30,
            weeks=20, reason="Planned twice a week", seen_version=1,
        )  # fmt: skip
    low = Flag.objects.get(placement=placement, kind=Flag.Kind.LOW_DOSE)
    assert low.verdict == "raised"
    assert low.reason.startswith("Reading recovery: 0% of the planned time delivered")
