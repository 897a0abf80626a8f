"""The second factor at sign-in: a six-digit code from an authenticator app (TOTP, RFC 6238,
through django-otp's `TOTPDevice`) or, when the phone is lost, a one-time recovery code
(django-otp's `StaticDevice`).

Who must have one: anyone holding a role in `roles.SECOND_FACTOR_ROLES` anywhere (SENCO, head,
administrator, adviser); every other member of staff may choose to. The demo trust's made-up
accounts are let off only while `SENDWISE_DEMO_MODE` is on. `SecondFactorMiddleware` sends a
person who is signed in with their password, but not yet with their second factor, here before
any other page.

Wrong codes are throttled twice over: django-otp's own back-off (1, 2, 4, 8 ... seconds after
each failure, `OTP_TOTP_THROTTLE_FACTOR`), and, like the password (django-axes), five wrong codes
in a row pause the second step for 15 minutes (`SECOND_FACTOR_FAILURE_LIMIT`,
`SECOND_FACTOR_COOLOFF_MINUTES`). A failure is counted even though the check then refuses, so
the check writes outside the refusal (no rollback undoes the count).
"""

import logging
import secrets
from base64 import b32encode
from binascii import unhexlify
from dataclasses import dataclass
from datetime import timedelta

import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sendwise.core.models import User
from sendwise.core.roles import SECOND_FACTOR_ROLES
from sendwise.core.services import service

RECOVERY_CODE_COUNT = 10
logger = logging.getLogger(__name__)
#: The session key holding the secret of an authenticator being set up, until it is confirmed.
SETUP_KEY_SESSION = "sendwise_totp_setup_key"

CODE_REQUIRED = "Enter the 6-digit code from your authenticator app"
CODE_WRONG = "The code is not right: enter the code your authenticator app shows now"
CODE_WAIT = "Wait {seconds} before you try another code"
CODE_PAUSED = (
    "You have entered too many wrong codes. To protect pupils' records, the second step of "
    "signing in is paused: try again in {minutes} minutes"
)
REMOVE_REQUIRED = "Your role needs a code from your phone: it cannot be turned off"
SETUP_CODE_WRONG = (
    "The code is not right: check that the app shows SENDwise and enter the code it shows now"
)


def is_demo_account(user: User) -> bool:
    """A made-up account of the demo trust: its address is on the reserved .test domain."""
    return user.email.lower().endswith("@" + settings.DEMO_ACCOUNT_DOMAIN)


def second_factor_required(*, user: User, roles) -> bool:
    """True when this person must sign in with a second factor."""
    if not set(roles) & SECOND_FACTOR_ROLES:
        return False
    return not (settings.SENDWISE_DEMO_MODE and is_demo_account(user))


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def next_step(*, user: User, roles) -> str | None:
    """What a person signed in with their password alone must do next: "verify" (enter a
    code), "setup" (set up an authenticator first) or nothing."""
    if has_second_factor(user):
        return "verify"
    if second_factor_required(user=user, roles=roles):
        return "setup"
    return None


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# Setting up an authenticator --------------------------------------------------------------------


def setup_key(session) -> str:
    """The secret (hex) of the authenticator being set up in this session, made on first use.
    It lives in the session until the person proves their app has it."""
    key = session.get(SETUP_KEY_SESSION)
    if not key:
        key = secrets.token_hex(20)  # 160 bits, as RFC 4226 recommends for HMAC-SHA1
        session[SETUP_KEY_SESSION] = key
    return key


def setup_details(*, user: User, key: str) -> dict:
    """What the set-up page shows: the key written out for typing in, and a QR code of the
    otpauth:// address (the Key URI format every authenticator app reads) as inline SVG."""
    device = TOTPDevice(user=user, key=key, name="Authenticator app")
    written = b32encode(unhexlify(key)).decode()
    qr = segno.make(device.config_url, error="m")
    svg = qr.svg_inline(scale=5, dark="#0b0c0c", light="#ffffff", omitsize=False)
    svg = svg.replace(
        "<svg ",
        '<svg role="img" aria-label="QR code to scan with your authenticator app" ',
        1,
    )
    return {
        "written_key": " ".join(written[i : i + 4] for i in range(0, len(written), 4)),
        "qr_svg": svg,
    }


