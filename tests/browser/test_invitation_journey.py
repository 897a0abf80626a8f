"""Issue 13's journey: the school's administrator (signing in with password and code) invites a
new SENCO; the SENCO opens the emailed link, chooses a password, sets up an authenticator app
from the set-up page, saves the recovery codes, signs out, and signs in again with both; a
wrong code is refused and the next try has to wait. Axe checks every page."""

import re
from base64 import b32decode

import pytest
from django.core import mail
from django.utils import timezone
from django_otp.oath import TOTP
from playwright.sync_api import expect

from sendwise.core.models import User
from sendwise.core.roles import Role
from tests.conftest import make_world
from tests.core.account_helpers import authenticator, code_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-test-password"  # pragma: allowlist secret (a test account's)
NEW_PASSWORD = "kettle-lantern-orchard-42"  # pragma: allowlist secret (made up for the test)
THROTTLE_SECONDS = 3


@pytest.fixture(autouse=True)
def second_factor_on(settings):
    settings.SECOND_FACTOR_ENFORCED = True
    settings.SENDWISE_DEMO_MODE = False
    # django-otp's back-off after a wrong code, long enough to be seen on a busy machine
    settings.OTP_TOTP_THROTTLE_FACTOR = THROTTLE_SECONDS


def password_step(page, base, email, password):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def enter_code(page, code):
    page.get_by_label("Code", exact=True).fill(code)
    page.get_by_role("button", name="Continue").click()


def code_for(key_hex: str, *, steps_ahead: int = 0) -> str:
    totp = TOTP(bytes.fromhex(key_hex))
    totp.time = timezone.now().timestamp() + 30 * steps_ahead
    return f"{totp.token():06d}"


def sign_out(page):
    page.get_by_role("button", name="Sign out").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to SENDwise")


def test_a_new_senco_accepts_an_invitation_and_signs_in_with_password_and_code(live_server, page):
    world = make_world()
    base = live_server.url
    admin = world.users[Role.ADMIN]
    admins_app = authenticator(admin)

    # The administrator signs in with their password and a code, and invites the new SENCO.
    password_step(page, base, admin.email, PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter the code from your authenticator app"
    )
    enter_code(page, code_now(admins_app))
    page.get_by_role("link", name="Staff").click()
    page.get_by_role("link", name="Invite a member of staff").click()
    page.get_by_label("Full name").fill("Nia Okafor")
    page.get_by_label("Email address").fill("nia.okafor@alpha.sch.test")
    page.get_by_label("SENCO", exact=True).check()
    page.get_by_label("Job title (optional)").fill("SENCO")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Invitation sent to nia.okafor@alpha.sch.test")).to_be_visible()
    expect(page.get_by_role("cell", name="Waiting")).to_be_visible()
    sign_out(page)

    # The email's link: the new SENCO chooses a password ...
    (message,) = mail.outbox
    link = re.search(r"https?://\S+", message.body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Join SENDwise at Alpha Primary")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm the new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create account").click()

    # ... and is taken to set up an authenticator app before anything else.
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your authenticator app")
    expect(
        page.get_by_role("img", name="QR code to scan with your authenticator app")
    ).to_be_visible()
    page.get_by_text("I cannot scan the QR code").click()
    written = page.locator("#setup-key").inner_text()
    key_hex = b32decode(written.replace(" ", "")).hex()
    enter_code(page, code_for(key_hex))
    expect(page.get_by_role("heading", level=1)).to_have_text("Save your recovery codes")
    expect(page.get_by_role("list", name="Recovery codes").get_by_role("listitem")).to_have_count(
        10
    )
    page.get_by_role("link", name="I have saved my recovery codes").click()
    expect(page.get_by_text("Signed in as Nia Okafor")).to_be_visible()
    sign_out(page)

    # Signing in again: the password, then a code. A wrong code is refused ...
    password_step(page, base, "nia.okafor@alpha.sch.test", NEW_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter the code from your authenticator app"
    )
    page.goto(f"{base}/pupils/")  # no page with pupils' data before the code
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter the code from your authenticator app"
    )
    enter_code(page, "000000" if code_for(key_hex) != "000000" else "111111")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter the code from your authenticator app"
    )
    expect(page.get_by_role("alert")).to_contain_text("The code is not right")
    # ... and throttled: even the right code has to wait.
    enter_code(page, code_for(key_hex, steps_ahead=1))
    expect(page.get_by_role("alert")).to_contain_text("before you try another code")
    page.wait_for_timeout(THROTTLE_SECONDS * 1000 + 500)
    enter_code(page, code_for(key_hex, steps_ahead=1))
    expect(page.get_by_role("heading", level=1)).to_contain_text("SEND register")
    expect(page.get_by_text("Signed in as Nia Okafor")).to_be_visible()
    nia = User.objects.get(email="nia.okafor@alpha.sch.test")
    assert nia.memberships.get().role == Role.SENCO
