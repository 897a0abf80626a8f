"""Issue 11, item 2: the cycle a review opens. Putting a plan in place with an outcome that has
no goal on a measure warns the SENCO, naming the outcome (planning lets an outcome be written
without one, so it is a warning, not a refusal); and a new dose the pupil's group cannot give
(3 a week, the group meets twice) is a warning on the plans page for staff, never shown to
the parent."""

from datetime import time

import pytest
from django.urls import reverse

from sendwise.core.access import actor_for
from sendwise.monitoring.cycle_services import plan_put_in_place
from sendwise.monitoring.review_services import Attendee, Decision, OutcomeResult, review_save
from sendwise.planning import services as planning_services
from sendwise.planning.models import Plan
from sendwise.planning.selectors import outcomes_without_goal
from tests.delivery.factories import add_member, make_group
from tests.monitoring.factories import TODAY, plan_to_review


@pytest.fixture
def senco(world):
    return actor_for(world.users["senco"])


@pytest.fixture
def next_plan(world, senco):
    """Amara's review: the reading outcome partly achieved with no score since its baseline
    (so it is carried without a goal), Number sense (2 x 20 minutes) raised to 3 x 20 while
    its group, Numbers, meets twice a week; the plan it opened, still a draft."""
    plan, first, second, outcome = plan_to_review(senco, world.pupil_in_class)
    group = make_group(
        world.school,
        second.intervention,
        name="Numbers",
        slots=((0, time(9, 0), 20), (2, time(9, 0), 20)),
    )
    add_member(group, second, joined_on=plan.start_date)
    review = review_save(
        actor=senco,
        plan=plan,
        held_on=TODAY(),
        attendees=[Attendee("Sam Senco", "SENCO")],
        summary="Reviewed together",
        outcomes=[OutcomeResult(outcome.pk, "partly")],
        decisions=[
            Decision(first.pk, "continue"),
            Decision(second.pk, "change_dose", sessions_per_week=3, minutes_per_session=20),
        ],
        complete=True,
    )
    return review.next_plan


def activate(client, plan):
    url = reverse("planning:plan_activate", kwargs={"pupil_id": plan.pupil_id, "plan_id": plan.pk})
    return client.post(url, follow=True).content.decode()


def plans_page(client, plan) -> str:
    url = reverse("planning:plans", kwargs={"pupil_id": plan.pupil_id})
    return client.get(url).content.decode()


def test_the_carried_outcome_has_no_goal_and_is_named(next_plan):
    (outcome,) = next_plan.outcomes.all()
    assert not outcome.has_aimline
    (warning,) = outcomes_without_goal(plan=next_plan)
    assert warning.startswith("Outcome 1 of plan 2, \u201cReads a Year 3 passage")
    assert "no goal on a measure" in warning


def test_putting_the_plan_in_place_warns_of_the_outcome_without_a_goal(next_plan, client_as):
    page = activate(client_as("senco"), next_plan)
    next_plan.refresh_from_db()
    assert next_plan.status == Plan.Status.ACTIVE  # a warning, not a refusal
    assert "Plan 2 is in place." in page
    assert (
        "Outcome 1 of plan 2, \u201cReads a Year 3 passage with understanding\u201d, has no goal"
        in page
    )
    # The plans page keeps saying so to staff while the plan is open.
    assert 'data-testid="outcome-without-goal"' in plans_page(client_as("senco"), next_plan)


def test_an_outcome_with_a_goal_is_not_warned_about(world, senco, client_as):
    plan, *_ = plan_to_review(senco, world.pupil_in_class)
    assert outcomes_without_goal(plan=plan) == []
    assert 'data-testid="outcome-without-goal"' not in plans_page(client_as("senco"), plan)


def test_a_new_dose_the_group_cannot_give_is_a_warning_for_staff_not_for_the_parent(
    next_plan, client_as
):
    activate(client_as("senco"), next_plan)
    page = plans_page(client_as("senco"), next_plan)
    warning = page.split('data-testid="timetable-short"', 1)[1].split("</div>", 1)[0]
    assert "govuk-warning-text__text" in warning
    assert "Numbers meets twice a week for 20 minutes" in warning
    assert "plan asks for 3 sessions of 20 minutes a week" in warning
    parent = plans_page(client_as("parent"), next_plan)
    assert "Plan 2" in parent  # the parent sees the plan in place ...
    assert 'data-testid="timetable-short"' not in parent  # ... not the staff warnings
    assert 'data-testid="outcome-without-goal"' not in parent
    assert "no goal on a measure" not in parent


def test_a_plan_without_outcome_goal_is_put_in_place_by_the_service_with_the_warning(world, senco):
    plan = planning_services.plan_create(
        actor=senco,
        pupil=world.pupil_in_class,
        start_date=TODAY(),
        review_date=TODAY().replace(year=TODAY().year + 1),
    )
    planning_services.outcome_add(actor=senco, plan=plan, text="Asks for help when stuck")
    done = plan_put_in_place(actor=senco, plan=plan)
    assert done.plan.status == Plan.Status.ACTIVE
    assert [w.split(",")[0] for w in done.without_goal] == ["Outcome 1 of plan 1"]
