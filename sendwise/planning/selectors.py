"""Reads of support plans for a pupil already checked with `pupils.selectors.pupil_for`."""

from django.db.models import Prefetch
from django.http import Http404
from django.utils.text import Truncator

from sendwise.core.access import Actor
from sendwise.core.codes import AREA_OF_NEED
from sendwise.core.models import User
from sendwise.core.roles import DELIVERER_ROLES
from sendwise.evidence.models import Measure
from sendwise.planning import matching
from sendwise.planning.models import Outcome, Placement, Plan, Response
from sendwise.pupils.models import Pupil, SkillNeed


def plans_for_pupil(*, pupil: Pupil) -> list[Plan]:
    """All cycles, newest first, with their outcomes and placements not withdrawn, and apart
    (``withdrawn_outcomes``, ``withdrawn_placements``) those withdrawn (5 queries)."""
    return list(
        Plan.objects.filter(school=pupil.school_id, pupil=pupil)
        .prefetch_related(
            Prefetch(
                "outcomes",
                queryset=Outcome.objects.current().select_related(
                    "measure", "placement__intervention"
                ),
            ),
            Prefetch(
                "placements",
                queryset=Placement.objects.standing().select_related("intervention", "deliverer"),
            ),
            Prefetch(
                "outcomes",
                queryset=Outcome.objects.withdrawn().select_related("withdrawn_by"),
                to_attr="withdrawn_outcomes",
            ),
            Prefetch(
                "placements",
                queryset=Placement.objects.withdrawn().select_related(
                    "intervention", "withdrawn_by"
                ),
                to_attr="withdrawn_placements",
            ),
        )
        .order_by("-cycle")
    )


#: An outcome of a plan with no goal on a measure, named as the plans page numbers it. Planning's
#: rules let an outcome be written without one (a goal is on a measure, or there is none), but
#: then nothing can check its progress: the SENCO is warned, never stopped (issue 11, item 2).
OUTCOME_WITHOUT_GOAL = (
    "Outcome {n} of plan {cycle}, \u201c{text}\u201d, has no goal on a measure (no measure, "
    "baseline or target), so its progress cannot be checked against an aimline: correct it to "
    "add one"
)
#: The longest part of an outcome's text the warning quotes.
QUOTED = 80


def outcomes_without_goal(*, plan: Plan) -> list[str]:
    """A warning naming each current outcome of the plan that has no goal on a measure, in the
    plan's order (its outcomes as already read when prefetched, else one query)."""
    found = []
    current = [o for o in plan.outcomes.all() if o.withdrawn_at is None]
    for n, outcome in enumerate(current, start=1):
        if not outcome.has_aimline:
            text = Truncator(outcome.text.strip()).chars(QUOTED)
            found.append(OUTCOME_WITHOUT_GOAL.format(n=n, cycle=plan.cycle, text=text))
    return found


def plan_get(*, pupil: Pupil, plan_id: int) -> Plan:
    plan = (
        Plan.objects.filter(school=pupil.school_id, pupil=pupil, pk=plan_id)
        .select_related("pupil")
        .first()
    )
    if plan is None:
        raise Http404("No such plan")
    return plan


def outcome_get(*, plan: Plan, outcome_id: int) -> Outcome:
    """One outcome of the plan (withdrawn or not), or 404."""
    outcome = (
        Outcome.objects.filter(school=plan.school_id, plan=plan, pk=outcome_id)
        .select_related("measure", "plan__pupil")
        .first()
    )
    if outcome is None:
        raise Http404("No such outcome")
    return outcome


def placement_get(*, plan: Plan, placement_id: int) -> Placement:
    """One placement of the plan (withdrawn or not), or 404."""
    placement = (
        Placement.objects.filter(school=plan.school_id, plan=plan, pk=placement_id)
        .select_related("intervention", "deliverer", "plan__pupil")
        .first()
    )
    if placement is None:
        raise Http404("No such placement")
    return placement


def current_plan(*, pupil: Pupil) -> Plan | None:
    return Plan.objects.filter(school=pupil.school_id, pupil=pupil).current().first()


def measures():
    """The measures an outcome's goal can be set on (shared reference data)."""
    return Measure.objects.order_by("name")


def school_staff(*, actor: Actor):
    """Staff of the actor's school who can deliver support (the deliverer roles). One filter
    call, so the role must be held in this school, not in another."""
    return (
        User.objects.filter(memberships__school=actor.school, memberships__role__in=DELIVERER_ROLES)
        .distinct()
        .order_by("full_name")
    )


def current_support(*, pupil: Pupil) -> dict:
    """What the current plan puts in place: classroom strategies (for every teacher of the
    pupil, in lessons) and targeted interventions. One query."""
    placements = list(
        Placement.objects.filter(school=pupil.school_id, plan__pupil=pupil)
        .current()
        .select_related("intervention", "deliverer", "plan")
        .order_by("intervention__name")
    )
    return {
        "strategies": [p for p in placements if p.intervention.kind == "classroom_strategy"],
        "interventions": [p for p in placements if p.intervention.kind != "classroom_strategy"],
    }


def pupil_needs(*, pupil: Pupil) -> matching.PupilNeeds:
    """The pupil as the matcher sees them: year, needs, areas, skills and what they have had."""
    codes = [c for c in (pupil.primary_need, pupil.secondary_need) if c]
    areas = frozenset(str(AREA_OF_NEED[c]) for c in codes if c in AREA_OF_NEED)
    skills = dict(
        SkillNeed.objects.filter(school=pupil.school_id, pupil=pupil).values_list(
            "skill__slug", "severity"
        )
    )
    history: dict[str, str] = {}
    placements = (
        Placement.objects.standing()
        .filter(school=pupil.school_id, plan__pupil=pupil)
        .select_related("plan", "intervention")
    )
    # Oldest cycle first, so the latest judgement of each intervention wins.
    for placement in placements.order_by("plan__cycle"):
        if placement.plan.status != Plan.Status.REVIEWED:
            history[placement.intervention.slug] = "ongoing"
        elif placement.response in (Response.RESPONDED, Response.NO_RESPONSE):
            history[placement.intervention.slug] = placement.response
    return matching.PupilNeeds(
        nc_year=pupil.nc_year,
        primary_need=pupil.primary_need,
        secondary_need=pupil.secondary_need,
        areas=areas,
        skills=skills,
        eal=pupil.eal,
        history=history,
    )
