"""Signing in and looking after an account, in the audit log: who, when, from which address
and which browser.

Written for: a sign-in, a refused sign-in (for an address with an account or without one: the
address typed is kept, cut to length, never the password), signing out, a second-factor code
accepted or refused, a recovery code used, a second factor set up or turned off, a password
reset asked for and completed, and an invitation accepted.

Each event is written in the log of every school where the person holds a role, so the SENCO
and head who read their school's log (``roles.AUDIT_ROLES``) see their own staff's and
parents' sign-ins; an address with no account, or an adviser who covers a trust, belongs to no
school's log, so those rows have no school (the operators read them in the admin).

Sign-ins, refusals and sign-outs come from Django's own signals (``user_logged_in``,
``user_login_failed``, ``user_logged_out``), whatever page or library signed the person in.
django-otp has no signal for the code checks this project makes itself
(``second_factor_services.code_check``), so the views of the second factor, the password reset
and the invitation call ``account_event_record``.
"""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from sendwise.core.models import AuditEntry, Membership, User
from sendwise.core.services import client_ip, service

#: The longest address typed at a refused sign-in and the longest User-Agent kept.
USERNAME_MAX = 150
USER_AGENT_MAX = AuditEntry._meta.get_field("user_agent").max_length
OBJECT_TYPE = "account"


def _from_a_browser(request) -> bool:
    """A request that came over HTTP. Django also sends the sign-in signals when code signs
    someone in directly (the test client's ``force_login`` and ``login`` build an empty request,
    ``authenticate`` may be called with none): nobody signed in from anywhere, so nothing is
    written."""
    return request is not None and bool(getattr(request, "META", {}).get("REMOTE_ADDR"))


@service
def account_event_record(
    *, action: str, request, user: User | None = None, username: str = "", detail: str = ""
) -> list[AuditEntry]:
    """Record an account event, in the log of each school where ``user`` holds a role (one row
    with no school when they hold none, or when ``username`` names no account)."""
    school_ids = sorted(
        set(
            Membership.objects.filter(
                user_id=user.pk if user is not None else None, school__isnull=False
            ).values_list("school_id", flat=True)
        )
    )
    shown = user.email if user is not None else username.strip()[:USERNAME_MAX]
    user_agent = request.headers.get("User-Agent", "")[:USER_AGENT_MAX]
    rows = [
        AuditEntry(
            school_id=school_id,
            user=user,
            action=action,
            object_type=OBJECT_TYPE,
            object_id=str(user.pk) if user is not None else "",
            object_repr=shown[:200],
            detail=detail[:300],
            ip=client_ip(request),
            user_agent=user_agent,
        )
        for school_id in school_ids or [None]
    ]
    return AuditEntry.objects.bulk_create(rows)


def _signed_in(sender, request, user, **kwargs):
    if _from_a_browser(request):
        account_event_record(action=AuditEntry.Action.SIGN_IN, request=request, user=user)


def _signed_out(sender, request, user, **kwargs):
    if _from_a_browser(request) and user is not None:
        account_event_record(action=AuditEntry.Action.SIGN_OUT, request=request, user=user)


def _refused(sender, credentials, request=None, **kwargs):
    """Django passes the credentials with the password already masked; only the address typed
    is kept. An address with an account is written in its schools' logs."""
    if not _from_a_browser(request):
        return
    typed = str(credentials.get(User.USERNAME_FIELD) or credentials.get("username") or "")
    typed = typed.strip()[:USERNAME_MAX]
    user = User.objects.filter(email__iexact=typed).first() if typed else None
    account_event_record(
        action=AuditEntry.Action.SIGN_IN_FAILED, request=request, user=user, username=typed
    )


def connect() -> None:
    """Called once from CoreConfig.ready."""
    user_logged_in.connect(_signed_in, dispatch_uid="sendwise.core.sign_in_audit.in")
    user_logged_out.connect(_signed_out, dispatch_uid="sendwise.core.sign_in_audit.out")
    user_login_failed.connect(_refused, dispatch_uid="sendwise.core.sign_in_audit.failed")
