"""Signing in and out: clear messages, throttling after repeated failures, argon2 hashes."""

import pytest
from django.conf import settings
from django.urls import reverse

from sendwise.core.forms import SIGN_IN_FAILED
from tests.factories import MembershipFactory, UserFactory

PASSWORD = "a-long-test-password"


@pytest.fixture
def senco(db):
    user = UserFactory(email="senco@school.test", full_name="Sam Senco")
    MembershipFactory(user=user, role="senco")
    return user


def sign_in(client, email, password):
    return client.post(reverse("login"), {"username": email, "password": password})


def test_right_email_and_password_signs_in_to_the_dashboard(client, senco):
    response = sign_in(client, "SENCO@school.test", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_wrong_password_gives_a_clear_message_in_the_error_summary(client, senco):
    response = sign_in(client, "senco@school.test", "wrong")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Sign in" in html
    assert SIGN_IN_FAILED in html and "There is a problem" in html


def test_empty_form_names_each_missing_field(client, db):
    html = client.post(reverse("login"), {}).content.decode()
    assert "Enter your email address" in html and "Enter your password" in html


def test_sign_in_is_throttled_after_repeated_failures(client, senco):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "senco@school.test", "wrong")
    response = sign_in(client, "senco@school.test", PASSWORD)
    assert response.status_code == 429
    assert "too many times" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302  # still signed out


def test_sign_out_ends_the_session(client, senco):
    sign_in(client, "senco@school.test", PASSWORD)
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_passwords_are_hashed_with_argon2_in_production_settings():
    import sendwise.settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert production.AUTH_PASSWORD_VALIDATORS  # Django's validators are on


def test_debug_is_off_unless_set():
    import sendwise.settings as production

    assert production.DEBUG is False or "DEBUG" in __import__("os").environ
