"""Reads that join what two apps own, for pages composed here (plain data down, no upward
imports in the apps themselves)."""

from sendwise.delivery.dose import timetable_short
from sendwise.delivery.selectors import groups_now
from sendwise.delivery.session_selectors import dose_for_placements
from sendwise.evidence.codes import Kind
from sendwise.monitoring.review_selectors import reviews_of_plans
from sendwise.planning.models import Plan
from sendwise.planning.selectors import current_support, outcomes_without_goal, plans_for_pupil
from sendwise.pupils.models import Pupil


def plans_with_groups(*, pupil: Pupil) -> list[Plan]:
    """All the pupil's cycles, newest first; each placement carries ``groups_now``, the
    timetabled groups the pupil is in for it, and ``dose``, the dose delivered against the dose
    planned for a targeted intervention; each plan carries ``review`` (its review meeting, or
    None) and ``opened_by`` (the review that opened it, with the interventions it decided to
    replace): 9 queries whatever the number of placements."""
    plans = plans_for_pupil(pupil=pupil)
    placements = [p for plan in plans for p in plan.placements.all()]
    groups = groups_now(school_id=pupil.school_id, placement_ids=[p.pk for p in placements])
    targeted = [p for p in placements if p.intervention.kind == Kind.TARGETED]
    doses = dose_for_placements(school_id=pupil.school_id, placements=targeted)
    for placement in placements:
        placement.groups_now = groups.get(placement.pk, [])
        placement.dose = doses.get(placement.pk)
        placement.timetable_short = _timetable_short(placement, pupil.first_name)
    reviews = reviews_of_plans(school_id=pupil.school_id, plans=plans)
    opened = {r.next_plan_id: r for r in reviews.values() if r.next_plan_id}
    for plan in plans:
        plan.review = reviews.get(plan.pk)
        plan.opened_by = opened.get(plan.pk)
        # Staff-only warnings (the template shows them to staff only): outcomes of an open
        # plan with no goal on a measure, and groups that cannot deliver a planned dose.
        plan.without_goal = (
            outcomes_without_goal(plan=plan) if plan.status != Plan.Status.REVIEWED else []
        )
        plan.timetable_short = [s for p in plan.placements.all() for s in p.timetable_short]
    return plans


def _timetable_short(placement, first_name: str) -> list[str]:
    """What each of the placement's groups cannot deliver of its planned dose, in words."""
    found = []
    for group in placement.groups_now:
        text = timetable_short(
            [slot.minutes for slot in group.slots.all()],
            sessions_per_week=placement.sessions_per_week,
            minutes_per_session=placement.minutes_per_session,
            who=first_name,
            group=group.name,
        )
        if text:
            found.append(text)
    return found


def support_with_dose(*, pupil: Pupil) -> dict:
    """The current plan's strategies and interventions; each intervention carries ``dose``,
    delivered against planned (at most four queries; one when no intervention is in place)."""
    support = current_support(pupil=pupil)
    doses = dose_for_placements(school_id=pupil.school_id, placements=support["interventions"])
    for placement in support["interventions"]:
        placement.dose = doses.get(placement.pk)
    return support
