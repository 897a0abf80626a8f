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
from sendwise.impact import signals as upkeep
from sendwise.impact.models import ImpactAggregate, PlacementResult
from sendwise.impact.result_services import impact_rebuild
from sendwise.monitoring import correction_services, group_services
from sendwise.monitoring import services as monitoring
from sendwise.monitoring.models import Score
from sendwise.planning import services as planning
from sendwise.planning import withdraw_services
from sendwise.planning.models import Outcome, Placement, Plan
from tests.delivery.factories import running_group
from tests.evidence.factories import InterventionFactory
from tests.factories import PupilFactory
from tests.monitoring.factories import complete_review

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


def test_a_plan_counts_as_completed_only_once_its_review_is_recorded(
    world, group_on_reading, django_capture_on_commit_callbacks
):
    """Issue 12: "reviewed" means a review was held and recorded. A plan closed without a
    review (its status set, as an import or the demo's past cycles do) is not counted, so the
    pupil's page never says "reviewed" beside outcomes that read "Not reviewed"."""
    _, members = group_on_reading
    plan = members[2].placement.plan
    with django_capture_on_commit_callbacks(execute=True):
        planning.plan_review(
            actor=actor_for(world.users["senco"]), plan=plan, reviewed_on=TODAY,
            summary="Good progress", responses={members[2].placement.pk: "responded"},
        )  # fmt: skip
    result = result_of(members[2])
    assert (result.completed, result.response) == (False, "responded")
    assert sum(c.completed for c in ImpactAggregate.objects.filter(school=world.school)) == 0
    assert_in_step(world.school)

    other = members[1].placement.plan
    with django_capture_on_commit_callbacks(execute=True):
        complete_review(actor_for(world.users["senco"]), other, decision="stop")
    assert result_of(members[1]).completed is True
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
    assert [(w["pupils"], [s[0] for s in w["scores"]]) for w in worked_out] == [([], [second.pk])]


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


# --- A score changes only the placements whose window holds its date ---------------------------
def _years_of_plans(school, pupil, reading_test, intervention, other):
    """Four reviewed plans a year apart (each twelve weeks, reviewed on the day it was due)
    and one in place for the last sixty days; every plan has a placement of ``intervention``
    with an outcome on the reading test, and the second also a placement of ``other``."""
    plans = []
    for cycle, start in enumerate(
        [TODAY - timedelta(days=365 * n + 200) for n in (3, 2, 1, 0)], start=1
    ):
        plan = Plan.objects.create(
            school=school, pupil=pupil, cycle=cycle, start_date=start,
            review_date=start + timedelta(weeks=12), status=Plan.Status.REVIEWED,
            reviewed_on=start + timedelta(weeks=12),
        )  # fmt: skip
        plans.append(plan)
    current = Plan.objects.create(
        school=school, pupil=pupil, cycle=5, start_date=TODAY - timedelta(days=60),
        review_date=TODAY + timedelta(days=30), status=Plan.Status.ACTIVE,
    )  # fmt: skip
    plans.append(current)
    for plan in plans:
        placement = Placement.objects.create(school=school, plan=plan, intervention=intervention)
        Outcome.objects.create(
            school=school, plan=plan, text="Read better", measure=reading_test,
            baseline=80, baseline_date=plan.start_date - timedelta(days=3), placement=placement,
        )  # fmt: skip
    Placement.objects.create(school=school, plan=plans[1], intervention=other)
    return plans


@pytest.fixture
def four_years(world, reading_test, django_capture_on_commit_callbacks):
    pupil = PupilFactory(school=world.school)
    with upkeep.paused():  # built here, then rebuilt: nothing left noted for the test's saves
        plans = _years_of_plans(
            world.school, pupil, reading_test, InterventionFactory(), InterventionFactory()
        )
    impact_rebuild(school_id=world.school.pk)
    return pupil, plans


@pytest.fixture
def worked_out(monkeypatch):
    """The placements each refresh after a save works out again."""
    from sendwise.impact import result_services

    seen = []
    real = result_services.results_refresh

    def spy(*, school_id, placement_ids, **kwargs):
        seen.append(sorted(placement_ids))
        return real(school_id=school_id, placement_ids=placement_ids, **kwargs)

    monkeypatch.setattr(result_services, "results_refresh", spy)
    return seen


def _placements(*plans):
    return sorted(p.pk for plan in plans for p in plan.placements.all())


