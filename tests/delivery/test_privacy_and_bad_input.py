"""What a reviewer found: who may see which pupils in a group, input that used to give a 500,
and money the budget counted wrongly. Each test is the case as a user would meet it."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sendwise.core.access import actor_for
from sendwise.delivery import selectors, services
from sendwise.delivery.models import Budget, Cost, Group
from sendwise.planning import services as planning_services
from sendwise.planning.models import Plan
from sendwise.pupils.census_checks import academic_year_start
from sendwise.pupils.selectors import pupils_visible
from tests.delivery.factories import add_member, make_group, on_plan
from tests.evidence.factories import InterventionFactory


@pytest.fixture
def reading(db):
    return InterventionFactory(name="Reading boost", slug="reading-boost")


def test_a_specialist_sees_names_only_of_pupils_they_work_with(world, client_as, reading):
    ta = world.users["intervention_specialist"]
    group = make_group(world.school, reading, name="Readers")
    add_member(group, on_plan(world.pupil_elsewhere, reading))  # another class
    url = reverse("delivery:group_detail", args=[group.pk])
    page = client_as("intervention_specialist").get(url).content.decode()
    assert world.pupil_elsewhere.full_name not in page
    assert "A pupil in another class" in page
    assert world.pupil_elsewhere.full_name in client_as("senco").get(url).content.decode()
    # Once the specialist runs the group, its pupils are pupils they work with.
    senco = actor_for(world.users["senco"])
    services.group_save(
        actor=senco, group=group, intervention=reading, name="Readers", deliverer=ta,
        room="", places=4, slots=[],
    )  # fmt: skip
    page = client_as("intervention_specialist").get(url).content.decode()
    assert world.pupil_elsewhere.full_name in page
    assert world.pupil_elsewhere in pupils_visible(actor=actor_for(ta))
    # And no longer once someone else runs it.
    services.group_save(
        actor=senco, group=group, intervention=reading, name="Readers",
        deliverer=world.users["teacher"], room="", places=4, slots=[],
    )  # fmt: skip
    assert world.pupil_elsewhere not in pupils_visible(actor=actor_for(ta))


def test_a_specialist_named_to_deliver_a_pupils_intervention_may_see_that_pupil(world, reading):
    ta = world.users["intervention_specialist"]
    senco = actor_for(world.users["senco"])
    assert world.pupil_elsewhere not in pupils_visible(actor=actor_for(ta))
    plan = on_plan(world.pupil_elsewhere, InterventionFactory()).plan
    planning_services.placement_add(actor=senco, plan=plan, intervention=reading, deliverer=ta)
    assert world.pupil_elsewhere in pupils_visible(actor=actor_for(ta))
    planning_services.plan_review(
        actor=senco, plan=plan, reviewed_on=timezone.localdate(), summary="Done"
    )
    assert world.pupil_elsewhere not in pupils_visible(actor=actor_for(ta))


@pytest.mark.parametrize(
    "url",
    [
        "/delivery/groups/new/?intervention=%C2%B2",
        "/delivery/budget/?intervention=%C2%B2",
        "/delivery/groups/new/?intervention=99999999999999999999999",
    ],
)
def test_odd_digits_in_a_link_are_ignored_not_a_500(client_as, url):
    assert client_as("senco").get(url).status_code == 200


def test_a_huge_number_of_places_gets_a_clear_error_and_saves_nothing(world, client_as, reading):
    for places in ("31", "100000", "99999999999999999999999"):
        response = client_as("senco").post(
            reverse("delivery:group_new"),
            {"intervention": reading.pk, "name": "Big", "places": places},
        )
        assert response.status_code == 200
        assert "Error:" in response.content.decode()
    assert not Group.objects.exists()
    with pytest.raises(ValidationError) as refused:
        services.group_save(
            actor=actor_for(world.users["senco"]),
            group=None,
            intervention=reading,
            name="Big",
            deliverer=None,
            room="",
            places=40,
            slots=[],
        )
    assert refused.value.message_dict["places"] == [services.PLACES_TOO_MANY]


def test_an_intervention_id_too_long_for_the_database_is_refused_not_a_500(world, client_as):
    url = reverse("delivery:staff_edit", args=[world.users["intervention_specialist"].pk])
    response = client_as("senco").post(url, {"interventions": "99999999999999999999"})
    assert response.status_code == 200
    assert services.INTERVENTION_UNKNOWN in response.content.decode()


def test_the_budget_counts_neither_classroom_strategies_nor_draft_plans(world, reading):
    senco = actor_for(world.users["senco"])
    year = academic_year_start(timezone.localdate())
    Budget.objects.create(school=world.school, year_starting=year, amount=Decimal("1000"))
    Cost.objects.create(school=world.school, intervention=reading, per_pupil=Decimal("200"))
    strategy = InterventionFactory(name="Visual timetable", kind="classroom_strategy")
    on_plan(world.pupil_in_class, reading)
    on_plan(world.pupil_in_class, strategy)
    on_plan(world.pupil_elsewhere, reading, status=Plan.Status.DRAFT)
    summary = selectors.budget_summary(actor=senco)
    assert summary.committed == Decimal("200.00")
    assert summary.placements_costed == 1
    assert summary.placements_uncosted == 0  # the strategy is part of lessons: no cost to set
    assert summary.left == Decimal("800.00")


@pytest.mark.parametrize(
    ("role", "sees_budget"),
    [("senco", True), ("head", True), ("admin", True), ("intervention_specialist", False)],
)
def test_the_budget_on_the_delivery_page_is_for_those_who_see_costs(
    world, client_as, role, sees_budget
):
    """An intervention specialist sees the groups and who is trained and free, not the school's
    money (the budget page and the costs were already refused to them)."""
    Budget.objects.create(
        school=world.school,
        year_starting=academic_year_start(timezone.localdate()),
        amount=Decimal("18000"),
    )
    page = client_as(role).get(reverse("delivery:overview")).content.decode()
    assert ("£18,000" in page) is sees_budget
    assert ('id="budget"' in page) is sees_budget
    assert 'id="groups"' in page
