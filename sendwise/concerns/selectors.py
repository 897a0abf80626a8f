"""Reads of concerns and observation requests, always scoped to the actor.

Rule: the SENCO and the head (whole-school roles, who see every pupil) see every concern in
their school; the person who raised a concern sees their own confirmation (the pupil named only
while they may still see them); a teacher sees only the observation requests addressed to them,
even for a pupil in their own class. Concerns about archived pupils are not shown. Missing and
forbidden look the same (404).
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from sendwise.concerns.models import Area, Concern, Observation, ObservationRequest
from sendwise.core.access import Actor
from sendwise.core.models import User
from sendwise.core.roles import OBSERVER_ROLES, Role
from sendwise.pupils.models import ClassStaff
from sendwise.pupils.selectors import pupil_labels, pupil_read_audit

#: Roles that see every concern of their school.
CONCERN_ROLES = frozenset({Role.SENCO, Role.HEAD})


def _school_concerns(actor: Actor) -> QuerySet[Concern]:
    if actor.user is None or actor.school is None:
        return Concern.objects.none()
    return Concern.objects.filter(school=actor.school, pupil__archived_at__isnull=True)


@dataclass(frozen=True)
class ConcernFilters:
    """What the list is filtered by; `status` '' means open and closed."""

    status: str = Concern.Status.OPEN
    year: int | None = None
    q: str = ""


def concern_list(*, actor: Actor, filters: ConcernFilters) -> QuerySet[Concern]:
    """Concerns in the SENCO's or head's school, newest first, with observations counted."""
    if not actor.roles & CONCERN_ROLES:
        return Concern.objects.none()
    concerns = _school_concerns(actor)
    if filters.status:
        concerns = concerns.filter(status=filters.status)
    if filters.year is not None:
        concerns = concerns.filter(pupil__nc_year=filters.year)
    for term in filters.q.split():
        concerns = concerns.filter(
            Q(pupil__first_name__icontains=term) | Q(pupil__last_name__icontains=term)
        )
    return (
        concerns.select_related("pupil", "pupil__class_group", "raised_by")
        .annotate(
            asked=Count("requests", distinct=True),
            answered=Count(
                "requests", filter=Q(requests__submitted_at__isnull=False), distinct=True
            ),
        )
        .order_by("-raised_on", "-id")
    )


def concern_get(*, actor: Actor, concern_id: int) -> Concern:
    """One concern for the SENCO or head of its school, or 404."""
    if not actor.roles & CONCERN_ROLES:
        raise Http404("No such concern")
    concern = (
        _school_concerns(actor)
        .select_related("pupil", "pupil__class_group", "pupil__school", "raised_by", "closed_by")
        .filter(pk=concern_id)
        .first()
    )
    if concern is None:
        raise Http404("No such concern")
    return concern


def concern_get_raised(*, actor: Actor, concern_id: int) -> Concern:
    """A concern the actor raised (or, for the SENCO and head, any in the school), or 404.

    ``pupil_label`` names the pupil only if the actor may still see them (a teacher whose
    class the pupil has left since sees the neutral label, with no link)."""
    concerns = _school_concerns(actor)
    if not actor.roles & CONCERN_ROLES:
        concerns = concerns.filter(raised_by=actor.user)
    concern = concerns.select_related("pupil").filter(pk=concern_id).first()
    if concern is None:
        raise Http404("No such concern")
    concern.pupil_label = pupil_labels(actor=actor, pupils=[concern.pupil])[concern.pupil_id]
    return concern


def concern_requests(*, actor: Actor, concern: Concern) -> list[ObservationRequest]:
    """Who was asked to observe a concern already checked with `concern_get`, with answers."""
    if not actor.roles & CONCERN_ROLES:
        return []
    return list(
        ObservationRequest.objects.filter(school=concern.school_id, concern=concern)
        .select_related("teacher")
        .prefetch_related(Prefetch("observations", queryset=Observation.objects.order_by("id")))
        .order_by("requested_at", "id")
    )


def observers_available(*, actor: Actor, concern: Concern) -> QuerySet[User]:
    """Teachers and intervention specialists of the school not yet asked about this concern.

    Those who work with the pupil's class come first (`works_with_pupil`), then by name.
    """
    if actor.school is None:
        return User.objects.none()
    asked = ObservationRequest.objects.filter(school=actor.school, concern=concern).values(
        "teacher_id"
    )
    with_class = ClassStaff.objects.filter(
        school=actor.school, class_group_id=concern.pupil.class_group_id, user=OuterRef("pk")
    )
    return (
        User.objects.filter(
            is_active=True,
            memberships__school=actor.school,
            memberships__role__in=OBSERVER_ROLES,
        )
        .exclude(pk__in=asked)
        .annotate(works_with_pupil=Exists(with_class))
        .distinct()
        .order_by("-works_with_pupil", "full_name", "id")
    )


def observation_request_get(*, actor: Actor, request_id: int) -> ObservationRequest:
    """A request addressed to the actor in their current school, or 404 (anyone else's too).

    It names the pupil even to a teacher who does not otherwise work with them: the SENCO
    asked this person to observe this pupil. The read is written to the audit log here."""
    if actor.user is None or actor.school is None:
        raise Http404("No such request")
    found = (
        ObservationRequest.objects.filter(
            school=actor.school,
            teacher=actor.user,
            concern__pupil__archived_at__isnull=True,
            pk=request_id,
        )
        .select_related("concern", "concern__pupil", "concern__pupil__class_group", "requested_by")
        .prefetch_related("observations")
        .first()
    )
    if found is None:
        raise Http404("No such request")
    pupil_read_audit(actor=actor, pupil=found.concern.pupil, purpose="observation request")
    return found


def observations_asked_of(*, actor: Actor) -> QuerySet[ObservationRequest]:
    """Unanswered requests addressed to the actor on open concerns (for their dashboard)."""
    if actor.user is None or actor.school is None or not actor.roles & OBSERVER_ROLES:
        return ObservationRequest.objects.none()
    return (
        ObservationRequest.objects.filter(
            school=actor.school,
            teacher=actor.user,
            submitted_at__isnull=True,
            concern__status=Concern.Status.OPEN,
            concern__pupil__archived_at__isnull=True,
        )
        .select_related("concern__pupil", "concern__pupil__class_group", "requested_by")
        .order_by("requested_at", "id")
    )


def observation_grid(requests: list[ObservationRequest]) -> list[dict]:
    """Answered observations side by side: one row per area, one cell per person who answered.

    Uses the prefetched `observations` of each request, so it runs no query of its own.
    """
    answered = [r for r in requests if r.is_submitted]
    by_request = [{o.area: o for o in r.observations.all()} for r in answered]
    return [
        {"area": area, "cells": [observations.get(area.value) for observations in by_request]}
        for area in Area
    ]