def test_a_score_in_one_years_plan_works_out_only_that_plans_placements_and_stays_in_step(
    world, four_years, reading_test, worked_out, django_capture_on_commit_callbacks
):
    pupil, plans = four_years
    senco = actor_for(world.users["senco"])

    def add(value, on, measure=reading_test):
        with django_capture_on_commit_callbacks(execute=True):
            return monitoring.score_add(
                actor=senco, pupil=pupil, measure=measure, value=value, taken_on=on
            )

    second = plans[1]
    # Inside the second plan's twelve weeks: its two placements (the other has no outcome of
    # its own, and is not the plan's only one, so the score judges it nothing, but it is read).
    add(89, second.start_date + timedelta(weeks=6))
    assert worked_out[-1] == _placements(second)
    assert PlacementResult.objects.get(placement__plan=second, outcome__isnull=False).post == 89
    assert_in_step(world.school)

    # On a plan's review day the score still counts; on its start day it does not (a later
    # score is one taken after the start).
    add(92, plans[2].reviewed_on)
    assert worked_out[-1] == _placements(plans[2])
    add(70, plans[3].start_date)
    assert worked_out[-1] == []
    assert_in_step(world.school)

    # Between a review and the next plan's start, no plan's window holds it: nothing to redo.
    between = add(95, plans[0].reviewed_on + timedelta(days=30))
    assert worked_out[-1] == []
    assert_in_step(world.school)

    # Today: the plan in place (open-ended until its review).
    add(99, TODAY)
    assert worked_out[-1] == _placements(plans[4])
    assert PlacementResult.objects.get(placement__plan=plans[4]).gain == pytest.approx(19 / 15)
    assert_in_step(world.school)

    # A score on a measure no outcome uses changes no result.
    spelling = Measure.objects.create(slug="spelling", name="Spelling", kind="curriculum_probe")
    add(12, TODAY - timedelta(days=1), measure=spelling)
    assert worked_out[-1] == []
    assert_in_step(world.school)

    # Corrected into the first plan's window: the old date is not on the row any more, so
    # every placement of the pupil is worked out again, and the first plan gains its score.
    with django_capture_on_commit_callbacks(execute=True):
        moved = correction_services.score_correct(
            actor=senco, score=between, value=95, taken_on=plans[0].start_date + timedelta(days=20),
            reason="Wrong date", seen_version=between.version,
        )  # fmt: skip
    assert worked_out[-1] == _placements(*plans)
    assert PlacementResult.objects.get(placement__plan=plans[0]).post == 95
    assert_in_step(world.school)

    # Withdrawn: only the first plan's placement, which loses its later score.
    with django_capture_on_commit_callbacks(execute=True):
        correction_services.score_withdraw(
            actor=senco, score=moved, reason="Wrong pupil", seen_version=moved.version
        )
    assert worked_out[-1] == _placements(plans[0])
    assert PlacementResult.objects.get(placement__plan=plans[0]).post is None
    assert_in_step(world.school)


def test_a_groups_scores_work_out_only_the_placements_whose_window_holds_the_day(
    world, group_on_reading, reading_test, worked_out, django_capture_on_commit_callbacks
):
    group, members = group_on_reading
    # A member with an earlier, reviewed plan on the same measure: that plan is left alone.
    pupil = members[0].placement.plan.pupil
    start = TODAY - timedelta(days=500)
    with upkeep.paused():
        old = Plan.objects.create(
            school=world.school, pupil=pupil, cycle=99, start_date=start,
            review_date=start + timedelta(weeks=12), status=Plan.Status.REVIEWED,
            reviewed_on=start + timedelta(weeks=12),
        )  # fmt: skip
        placement = Placement.objects.create(
            school=world.school, plan=old, intervention=members[0].placement.intervention
        )
        Outcome.objects.create(
            school=world.school, plan=old, text="Read better", measure=reading_test,
            baseline=75, baseline_date=start, placement=placement,
        )  # fmt: skip
    impact_rebuild(school_id=world.school.pk)
    rows = [group_services.RowInput(member_id=m.pk, value=90) for m in members]
    with django_capture_on_commit_callbacks(execute=True):
        group_services.group_scores_add(
            actor=actor_for(world.users["intervention_specialist"]), group=group,
            measure=reading_test, taken_on=TODAY, rows=rows,
        )  # fmt: skip
    assert worked_out[-1] == sorted(m.placement_id for m in members)
    assert [result_of(m).post for m in members] == [90, 90, 90]
    assert_in_step(world.school)
