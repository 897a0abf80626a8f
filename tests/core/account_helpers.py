"""Records and addresses for the account pages: invitations, sessions, second factors."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from sendwise.core.account_services import invitation_token
from sendwise.core.models import Invitation
from sendwise.core.roles import Role

ACCOUNT_URL_NAMES = {
    "session_end",
    "password_reset_confirm",
    "invitation_accept",
    "invitation_revoke",
}


def invitation(world, *, email="new.senco@example.test", role=Role.SENCO, **fields) -> Invitation:
    now = timezone.now()
    defaults = {
        "school": world.school,
        "email": email,
        "full_name": "Nia Okafor",
        "role": role,
        "invited_by": world.users[Role.ADMIN],
        "created_at": now,
        "expires_at": now + timedelta(days=7),
    }
    return Invitation.objects.create(**{**defaults, **fields})


def invitation_link(inv: Invitation) -> str:
    return reverse(
        "invitation_accept", kwargs={"invitation_id": inv.pk, "token": invitation_token(inv)}
    )


def account_url(name: str, world) -> str:
    if name == "session_end":
        return reverse(name, kwargs={"session_id": 999999})
    if name == "password_reset_confirm":
        return reverse(name, kwargs={"uidb64": "MQ", "token": "not-a-token"})
    inv = invitation(world)
    if name == "invitation_accept":
        return invitation_link(inv)
    return reverse(name, kwargs={"invitation_id": inv.pk})


def authenticator(user) -> TOTPDevice:
    """A confirmed authenticator app for `user` (as if set up)."""
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def code_now(device: TOTPDevice, *, offset_steps: int = 0) -> str:
    """The code the person's app shows now (or `offset_steps` steps away)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = timezone.now().timestamp() + offset_steps * device.step
    return f"{totp.token():06d}"


def wrong_code(device: TOTPDevice) -> str:
    right = {code_now(device, offset_steps=s) for s in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in right)
