"""Reads for "What our practice shows": the actor's school's own results for one intervention.

Rule: only placements, outcomes and scores of the actor's own school are read; another school's
pupils never count, even on a shared catalogue entry. Withdrawn placements, outcomes and scores
(entered by mistake) count nowhere, nor do the placements of a group whose local study the
SENCO set aside as not representative (``study_selectors``), nor, in the practice panel, those
of pupils still waiting for a place in a group (they have received nothing of it). The figures are worked out by the pure
``sendwise.impact.practice``; this module only gathers one record per placement, in three
queries whatever the number of placements.

For each placement: the plan's first outcome on a named measure with a baseline (preferring one
that has a later score) gives ``pre`` = the outcome's baseline and ``post`` = the pupil's latest
score on that measure taken after both the baseline date and the plan's start, and, for a
reviewed plan, on or before the review (so that a later cycle's progress is not counted twice).
A pupil who had two interventions in one plan counts for both: their progress cannot be split
between them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef

from sendwise.core.access import Actor
from sendwise.delivery.models import GroupMember
from sendwise.evidence import pooling
from sendwise.evidence.codes import Kind
from sendwise.evidence.models import Intervention
from sendwise.impact import practice
from sendwise.impact.study_selectors import set_aside_placements
from sendwise.maths.reliability import reliability_of
from sendwise.monitoring.models import Review, Score
from sendwise.planning.models import Outcome, Placement, Plan


def review_recorded(plan_ref: str = "plan_id") -> Exists:
    """True for a placement (or, with ``plan_ref="pk"``, a plan) whose plan had its review
    held and recorded: a completed review (``monitoring.Review``) exists for it.

    The one meaning of "reviewed" in impact figures and the reports built on them (issue 12):
    a plan's status alone is not enough, since a plan can be closed (status "reviewed", a new
    cycle opened) without a review being recorded, and then its outcomes read "Not reviewed".
    """
    return Exists(Review.objects.filter(plan_id=OuterRef(plan_ref), status=Review.Status.COMPLETE))


def _post_score(scores: list[tuple[date, float]], *, after: date, until: date | None):
    """The latest (date, value) of date-ordered scores taken after ``after`` and up to
    ``until``, or None."""
    found = None
    for taken_on, value in scores:
        if taken_on > after and (until is None or taken_on <= until):
            found = (taken_on, value)
    return found


@dataclass(frozen=True)
class Judged:
    """What judges one placement: the outcome (None when no outcome on a named measure with a
    baseline applies), its baseline as ``pre`` on ``pre_on``, and the later score ``post``."""

    placement: Placement
    outcome: Outcome | None = None
    pre_on: date | None = None
    post: float | None = None
    post_on: date | None = None

    @property
    def measure(self):
        return self.outcome.measure if self.outcome is not None else None

    @property
    def pre(self) -> float | None:
        return self.outcome.baseline if self.outcome is not None else None


def judged_placements(*, school_id: int, placements: list[Placement]) -> list[Judged]:
    """The one rule for which outcome and which scores judge each placement (given with its
    plan and intervention loaded), used by the practice panel and the stored results alike:
    three queries whatever the number of placements.

    A placement's scores come from the outcomes set as its goal; failing those, from the
    plan's outcomes for "the plan as a whole" when it was the plan's only targeted
    intervention."""
    if not placements:
        return []
    plan_ids = sorted({p.plan_id for p in placements})
    standing = Placement.objects.standing().filter(school=school_id)
    outcomes = defaultdict(list)
    for outcome in (
        Outcome.objects.current()
        .filter(
            school=school_id, plan_id__in=plan_ids, measure__isnull=False, baseline__isnull=False
        )
        .select_related("measure")
        .order_by("id")
    ):
        outcomes[outcome.plan_id].append(outcome)
    pupil_ids = sorted({p.plan.pupil_id for p in placements})
    measure_ids = sorted({o.measure_id for found in outcomes.values() for o in found})
    scores = defaultdict(list)
    if measure_ids:
        for pupil_id, measure_id, taken_on, value in (
            Score.objects.current()
            .filter(school=school_id, pupil_id__in=pupil_ids, measure_id__in=measure_ids)
            .order_by("taken_on", "id")
            .values_list("pupil_id", "measure_id", "taken_on", "value")
        ):
            scores[(pupil_id, measure_id)].append((taken_on, value))
    # How many targeted interventions each plan has: an outcome for "the plan as a whole"
    # is credited to an intervention only when it was the plan's only one, so a reading score
    # is never counted as a result of a social skills group in the same plan.
    targeted = dict(
        standing.filter(plan_id__in=plan_ids, intervention__kind=Kind.TARGETED)
        .values("plan_id")
        .annotate(n=Count("id"))
        .values_list("plan_id", "n")
    )
    judged = []
    for placement in placements:
        plan = placement.plan
        until = plan.reviewed_on if plan.status == Plan.Status.REVIEWED else None
        chosen, post, after_chosen = None, None, None
        own = [o for o in outcomes.get(plan.id, []) if o.placement_id == placement.pk]
        whole = [o for o in outcomes.get(plan.id, []) if o.placement_id is None]
        sole = placement.intervention.kind == Kind.TARGETED and targeted.get(plan.id, 0) == 1
        for outcome in own or (whole if sole else []):
            after = max(d for d in (outcome.baseline_date, plan.start_date) if d is not None)
            found = _post_score(
                scores.get((plan.pupil_id, outcome.measure_id), []), after=after, until=until
            )
            if chosen is None or (post is None and found is not None):
                chosen, post = outcome, found
                after_chosen = outcome.baseline_date or plan.start_date
            if post is not None:
                break
        if chosen is None:
            judged.append(Judged(placement))
            continue
        judged.append(
            Judged(
                placement,
                chosen,
                pre_on=after_chosen,
                post=post[1] if post else None,
                post_on=post[0] if post else None,
            )
        )
    return judged


def practice_records(*, actor: Actor, intervention: Intervention) -> list[practice.PupilRecord]:
    """One record per placement of this intervention in the actor's school (four queries), by
    the rule of :func:`judged_placements`."""
    if actor.school is None:
        return []
    placements = list(
        Placement.objects.standing()
        .filter(school=actor.school, intervention=intervention)
        # A local study the SENCO set aside as not representative counts nowhere in the
        # school's figure (its pupils are shown apart, in the local studies).
        .exclude(pk__in=set_aside_placements(school_id=actor.school.pk))
        # A pupil still waiting for a place has received nothing of it: not one of its pupils
        # (the stored results' rule, ``PlacementResult.placed``).
        .filter(Exists(GroupMember.objects.filter(placement=OuterRef("pk"))))
        .select_related("plan")
        .only(
            "id",
            "response",
            "plan_id",
            "intervention_id",
            "plan__id",
            "plan__pupil_id",
            "plan__start_date",
            "plan__status",
            "plan__reviewed_on",
        )
        .order_by("id")
    )
    for placement in placements:
        placement.intervention = intervention  # the same row: no query per placement
    records = []
    for j in judged_placements(school_id=actor.school.pk, placements=placements):
        pupil, response = j.placement.plan.pupil_id, j.placement.response
        if j.outcome is None:
            records.append(practice.PupilRecord(pupil=pupil, response=response))
            continue
        measure = j.measure
        records.append(
            practice.PupilRecord(
                pupil=pupil,
                response=response,
                pre=j.pre,
                post=j.post,
                measure=measure.name,
                kind=measure.kind,
                norm_sd=measure.sd,
                reliability=reliability_of(measure),
                higher_is_better=measure.higher_is_better,
            )
        )
    return records


def practice_view(
    *, actor: Actor, intervention: Intervention, research: pooling.Synthesis | None
) -> practice.PracticeSummary:
    """The school's results for the intervention, updating the research's pooled estimate."""
    records = practice_records(actor=actor, intervention=intervention)
    pooled = research.pooled if research is not None else None
    return practice.summarise(
        records, research=pooled, research_n=research.n if research is not None else None
    )
