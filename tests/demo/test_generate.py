"""The demo trust a newcomer signs in to: realistic, valid and the same every time."""

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from sendwise.core.models import Membership, School
from sendwise.demo import generate as demo
from sendwise.pupils import census_checks
from sendwise.pupils.models import Contact, Pupil


@pytest.fixture
def demo_trust(db):
    return demo.demo_load(seed=7)


def test_demo_has_three_schools_and_a_main_school_of_about_600(demo_trust):
    assert demo_trust.schools.count() == 3
    main = School.objects.get(urn=demo.MAIN_URN)
    pupils = Pupil.unscoped.filter(school=main)
    assert pupils.count() == 600
    sen = pupils.exclude(sen_provision="N").count()
    ehc = pupils.filter(sen_provision="E").count()
    assert 0.13 <= sen / 600 <= 0.17
    assert 0.015 <= ehc / 600 <= 0.025


def test_every_demo_pupil_passes_the_census_checks(demo_trust):
    from datetime import date

    for pupil in Pupil.unscoped.all():
        census_checks.clean_upn(pupil.upn)
        assert (
            census_checks.check_sen(pupil.sen_provision, pupil.primary_need, pupil.secondary_need)
            == []
        )
        assert (
            census_checks.check_date_of_birth(pupil.date_of_birth, pupil.nc_year, date.today())
            == []
        )


def test_need_codes_are_realistic_slcn_common_at_k_and_asd_common_with_plans(demo_trust):
    k_needs = list(Pupil.unscoped.filter(sen_provision="K").values_list("primary_need", flat=True))
    assert k_needs.count("SLCN") > k_needs.count("HI")
    assert len(set(k_needs)) >= 6


@pytest.mark.parametrize("key", list(demo.DEMO_SIGNINS))
def test_every_demo_sign_in_works_with_the_published_password(demo_trust, key, settings):
    request = RequestFactory().post("/accounts/login/")
    user = authenticate(request, username=f"{key}@{demo.DEMO_DOMAIN}", password=demo.DEMO_PASSWORD)
    assert user is not None
    assert Membership.objects.filter(user=user, role=demo.DEMO_SIGNINS[key]).exists()


def test_the_demo_parent_is_linked_to_their_own_children_only(demo_trust):
    children = Contact.objects.filter(user__email=f"parent@{demo.DEMO_DOMAIN}")
    assert children.count() == 2
    assert any(c.pupil.sen_provision == "K" for c in children)


def test_the_same_seed_gives_the_same_demo(db):
    demo.demo_load(seed=11)
    first = list(
        Pupil.unscoped.order_by("id").values_list(
            "upn", "first_name", "sen_provision", "primary_need"
        )
    )
    Pupil.unscoped.all().delete()
    Contact.objects.all().delete()
    Membership.objects.all().delete()
    from sendwise.core.models import Trust, User
    from sendwise.pupils.models import ClassGroup

    ClassGroup.objects.all().delete()
    School.objects.all().delete()
    Trust.objects.all().delete()
    User.objects.all().delete()
    demo.demo_load(seed=11)
    second = list(
        Pupil.unscoped.order_by("id").values_list(
            "upn", "first_name", "sen_provision", "primary_need"
        )
    )
    assert first == second


def test_load_demo_command_is_idempotent(db, capsys):
    from django.core.management import call_command

    call_command("load_demo", "--if-empty")
    call_command("load_demo", "--if-empty")
    assert School.objects.filter(urn=demo.MAIN_URN).count() == 1
    assert "already has schools" in capsys.readouterr().out
