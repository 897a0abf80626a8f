"""Reads for monitoring. Callers pass a pupil already checked with `pupils.selectors.pupil_for`,
so the scope (school, class, parent) has been decided before any score is read. Scores that
count are ``Score.objects.current()``; withdrawn ones are read only for the scores page."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet
from django.http import Http404

from sendwise.core.history import versions
from sendwise.evidence.models import Measure
from sendwise.monitoring.models import Flag, Score
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


@dataclass(frozen=True)
class Correction:
    """An earlier value of a corrected score, and why it was changed."""

    was: float
    taken_on: object
    on: object
    by: str
    reason: str


def _corrections(pupil: Pupil) -> dict[int, list[Correction]]:
    """Each corrected score's earlier values, oldest first, from its history. One query."""
    found: dict[int, list[Correction]] = {}
    previous = {}
    for version in (
        versions(Score)
        .filter(school_id=pupil.school_id, pupil_id=pupil.pk)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    ):
        before = previous.get(version.id)
        previous[version.id] = version
        if before is None or (before.value, before.taken_on) == (version.value, version.taken_on):
            continue
        found.setdefault(version.id, []).append(
            Correction(
                was=before.value,
                taken_on=before.taken_on,
                on=version.history_date,
                by=version.history_user.full_name if version.history_user else "Someone",
                reason=version.history_change_reason or "",
            )
        )
    return found


def pupil_scores_page(*, pupil: Pupil) -> tuple[list[MeasureScores], list[Score]]:
    """The pupil's current scores grouped by measure (measures by name, scores newest first),
    each with ``corrections`` (earlier values and why they changed), and every withdrawn score,
    most recently withdrawn first. Two queries."""
    by_measure: dict[int, MeasureScores] = {}
    withdrawn = []
    corrections = _corrections(pupil)
    for score in (
        Score.objects.filter(school_id=pupil.school_id, pupil=pupil)
        .select_related("measure", "entered_by", "withdrawn_by")
        .order_by("measure__name", "measure_id", "-taken_on", "-id")
    ):
        score.corrections = corrections.get(score.pk, [])
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


def scores_for_rules(
    *, school_id: int, pupil_ids=None, measure_ids=None
) -> dict[tuple[int, int], list[tuple[date, float]]]:
    """The scores the decision rules judge, as (date taken, value) by (pupil, measure), oldest
    first: every score of the school, or of some pupils and measures. The one place the rules
    read scores (scores withdrawn by mistake are left out). One query."""
    scores = Score.objects.current().filter(school_id=school_id)
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