def _clean(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


@service
def authenticator_confirm(*, user: User, key: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """Keep the authenticator whose key the person's app holds, proved by a code it shows now;
    it replaces any earlier one. Returns the device and a fresh set of recovery codes."""
    code = _clean(code)
    if not code:
        raise ValidationError({"code": CODE_REQUIRED})
    totp = TOTP(unhexlify(key), step=30, t0=0, digits=6, drift=0)
    totp.time = timezone.now().timestamp()
    if not code.isdigit() or not totp.verify(int(code), tolerance=1):
        raise ValidationError({"code": SETUP_CODE_WRONG})
    TOTPDevice.objects.filter(user=user).delete()  # a lost or replaced phone stops working
    device = TOTPDevice.objects.create(
        user=user, key=key, name="Authenticator app", confirmed=True, last_t=totp.t()
    )
    return device, recovery_codes_renew(user=user)


@service
def recovery_codes_renew(*, user: User) -> list[str]:
    """Ten new one-time recovery codes; any earlier ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name="Recovery codes", defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    device.throttle_reset()
    return codes


@service
def second_factor_remove(*, user: User, roles) -> None:
    """Turn the second factor off, for someone whose roles do not require it."""
    if second_factor_required(user=user, roles=roles):
        raise ValidationError(REMOVE_REQUIRED)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


# Signing in with the second factor ---------------------------------------------------------------


@dataclass(frozen=True)
class CodeCheck:
    device: TOTPDevice | StaticDevice | None
    error: str = ""

    @property
    def recovery_code_used(self) -> bool:
        return isinstance(self.device, StaticDevice)


def _paused_until(device):
    """When a device's pause after too many wrong codes ends, or None when it is not paused."""
    if device.throttling_failure_count < settings.SECOND_FACTOR_FAILURE_LIMIT:
        return None
    if device.throttling_failure_timestamp is None:
        return None
    until = device.throttling_failure_timestamp + timedelta(
        minutes=settings.SECOND_FACTOR_COOLOFF_MINUTES
    )
    return until if until > timezone.now() else None


def code_check(*, user: User, code: str) -> CodeCheck:
    """Check a code from the person's authenticator app, or one of their recovery codes (used
    up by the check). A wrong code is counted against the device even though it is refused."""
    code = _clean(code)
    if not code:
        return CodeCheck(None, CODE_REQUIRED)
    with transaction.atomic():
        devices = list(TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True))
        devices += list(StaticDevice.objects.select_for_update().filter(user=user, confirmed=True))
        paused = [until for d in devices if (until := _paused_until(d))]
        if paused:
            minutes = max(1, round((max(paused) - timezone.now()).total_seconds() / 60))
            return CodeCheck(None, CODE_PAUSED.format(minutes=minutes))
        kind = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
        device = next((d for d in devices if isinstance(d, kind)), None)
        if device is None:
            devices_of_kind = [d for d in devices if isinstance(d, TOTPDevice)]
            if not devices_of_kind:
                return CodeCheck(None, CODE_WRONG)
            device = devices_of_kind[0]  # a wrong guess counts against the authenticator
        allowed, detail = device.verify_is_allowed()
        if not allowed:
            wait = (detail["locked_until"] - timezone.now()).total_seconds()
            seconds = max(1, round(wait + 0.5))
            words = f"{seconds} second{'s' if seconds != 1 else ''}"
            return CodeCheck(None, CODE_WAIT.format(seconds=words))
        if device.verify_token(code):
            return CodeCheck(device)
        if _paused_until(device):
            # For whoever watches the logs: someone may be guessing codes with a stolen password.
            logger.warning(
                "Second factor paused for user %s after %s wrong codes in a row",
                user.pk,
                device.throttling_failure_count,
            )
            minutes = settings.SECOND_FACTOR_COOLOFF_MINUTES
            return CodeCheck(None, CODE_PAUSED.format(minutes=minutes))
        return CodeCheck(None, CODE_WRONG)
