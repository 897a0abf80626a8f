"""Signing in and looking after an account is in the audit log: who, when, from which address
and browser; the SENCO and head read their school's, and no one else's."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from sendwise.core import second_factor_services as second_factor
from sendwise.core.models import AuditEntry, User
from sendwise.core.roles import Role
from sendwise.core.sign_in_audit import USER_AGENT_MAX, USERNAME_MAX
from tests.core.account_helpers import authenticator, code_now, invitation, invitation_link
from tests.factories import MembershipFactory, UserFactory

PASSWORD = "a-long-test-password"  # pragma: allowlist secret (a test account's)
NEW_PASSWORD = "kettle-lantern-orchard-42"  # pragma: allowlist secret (made up)
BROWSER = "Mozilla/5.0 (Windows NT 10.0) Firefox/133.0"
FROM = {"REMOTE_ADDR": "203.0.113.7", "HTTP_USER_AGENT": BROWSER}


@pytest.fixture(autouse=True)
def enforced(settings):
    settings.SECOND_FACTOR_ENFORCED = True
    settings.SENDWISE_DEMO_MODE = False


def sign_in(client, email, password=PASSWORD, **extra):
    return client.post(
        reverse("login"), {"username": email, "password": password}, **{**FROM, **extra}
    )


def events(action):
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


def test_a_sign_in_is_written_with_who_when_where_and_the_browser(client, world):
    teacher = world.users[Role.TEACHER]
    assert sign_in(client, teacher.email).status_code == 302
    [entry] = events("sign_in")
    assert (entry.user, entry.school, entry.object_type) == (teacher, world.school, "account")
    assert (entry.ip, entry.user_agent) == ("203.0.113.7", BROWSER)
    assert entry.at is not None and entry.object_repr == teacher.email


def test_a_person_with_roles_in_two_schools_is_in_both_logs(client, world):
    teacher = world.users[Role.TEACHER]
    MembershipFactory(user=teacher, school=world.other_school, role=Role.TEACHER)
    sign_in(client, teacher.email)
    assert {e.school for e in events("sign_in")} == {world.school, world.other_school}


def test_a_wrong_password_for_an_account_is_written_in_its_schools_log_without_the_password(
    client, world
):
    teacher = world.users[Role.TEACHER]
    sign_in(client, teacher.email.upper(), "not-the-password")
    [entry] = events("sign_in_failed")
    assert (entry.user, entry.school, entry.ip) == (teacher, world.school, "203.0.113.7")
    assert "not-the-password" not in entry.object_repr + entry.detail + entry.user_agent
    assert not events("sign_in")


def test_an_address_with_no_account_is_kept_cut_to_length_in_no_schools_log(client, db):
    typed = "nobody." + "x" * 200 + "@school.test"
    sign_in(client, "someone@nowhere.test", "guess")
    sign_in(client, typed, "guess")
    first, second = events("sign_in_failed")
    assert (first.user, first.school, first.object_repr) == (None, None, "someone@nowhere.test")
    assert (second.user, second.school) == (None, None)
    assert second.object_repr == typed[:USERNAME_MAX] and len(typed) > USERNAME_MAX


def test_an_overlong_browser_name_is_cut_to_length(client, world):
    sign_in(client, world.users[Role.TEACHER].email, HTTP_USER_AGENT="B" * 5000)
    assert len(events("sign_in")[0].user_agent) == USER_AGENT_MAX


def test_signing_out_is_written(client, world):
    sign_in(client, world.users[Role.TEACHER].email)
    client.post(reverse("logout"), **FROM)
    [entry] = events("sign_out")
    assert (entry.user, entry.school, entry.ip) == (
        world.users[Role.TEACHER],
        world.school,
        FROM["REMOTE_ADDR"],
    )


def test_the_second_factor_accepted_refused_and_a_recovery_code_used(client, world):
    senco = world.users[Role.SENCO]
    device = authenticator(senco)
    verify = reverse("second_factor_verify")
    sign_in(client, senco.email)
    client.post(verify, {"code": code_now(device)}, **FROM)
    assert [e.action for e in AuditEntry.objects.filter(object_type="account").order_by("id")] == [
        "sign_in",
        "code_accepted",
    ]
    elsewhere = Client()
    sign_in(elsewhere, senco.email)
    elsewhere.post(verify, {"code": "abcdefgh"}, **FROM)  # no such recovery code
    [refused] = events("code_refused")
    assert (refused.user, refused.school, refused.ip) == (senco, world.school, "203.0.113.7")
    assert refused.detail == second_factor.CODE_WRONG  # why it was refused
    [code, *_] = second_factor.recovery_codes_renew(user=senco)
    elsewhere.post(verify, {"code": code}, **FROM)
    assert [e.user for e in events("recovery_code")] == [senco]
    assert len(events("code_accepted")) == 1  # a recovery code is written as itself


def test_setting_up_and_turning_off_a_second_factor(client, world):
    teacher = world.users[Role.TEACHER]
    sign_in(client, teacher.email)
    setup = reverse("second_factor_setup")
    client.get(setup, **FROM)
    key = client.session["sendwise_totp_setup_key"]
    device = TOTPDevice(user=teacher, key=key)  # the person's app, not saved
    client.post(setup, {"code": code_now(device)}, **FROM)
    assert [e.user for e in events("factor_added")] == [teacher]
    client.post(reverse("second_factor_remove"), **FROM)
    [removed] = events("factor_removed")
    assert (removed.user, removed.school, removed.user_agent) == (teacher, world.school, BROWSER)


def test_a_password_reset_asked_for_and_completed(client, world):
    teacher = world.users[Role.TEACHER]
    client.post(reverse("password_reset"), {"email": teacher.email}, **FROM)
    client.post(reverse("password_reset"), {"email": "nobody@school.test"}, **FROM)
    known, unknown = events("reset_requested")
    assert (known.user, known.school) == (teacher, world.school)
    assert (unknown.user, unknown.school, unknown.object_repr) == (
        None,
        None,
        "nobody@school.test",
    )
    link = re.search(r"http://testserver(/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True, **FROM)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        **FROM,
    )
    [done] = events("reset_done")
    assert (done.user, done.school, done.ip) == (teacher, world.school, "203.0.113.7")


def test_an_invitation_accepted_is_written_with_where_from(client, world):
    sent = invitation(world, role=Role.TEACHER, email="new.teacher@example.test")
    client.post(
        invitation_link(sent),
        {"full_name": "Nia Okafor", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        **FROM,
    )
    user = User.objects.get(email="new.teacher@example.test")
    [accepted] = events("invitation_accepted")
    assert (accepted.user, accepted.school, accepted.object_type) == (
        user,
        world.school,
        "invitation",
    )
    assert (accepted.ip, accepted.user_agent) == ("203.0.113.7", BROWSER)
    assert [e.user for e in events("sign_in")] == [user]  # accepting signs the person in


def test_signing_someone_in_from_code_is_not_a_sign_in(client, world):
    """The test client's force_login (and login) send Django's signal with an empty request:
    no one signed in from anywhere, so the log stays as it was."""
    client.force_login(world.users[Role.TEACHER])
    client.logout()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("role", [Role.SENCO, Role.HEAD])
def test_the_senco_and_head_see_sign_ins_on_the_audit_page(client, world, role, settings):
    settings.SECOND_FACTOR_ENFORCED = False
    teacher = world.users[Role.TEACHER]
    sign_in(client, teacher.email, "not-the-password")
    sign_in(client, teacher.email)
    client.force_login(world.users[role])
    html = client.get(reverse("audit_log"), {"object_type": "account"}).content.decode()
    assert "Sign-in refused" in html and "Signed in" in html
    assert BROWSER in html and "203.0.113.7" in html


@pytest.mark.parametrize("role", [Role.TEACHER, Role.ADMIN, Role.PARENT])
def test_others_still_cannot_open_the_audit_log(client, world, role, settings):
    settings.SECOND_FACTOR_ENFORCED = False
    client.force_login(world.users[role])
    assert client.get(reverse("audit_log")).status_code == 403


def test_another_schools_sign_ins_are_not_in_this_schools_log(client, world, settings):
    settings.SECOND_FACTOR_ENFORCED = False
    stranger = UserFactory(email="stranger@other.test")
    MembershipFactory(user=stranger, school=world.other_school, role=Role.TEACHER)
    sign_in(client, stranger.email)
    client.force_login(world.users[Role.SENCO])
    html = client.get(reverse("audit_log")).content.decode()
    assert "stranger@other.test" not in html
