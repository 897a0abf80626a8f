"""Writes that span two apps: a plan's review also frees the pupil's group places."""

from datetime import date

import pytest

from sendwise.core.access import actor_for
from sendwise.delivery.models import Group, GroupMember
from sendwise.pages import services as pages_services
from sendwise.planning import services as planning_services
from tests.evidence.factories import InterventionFactory


@pytest.fixture
def senco(world):
    return actor_for(world.users["senco"])


@pytest.fixture
def plan(world, senco):
    return planning_services.plan_create(
        actor=senco,
        pupil=world.pupil_in_class,
        start_date=date(2026, 9, 7),
        review_date=date(2026, 12, 11),
    )


def test_reviewing_a_plan_frees_the_pupils_places_in_groups(world, senco, plan):
    intervention = InterventionFactory(name="Phonics catch-up", nc_year_min=2, nc_year_max=6)
    placement = planning_services.placement_add(actor=senco, plan=plan, intervention=intervention)
    group = Group.objects.create(
        school=world.school, intervention=intervention, name="Readers", places=1
    )
    member = GroupMember.objects.create(
        school=world.school, group=group, placement=placement, joined_on=date(2026, 9, 14)
    )
    pages_services.plan_review(
        actor=senco, plan=plan, reviewed_on=date(2026, 12, 11), summary="Good progress"
    )
    member.refresh_from_db()
    assert member.left_on == date(2026, 12, 11)
    assert not GroupMember.objects.filter(group=group, left_on__isnull=True).exists()
