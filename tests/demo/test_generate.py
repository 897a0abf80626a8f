"""The demo trust a newcomer signs in to: realistic and valid (loading it from an empty database,
and the same seed giving the same demo, are in test_load.py).

The demo trust is loaded once for the module (tests/shared_data.py); each test runs in a
savepoint inside that module's transaction."""

import copy

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory

from sendwise.core.models import Membership, School
from sendwise.demo import generate as demo
from sendwise.pupils import census_checks
from sendwise.pupils.models import Contact, Pupil
from tests.shared_data import rows_for_module


@pytest.fixture(scope="module", autouse=True)
def shared_demo_trust(django_db_setup, django_db_blocker):
    yield from rows_for_module(django_db_blocker, lambda: demo.demo_load(seed=7))


@pytest.fixture
def demo_trust(shared_demo_trust, db):
    return copy.deepcopy(shared_demo_trust)


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
