"""The demo school's costs (``demo.costs``): a SENCO signing in to the demo finds a costed
provision map with staff time, materials and funding already in it, and pupils with an EHC plan
paid from its top-up. The demo trust is loaded once for the module (tests/shared_data.py)."""

import copy

import pytest

from sendwise.core.access import actor_for
from sendwise.core.models import School, User
from sendwise.delivery import provision_selectors
from sendwise.delivery.models import Funding, RunningCost, StaffRate
from sendwise.demo import generate as demo
from sendwise.evidence.services import catalogue_seed
from tests.shared_data import rows_for_module


def load() -> School:
    catalogue_seed()
    demo.demo_load(seed=5)
    return School.objects.get(urn=demo.MAIN_URN)


@pytest.fixture(scope="module", autouse=True)
def shared_main_school(django_db_setup, django_db_blocker):
    yield from rows_for_module(django_db_blocker, load)


@pytest.fixture
def main_school(shared_main_school, db):
    return copy.deepcopy(shared_main_school)


def test_the_demo_provision_map_has_staff_costs_materials_and_funding(main_school):
    assert StaffRate.objects.filter(school=main_school).count() == 4
    assert RunningCost.objects.filter(school=main_school).exists()
    senco = User.objects.get(email=f"senco@{demo.DEMO_DOMAIN}")
    actor = actor_for(senco, main_school.pk)
    view = provision_selectors.provision_map(
        actor=actor, period=provision_selectors.period_for(year=None)
    )
    total = view.total
    assert view.rows and total.pupils > 0
    assert total.staff > 0 and total.materials > 0 and total.projected >= total.to_date
    assert view.bands_missing == []
    assert {words for words, _now, _end in view.funding_rows()} >= {"Notional SEN budget"}


def test_demo_pupils_with_an_ehc_plan_are_paid_from_its_top_up(main_school):
    places = Funding.objects.filter(school=main_school, placement__isnull=False)
    assert places.exists()
    assert set(places.values_list("source", flat=True)) == {"ehc_top_up"}
    assert set(places.values_list("placement__plan__pupil__sen_provision", flat=True)) == {"E"}
