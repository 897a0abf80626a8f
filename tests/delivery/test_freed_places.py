"""A place freed by a plan's review (or by "mark as left") is a member who has left: the group
page lists only the pupils in the group now, its places count agrees, and the deliverer sees
no row for a pupil they no longer work with (found by a tester on the demo)."""

import re

import pytest
from django.urls import reverse

from sendwise.core.access import actor_for
from sendwise.delivery.models import GroupMember
from sendwise.delivery.session_selectors import group_sessions
from tests.delivery.factories import add_member, make_group, on_plan
from tests.monitoring.factories import complete_review, plan_to_review


def text(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def members_table(page: str) -> str:
    """The "Pupils in the group" table only (the "add a pupil" list names pupils too)."""
    found = re.search(r"Pupils in the group now</caption>(.*?)</table>", page, re.S)
    return found.group(1) if found else ""


@pytest.fixture
def group_after_review(world):
    """A group of two run by the intervention specialist; Ben Ode's plan is then reviewed and
    his intervention stopped, which frees his place."""
    senco = actor_for(world.users["senco"])
    plan, first, _second, _outcome = plan_to_review(senco, world.pupil_elsewhere)
    group = make_group(
        world.school,
        first.intervention,
        name="Readers",
        deliverer=world.users["intervention_specialist"],
        places=4,
    )
    add_member(group, first, joined_on=plan.start_date)
    add_member(group, on_plan(world.pupil_in_class, first.intervention), joined_on=plan.start_date)
    complete_review(senco, plan, decision="stop")
    return group


def test_a_pupil_whose_place_a_review_freed_is_not_listed_in_the_group(
    world, client_as, group_after_review
):
    group = group_after_review
    assert GroupMember.objects.filter(group=group, left_on__isnull=True).count() == 1
    page = text(client_as("senco").get(reverse("delivery:group_detail", args=[group.pk])))
    assert "1 of 4 taken" in page
    listed = members_table(page)
    assert "Amara Ng" in listed
    assert "Ben Ode" not in listed
    assert listed.count("as left today") == 1


def test_the_specialist_sees_no_row_for_a_pupil_who_left_their_group(
    world, client_as, group_after_review
):
    page = text(
        client_as("intervention_specialist").get(
            reverse("delivery:group_detail", args=[group_after_review.pk])
        )
    )
    listed = members_table(page)
    assert "Amara Ng" in listed
    assert "A pupil in another class" not in listed
    assert listed.count('class="govuk-table__row"') == 2  # the heading and Amara's row


def test_a_pupil_marked_as_left_leaves_the_list_but_the_missed_sessions_still_count_from_the_start(
    world, client_as
):
    senco = actor_for(world.users["senco"])
    plan, first, _second, _outcome = plan_to_review(senco, world.pupil_in_class)
    group = make_group(world.school, first.intervention, name="Readers", places=4)
    member = add_member(group, first, joined_on=plan.start_date)
    client = client_as("senco")
    client.post(reverse("delivery:member_leave", args=[group.pk, member.pk]))
    page = text(client.get(reverse("delivery:group_detail", args=[group.pk])))
    assert "0 of 4 taken" in page
    assert "No pupils in the group yet." in page
    _recorded, missed = group_sessions(actor=senco, group=group)
    assert missed  # the weeks the pupil was in the group are still there to backfill
