"""Writes that belong to core: the audit trail and switching school."""

import functools

from django.db import transaction

from sendwise.core.access import SESSION_SCHOOL_KEY, Actor
from sendwise.core.history import acting_as
from sendwise.core.models import AuditEntry


def service(func):
    """Mark a write: it runs in one transaction, and the history rows written inside it name
    the acting user (the ``actor``'s, or a ``user`` passed by keyword), whether it was called
    from a request, a background task or a management command."""

    @functools.wraps(func)
    def write(*args, **kwargs):
        actor = kwargs.get("actor")
        user = getattr(actor, "user", None) if actor is not None else kwargs.get("user")
        with transaction.atomic(), acting_as(user):
            return func(*args, **kwargs)

    return write


def only_fields(changes: dict, allowed: tuple[str, ...], service_name: str) -> None:
    """For services that change some fields of a record, each given as a keyword: refuse names
    that are not fields the service may change, as Python refuses an unknown keyword."""
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise TypeError(f"{service_name}() got unexpected keyword arguments: {', '.join(unknown)}")


def client_ip(request) -> str | None:
    """The address the request came from (REMOTE_ADDR; a proxy deployment sets it correctly)."""
    return request.META.get("REMOTE_ADDR") if request is not None else None


def audit_record(
    *,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: str | int,
    object_repr: str,
    detail: str = "",
    request=None,
    school=None,
    user_agent: str = "",
) -> AuditEntry:
    """Record that the actor read or changed something in their school (never edited later).

    "From where" is the request's address when a request is given, else the actor's own (the
    middleware sets it, so services and selectors need not pass the request)."""
    return AuditEntry.objects.create(
        school=school or actor.school,
        user=actor.user,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_repr=object_repr[:200],
        detail=detail[:300],
        ip=client_ip(request) if request is not None else actor.ip,
        user_agent=user_agent[: AuditEntry._meta.get_field("user_agent").max_length],
    )


@service
def school_switch(*, actor: Actor, session, school_id: int) -> bool:
    """Work in another school where the person holds a role; False (and no change) otherwise."""
    if not any(s.id == school_id for s in actor.schools):
        return False
    session[SESSION_SCHOOL_KEY] = school_id
    return True
