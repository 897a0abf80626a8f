"""A teacher who has forgotten their password chooses a new one from the emailed link, signs in,
finds the browser they left signed in elsewhere on "Your account" and signs it out; the school's
administrator revokes an invitation sent by mistake. Axe checks every page."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from sendwise.core.roles import Role
from tests.conftest import make_world
from tests.core.account_helpers import invitation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-test-password"  # pragma: allowlist secret (a test account's)
NEW_PASSWORD = "kettle-lantern-orchard-42"  # pragma: allowlist secret (made up for the test)


def sign_in(page, base, email, password):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Signed in as")).to_be_visible()


def test_a_forgotten_password_and_a_session_left_open_elsewhere(live_server, page, browser):
    world = make_world()
    base = live_server.url
    teacher = world.users[Role.TEACHER]

    # Signed in on another computer, then the password is forgotten.
    elsewhere = browser.new_context(locale="en-GB", user_agent="Staffroom computer")
    other_page = elsewhere.new_page()
    sign_in(other_page, base, teacher.email, PASSWORD)

    page.goto(f"{base}/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    page.get_by_label("Email address").fill(teacher.email)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    (message,) = mail.outbox
    page.goto(re.search(r"https?://\S+", message.body).group(0))
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm the new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has been changed")
    page.get_by_role("link", name="Sign in").click()
    sign_in(page, base, teacher.email, NEW_PASSWORD)

    # The staffroom computer was signed out by the new password.
    other_page.reload()
    expect(other_page.get_by_role("heading", level=1)).to_have_text("Sign in to SENDwise")

    # Signed in there again, it is listed on "Your account" and signed out from here.
    sign_in(other_page, base, teacher.email, NEW_PASSWORD)
    page.get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    row = page.get_by_role("row").filter(has_text="Staffroom computer")
    row.get_by_role("button", name=re.compile("^Sign out")).click()
    expect(page.get_by_text("That session has been signed out.")).to_be_visible()
    expect(page.get_by_text("You are not signed in anywhere else.")).to_be_visible()
    other_page.reload()
    expect(other_page.get_by_role("heading", level=1)).to_have_text("Sign in to SENDwise")
    elsewhere.close()


def test_the_administrator_revokes_an_invitation_sent_by_mistake(live_server, page):
    world = make_world()
    sent = invitation(world, email="wrong.person@example.test", role=Role.TEACHER)
    sign_in(page, live_server.url, world.users[Role.ADMIN].email, PASSWORD)
    page.get_by_role("link", name="Staff").click()
    page.get_by_role("link", name="Invitations sent").click()
    expect(page.get_by_role("cell", name="wrong.person@example.test", exact=True)).to_be_visible()
    page.get_by_role("button", name="Revoke the invitation of wrong.person@example.test").click()
    expect(page.get_by_text("has been revoked")).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile("^Revoked"))).to_be_visible()
    sent.refresh_from_db()
    assert sent.status() == "revoked"
