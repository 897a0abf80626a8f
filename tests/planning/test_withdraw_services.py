"""A reviewed plan is read-only: an outcome or a placement on it cannot be withdrawn (as it
cannot be corrected), so what the review looked at stays on record as it was."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sendwise.core.access import actor_for
from sendwise.planning import services, withdraw_services
from sendwise.planning.models import Outcome, Placement, Plan
from tests.monitoring.factories import plan_to_review


@pytest.fixture
def senco(world):
    return actor_for(world.users["senco"])


@pytest.fixture
def reviewed(world, senco):
    """Amara's plan with a reading outcome and two placements, marked reviewed today."""
    plan, first, _second, outcome = plan_to_review(senco, world.pupil_in_class)
    Plan.objects.filter(pk=plan.pk).update(
        status=Plan.Status.REVIEWED, reviewed_on=timezone.localdate()
    )
    return plan, first, outcome


def test_a_reviewed_plans_outcome_cannot_be_withdrawn(senco, reviewed):
    _plan, _placement, outcome = reviewed
    with pytest.raises(ValidationError) as caught:
        withdraw_services.outcome_withdraw(actor=senco, outcome=outcome, reason="Duplicate")
    assert caught.value.messages == [services.PLAN_CLOSED]
    assert Outcome.objects.get(pk=outcome.pk).withdrawn_at is None


def test_a_reviewed_plans_placement_cannot_be_withdrawn(senco, reviewed):
    _plan, placement, _outcome = reviewed
    with pytest.raises(ValidationError) as caught:
        withdraw_services.placement_withdraw(actor=senco, placement=placement, reason="Wrong")
    assert caught.value.messages == [services.PLAN_CLOSED]
    assert Placement.objects.get(pk=placement.pk).withdrawn_at is None


def test_the_withdraw_page_of_a_reviewed_plan_says_why_and_changes_nothing(
    world, client_as, reviewed
):
    plan, placement, _outcome = reviewed
    url = reverse(
        "planning:placement_withdraw", args=[world.pupil_in_class.pk, plan.pk, placement.pk]
    )
    response = client_as("senco").post(url, {"reason": "Wrong pupil"})
    assert response.status_code == 200
    assert services.PLAN_CLOSED in response.content.decode()
    assert Placement.objects.get(pk=placement.pk).withdrawn_at is None
