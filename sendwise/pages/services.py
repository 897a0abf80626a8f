"""Writes that span two apps, done in one transaction so both happen or neither does."""

from datetime import date

from sendwise.core.access import Actor
from sendwise.core.services import service
from sendwise.delivery.services import group_members_leave_for_plan
from sendwise.planning import services as planning_services
from sendwise.planning.models import Plan


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
