"""The second factor: required of SENCOs, heads, administrators and advisers before any page
with pupils' data, offered to all staff, set up with a QR code, entered at each sign-in,
throttled like the password, with one-time recovery codes; the demo's made-up accounts let off
only in demo mode."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sendwise.core import second_factor_services as second_factor
from sendwise.core.models import AuditEntry
from sendwise.core.roles import Role
from tests.core.account_helpers import authenticator, code_now, wrong_code
from tests.factories import MembershipFactory, UserFactory

PASSWORD = "a-long-test-password"  # pragma: allowlist secret (a test account's)


@pytest.fixture(autouse=True)
def enforced(settings):
    settings.SECOND_FACTOR_ENFORCED = True
    settings.SENDWISE_DEMO_MODE = False
    return settings


def sign_in(client, user):
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302, "the password step failed"
    return response


def pupil_page(world):
    return reverse("pupils:detail", kwargs={"pupil_id": world.pupil_in_class.pk})


def test_a_senco_with_no_second_factor_sets_one_up_before_seeing_any_pupil(client, world):
    senco = world.users[Role.SENCO]
    sign_in(client, senco)
    response = client.get(pupil_page(world))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("second_factor_setup"))
    assert "next=" in response["Location"]
    assert not AuditEntry.objects.filter(user=senco, action="view").exists()  # never read


@pytest.mark.parametrize("role", [Role.HEAD, Role.ADMIN, Role.LA_ADVISER])
def test_heads_administrators_and_advisers_must_set_one_up_too(client, world, role):
    sign_in(client, world.users[role])
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("second_factor_setup"))


@pytest.mark.parametrize("role", [Role.TEACHER, Role.INTERVENTION_SPECIALIST, Role.PARENT])
def test_teachers_specialists_and_parents_are_not_made_to(client, world, role):
    sign_in(client, world.users[role])
    assert client.get(pupil_page(world)).status_code == 200


def test_a_teacher_who_chose_a_second_factor_enters_a_code_before_anything_else(client, world):
    teacher = world.users[Role.TEACHER]
    device = authenticator(teacher)
    sign_in(client, teacher)
    response = client.get(pupil_page(world))
    assert response["Location"].startswith(reverse("second_factor_verify"))
    response = client.post(
        reverse("second_factor_verify"), {"code": code_now(device), "next": pupil_page(world)}
    )
    assert response["Location"] == pupil_page(world)
    assert client.get(pupil_page(world)).status_code == 200


def test_a_role_held_in_another_school_counts(client, world):
    """A teacher here who is the SENCO of another school needs the second factor here too."""
    teacher = world.users[Role.TEACHER]
    MembershipFactory(user=teacher, school=world.other_school, role=Role.SENCO)
    sign_in(client, teacher)
    assert client.get(pupil_page(world))["Location"].startswith(reverse("second_factor_setup"))


def test_an_htmx_request_is_sent_to_the_second_step_with_a_full_page_load(client, world):
    sign_in(client, world.users[Role.SENCO])
    response = client.get(reverse("pupils:register"), HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith(reverse("second_factor_setup"))


def test_demo_accounts_sign_in_with_the_password_alone_only_in_demo_mode(client, db, enforced):
    demo_senco = UserFactory(email="senco@demo.sendwise.test")
    MembershipFactory(user=demo_senco, role=Role.SENCO)
    sign_in(client, demo_senco)
    assert client.get(reverse("home"))["Location"].startswith(reverse("second_factor_setup"))
    enforced.SENDWISE_DEMO_MODE = True
    assert client.get(reverse("home")).status_code == 200
    assert "Demo mode" in client.get(reverse("home")).content.decode()


def test_demo_mode_does_not_let_off_a_real_account(client, world, enforced):
    enforced.SENDWISE_DEMO_MODE = True
    sign_in(client, world.users[Role.SENCO])
    assert client.get(reverse("home"))["Location"].startswith(reverse("second_factor_setup"))


def test_only_the_test_settings_turn_enforcement_off():
    import sendwise.settings as base

    assert base.SECOND_FACTOR_ENFORCED is True
    assert base.SENDWISE_DEMO_MODE is False  # unless SENDWISE_DEMO_MODE is set (make run)


# Setting up ------------------------------------------------------------------------------------


def setup_key_of(client) -> str:
    return client.session[second_factor.SETUP_KEY_SESSION]


def test_set_up_shows_a_qr_code_as_inline_svg_and_the_key_to_type(client, world):
    sign_in(client, world.users[Role.SENCO])
    html = client.get(reverse("second_factor_setup")).content.decode()
    assert '<svg role="img" aria-label="QR code to scan with your authenticator app"' in html
    assert "style=" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    key = setup_key_of(client)
    written = second_factor.setup_details(user=world.users[Role.SENCO], key=key)["written_key"]
    assert written in html
    assert not TOTPDevice.objects.exists()  # nothing kept until the app proves it has the key


def test_the_right_code_keeps_the_app_signs_in_and_shows_recovery_codes_once(client, world):
    senco = world.users[Role.SENCO]
    sign_in(client, senco)
    client.get(reverse("second_factor_setup"))
    device = TOTPDevice(user=senco, key=setup_key_of(client))
    response = client.post(
        reverse("second_factor_setup"), {"code": code_now(device), "next": pupil_page(world)}
    )
    assert response["Location"].startswith(reverse("recovery_codes"))
    page = client.get(response["Location"]).content.decode()
    codes = list(StaticToken.objects.filter(device__user=senco).values_list("token", flat=True))
    assert len(codes) == second_factor.RECOVERY_CODE_COUNT
    assert all(code in page for code in codes)
    assert codes[0] not in client.get(reverse("recovery_codes")).content.decode()  # once
    assert TOTPDevice.objects.get(user=senco).confirmed
    assert client.get(pupil_page(world)).status_code == 200


def test_a_wrong_code_at_set_up_keeps_nothing(client, world):
    senco = world.users[Role.SENCO]
    sign_in(client, senco)
    client.get(reverse("second_factor_setup"))
    device = TOTPDevice(user=senco, key=setup_key_of(client))
    response = client.post(reverse("second_factor_setup"), {"code": wrong_code(device)})
    assert second_factor.SETUP_CODE_WRONG in response.content.decode()
    assert not TOTPDevice.objects.exists()
    assert client.get(pupil_page(world)).status_code == 302


def test_someone_with_an_app_cannot_replace_it_without_a_code_first(client, world):
    senco = world.users[Role.SENCO]
    authenticator(senco)
    sign_in(client, senco)
    response = client.get(reverse("second_factor_setup"))
    assert response["Location"].startswith(reverse("second_factor_verify"))


def test_a_parent_is_not_offered_a_second_factor(client, world):
    client.force_login(world.users[Role.PARENT])
    assert client.get(reverse("second_factor_setup")).status_code == 403


# Signing in with the code ------------------------------------------------------------------------


@pytest.fixture
def senco_with_app(client, world):
    senco = world.users[Role.SENCO]
    device = authenticator(senco)
    sign_in(client, senco)
    return senco, device


def enter(client, code):
    return client.post(reverse("second_factor_verify"), {"code": code})


def test_a_wrong_code_is_refused_and_the_next_try_must_wait(client, world, senco_with_app):
    _, device = senco_with_app
    response = enter(client, wrong_code(device))
    assert second_factor.CODE_WRONG in response.content.decode()
    assert "<title>Error: " in response.content.decode()
    # django-otp's back-off: the right code straight after a wrong one is refused too
    response = enter(client, code_now(device))
    assert "before you try another code" in response.content.decode()
    assert client.get(pupil_page(world)).status_code == 302


def test_five_wrong_codes_pause_the_second_step_for_15_minutes(
    client, world, senco_with_app, settings
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # leave out the back-off, to reach five at once
    _, device = senco_with_app
    for _ in range(settings.SECOND_FACTOR_FAILURE_LIMIT):
        enter(client, wrong_code(device))
    response = enter(client, code_now(device))
    assert "too many wrong codes" in response.content.decode()
    assert "15 minutes" in response.content.decode()
    assert client.get(pupil_page(world)).status_code == 302
    # a quarter of an hour later, the right code works
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(minutes=16)
    )
    response = enter(client, code_now(device))
    assert response.status_code == 302
    assert client.get(pupil_page(world)).status_code == 200


def test_a_recovery_code_works_once(client, world, senco_with_app):
    senco, _ = senco_with_app
    codes = second_factor.recovery_codes_renew(user=senco)
    assert enter(client, codes[0].upper()).status_code == 302
    assert second_factor.recovery_codes_left(senco) == second_factor.RECOVERY_CODE_COUNT - 1
    client.post(reverse("logout"))
    sign_in(client, senco)
    response = enter(client, codes[0])
    assert second_factor.CODE_WRONG in response.content.decode()


def test_new_recovery_codes_replace_the_old_ones(client, world, senco_with_app):
    senco, device = senco_with_app
    old = second_factor.recovery_codes_renew(user=senco)
    enter(client, code_now(device))
    response = client.post(reverse("recovery_codes"))
    page = client.get(response["Location"]).content.decode()
    new = list(StaticToken.objects.filter(device__user=senco).values_list("token", flat=True))
    assert not set(old) & set(new)
    assert all(code in page for code in new)


def test_an_overlong_code_is_refused_with_a_reason(client, world, senco_with_app):
    response = enter(client, "1" * 500)
    assert "A code is 6 digits" in response.content.decode()


def test_a_teacher_may_turn_it_off_after_entering_a_code(client, world):
    teacher = world.users[Role.TEACHER]
    device = authenticator(teacher)
    sign_in(client, teacher)
    remove = reverse("second_factor_remove")
    assert client.post(remove).status_code == 302  # to the code first (the middleware)
    assert TOTPDevice.objects.filter(user=teacher).exists()
    enter(client, code_now(device))
    assert client.post(remove)["Location"] == reverse("account")
    assert not TOTPDevice.objects.filter(user=teacher).exists()


def test_a_senco_cannot_turn_it_off(client, world, senco_with_app):
    _, device = senco_with_app
    enter(client, code_now(device))
    assert client.post(reverse("second_factor_remove")).status_code == 403
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_the_page_asked_for_is_reached_after_set_up_query_string_and_all(client, world):
    senco = world.users[Role.SENCO]
    sign_in(client, senco)
    asked = reverse("pupils:register") + "?q=Ng&year=4"
    setup = client.get(asked)["Location"]
    client.get(setup)
    device = TOTPDevice(user=senco, key=setup_key_of(client))
    response = client.post(setup, {"code": code_now(device), "next": asked})
    codes_page = client.get(response["Location"]).content.decode()
    assert 'href="/pupils/?q=Ng&amp;year=4"' in codes_page
