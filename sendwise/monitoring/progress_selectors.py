"""Reads for progress charts: one outcome's scores against its aimline, with the changes of
support on the way, and a parent's view of their child's goals.

Callers pass a pupil already checked with ``pupils.selectors.pupil_for``; every query here is
filtered by that pupil's school and the pupil. The chart itself is drawn by the pure module
``monitoring.charts`` from plain data built here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch
from django.http import Http404
from django.utils.safestring import SafeString, mark_safe

from sendwise.core.chart_cache import cached_svg
from sendwise.delivery.models import GroupMember
from sendwise.evidence.codes import MeasureKind
from sendwise.evidence.models import Measure
from sendwise.monitoring import charts
from sendwise.monitoring.models import Flag, Score
from sendwise.planning.models import Outcome, Plan
from sendwise.pupils.models import Pupil

#: The y axis of each kind of measure, with its unit.
AXIS_LABELS = {
    MeasureKind.STANDARDISED: "Standard score",
    MeasureKind.AGE_EQUIVALENT: "Age equivalent (months)",
    MeasureKind.CURRICULUM_PROBE: "Score on the probe",
    MeasureKind.RATING_SCALE: "Rating",
}
PLAN_STARTED = "Plan {cycle} started"
SUPPORT_STARTED = "{name} started"
SUPPORT_ENDED = "{name} ended"


#: A standardised test's scores by the mean they are set on: subtests with mean 10 (SD 3) report
#: scaled scores, whole tests with mean 100 (SD 15) standard scores (the Wechsler convention
#: the UK tests follow, e.g. CELF-5UK's subtests and composites).
STANDARDISED_BY_MEAN = {10: "Scaled score", 100: "Standard score"}


def axis_label(measure: Measure) -> str:
    if measure.kind == MeasureKind.STANDARDISED:
        label = STANDARDISED_BY_MEAN.get(measure.mean, "Standardised score")
    else:
        label = AXIS_LABELS.get(measure.kind, "Score")
    if measure.higher_is_better is False:
        label += " (lower is better)"
    return label


@dataclass
class Row:
    """One score in the table beside the chart."""

    taken_on: date
    value: float
    aim: float | None  # the aimline's value that day
    versus_aim: str  # "Ahead of the aimline", "Behind", "On the line", or ""


@dataclass
class OutcomeProgress:
    """An outcome with what its page shows. ``data`` and ``svg`` are None/'' without a measure.
    ``sentence`` is where the plain-English verdict (``monitoring.progress_text``) goes; until
    it arrives the page describes progress from the numbers (``summary``)."""

    outcome: Outcome
    data: charts.ProgressData | None
    rows: list[Row] = field(default_factory=list)
    trend: charts.Trend | None = None
    svg: SafeString | str = ""
    summary: str = ""
    sentence: str | None = None

    @property
    def latest(self) -> Row | None:
        return self.rows[-1] if self.rows else None


def _versus(value: float, aim: float | None, higher_is_better: bool) -> str:
    if aim is None:
        return ""
    gap = (value - aim) if higher_is_better else (aim - value)
    if abs(gap) < 1e-9:
        return "On the line"
    # The size of the gap, as the decision rule compared it: a score of 8 against an aimline of
    # 8.03 is behind it, which "8.0" in the table's aimline column alone would hide.
    size = f"{abs(gap):.2f}".rstrip("0").rstrip(".")
    return f"Ahead of the aimline by {size}" if gap > 0 else f"Behind the aimline by {size}"


def _points(outcome: Outcome, scores: list[Score]) -> tuple[tuple[date, float], ...]:
    """The outcome's points: scores on its measure from its baseline date on (earlier ones
    belong to an earlier goal)."""
    start = outcome.baseline_date
    return tuple(
        (s.taken_on, s.value)
        for s in sorted(scores, key=lambda s: (s.taken_on, s.pk))
        if s.measure_id == outcome.measure_id and (start is None or s.taken_on >= start)
    )


def _progress(
    outcome: Outcome, scores: list[Score], phases=(), *, for_parent: bool = False
) -> OutcomeProgress:
    measure = outcome.measure
    if measure is None:
        return OutcomeProgress(outcome, None)
    higher = measure.higher_is_better is not False
    band = None
    if measure.kind == MeasureKind.STANDARDISED:
        band = charts.average_band(measure.mean, measure.sd)
    data = charts.ProgressData(
        title=measure.name,
        axis_label=axis_label(measure),
        points=_points(outcome, scores),
        baseline=outcome.baseline,
        baseline_date=outcome.baseline_date,
        target=outcome.target,
        target_date=outcome.target_date,
        higher_is_better=higher,
        band=band,
        phases=tuple(phases),
    )
    aimline = data.aimline
    rows = []
    for when, value in data.sorted_points:
        aim = aimline.value_at(when) if aimline is not None else None
        rows.append(Row(when, value, aim, _versus(value, aim, higher)))
    svg = cached_svg(charts.progress_chart_svg, data, for_parent=for_parent)
    return OutcomeProgress(
        outcome,
        data,
        rows,
        trend=None if for_parent else charts.trend(data),
        # Safe: drawn by matplotlib from our data; it escapes every text it writes.
        svg=mark_safe(svg),  # noqa: S308
        summary=charts.describe(data, for_parent=for_parent),
    )


def _phases(outcome: Outcome, members: list[GroupMember]) -> list[charts.Phase]:
    """Where support started or changed: the plan's start, and each group the outcome's
    placement (or, for a goal of the whole plan, any of the plan's placements) joined or left."""
    phases = [charts.Phase(outcome.plan.start_date, PLAN_STARTED.format(cycle=outcome.plan.cycle))]
    for member in members:
        if outcome.placement_id and member.placement_id != outcome.placement_id:
            continue
        name = member.group.intervention.name
        phases.append(charts.Phase(member.joined_on, SUPPORT_STARTED.format(name=name)))
        if member.left_on:
            phases.append(charts.Phase(member.left_on, SUPPORT_ENDED.format(name=name)))
    return phases


def outcome_chart(outcome: Outcome, scores: list[Score]) -> SafeString | str:
    """The staff chart of one outcome drawn from scores already read (the review meeting shows
    it beside each outcome); '' for an outcome without a measure. No query."""
    return _progress(outcome, scores).svg if outcome.measure_id else ""


def progress_sentences(*, pupil: Pupil, outcome_ids, for_parent: bool = False) -> dict[int, str]:
    """The decision rules' verdict on each outcome in one sentence (the staff or the parent
    wording written by ``monitoring.progress_text`` when the flag was judged). Staff also read
    which reliability coefficient judged a reliable change (``maths.reliability``'s choice, the
    one the impact pages use and name). One query."""
    rows = Flag.objects.filter(
        school_id=pupil.school_id,
        pupil=pupil,
        kind=Flag.Kind.PROGRESS,
        outcome_id__in=list(outcome_ids),
    ).values_list("outcome_id", "reason_for_parent" if for_parent else "reason", "figures")
    return {
        outcome_id: sentence if for_parent else _with_reliability(sentence, figures)
        for outcome_id, sentence, figures in rows
        if sentence
    }


def _with_reliability(sentence: str, figures: dict | None) -> str:
    """The stored sentence, then the coefficient it was judged with (added when read: the
    stored reason has a length limit and the name is in the flag's figures)."""
    label = (figures or {}).get("reliability_label")
    if not label:
        return sentence
    return f"{sentence} Reliable change was judged with the measure's {label}."


def outcome_progress(*, pupil: Pupil, outcome_id: int) -> OutcomeProgress:
    """One of the pupil's outcomes (any cycle) with its chart, table, aimline figures and the
    decision rules' verdict, or 404. Four queries: the outcome, its scores, the plan's group
    memberships, the verdict."""
    outcome = (
        Outcome.objects.current()
        .filter(school=pupil.school_id, plan__pupil=pupil, pk=outcome_id)
        .select_related("plan", "measure", "placement__intervention")
        .first()
    )
    if outcome is None:
        raise Http404("No such outcome")
    if outcome.measure_id is None:
        return OutcomeProgress(outcome, None)
    scores = list(
        Score.objects.current().filter(
            school=pupil.school_id, pupil=pupil, measure_id=outcome.measure_id
        )
    )
    members = list(
        GroupMember.objects.filter(school=pupil.school_id, placement__plan=outcome.plan)
        .select_related("group__intervention")
        .order_by("joined_on", "id")
    )
    progress = _progress(outcome, scores, _phases(outcome, members))
    progress.sentence = progress_sentences(pupil=pupil, outcome_ids=[outcome.pk]).get(outcome.pk)
    return progress


def child_progress(*, pupil: Pupil) -> tuple[Plan | None, list[OutcomeProgress]]:
    """The goals of the pupil's current plan (or, between plans, the last one), each with a
    parent's chart where it has a measure and the verdict in a parent's words. Four queries
    whatever the number of goals."""
    plan = (
        Plan.objects.filter(school=pupil.school_id, pupil=pupil)
        .exclude(status=Plan.Status.DRAFT)
        .prefetch_related(
            Prefetch(
                "outcomes", queryset=Outcome.objects.current().select_related("measure", "plan")
            )
        )
        .order_by("-cycle")
        .first()
    )
    if plan is None:
        return None, []
    outcomes = list(plan.outcomes.all())
    measure_ids = {o.measure_id for o in outcomes if o.measure_id}
    by_measure: dict[int, list[Score]] = defaultdict(list)
    if measure_ids:
        for score in Score.objects.current().filter(
            school=pupil.school_id, pupil=pupil, measure_id__in=measure_ids
        ):
            by_measure[score.measure_id].append(score)
    sentences = progress_sentences(
        pupil=pupil, outcome_ids=[o.pk for o in outcomes], for_parent=True
    )
    goals = [_progress(o, by_measure.get(o.measure_id, []), for_parent=True) for o in outcomes]
    for goal in goals:
        goal.sentence = sentences.get(goal.outcome.pk)
    return plan, goals
