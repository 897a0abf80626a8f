"""Monitoring test data: a weekly probe measure, outcomes with aimlines, scores written in bulk,
and pupils whose flags need a decision (for the dashboard)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from sendwise.evidence.models import Measure
from sendwise.monitoring.models import Score
from sendwise.planning.models import Outcome
from tests.delivery.factories import on_plan
from tests.evidence.factories import InterventionFactory


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
