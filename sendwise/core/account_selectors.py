"""Reads for accounts: a school's invitations, and a person's own signed-in sessions."""

from django.contrib.sessions.models import Session
from django.shortcuts import get_object_or_404
from django.utils import timezone

from sendwise.core.access import Actor
from sendwise.core.models import Invitation, SignInSession


def invitations_for_school(*, actor: Actor) -> list[Invitation]:
    """Every invitation sent in the actor's school, newest first, with who sent it."""
    return list(
        Invitation.objects.filter(school=actor.school).select_related(
            "invited_by", "accepted_by", "revoked_by"
        )
    )


def invitation_in_school(*, actor: Actor, invitation_id: int) -> Invitation:
    """One invitation of the actor's school; 404 for another school's or a missing one."""
    return get_object_or_404(Invitation, pk=invitation_id, school=actor.school)


def sessions_open(*, user) -> list[SignInSession]:
    """The person's sessions still signed in (their session not expired or ended)."""
    live = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return list(
        SignInSession.objects.filter(user=user, ended_at__isnull=True, session_key__in=live)
    )


def session_of(*, user, record_id: int) -> SignInSession:
    """One of the person's own open sessions; 404 for anyone else's."""
    return get_object_or_404(SignInSession, pk=record_id, user=user, ended_at__isnull=True)
