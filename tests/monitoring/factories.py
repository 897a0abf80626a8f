"""Outcomes with a goal on a measure, and scores on it, for the progress charts' tests."""

from datetime import date, timedelta

from sendwise.evidence.models import Measure
from sendwise.monitoring.models import Score
from sendwise.planning.models import Outcome, Plan

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
