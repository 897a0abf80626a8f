"""The next cycle, opened from a completed review's decisions (called inside `review_save`).

Rules, each checked by tests:

- A draft plan, cycle + 1, from the day after the meeting, as long as the last cycle was
  (start to review due), carrying the pupil's and parents' views gathered at the review.
- Interventions: "continue" goes on with the same dose and deliverer; "change the dose" goes on
  with the new dose; an escalation (EHC needs assessment, outside advice) goes on unchanged
  while it is sought, so the pupil is not left without support; "change the intervention" is
  left for the SENCO to choose (the review lists it, with a link to the recommendations);
  "stop" is left out.
- Outcomes judged "partly" or "not achieved yet" are carried over with the same goal and
  target, their new baseline the latest score on the measure up to the meeting and the target
  date the new review date. Where that aimline no longer holds (the latest score already meets
  the target, or there is no score), the outcome is carried without a goal for the SENCO to set.
  So is one with no score since its old baseline: copying that baseline word for word would
  start the new plan from a figure months old, as if it were today's. On a measure scored in
  whole numbers the target carried is a whole number, rounded in the direction of the aim
  (``planning.goals``): a goal of 9.2 is carried as 10.
- Group places: completing the review frees the pupil's seats, and a draft plan's placements
  get none (a pupil joins a group only for a plan in place). When the draft is put in place
  (``plan_put_in_place``), each intervention that went on takes the pupil back into the group
  they left at the review, from that day, if it still runs and has a free place; otherwise the
  SENCO is told, to place them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from sendwise.core.access import Actor
from sendwise.core.services import service
from sendwise.delivery.models import GroupMember
from sendwise.delivery.services import group_members_carry
from sendwise.monitoring.models import OutcomeReview, PlacementDecision, Review, Score
from sendwise.planning import goals
from sendwise.planning import services as planning_services
from sendwise.planning.models import Placement, Plan
from sendwise.planning.selectors import outcomes_without_goal

D = PlacementDecision.Decision
CARRIED = (D.CONTINUE, D.CHANGE_DOSE, *PlacementDecision.ESCALATIONS)
CARRY_FAILED = "{name} cannot go into the next plan: {why}"


def _latest_score(plan: Plan, measure_id: int, on) -> Score | None:
    return (
        Score.objects.current()
        .filter(
            school_id=plan.school_id,
            pupil_id=plan.pupil_id,
            measure_id=measure_id,
            taken_on__lte=on,
        )
        .order_by("-taken_on", "-id")
        .first()
    )


@dataclass(frozen=True)
class NextCycle:
    """The draft plan opened, and which placement of it carries on each earlier one."""

    plan: Plan
    carried: dict[int, Placement]


def open_next_cycle(*, actor: Actor, plan: Plan, review: Review, request=None) -> NextCycle:
    """Open the pupil's next cycle as a draft, pre-filled from ``review`` (see module rules)."""
    start = review.held_on + timedelta(days=1)
    length = max(plan.review_date - plan.start_date, timedelta(weeks=1))
    nxt = planning_services.plan_create(
        actor=actor,
        pupil=plan.pupil,
        start_date=start,
        review_date=start + length,
        pupil_contribution=review.pupil_views,
        parent_contribution=review.parent_views,
        continuing=True,
        request=request,
    )
    carried = {}
    decisions = review.decisions.select_related("placement__intervention").order_by("placement_id")
    for d in decisions:
        if d.decision not in CARRIED:
            continue
        old = d.placement
        changed = d.decision == D.CHANGE_DOSE
        why = {
            D.CONTINUE: "Continued at the review of plan {cycle}",
            D.CHANGE_DOSE: "Continued with a new dose at the review of plan {cycle}",
        }.get(
            d.decision,
            "Continues while the escalation agreed at the review of plan {cycle} is sought",
        )
        try:
            carried[old.pk] = planning_services.placement_add(
                actor=actor,
                plan=nxt,
                intervention=old.intervention,
                sessions_per_week=d.sessions_per_week if changed else old.sessions_per_week,
                minutes_per_session=d.minutes_per_session if changed else old.minutes_per_session,
                weeks=(d.weeks or old.weeks) if changed else old.weeks,
                deliverer=old.deliverer,
                why_chosen=why.format(cycle=plan.cycle),
                outside_age_reason=old.outside_age_reason,
                request=request,
            )
        except ValidationError as error:
            raise ValidationError(
                {
                    f"decision_{old.pk}": [
                        CARRY_FAILED.format(name=old.intervention.name, why=m)
                        for m in error.messages
                    ]
                }
            ) from None
    results = review.outcome_reviews.select_related("outcome__measure").order_by("outcome_id")
    for r in results:
        if r.result in (OutcomeReview.Result.PARTLY, OutcomeReview.Result.NOT):
            _carry_outcome(actor, plan, nxt, review, r.outcome, carried, request)
    return NextCycle(plan=nxt, carried=carried)


def _carry_outcome(actor, plan, nxt, review, outcome, carried, request) -> None:
    placement = carried.get(outcome.placement_id)
    common = {"actor": actor, "plan": nxt, "text": outcome.text, "placement": placement}
    if outcome.has_aimline:
        latest = _latest_score(plan, outcome.measure_id, review.held_on)
        target = outcome.target
        if goals.whole_scores(outcome.measure.kind):
            target = goals.goal_towards(target, baseline=outcome.baseline)
        # A latest score no later than the old baseline is that stale baseline: no new goal.
        if latest is not None and latest.taken_on > outcome.baseline_date:
            try:
                planning_services.outcome_add(
                    **common,
                    measure=outcome.measure,
                    baseline=latest.value,
                    baseline_date=latest.taken_on,
                    target=target,
                    target_date=nxt.review_date,
                    request=request,
                )
                return
            except ValidationError:
                pass  # the goal no longer holds: carried without one, for the SENCO to set
    planning_services.outcome_add(**common, request=request)


@dataclass(frozen=True)
class InPlace:
    """A plan put in place, with the group seats given back (``rejoined``) and those that could
    not be (``not_rejoined``: the rows the pupil left at the review; their group is full or
    has ended); and a warning for each outcome put in place with no goal on a measure
    (``without_goal``: nothing could check its progress)."""

    plan: Plan
    rejoined: list[GroupMember]
    not_rejoined: list[GroupMember]
    without_goal: list[str] = field(default_factory=list)


@service
def plan_put_in_place(*, actor: Actor, plan: Plan, request=None) -> InPlace:
    """Put a draft plan in place (planning's rules) and, where a review opened it, take the
    pupil back into the groups they left at that review for the interventions that go on."""
    plan = planning_services.plan_activate(actor=actor, plan=plan, request=request)
    without_goal = outcomes_without_goal(plan=plan)
    review = (
        Review.objects.filter(school_id=plan.school_id, next_plan=plan)
        .select_related("plan")
        .first()
    )
    if review is None:
        return InPlace(plan, [], [], without_goal)
    going_on = dict(
        review.decisions.filter(decision__in=CARRIED).values_list(
            "placement_id", "placement__intervention_id"
        )
    )
    now = {p.intervention_id: p for p in plan.placements.standing().select_related("plan")}
    carried = {old: now[i] for old, i in going_on.items() if i in now}
    left = list(
        GroupMember.objects.filter(
            school=plan.school_id,
            placement_id__in=list(carried),
            left_on__gte=review.held_on,
        ).order_by("id")
    )
    joined, missed = group_members_carry(left=left, carried=carried, on=timezone.localdate())
    return InPlace(plan, joined, missed, without_goal)
