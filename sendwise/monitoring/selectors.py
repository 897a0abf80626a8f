"""Reads for monitoring. Callers pass a pupil already checked with `pupils.selectors.pupil_for`,
so the scope (school, class, parent) has been decided before any score is read. Scores that
count are ``Score.objects.current()``; withdrawn ones are read only for the scores page."""

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404

from sendwise.evidence.models import Measure
from sendwise.monitoring.models import Score
from sendwise.pupils.models import Pupil


def pupil_scores(*, pupil: Pupil) -> QuerySet[Score]:
    """A pupil's current scores on every measure, the most recent first."""
    return (
        Score.objects.current()
        .filter(school_id=pupil.school_id, pupil=pupil)
        .select_related("measure", "entered_by")
        .order_by("-taken_on", "-id")
    )


@dataclass
class MeasureScores:
    measure: Measure
    scores: list[Score] = field(default_factory=list)


def pupil_scores_page(*, pupil: Pupil) -> tuple[list[MeasureScores], list[Score]]:
    """The pupil's current scores grouped by measure (measures by name, scores newest first),
    and every withdrawn score, most recently withdrawn first. One query."""
    by_measure: dict[int, MeasureScores] = {}
    withdrawn = []
    for score in (
        Score.objects.filter(school_id=pupil.school_id, pupil=pupil)
        .select_related("measure", "entered_by", "withdrawn_by")
        .order_by("measure__name", "measure_id", "-taken_on", "-id")
    ):
        if score.withdrawn_at is not None:
            withdrawn.append(score)
        else:
            by_measure.setdefault(score.measure_id, MeasureScores(score.measure)).scores.append(
                score
            )
    withdrawn.sort(key=lambda s: s.withdrawn_at, reverse=True)
    return list(by_measure.values()), withdrawn


def score_get(*, pupil: Pupil, score_id: int) -> Score:
    """One of the pupil's scores (current or withdrawn), or 404."""
    score = (
        Score.objects.filter(school_id=pupil.school_id, pupil=pupil, pk=score_id)
        .select_related("measure", "entered_by", "pupil")
        .first()
    )
    if score is None:
        raise Http404("No such score")
    return score


def measure_choices() -> QuerySet[Measure]:
    """Every measure a score can be recorded on, by name (the catalogue of measures is shared)."""
    return Measure.objects.order_by("name")
