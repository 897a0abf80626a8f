"""Results and aggregates stay in step with the rows they read: after each change a person
makes (a score saved, corrected or withdrawn, an outcome or placement withdrawn, a plan
reviewed, a session recorded, a closure added), the stored rows equal a rebuild from scratch."""

from datetime import date, timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from sendwise.core.access import actor_for
from sendwise.delivery import calendar_services
from sendwise.delivery import session_services as sessions
from sendwise.evidence.models import Measure
from sendwise.impact.models import ImpactAggregate, PlacementResult
from sendwise.impact.result_services import impact_rebuild
from sendwise.monitoring import correction_services, group_services
from sendwise.monitoring import services as monitoring
from sendwise.monitoring.models import Score
from sendwise.planning import services as planning
from sendwise.planning import withdraw_services
from sendwise.planning.models import Outcome
from tests.delivery.factories import running_group

TODAY = timezone.localdate()


def snapshot(school):
    """Every stored result and aggregate of the school, as plain values."""
    results = [
        {k: v for k, v in row.items() if k not in ("id", "computed_at")}
        for row in PlacementResult.objects.filter(school=school).order_by("placement").values()
    ]
    cells = [
        {k: round(v, 9) if isinstance(v, float) else v for k, v in row.items()
         if k not in ("id", "updated_at")}
        for row in ImpactAggregate.objects.filter(school=school)
        .order_by("intervention", "measure", "academic_year", "term").values()
    ]  # fmt: skip
    return results, cells


def assert_in_step(school):
    kept = snapshot(school)
    impact_rebuild(school_id=school.pk)
    assert kept == snapshot(school)


@pytest.fixture
def reading_test(db):
    return Measure.objects.create(
        slug="reading-ss", name="Reading test", kind="standardised", mean=100, sd=15,
        higher_is_better=True, reliability=0.9, scale_min=40, scale_max=160,
    )  # fmt: skip


@pytest.fixture
def group_on_reading(world, reading_test, django_capture_on_commit_callbacks):
    """Three pupils in a reading group that started 60 days ago, each with an outcome on the
    reading test from a baseline of 80, results built."""
    group, members = running_group(world, pupils=3)
    for m in members:
        Outcome.objects.create(
            school=world.school, plan=m.placement.plan, text="Read better", measure=reading_test,
            baseline=80, baseline_date=m.joined_on, placement=m.placement,
        )  # fmt: skip
    impact_rebuild(school_id=world.school.pk)
    return group, members


def result_of(member):
    return PlacementResult.objects.get(placement=member.placement)


def test_a_score_saved_corrected_and_withdrawn_keeps_the_result_in_step(
    world, group_on_reading, reading_test, django_capture_on_commit_callbacks
):
    _, members = group_on_reading
    senco = actor_for(world.users["senco"])
    pupil = members[0].placement.plan.pupil
    assert result_of(members[0]).post is None
    with django_capture_on_commit_callbacks(execute=True):
        score = monitoring.score_add(
            actor=senco, pupil=pupil, measure=reading_test, value=89, taken_on=TODAY
        )
    result = result_of(members[0])
    # (89 - 80) / 15 = 0.6 SD gained on pupils of the same age.
    assert (result.post, result.gain_kind, result.gain) == (89, "standardised", pytest.approx(0.6))
    assert ImpactAggregate.objects.get(school=world.school, measure=reading_test).scored == 1
    assert_in_step(world.school)

    with django_capture_on_commit_callbacks(execute=True):
        correction_services.score_correct(
            actor=senco, score=score, value=86, taken_on=TODAY, reason="Typed wrongly",
            seen_version=score.version,
        )  # fmt: skip
    assert result_of(members[0]).gain == pytest.approx(0.4)
    assert_in_step(world.school)

    score.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        correction_services.score_withdraw(
            actor=senco, score=score, reason="Wrong pupil", seen_version=score.version
        )
    result = result_of(members[0])
    assert (result.post, result.gain) == (None, None)  # missing, never zero
    assert ImpactAggregate.objects.get(school=world.school, measure=reading_test).scored == 0
    assert_in_step(world.school)


