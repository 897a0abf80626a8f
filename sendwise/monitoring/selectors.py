"""Reads for monitoring. Callers pass a pupil already checked with `pupils.selectors.pupil_for`,
so the scope (school, class, parent) has been decided before any score is read."""

from django.db.models import QuerySet

from sendwise.evidence.models import Measure
from sendwise.monitoring.models import Score
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
