"""Reads for monitoring. Callers pass a pupil already checked with `pupils.selectors.pupil_for`,
so the scope (school, class, parent) has been decided before any score is read."""

from collections import defaultdict
from datetime import date

from django.db.models import QuerySet

from sendwise.evidence.models import Measure
from sendwise.monitoring.models import Flag, Score
from sendwise.pupils.models import Pupil


def pupil_scores(*, pupil: Pupil) -> QuerySet[Score]:
    """A pupil's scores on every measure, the most recent first."""
    return (
        Score.objects.filter(school_id=pupil.school_id, pupil=pupil)
        .select_related("measure", "entered_by")
        .order_by("-taken_on", "-id")
    )


def measure_choices() -> QuerySet[Measure]:
    """Every measure a score can be recorded on, by name (the catalogue of measures is shared)."""
    return Measure.objects.order_by("name")


def scores_for_rules(
    *, school_id: int, pupil_ids=None, measure_ids=None
) -> dict[tuple[int, int], list[tuple[date, float]]]:
    """The scores the decision rules judge, as (date taken, value) by (pupil, measure), oldest
    first: every score of the school, or of some pupils and measures. The one place the rules
    read scores (scores withdrawn by mistake are to be left out here). One query."""
    scores = Score.objects.filter(school_id=school_id)
    if pupil_ids is not None:
        scores = scores.filter(pupil_id__in=list(pupil_ids))
    if measure_ids is not None:
        scores = scores.filter(measure_id__in=list(measure_ids))
    found: dict[tuple[int, int], list[tuple[date, float]]] = defaultdict(list)
    rows = scores.order_by("taken_on", "id").values_list(
        "pupil_id", "measure_id", "taken_on", "value"
    )
    for pupil_id, measure_id, taken_on, value in rows:
        found[(pupil_id, measure_id)].append((taken_on, value))
    return dict(found)


def pupil_decisions(*, pupil: Pupil) -> QuerySet[Flag]:
    """A pupil's flags that need a decision, the longest-waiting first (for the pupil's page;
    the pupil was checked with `pupil_for`). One query."""
    return (
        Flag.objects.filter(school_id=pupil.school_id, pupil=pupil, needs_decision=True)
        .select_related("intervention")
        .only("kind", "verdict", "reason", "decision_since", "outcome_id", "intervention__name")
        .order_by("decision_since", "id")
    )
