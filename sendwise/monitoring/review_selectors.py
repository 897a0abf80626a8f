"""Reads for review meetings: the evidence beside each outcome and intervention, a plan's
review, the reviews due for the actor, and the escalations waiting for the SENCO.

Callers pass a pupil (and plan) already checked with `pupils.selectors.pupil_for`; the lists
scope to the actor's school and the pupils they may see first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from sendwise.core.access import Actor
from sendwise.core.roles import WHOLE_SCHOOL_ROLES
from sendwise.delivery import dose as dose_rules
from sendwise.delivery.models import GroupMember
from sendwise.delivery.session_selectors import dose_for_placements
from sendwise.evidence.codes import Kind, MeasureKind
from sendwise.maths.reliability import measure_change_reliability
from sendwise.maths.stats_rules import Aimline
from sendwise.maths.stats_scores import RCI_THRESHOLD, reliable_change_index
from sendwise.monitoring.models import PlacementDecision, Review, Score
from sendwise.monitoring.progress_selectors import outcome_chart, progress_sentences
from sendwise.planning.models import Outcome, Placement, Plan
from sendwise.pupils.selectors import pupils_visible

#: Reviews due within this many days are listed with the overdue ones.
DUE_WITHIN_DAYS = 14


@dataclass
class OutcomeEvidence:
    outcome: Outcome
    points: int  # scores on the outcome's measure since its baseline, up to today
    latest: Score | None
    expected: float | None  # the aimline's value on the latest score's date
    change: str  # reliable change in words, or "" where it does not apply
    #: The outcome's progress chart (SVG) and the decision rules' verdict in one sentence, where
    #: there are any; the template shows them if set.
    chart: str | None = None
    verdict: str | None = None


@dataclass
class PlacementEvidence:
    placement: Placement
    dose: dose_rules.Dose | None


@dataclass
class Evidence:
    outcomes: list[OutcomeEvidence] = field(default_factory=list)
    placements: list[PlacementEvidence] = field(default_factory=list)


def reliable_change_text(outcome: Outcome, latest: Score | None) -> str:
    """Whether the change from the baseline to the latest score is more than measurement error,
    for a standardised measure with a known SD and reliability: Jacobson & Truax (1991)
    reliable change index, |RC| >= 1.96 (`maths.stats_scores`), with the coefficient
    `maths.reliability` chooses (named in the sentence). "" where it does not apply."""
    m = outcome.measure
    coefficient = measure_change_reliability(m) if m is not None else None
    if (
        m is None
        or m.kind != MeasureKind.STANDARDISED
        or not m.sd
        or coefficient is None
        or outcome.baseline is None
        or latest is None
        or (outcome.baseline_date and latest.taken_on <= outcome.baseline_date)
    ):
        return ""
    rc = reliable_change_index(
        outcome.baseline, latest.value, sd=m.sd, reliability=coefficient.value
    )
    diff = latest.value - outcome.baseline
    moved = f"{'up' if diff > 0 else 'down'} {abs(diff):g} points" if diff else "no change"
    if abs(rc) < RCI_THRESHOLD:
        return (
            f"From {outcome.baseline:g} to {latest.value:g} ({moved}): within what measurement "
            f"error alone could explain on {m.name} (reliable change index {rc:.2f}, with its "
            f"{coefficient.label}; a change is reliable at 1.96 or more)."
        )
    better = diff > 0 if m.higher_is_better is not False else diff < 0
    return (
        f"From {outcome.baseline:g} to {latest.value:g} ({moved}): a reliable "
        f"{'improvement' if better else 'decline'}, more than measurement error on {m.name} "
        f"would explain (reliable change index {rc:.2f}, with its {coefficient.label})."
    )


def review_evidence(*, plan: Plan, today: date | None = None) -> Evidence:
    """Each outcome with its points, chart, verdict, latest score against the aimline and
    reliable change, and each intervention with its dose delivered and attendance: six
    queries."""
    today = today or timezone.localdate()
    outcomes = list(plan.outcomes.current().select_related("measure", "placement__intervention"))
    placements = list(
        plan.placements.standing()
        .select_related("intervention", "deliverer", "plan")
        .order_by("id")
    )
    measure_ids = {o.measure_id for o in outcomes if o.measure_id}
    scores = (
        list(
            Score.objects.current()
            .filter(
                school_id=plan.school_id,
                pupil_id=plan.pupil_id,
                measure_id__in=measure_ids,
                taken_on__lte=today,
            )
            .order_by("taken_on", "id")
        )
        if measure_ids
        else []
    )
    evidence = Evidence()
    verdicts = (
        progress_sentences(pupil=plan.pupil, outcome_ids=[o.pk for o in outcomes])
        if outcomes
        else {}
    )
    for o in outcomes:
        mine = [
            s
            for s in scores
            if s.measure_id == o.measure_id
            and (o.baseline_date is None or s.taken_on >= o.baseline_date)
        ]
        latest = mine[-1] if mine else None
        expected = None
        if latest is not None and o.has_aimline:
            # The aimline from the baseline to the target (Fuchs & Fuchs; maths.stats_rules).
            line = Aimline(o.baseline_date, o.baseline, o.target_date, o.target)
            expected = round(line.value_at(latest.taken_on), 1)
        evidence.outcomes.append(
            OutcomeEvidence(
                o,
                len(mine),
                latest,
                expected,
                reliable_change_text(o, latest),
                chart=outcome_chart(o, mine) or None,
                verdict=verdicts.get(o.pk),
            )
        )
    targeted = [p for p in placements if p.intervention.kind == Kind.TARGETED]
    doses = dose_for_placements(school_id=plan.school_id, placements=targeted, today=today)
    evidence.placements = [PlacementEvidence(p, doses.get(p.pk)) for p in placements]
    return evidence


def plan_review_get(*, plan: Plan) -> Review | None:
    """The plan's review meeting (draft or complete), with its parts, or None."""
    return (
        Review.objects.filter(school_id=plan.school_id, plan=plan)
        .select_related("next_plan", "created_by")
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=PlacementDecision.objects.select_related("placement__intervention"),
            ),
            "outcome_reviews__outcome",
        )
        .first()
    )


