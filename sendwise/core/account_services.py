"""Accounts: staff invitations (sent by a school's administrator, accepted by setting a
password) and the signed-in sessions a person can see and end.

An invitation's link carries a token made from the row and the site's secret key
(`invitation_token`, HMAC-SHA256 through Django's `salted_hmac`, as Django's own password-reset
tokens are made), so the database and the task queue hold nothing that accepts it.
"""

from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from sendwise.core.access import Actor
from sendwise.core.models import AuditEntry, Invitation, Membership, SignInSession, User
from sendwise.core.roles import INVITABLE_ROLES, Role
from sendwise.core.services import audit_record, service

ROLE_NOT_INVITABLE = "Choose a staff role: SENCO, headteacher, teacher, intervention specialist or school administrator"
ALREADY_STAFF = "{email} already works in this school in SENDwise"
ALREADY_INVITED = "{email} has an invitation waiting already: revoke it first to send a new one"
NOT_PENDING = {
    "accepted": "This invitation has been accepted already. Sign in with your email address",
    "revoked": "This invitation has been revoked. Ask your school's administrator for a new one",
    "expired": "This invitation has expired. Ask your school's administrator for a new one",
}
NOT_REVOCABLE = "Only an invitation that is still waiting can be revoked"
WRONG_ACCOUNT = "This invitation is for another email address"

#: Where a signed-in session records when it was last used: [SignInSession id, epoch seconds].
SEEN_SESSION_KEY = "sendwise_seen"
#: How often "last seen" is written (not on every request).
SEEN_EVERY_SECONDS = 5 * 60


def invitation_token(invitation: Invitation) -> str:
    """The token in an invitation's link (changes if the row's identity or date changes)."""
    value = f"{invitation.pk}:{invitation.email}:{invitation.created_at.timestamp()}"
    return salted_hmac("sendwise.invitation", value, algorithm="sha256").hexdigest()


def invitation_for_link(*, invitation_id: int, token: str) -> Invitation | None:
    """The invitation a link names, whatever its state, or None if the token is not its own."""
    invitation = Invitation.objects.select_related("school").filter(pk=invitation_id).first()
    if invitation is None or not constant_time_compare(invitation_token(invitation), token):
        return None
    return invitation


@service
def invitation_create(
    *, actor: Actor, email: str, full_name: str, role: str, job_title: str = ""
) -> Invitation:
    """Invite someone to the actor's school in a staff role; the link is emailed (core.mail_tasks)."""
    email = email.strip().lower()
    if role not in INVITABLE_ROLES:
        raise ValidationError({"role": ROLE_NOT_INVITABLE})
    if Membership.objects.filter(school=actor.school, user__email__iexact=email).exists():
        raise ValidationError({"email": ALREADY_STAFF.format(email=email)})
    now = timezone.now()
    waiting = Invitation.objects.filter(
        school=actor.school,
        email=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=now,
    )
    if waiting.exists():
        raise ValidationError({"email": ALREADY_INVITED.format(email=email)})
    invitation = Invitation(
        school=actor.school,
        email=email,
        full_name=full_name.strip(),
        role=role,
        job_title=job_title.strip(),
        invited_by=actor.user,
        created_at=now,
        expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="invitation",
        object_id=invitation.pk,
        object_repr=f"Invitation of {invitation.email} as {invitation.get_role_display()}",
    )
    return invitation


@service
def invitation_revoke(*, actor: Actor, invitation: Invitation) -> Invitation:
    """Stop a waiting invitation's link from working (the row is kept)."""
    if invitation.school_id != actor.school.pk or invitation.status() != "pending":
        raise ValidationError(NOT_REVOCABLE)
    invitation.revoked_at = timezone.now()
    invitation.revoked_by = actor.user
    invitation.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="invitation",
        object_id=invitation.pk,
        object_repr=f"Revoked the invitation of {invitation.email}",
    )
    return invitation


@service
def invitation_accept(
    *,
    invitation: Invitation,
    full_name: str = "",
    password: str = "",
    user: User | None = None,
    ip: str | None = None,
    user_agent: str = "",
) -> User:
    """Take up an invitation: a new account with the password chosen, or (`user`) the account
    already signed in with the invited address; either way the role it offered, in its school."""
    status = invitation.status()
    if status != "pending":
        raise ValidationError(NOT_PENDING[status])
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(WRONG_ACCOUNT)
        user = User(email=invitation.email, full_name=full_name.strip() or invitation.full_name)
        password_validation.validate_password(password, user=user)
        user.set_password(password)
        user.full_clean()
        user.save()
    elif user.email.lower() != invitation.email.lower():
        raise ValidationError(WRONG_ACCOUNT)
    Membership.objects.get_or_create(
        user=user,
        school=invitation.school,
        role=invitation.role,
        defaults={"job_title": invitation.job_title},
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_record(
        actor=Actor(user=user, school=invitation.school, roles=frozenset({invitation.role}), ip=ip),
        action=AuditEntry.Action.INVITATION_ACCEPTED,
        object_type="invitation",
        object_id=invitation.pk,
        object_repr=f"{user.email} joined as {Role(invitation.role).label}",
        user_agent=user_agent,
    )
    return user


# Signed-in sessions -----------------------------------------------------------------------------


def _session_store():
    return import_module(settings.SESSION_ENGINE).SessionStore


@service
def session_record(*, user: User, session, ip: str | None, user_agent: str) -> SignInSession:
    """Note a new sign-in (just after Django's `login`, which gives the session a new key)."""
    if not session.session_key:
        session.save()
    record, _ = SignInSession.objects.update_or_create(
        session_key=session.session_key,
        defaults={"user": user, "ip": ip, "user_agent": user_agent[:300], "ended_at": None},
    )
    session[SEEN_SESSION_KEY] = [record.pk, int(timezone.now().timestamp())]
    return record


def session_seen(*, session) -> None:
    """Move this session's "last seen" on, at most every few minutes (one small write)."""
    seen = session.get(SEEN_SESSION_KEY)
    if not seen:
        return
    record_id, at = seen
    now = timezone.now()
    if now.timestamp() - at < SEEN_EVERY_SECONDS:
        return
    SignInSession.objects.filter(pk=record_id, ended_at__isnull=True).update(last_seen_at=now)
    session[SEEN_SESSION_KEY] = [record_id, int(now.timestamp())]


@service
def session_end(*, user: User, record: SignInSession) -> None:
    """Sign a person out of one of their sessions (another browser or device)."""
    if record.user_id != user.pk:
        raise ValidationError("That session is not yours")
    _session_store()(session_key=record.session_key).delete()
    SignInSession.objects.filter(pk=record.pk, ended_at__isnull=True).update(
        ended_at=timezone.now()
    )


@service
def session_signed_out(*, session_key: str | None) -> None:
    """The person signed out of this session themselves."""
    if session_key:
        SignInSession.objects.filter(session_key=session_key, ended_at__isnull=True).update(
            ended_at=timezone.now()
        )


@service
def sessions_end_all(*, user: User) -> None:
    """After a password reset: every session of the person ends (Django refuses them anyway,
    as the password changed; this ends their rows and removes them from the session table)."""
    store = _session_store()
    for record in SignInSession.objects.filter(user=user, ended_at__isnull=True):
        store(session_key=record.session_key).delete()
    SignInSession.objects.filter(user=user, ended_at__isnull=True).update(ended_at=timezone.now())