def test_a_groups_scores_saved_together_keep_every_pupils_result_in_step(
    world, group_on_reading, reading_test, django_capture_on_commit_callbacks
):
    group, members = group_on_reading
    rows = [
        group_services.RowInput(member_id=m.pk, value=v)
        for m, v in zip(members, (86, 95, 80), strict=True)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        group_services.group_scores_add(
            actor=actor_for(world.users["intervention_specialist"]), group=group,
            measure=reading_test, taken_on=TODAY, rows=rows,
        )  # fmt: skip
    # (86 - 80) / 15 = 0.4, (95 - 80) / 15 = 1.0, (80 - 80) / 15 = 0.
    assert [result_of(m).gain for m in members] == [
        pytest.approx(0.4),
        pytest.approx(1.0),
        pytest.approx(0.0),
    ]
    assert ImpactAggregate.objects.get(school=world.school, measure=reading_test).scored == 3
    assert_in_step(world.school)


def test_withdrawing_an_outcome_or_a_placement_takes_it_out_of_the_results(
    world, group_on_reading, reading_test, django_capture_on_commit_callbacks
):
    _, members = group_on_reading
    senco = actor_for(world.users["senco"])
    first, second = members[0].placement, members[1].placement
    with django_capture_on_commit_callbacks(execute=True):
        withdraw_services.outcome_withdraw(
            actor=senco, outcome=first.outcomes.get(), reason="Entered on the wrong plan"
        )
    assert result_of(members[0]).outcome is None
    assert_in_step(world.school)

    with django_capture_on_commit_callbacks(execute=True):
        withdraw_services.placement_withdraw(
            actor=senco, placement=second, reason="Entered on the wrong plan"
        )
    assert not PlacementResult.objects.filter(placement=second).exists()
    cell = ImpactAggregate.objects.get(school=world.school, measure=reading_test)
    assert cell.placements == 1  # the third pupil; the first now has no measured outcome
    assert_in_step(world.school)


def test_a_plan_reviewed_counts_as_completed(
    world, group_on_reading, django_capture_on_commit_callbacks
):
    _, members = group_on_reading
    plan = members[2].placement.plan
    with django_capture_on_commit_callbacks(execute=True):
        planning.plan_review(
            actor=actor_for(world.users["senco"]), plan=plan, reviewed_on=TODAY,
            summary="Good progress", responses={members[2].placement.pk: "responded"},
        )  # fmt: skip
    result = result_of(members[2])
    assert (result.completed, result.response) == (True, "responded")
    assert sum(c.completed for c in ImpactAggregate.objects.filter(school=world.school)) == 1
    assert_in_step(world.school)


def test_a_session_recorded_updates_the_dose(
    world, group_on_reading, django_capture_on_commit_callbacks
):
    group, members = group_on_reading
    assert result_of(members[0]).sessions_attended == 0
    data = sessions.SessionInput(
        status="delivered",
        minutes=30,
        attendance=[sessions.AttendanceInput(member_id=m.pk, status="present") for m in members],
    )
    with django_capture_on_commit_callbacks(execute=True):
        sessions.session_record(
            actor=actor_for(world.users["intervention_specialist"]), group=group, on=TODAY,
            slot=group.slots.get(), data=data,
        )  # fmt: skip
    result = result_of(members[0])
    assert (result.sessions_attended, result.minutes_attended) == (1, 30)
    assert sum(c.minutes_attended_sum for c in ImpactAggregate.objects.all()) == 90
    assert_in_step(world.school)


def test_a_closure_on_the_calendar_lowers_the_dose_owed(
    world, group_on_reading, django_capture_on_commit_callbacks
):
    _, members = group_on_reading
    owed = result_of(members[0]).sessions_planned
    last_week = TODAY - timedelta(days=14)
    monday = last_week - timedelta(days=last_week.weekday())
    with django_capture_on_commit_callbacks(execute=True):
        calendar_services.closure_save(
            actor=actor_for(world.users["senco"]), closure=None, today=TODAY,
            data=calendar_services.ClosureInput(
                first_day=monday, last_day=monday + timedelta(days=4), kind="holiday",
                name="Half-term",
            ),
        )  # fmt: skip
    assert result_of(members[0]).sessions_planned == owed - 1
    assert_in_step(world.school)


@override_settings(IMPACT_UPKEEP="task")
def test_as_a_task_the_result_is_worked_out_after_the_commit_too(
    world, group_on_reading, reading_test, django_capture_on_commit_callbacks
):
    _, members = group_on_reading
    with django_capture_on_commit_callbacks(execute=True):
        Score.objects.create(
            school=world.school, pupil=members[1].placement.plan.pupil, measure=reading_test,
            value=95, taken_on=TODAY,
        )  # fmt: skip
    assert result_of(members[1]).gain == pytest.approx(1.0)
    assert_in_step(world.school)


def test_nothing_is_worked_out_for_a_change_that_is_rolled_back(
    world, group_on_reading, reading_test
):
    _, members = group_on_reading
    # Without the commit (the test's transaction never commits), the stored row is unchanged.
    Score.objects.create(
        school=world.school, pupil=members[1].placement.plan.pupil, measure=reading_test,
        value=95, taken_on=date.today(),
    )  # fmt: skip
    assert result_of(members[1]).post is None


def test_another_schools_changes_never_touch_this_schools_rows(
    world, group_on_reading, reading_test, django_capture_on_commit_callbacks
):
    before = snapshot(world.school)
    with django_capture_on_commit_callbacks(execute=True):
        monitoring.score_add(
            actor=actor_for(world.users["other_school_senco"]), pupil=world.pupil_other_school,
            measure=reading_test, value=100, taken_on=TODAY,
        )  # fmt: skip
    assert snapshot(world.school) == before


@pytest.mark.django_db(transaction=True)
def test_what_a_rolled_back_transaction_noted_is_never_worked_out_later(world, monkeypatch):
    """Two requests on one thread: the first's transaction is rolled back, the second's
    commits; only what the second changed is worked out, once."""
    from django.db import transaction

    from sendwise.impact import result_services

    worked_out = []
    monkeypatch.setattr(result_services, "refresh_noted", lambda **what: worked_out.append(what))
    measure = Measure.objects.create(slug="probe", name="Probe", kind="curriculum_probe")
    first, second = world.pupil_in_class, world.pupil_elsewhere
    with pytest.raises(RuntimeError), transaction.atomic():
        Score.objects.create(
            school=world.school, pupil=first, measure=measure, value=10, taken_on=TODAY
        )
        raise RuntimeError("the save failed")
    with transaction.atomic():
        Score.objects.create(
            school=world.school, pupil=second, measure=measure, value=12, taken_on=TODAY
        )
    assert [w["pupils"] for w in worked_out] == [[second.pk]]


def test_correcting_an_outcomes_baseline_or_a_dose_keeps_the_result_in_step(
    world, group_on_reading, reading_test, django_capture_on_commit_callbacks
):
    from sendwise.planning import correction_services as plan_corrections

    _, members = group_on_reading
    senco = actor_for(world.users["senco"])
    placement = members[0].placement
    with django_capture_on_commit_callbacks(execute=True):
        monitoring.score_add(
            actor=senco, pupil=placement.plan.pupil, measure=reading_test, value=89, taken_on=TODAY
        )
    assert result_of(members[0]).gain == pytest.approx(0.6)  # (89 - 80) / 15
    outcome = placement.outcomes.get()
    with django_capture_on_commit_callbacks(execute=True):
        plan_corrections.outcome_correct(
            actor=senco, outcome=outcome, text=outcome.text, measure=reading_test, baseline=83,
            baseline_date=outcome.baseline_date, target=92,
            target_date=outcome.baseline_date + timedelta(weeks=12), placement=placement,
            reason="Baseline was 83", seen_version=outcome.version,
        )  # fmt: skip
    result = result_of(members[0])
    assert (result.pre, result.gain) == (83, pytest.approx(0.4))  # (89 - 83) / 15
    assert_in_step(world.school)

    planned_before = result.sessions_planned
    with django_capture_on_commit_callbacks(execute=True):
        plan_corrections.placement_correct(
            actor=senco, placement=placement, sessions_per_week=3, minutes_per_session=30,
            weeks=placement.weeks, reason="Three a week agreed", seen_version=placement.version,
        )  # fmt: skip
    assert result_of(members[0]).sessions_planned > planned_before > 0
    assert_in_step(world.school)
