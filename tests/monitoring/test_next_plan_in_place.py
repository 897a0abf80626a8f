"""The plan a review opens is a draft until the SENCO puts it in place: the pupil's group seat
comes back then, and the plans page says plainly who delivers each intervention."""

import pytest
from django.urls import reverse

from sendwise.core.access import actor_for
from sendwise.delivery.models import Group, GroupMember
from sendwise.planning.models import Plan
from tests.monitoring.factories import complete_review, plan_to_review


@pytest.fixture
def senco(world):
    return actor_for(world.users["senco"])


@pytest.fixture
def in_group(world, senco):
    """Amara's plan to review, its reading intervention (no one named to deliver it) run in
    the Readers group by the intervention specialist, with Amara in it."""
    plan, first, *_ = plan_to_review(senco, world.pupil_in_class)
    group = Group.objects.create(
        school=world.school,
        intervention=first.intervention,
        name="Readers",
        places=3,
        deliverer=world.users["intervention_specialist"],
    )
    GroupMember.objects.create(
        school=world.school, group=group, placement=first, joined_on=plan.start_date
    )
    return plan, group


def plans_page(client, plan):
    return client.get(reverse("planning:plans", kwargs={"pupil_id": plan.pupil_id}))


def test_the_plans_page_names_the_groups_deliverer_not_not_decided(world, client_as, in_group):
    plan, _ = in_group
    page = plans_page(client_as("senco"), plan).content.decode()
    specialist = world.users["intervention_specialist"].full_name
    assert 'Whoever runs the group<br><span class="govuk-body-s">In Readers:' in page
    assert f"with {specialist}" in page
    assert "Not decided" not in page.split("Reading catch-up", 1)[1].split("</tr>", 1)[0]


def test_putting_the_next_plan_in_place_gives_the_seat_back_and_says_so(
    world, senco, client_as, in_group
):
    plan, group = in_group
    nxt = complete_review(senco, plan, result="partly", decision="continue").next_plan
    assert not GroupMember.objects.filter(group=group, left_on__isnull=True).exists()
    client = client_as("senco")
    url = reverse("planning:plan_activate", kwargs={"pupil_id": plan.pupil_id, "plan_id": nxt.pk})
    page = client.post(url, follow=True).content.decode()
    assert f"Plan 2 is in place. {world.pupil_in_class.first_name} is back in Readers." in page
    nxt.refresh_from_db()
    assert nxt.status == Plan.Status.ACTIVE
    (seat,) = GroupMember.objects.filter(group=group, left_on__isnull=True)
    assert seat.placement.plan == nxt
