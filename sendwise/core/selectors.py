"""Reads for core pages: the audit log and the school's staff, scoped to the actor's school.
(The adviser's counts of pupils across schools are ``pupils.trust_selectors``'.)"""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from sendwise.core.access import Actor
from sendwise.core.models import AuditEntry, Membership, User


@dataclass(frozen=True)
class AuditFilters:
    user_id: int | None = None
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    since: date | None = None


def audit_list(*, actor: Actor, filters: AuditFilters) -> QuerySet[AuditEntry]:
    """The audit trail of the actor's current school only, newest first."""
    if actor.school is None:
        return AuditEntry.objects.none()
    entries = AuditEntry.objects.filter(school=actor.school)
    if filters.user_id:
        entries = entries.filter(user_id=filters.user_id)
    if filters.action:
        entries = entries.filter(action=filters.action)
    if filters.object_type:
        entries = entries.filter(object_type=filters.object_type)
    if filters.object_id:
        entries = entries.filter(object_id=filters.object_id)
    if filters.since:
        entries = entries.filter(at__date__gte=filters.since)
    return entries.select_related("user").order_by("-at", "-id")


def school_users(*, actor: Actor) -> QuerySet[User]:
    """People who hold a role in the actor's school (for the audit log's filter)."""
    if actor.school is None:
        return User.objects.none()
    return User.objects.filter(memberships__school=actor.school).distinct().order_by("full_name")


def staff_list(*, actor: Actor) -> QuerySet[Membership]:
    """Staff memberships of the actor's school (parents are not staff), by name."""
    if actor.school is None:
        return Membership.objects.none()
    return (
        Membership.objects.filter(school=actor.school)
        .exclude(role="parent")
        .select_related("user")
        .order_by("user__full_name", "role")
    )