def review_for_reader(*, actor: Actor, plan: Plan) -> Review:
    """The plan's review as this person may read it: staff see drafts and staff notes; a
    parent sees only a completed review the SENCO has shared. 404 otherwise."""
    review = plan_review_get(plan=plan)
    if review is None or (not actor.is_staff_member and review.shared_with_parent_at is None):
        raise Http404("No review to show")
    return review


def reviews_opened_plan(*, plan: Plan) -> Review | None:
    """The review whose decisions opened this plan (for its 'still to choose' list)."""
    return (
        Review.objects.filter(school_id=plan.school_id, next_plan=plan)
        .select_related("plan")
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=PlacementDecision.objects.filter(
                    decision=PlacementDecision.Decision.CHANGE_INTERVENTION
                ).select_related("placement__intervention"),
            )
        )
        .first()
    )


@dataclass(frozen=True)
class DueFilters:
    when: str = ""  # "overdue", "soon" or "" (both)
    state: str = ""  # "not_started", "draft" or "" (any)


def reviews_due(
    *, actor: Actor, filters: DueFilters = DueFilters(), today: date | None = None
) -> QuerySet[Plan]:
    """Plans in place or in draft whose review is overdue or due within two weeks, soonest
    first: every pupil's for the SENCO and the head; for an intervention specialist, the pupils
    in the groups they run. Each plan carries ``review_started`` (a draft review exists). One
    query."""
    today = today or timezone.localdate()
    if actor.user is None or actor.school is None:
        return Plan.objects.none()
    plans = (
        Plan.objects.filter(school=actor.school, review_date__lte=today + timedelta(days=14))
        .current()
        .filter(pupil__in=pupils_visible(actor=actor))
    )
    if not actor.roles & WHOLE_SCHOOL_ROLES:
        runs = GroupMember.objects.filter(
            school=actor.school,
            group__deliverer=actor.user,
            left_on__isnull=True,
            placement__plan=OuterRef("pk"),
        )
        plans = plans.filter(Exists(runs))
    plans = plans.annotate(
        review_started=Exists(Review.objects.filter(plan=OuterRef("pk"))),
    )
    if filters.when == "overdue":
        plans = plans.filter(review_date__lt=today)
    elif filters.when == "soon":
        plans = plans.filter(review_date__gte=today)
    if filters.state == "draft":
        plans = plans.filter(review_started=True)
    elif filters.state == "not_started":
        plans = plans.filter(review_started=False)
    return plans.select_related("pupil", "pupil__class_group").order_by("review_date", "id")


@dataclass(frozen=True)
class Escalations:
    """Escalations agreed at completed reviews: those waiting for the SENCO to act, and those
    done (most recently done first)."""

    waiting: list[PlacementDecision]
    done: list[PlacementDecision]


def escalations(*, actor: Actor, limit: int = 100) -> Escalations:
    """The school's escalations for the SENCO and the head, waiting ones first (oldest review
    first: they have waited longest), then the done ones: one query."""
    if actor.school is None or not actor.roles & WHOLE_SCHOOL_ROLES:
        return Escalations(waiting=[], done=[])
    rows = list(
        PlacementDecision.objects.filter(
            school=actor.school,
            decision__in=PlacementDecision.ESCALATIONS,
            review__status=Review.Status.COMPLETE,
        )
        .select_related("review__plan__pupil", "placement__intervention")
        .order_by(F("actioned_on").desc(nulls_first=True), "review__held_on", "id")[:limit]
    )
    return Escalations(
        waiting=[d for d in rows if d.actioned_on is None],
        done=[d for d in rows if d.actioned_on is not None],
    )


def escalation_get(*, plan: Plan, decision_id: int) -> PlacementDecision:
    """One escalation agreed at the completed review of ``plan`` (reached through the pupil,
    so the plan is already the actor's to see); 404 for anything else."""
    decision = (
        PlacementDecision.objects.filter(
            school=plan.school_id,
            review__plan=plan,
            review__status=Review.Status.COMPLETE,
            decision__in=PlacementDecision.ESCALATIONS,
            pk=decision_id,
        )
        .select_related("review__plan__pupil", "placement__intervention", "actioned_by")
        .first()
    )
    if decision is None:
        raise Http404("No such escalation")
    return decision


def reviews_of_plans(*, school_id: int, plans: list[Plan]) -> dict[int, Review]:
    """Plan id -> its review meeting, for a pupil's plans page; each review carries
    ``to_choose``, the interventions it decided to replace (two queries)."""
    if not plans:
        return {}
    reviews = Review.objects.filter(school_id=school_id, plan__in=[p.pk for p in plans])
    reviews = reviews.prefetch_related(
        Prefetch(
            "decisions",
            queryset=PlacementDecision.objects.filter(
                decision=PlacementDecision.Decision.CHANGE_INTERVENTION
            ).select_related("placement__intervention"),
            to_attr="to_choose",
        )
    )
    return {r.plan_id: r for r in reviews}
