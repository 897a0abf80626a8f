"""Plans ready for their review meeting, and a completed review, built through the services
(so access rows, history and the audit are written as in the app)."""

from datetime import date, timedelta

from django.utils import timezone

from sendwise.evidence.models import Measure
from sendwise.monitoring import review_services
from sendwise.monitoring.models import Score
from sendwise.monitoring.review_services import Attendee, Decision, OutcomeResult
from sendwise.planning import services as planning_services
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
    """A plan started ``weeks`` weeks ago (review due today) with a reading outcome from 80 to
    92 and two interventions, 3 × 30 min a week for 12 weeks and 2 × 20 min for 10 weeks."""
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
