"""Test data for monitoring: plans ready for their review meeting and a completed review, built
through the services (so access rows, history and the audit are written as in the app); and
outcomes with a goal on a measure, with scores on it, for the progress charts' tests.
Also a weekly probe measure, outcomes with aimlines, scores written in bulk, and pupils whose
flags need a decision (for the dashboard)."""

from datetime import date, timedelta

from django.utils import timezone

from sendwise.evidence.models import Measure
from sendwise.monitoring import review_services
from sendwise.monitoring.models import Score
from sendwise.monitoring.review_services import Attendee, Decision, OutcomeResult
from sendwise.planning import services as planning_services
from sendwise.planning.models import Outcome, Plan
from tests.delivery.factories import on_plan
from tests.evidence.factories import InterventionFactory

TODAY = timezone.localdate


def reading_measure() -> Measure:
    """A standardised reading test (mean 100, SD 15) with a published reliability of 0.9."""
    return Measure.objects.get_or_create(
        slug="review-reading",
        defaults={
            "name": "Reading test (standardised)",
            "kind": "standardised",
            "scale_min": 70,
            "scale_max": 140,
            "mean": 100,
            "sd": 15,
            "reliability": 0.9,
            "higher_is_better": True,
        },
    )[0]


def plan_to_review(actor, pupil, *, weeks=12, deliverer=None):
    """A plan in place, started ``weeks`` weeks ago (review due today) with a reading outcome
    from 80 to 92 and two interventions, 3 × 30 min a week for 12 weeks and 2 × 20 min for 10
    weeks."""
    start = TODAY() - timedelta(weeks=weeks)
    plan = planning_services.plan_create(
        actor=actor, pupil=pupil, start_date=start, review_date=TODAY()
    )
    reading = InterventionFactory(name="Reading catch-up", nc_year_min=1, nc_year_max=6)
    number = InterventionFactory(name="Number sense", nc_year_min=1, nc_year_max=6)
    first = planning_services.placement_add(
        actor=actor,
        plan=plan,
        intervention=reading,
        sessions_per_week=3,
        minutes_per_session=30,
        weeks=12,
        deliverer=deliverer,
    )
    second = planning_services.placement_add(
        actor=actor,
        plan=plan,
        intervention=number,
        sessions_per_week=2,
        minutes_per_session=20,
        weeks=10,
    )
    measure = reading_measure()
    outcome = planning_services.outcome_add(
        actor=actor,
        plan=plan,
        text="Reads a Year 3 passage with understanding",
        measure=measure,
        baseline=80,
        baseline_date=start,
        target=92,
        target_date=TODAY(),
        placement=first,
    )
    plan = planning_services.plan_activate(actor=actor, plan=plan)
    return plan, first, second, outcome


def add_score(pupil, measure, value, on: date):
    return Score.objects.create(
        school=pupil.school, pupil=pupil, measure=measure, value=value, taken_on=on
    )


def complete_review(actor, plan, *, held_on=None, result="achieved", decision="stop", **extra):
    """Complete the plan's review: every outcome judged ``result``, every intervention given
    ``decision``."""
    return review_services.review_save(
        actor=actor,
        plan=plan,
        held_on=held_on or TODAY(),
        attendees=[Attendee("Sam Senco", "SENCO")],
        summary="Reviewed together",
        outcomes=[OutcomeResult(o.pk, result) for o in plan.outcomes.all()],
        decisions=[Decision(p.pk, decision) for p in plan.placements.all()],
        complete=True,
        **extra,
    )


START = date(2026, 9, 7)  # a Monday


def reading_test() -> Measure:
    """A standardised reading test: mean 100, SD 15, higher is better."""
    measure, _ = Measure.objects.get_or_create(
        slug="chart-reading-standardised",
        defaults={
            "name": "York Assessment of Reading for Comprehension (YARC)",
            "kind": "standardised",
            "scale_min": 40,
            "scale_max": 160,
            "mean": 100,
            "sd": 15,
            "higher_is_better": True,
        },
    )
    return measure


def outcome_on_measure(
    pupil,
    *,
    scores: int = 0,
    measure: Measure | None = None,
    baseline: float = 80,
    target: float = 92,
    start: date = START,
    weeks: int = 24,
    gain_per_week: float = 0.5,
    plan: Plan | None = None,
) -> Outcome:
    """An outcome on the pupil's active plan (made if they have none) with a goal from
    ``baseline`` on ``start`` to ``target`` ``weeks`` later, and ``scores`` weekly scores
    from a week after the start, rising by ``gain_per_week``."""
    measure = measure or reading_test()
    if plan is None:
        plan = Plan.objects.filter(pupil=pupil, status=Plan.Status.ACTIVE).first()
    if plan is None:
        plan = Plan.objects.create(
            school=pupil.school,
            pupil=pupil,
            cycle=Plan.objects.filter(pupil=pupil).count() + 1,
            status=Plan.Status.ACTIVE,
            start_date=start,
            review_date=start + timedelta(weeks=weeks),
        )
    outcome = Outcome.objects.create(
        school=pupil.school,
        plan=plan,
        text="Reads and understands a short passage at the level of the class",
        measure=measure,
        baseline=baseline,
        baseline_date=start,
        target=target,
        target_date=start + timedelta(weeks=weeks),
    )
    add_scores(pupil, measure, [baseline + gain_per_week * (i + 1) for i in range(scores)], start)
    return outcome


def add_scores(pupil, measure, values, start: date = START) -> list[Score]:
    """One score a week from a week after ``start``."""
    return Score.objects.bulk_create(
        Score(
            school=pupil.school,
            pupil=pupil,
            measure=measure,
            value=value,
            taken_on=start + timedelta(weeks=i + 1),
        )
        for i, value in enumerate(values)
    )


def probe_measure(slug: str = "wcpm", **fields) -> Measure:
    """Words read correctly a minute: a weekly probe, higher is better, 0 to 250."""
    defaults = {"name": "Words read correctly a minute", "kind": "curriculum_probe"}
    defaults.update(scale_min=0, scale_max=250, higher_is_better=True)
    defaults.update(fields)
    return Measure.objects.get_or_create(slug=slug, defaults=defaults)[0]


def outcome_for(placement, measure, *, start: date, baseline=20, target=44, weeks=12) -> Outcome:
    """An outcome of the placement's plan: from ``baseline`` on ``start`` to ``target``
    ``weeks`` weeks later (with the defaults, 2 a week)."""
    return Outcome.objects.create(
        school=placement.school,
        plan=placement.plan,
        placement=placement,
        text="Read more words correctly a minute",
        measure=measure,
        baseline=baseline,
        baseline_date=start,
        target=target,
        target_date=start + timedelta(weeks=weeks),
    )


def scores_for(pupil, measure, points) -> None:
    Score.objects.bulk_create(
        Score(school_id=pupil.school_id, pupil=pupil, measure=measure, value=v, taken_on=d)
        for d, v in points
    )


def not_responding(pupil, *, intervention=None, weeks_ago: int = 6):
    """Put the pupil on a plan whose last 4 weekly scores are all below the aimline (flat at
    the baseline). Returns the outcome; flags are not evaluated here."""
    today = timezone.localdate()
    start = today - timedelta(weeks=weeks_ago)
    intervention = intervention or InterventionFactory(name="Reading club")
    placement = on_plan(pupil, intervention, start=start)
    outcome = outcome_for(placement, probe_measure(), start=start)
    scores_for(pupil, outcome.measure, [(start + timedelta(weeks=n), 20) for n in range(1, 5)])
    return outcome
