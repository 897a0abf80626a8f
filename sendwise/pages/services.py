"""Writes that span two apps, done in one transaction so both happen or neither does."""

from sendwise.core.access import Actor
from sendwise.core.services import service
from sendwise.delivery.models import GroupMember
from sendwise.delivery.services import group_remove_member
from sendwise.planning import withdraw_services
from sendwise.planning.models import Placement


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
    # The pupil's flags are judged again once this commits (planning's ``plan_changed``).
    return placement
