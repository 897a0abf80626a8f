"""Reads of support plans for a pupil already checked with `pupils.selectors.pupil_get`."""

from django.db.models import Prefetch, Q
from django.http import Http404

from sendwise.core.access import Actor
from sendwise.core.models import User
from sendwise.evidence.models import Measure
from sendwise.planning.models import Outcome, Placement, Plan
from sendwise.pupils.models import Pupil


def plans_for_pupil(*, pupil: Pupil) -> list[Plan]:
    """All cycles, newest first, with outcomes and placements; each placement carries
    ``groups_now``, the timetabled groups the pupil is in for it (4 queries)."""
    plans = list(
        Plan.objects.filter(school=pupil.school_id, pupil=pupil)
        .prefetch_related(
            Prefetch(
                "outcomes",
                queryset=Outcome.objects.select_related("measure", "placement__intervention"),
            ),
            Prefetch(
                "placements", queryset=Placement.objects.select_related("intervention", "deliverer")
            ),
        )
        .order_by("-cycle")
    )
    placements = [p for plan in plans for p in plan.placements.all()]
    groups = _groups_now([p.pk for p in placements], pupil.school_id)
    for placement in placements:
        placement.groups_now = groups.get(placement.pk, [])
    return plans


def _groups_now(placement_ids: list[int], school_id: int) -> dict[int, list]:
    """The running groups each placement is in now, with their slots and deliverer."""
    from sendwise.delivery.models import GroupMember  # delivery builds on planning

    if not placement_ids:
        return {}
    members = (
        GroupMember.objects.filter(
            school=school_id,
            placement__in=placement_ids,
            left_on__isnull=True,
            group__archived=False,
        )
        .select_related("group", "group__deliverer")
        .prefetch_related("group__slots")
    )
    found: dict[int, list] = {}
    for member in members:
        found.setdefault(member.placement_id, []).append(member.group)
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


def current_plan(*, pupil: Pupil) -> Plan | None:
    return (
        Plan.objects.filter(school=pupil.school_id, pupil=pupil)
        .exclude(status=Plan.Status.REVIEWED)
        .first()
    )


def measures():
    """The measures an outcome's goal can be set on (shared reference data)."""
    return Measure.objects.order_by("name")


def school_staff(*, actor: Actor):
    """Staff of the actor's school who can deliver support (not parents or advisers)."""
    return (
        User.objects.filter(memberships__school=actor.school)
        .filter(Q(memberships__role__in=["intervention_specialist", "teacher", "senco"]))
        .distinct()
        .order_by("full_name")
    )


def current_support(*, pupil: Pupil) -> dict:
    """What the current plan puts in place: classroom strategies (for every teacher of the
    pupil, in lessons) and targeted interventions. One query."""
    placements = list(
        Placement.objects.filter(school=pupil.school_id, plan__pupil=pupil)
        .exclude(plan__status=Plan.Status.REVIEWED)
        .select_related("intervention", "deliverer")
        .order_by("intervention__name")
    )
    return {
        "strategies": [p for p in placements if p.intervention.kind == "classroom_strategy"],
        "interventions": [p for p in placements if p.intervention.kind != "classroom_strategy"],
    }
