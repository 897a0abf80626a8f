"""The costs of provision are written by services that refuse bad input with a reason and
change nothing, stay inside the actor's school, and keep history."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sendwise.core.access import actor_for
from sendwise.delivery import cost_services as services
from sendwise.delivery import provision_selectors
from sendwise.delivery import services as delivery_services
from sendwise.delivery.models import Funding, RunningCost, StaffBand, StaffRate
from tests.delivery.factories import running_group
from tests.delivery.test_provision_views import deliver, mid_autumn_term  # noqa: F401
from tests.evidence.factories import InterventionFactory
from tests.factories import UserFactory


@pytest.fixture
def senco(world):
    return actor_for(world.users["senco"], world.school.pk)


def errors(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("twelve", services.MONEY_INVALID),
        ("NaN", services.MONEY_INVALID),
        ("1e308", services.MONEY_EXPONENT),
        ("1e2", services.MONEY_EXPONENT),
        ("999999", services.HOURLY_TOO_LARGE),
        ("-1", services.MONEY_NEGATIVE),
        ("12.345", services.MONEY_PENCE),
        ("250.01", services.HOURLY_TOO_LARGE),
        # "Never as free": no cost is an empty box, not £0 (a tester saved £0).
        ("0", services.HOURLY_ZERO),
        ("£0.00", services.HOURLY_ZERO),
    ],
)
def test_an_implausible_hourly_cost_is_refused_with_why(senco, typed, message):
    found = errors(lambda: services.staff_rate_set(actor=senco, band="ta", hourly=typed))
    assert found == {"hourly": [message]}
    assert not StaffRate.objects.exists()


def test_an_hourly_cost_reads_pounds_as_people_type_them_and_keeps_history(senco):
    services.staff_rate_set(actor=senco, band="teacher", hourly="£10.50")
    rate = services.staff_rate_set(actor=senco, band="teacher", hourly="48")
    assert rate.hourly == Decimal("48.00")
    assert [h.hourly for h in rate.history.order_by("history_id")] == [
        Decimal("10.50"),
        Decimal("48.00"),
    ]


def test_several_rates_are_saved_all_or_none(senco):
    found = errors(lambda: services.staff_rates_set(actor=senco, rates={"ta": "19", "hlta": "x"}))
    assert found == {"hlta": [services.MONEY_INVALID]}
    assert not StaffRate.objects.exists()


def test_a_band_is_only_for_this_schools_staff(senco, world):
    outsider = UserFactory()
    found = errors(lambda: services.staff_band_set(actor=senco, staff=outsider, band="hlta"))
    assert found == {"staff": [services.NOT_STAFF]}
    specialist = world.users["intervention_specialist"]
    services.staff_band_set(actor=senco, staff=specialist, band="hlta")
    services.staff_band_set(actor=senco, staff=specialist, band="")  # back to their role
    assert not StaffBand.objects.exists()
    assert StaffBand.history.count() == 2  # made, then removed: both kept


def test_materials_are_bounded_and_a_one_off_needs_a_past_date(senco):
    intervention = InterventionFactory()
    today = timezone.localdate()

    def save(**values):
        data = {"one_off": "0", "one_off_on": None, "per_pupil": "0", "per_year": "0"} | values
        return services.running_cost_set(actor=senco, intervention=intervention, **data)

    assert errors(lambda: save(per_year="60000")) == {"per_year": [services.MATERIALS_TOO_LARGE]}
    assert errors(lambda: save(one_off="200")) == {"one_off_on": [services.ONE_OFF_DATE_REQUIRED]}
    tomorrow = today + timedelta(days=1)
    assert errors(lambda: save(one_off="200", one_off_on=tomorrow)) == {
        "one_off_on": [services.ONE_OFF_DATE_FUTURE]
    }
    long_ago = today - timedelta(days=366 * 11)
    assert errors(lambda: save(one_off="200", one_off_on=long_ago)) == {
        "one_off_on": [services.ONE_OFF_DATE_OLD]
    }
    assert errors(lambda: save(note="x" * 301)) == {"note": [services.NOTE_TOO_LONG]}
    assert not RunningCost.objects.exists()
    row = save(one_off="200", one_off_on=today, per_pupil="12.50")
    assert (row.one_off, row.per_pupil) == (Decimal("200.00"), Decimal("12.50"))


def test_funding_stays_inside_the_school(senco, world):
    group, members = running_group(world, pupils=1)
    other = actor_for(world.users["other_school_senco"], world.other_school.pk)
    assert errors(lambda: services.group_funding_set(actor=other, group=group, source="other")) == {
        "group": [services.GROUP_WRONG]
    }
    placement = members[0].placement
    assert errors(
        lambda: services.placement_funding_set(actor=other, placement=placement, source="other")
    ) == {"placement": [services.PLACEMENT_WRONG]}
    assert errors(
        lambda: services.group_funding_set(actor=senco, group=group, source="lottery")
    ) == {"source": [services.SOURCE_INVALID]}
    assert not Funding.objects.exists()
    services.placement_funding_set(actor=senco, placement=placement, source="ehc_top_up")
    services.placement_funding_set(actor=senco, placement=placement, source=services.AS_GROUP)
    assert not Funding.objects.exists() and Funding.history.count() == 2


def test_cost_per_pupil_is_the_cost_to_date_shared_among_the_pupils(senco, world):
    StaffRate.objects.create(school=world.school, band="ta", hourly=Decimal("18"))
    group, members = running_group(world, pupils=3, joined_days_ago=20)
    deliver(group, members, days_ago=7)  # 30 minutes at £18: £9, three pupils: £3 each
    period = provision_selectors.period_for(year=None)
    costs = provision_selectors.cost_per_pupil(actor=senco, period=period)
    assert costs[group.intervention_id].per_pupil == Decimal("3.00")
    assert costs[group.intervention_id].pupils == 3


@pytest.mark.parametrize("typed", ["1e2", "1E2", "£1.5e1", "2e-1"])
def test_money_typed_with_an_e_is_refused_by_every_service_that_saves_money(senco, world, typed):
    """The forms' number fields refuse "1e2" (Python would read it as 100); the services that
    save money apply the same rule, whichever form or caller the text comes from."""
    intervention = InterventionFactory()
    calls = {
        "hourly": lambda: services.staff_rate_set(actor=senco, band="ta", hourly=typed),
        "per_pupil": lambda: services.running_cost_set(
            actor=senco,
            intervention=intervention,
            per_pupil=typed,
            per_year="",
            one_off="",
            one_off_on=None,
        ),
        "amount": lambda: delivery_services.budget_set(
            actor=senco, year_starting=2025, amount=typed
        ),
        "per_pupil ": lambda: delivery_services.cost_set(
            actor=senco, intervention=intervention, per_pupil=typed
        ),
    }
    for field, call in calls.items():
        assert errors(call) == {field.strip(): [services.MONEY_EXPONENT]}, field
    assert not StaffRate.objects.exists() and not RunningCost.objects.exists()


def test_a_zero_among_several_rates_saves_none_of_them(senco):
    found = errors(
        lambda: services.staff_rates_set(actor=senco, rates={"teacher": "45", "ta": "0"})
    )
    assert found == {"ta": [services.HOURLY_ZERO]}
    assert not StaffRate.objects.exists()
