"""Writes that span two apps, done in one transaction so both happen or neither does."""

from datetime import date

from sendwise.core.access import Actor
from sendwise.core.services import service
from sendwise.delivery.models import GroupMember
from sendwise.delivery.services import group_members_leave_for_plan, group_remove_member
from sendwise.planning import services as planning_services
from sendwise.planning import withdraw_services
from sendwise.planning.models import Placement, Plan


@service
def plan_review(
    *,
    actor: Actor,
    plan: Plan,
    reviewed_on: date,
    summary: str,
    responses: dict[int, str] | None = None,
    request=None,
) -> Plan:
    """Close the cycle (planning) and free the pupil's places in the groups they were in for
    it (delivery): the next cycle's plan puts them back if the support goes on."""
    plan = planning_services.plan_review(
        actor=actor,
        plan=plan,
        reviewed_on=reviewed_on,
        summary=summary,
        responses=responses,
        request=request,
    )
    group_members_leave_for_plan(plan=plan, on=reviewed_on)
    return plan


@service
def placement_withdraw(
    *, actor: Actor, placement: Placement, reason: str, request=None
) -> Placement:
    """Withdraw a placement entered by mistake (planning), and take the pupil out of the groups
    they are in for it (delivery's own "left the group"), both or neither."""
    placement = withdraw_services.placement_withdraw(
        actor=actor, placement=placement, reason=reason, request=request
    )
    for member in GroupMember.objects.filter(
        school=placement.school_id, placement=placement, left_on__isnull=True
    ).select_related("group"):
        group_remove_member(
            actor=actor, group=member.group, member_id=member.pk, left_on=None, request=request
        )
    return placement
