"""Accounts: staff invitations by the school's administrator, password reset by email (saying
the same whether or not the address has an account), and the sessions a person can end."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sendwise.core import account_forms, account_services
from sendwise.core.models import Invitation, Membership, SignInSession, User
from sendwise.core.roles import Role
from tests.core.account_helpers import invitation, invitation_link
from tests.factories import MembershipFactory, UserFactory
from tests.queries import assert_database_query_count, capture_queries

PASSWORD = "a-long-test-password"  # pragma: allowlist secret (a test account's)
NEW_PASSWORD = "kettle-lantern-orchard-42"  # pragma: allowlist secret (made up)


def link_in(message) -> str:
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


# Invitations ------------------------------------------------------------------------------------


def invite(client, **fields):
    data = {"full_name": "Nia Okafor", "email": "nia@school.test", "role": Role.SENCO, **fields}
    return client.post(reverse("invitation_new"), data)


def test_the_administrator_invites_a_senco_who_gets_a_link_by_email(client_as, world):
    response = invite(client_as(Role.ADMIN), job_title="SENCO (maternity cover)")
    assert response["Location"] == reverse("invitations")
    sent = Invitation.objects.get()
    assert (sent.school, sent.role, sent.status()) == (world.school, Role.SENCO, "pending")
    assert [m.to for m in mail.outbox] == [["nia@school.test"]]
    assert link_in(mail.outbox[0]) == invitation_link(sent)
    assert world.school.name in mail.outbox[0].subject
    page = client_as(Role.ADMIN).get(reverse("invitations")).content.decode()
    assert "nia@school.test" in page and "Waiting" in page


def test_the_new_senco_sets_a_password_and_is_sent_to_set_up_a_second_factor(
    client, world, settings
):
    settings.SECOND_FACTOR_ENFORCED = True
    sent = invitation(world)
    page = client.get(invitation_link(sent)).content.decode()
    assert world.school.name in page and "SENCO" in page
    response = client.post(
        invitation_link(sent),
        {"full_name": "Nia Okafor", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("second_factor_setup")
    user = User.objects.get(email=sent.email)
    assert user.check_password(NEW_PASSWORD)
    assert Membership.objects.filter(user=user, school=world.school, role=Role.SENCO).exists()
    sent.refresh_from_db()
    assert sent.status() == "accepted" and sent.accepted_by == user
    assert SignInSession.objects.filter(user=user).count() == 1
    # the link works once
    assert client.get(invitation_link(sent)).status_code == 410


def test_a_teacher_invited_goes_straight_to_the_dashboard(client, world, settings):
    settings.SECOND_FACTOR_ENFORCED = True
    sent = invitation(world, email="tia@school.test", role=Role.TEACHER)
    response = client.post(
        invitation_link(sent),
        {"full_name": "Tia", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize(
    "password, message",
    [
        ("password", "This password is too common"),
        ("12345678901", "This password is entirely numeric"),
        ("x" * 129, account_forms.PASSWORD_TOO_LONG),
    ],
)
def test_a_weak_or_overlong_password_is_refused_and_nothing_is_created(
    client, world, password, message
):
    sent = invitation(world)
    response = client.post(
        invitation_link(sent),
        {"full_name": "Nia", "new_password1": password, "new_password2": password},
    )
    assert message in response.content.decode()
    assert not User.objects.filter(email=sent.email).exists()
    sent.refresh_from_db()
    assert sent.status() == "pending"


def test_two_different_passwords_are_refused(client, world):
    sent = invitation(world)
    response = client.post(
        invitation_link(sent),
        {"full_name": "Nia", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"},
    )
    assert account_forms.PASSWORDS_DIFFER in response.content.decode()


def test_expired_revoked_and_made_up_links_do_not_work(client, world):
    expired = invitation(world, email="a@school.test", expires_at=timezone.now())
    revoked = invitation(world, email="b@school.test", revoked_at=timezone.now())
    data = {"full_name": "X", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    response = client.post(invitation_link(expired), data)
    assert response.status_code == 410 and "has expired" in response.content.decode()
    response = client.post(invitation_link(revoked), data)
    assert response.status_code == 410 and "has been revoked" in response.content.decode()
    made_up = reverse("invitation_accept", kwargs={"invitation_id": expired.pk, "token": "abc"})
    assert client.post(made_up, data).status_code == 404
    assert not User.objects.filter(email__in=["a@school.test", "b@school.test"]).exists()


def test_someone_with_an_account_signs_in_and_joins_the_school(client, world):
    other = world.users["other_school_senco"]
    sent = invitation(world, email=other.email, role=Role.HEAD)
    assert (
        "Sign in, and you will come back here" in client.get(invitation_link(sent)).content.decode()
    )
    client.force_login(other)
    assert client.post(invitation_link(sent))["Location"] == reverse("second_factor_setup")
    assert Membership.objects.filter(user=other, school=world.school, role=Role.HEAD).exists()


def test_someone_signed_in_as_another_person_cannot_accept(client_as, world):
    sent = invitation(world)
    response = client_as(Role.TEACHER).post(invitation_link(sent))
    assert "Sign out, then open the link" in response.content.decode()
    sent.refresh_from_db()
    assert sent.status() == "pending"


def test_the_administrator_revokes_a_waiting_invitation(client_as, world):
    sent = invitation(world)
    url = reverse("invitation_revoke", kwargs={"invitation_id": sent.pk})
    client_as(Role.ADMIN).post(url)
    sent.refresh_from_db()
    assert sent.status() == "revoked" and sent.revoked_by == world.users[Role.ADMIN]


def test_another_schools_administrator_cannot_see_or_revoke_it(client, world):
    sent = invitation(world)
    admin = UserFactory()
    MembershipFactory(user=admin, school=world.other_school, role=Role.ADMIN)
    client.force_login(admin)
    url = reverse("invitation_revoke", kwargs={"invitation_id": sent.pk})
    assert client.post(url).status_code == 404
    assert sent.email not in client.get(reverse("invitations")).content.decode()
    sent.refresh_from_db()
    assert sent.status() == "pending"


def test_inviting_someone_already_on_the_staff_or_already_invited_is_refused(client_as, world):
    admin = client_as(Role.ADMIN)
    teacher = world.users[Role.TEACHER]
    response = invite(admin, email=teacher.email.upper())
    assert "already works in this school" in response.content.decode()
    invite(admin)
    response = invite(admin)
    assert "has an invitation waiting already" in response.content.decode()
    assert Invitation.objects.count() == 1


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"email": "a" * 250 + "@school.test"}, account_forms.EMAIL_TOO_LONG),
        ({"email": "not an email"}, "Enter an email address in the correct format"),
        ({"full_name": "N" * 151}, account_forms.NAME_TOO_LONG),
        ({"job_title": "J" * 101}, account_forms.JOB_TOO_LONG),
        ({"role": Role.PARENT}, "Select a valid choice"),
        ({"role": Role.LA_ADVISER}, "Select a valid choice"),
    ],
)
def test_bad_invitations_say_why_and_save_nothing(client_as, world, fields, message):
    response = invite(client_as(Role.ADMIN), **fields)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Invitation.objects.exists() and not mail.outbox


def test_a_senco_cannot_invite(client_as, world):
    assert invite(client_as(Role.SENCO)).status_code == 403
    assert not Invitation.objects.exists()


# Password reset ---------------------------------------------------------------------------------


def test_reset_says_the_same_whether_or_not_the_address_has_an_account(client, world):
    known = client.post(reverse("password_reset"), {"email": world.users[Role.TEACHER].email})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@school.test"})
    assert known["Location"] == unknown["Location"] == reverse("password_reset_done")
    assert [m.to for m in mail.outbox] == [[world.users[Role.TEACHER].email]]


def test_the_emailed_link_sets_a_new_password_once_and_ends_every_session(client, world):
    teacher = world.users[Role.TEACHER]
    elsewhere = Client()
    elsewhere.post(reverse("login"), {"username": teacher.email, "password": PASSWORD})
    client.post(reverse("password_reset"), {"email": teacher.email})
    link = link_in(mail.outbox[0])
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == reverse("password_reset_complete")
    teacher.refresh_from_db()
    assert teacher.check_password(NEW_PASSWORD)
    assert elsewhere.get(reverse("home")).status_code == 302  # signed out
    assert not SignInSession.objects.filter(user=teacher, ended_at__isnull=True).exists()
    again = Client().get(link, follow=True).content.decode()
    assert "This link does not work" in again


def test_an_overlong_address_is_refused_with_a_reason(client, db):
    response = client.post(reverse("password_reset"), {"email": "a" * 300 + "@school.test"})
    assert account_forms.EMAIL_TOO_LONG in response.content.decode()
    assert not mail.outbox


# Sessions ---------------------------------------------------------------------------------------


def signed_in(user, agent: str) -> Client:
    browser = Client(HTTP_USER_AGENT=agent)
    browser.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    return browser


def test_a_person_sees_their_other_sessions_and_ends_one(world):
    teacher = world.users[Role.TEACHER]
    laptop = signed_in(teacher, "Firefox on the staffroom laptop")
    phone = signed_in(teacher, "Safari on an iPhone")
    page = laptop.get(reverse("account")).content.decode()
    assert "Safari on an iPhone" in page and "Firefox on the staffroom laptop" in page
    other = SignInSession.objects.get(user=teacher, user_agent__startswith="Safari")
    response = laptop.post(reverse("session_end", kwargs={"session_id": other.pk}))
    assert response["Location"] == reverse("account")
    assert phone.get(reverse("home")).status_code == 302  # the phone is signed out
    assert laptop.get(reverse("home")).status_code == 200
    assert "Safari on an iPhone" not in laptop.get(reverse("account")).content.decode()


def test_no_one_can_end_another_persons_session(world):
    teacher_browser = signed_in(world.users[Role.TEACHER], "Teacher's browser")
    head_browser = signed_in(world.users[Role.HEAD], "Head's browser")
    teachers = SignInSession.objects.get(user=world.users[Role.TEACHER])
    url = reverse("session_end", kwargs={"session_id": teachers.pk})
    assert head_browser.post(url).status_code == 404
    assert teacher_browser.get(reverse("home")).status_code == 200


def test_signing_out_ends_the_session_record(world):
    teacher = world.users[Role.TEACHER]
    browser = signed_in(teacher, "A browser")
    assert SESSION_KEY in browser.session
    browser.post(reverse("logout"))
    assert SignInSession.objects.get(user=teacher).ended_at is not None


def test_last_seen_moves_on_at_most_every_few_minutes(world):
    teacher = world.users[Role.TEACHER]
    browser = signed_in(teacher, "A browser")
    record = SignInSession.objects.get(user=teacher)
    browser.get(reverse("home"))
    assert SignInSession.objects.get(pk=record.pk).last_seen_at == record.last_seen_at
    session = browser.session
    earlier = timezone.now() - timedelta(seconds=account_services.SEEN_EVERY_SECONDS + 1)
    session[account_services.SEEN_SESSION_KEY] = [record.pk, int(earlier.timestamp())]
    session.save()
    browser.get(reverse("home"))
    assert SignInSession.objects.get(pk=record.pk).last_seen_at > record.last_seen_at


# List pages run a fixed number of queries -------------------------------------------------------


def test_the_invitations_page_runs_as_many_queries_for_twenty_as_for_one(client_as, world):
    client = client_as(Role.ADMIN)
    invitation(world, email="first@school.test", accepted_by=world.users[Role.TEACHER])
    client.get(reverse("invitations"))
    with capture_queries() as one:
        assert client.get(reverse("invitations")).status_code == 200
    for n in range(19):
        invitation(world, email=f"p{n}@school.test", revoked_by=world.users[Role.ADMIN])
    with assert_database_query_count(one, info="invitations with 20 rows, against 1"):
        assert client.get(reverse("invitations")).status_code == 200


def test_your_account_runs_as_many_queries_for_twenty_sessions_as_for_one(world):
    teacher = world.users[Role.TEACHER]
    browser = signed_in(teacher, "This browser")
    signed_in(teacher, "Another browser")
    browser.get(reverse("account"))
    with capture_queries() as one:
        assert browser.get(reverse("account")).status_code == 200
    for n in range(19):
        signed_in(teacher, f"Browser {n}")
    with assert_database_query_count(one, info="account with 20 other sessions, against 1"):
        page = browser.get(reverse("account")).content.decode()
    assert "Browser 18" in page
