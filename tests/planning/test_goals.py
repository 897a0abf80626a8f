"""Goals that can be reached: on a measure scored in whole numbers (a scaled score, a count) a
goal is a whole number, rounded in the direction of the aim; a typed goal with decimals is
refused with the reason."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sendwise.core.access import actor_for
from sendwise.evidence.models import Measure
from sendwise.planning import goals
from sendwise.planning import services as planning_services


def test_a_goal_of_9_2_on_a_scaled_score_is_suggested_as_10_and_one_below_rounds_down():
    # CELF-5 scaled score 8 + 1.2 (6 standard-score points at SD 3): 9.2, which no pupil can
    # score; the goal that is at least as ambitious is 10.
    assert goals.goal_towards(9.2, baseline=8) == 10
    # Lower is better (difficulties going down from 20 by 4.5): 15.5 becomes 15.
    assert goals.goal_towards(15.5, baseline=20) == 15
    assert goals.goal_towards(9.0, baseline=8) == 9  # a whole number stays as it is


def test_a_target_with_decimals_is_refused_only_where_scores_are_whole_numbers():
    problem = goals.target_problem(5.2, kind="standardised", measure="CELF-5 scaled score")
    assert problem == (
        "The target must be a whole number on CELF-5 scaled score: its scores are whole "
        "numbers, so a goal of 5.2 could never be met exactly (try 5 or 6)"
    )
    assert goals.target_problem(6, kind="standardised", measure="CELF-5") == ""
    assert goals.target_problem(2.5, kind="rating_scale", measure="Mean item rating") == ""


@pytest.fixture
def scaled(db):
    return Measure.objects.create(
        slug="celf-scaled", name="CELF-5 scaled score", kind="standardised",
        scale_min=1, scale_max=19, mean=10, sd=3, higher_is_better=True,
    )  # fmt: skip


def test_the_senco_typing_a_goal_of_9_2_on_a_scaled_score_is_told_why_and_nothing_saved(
    world, scaled
):
    senco = actor_for(world.users["senco"])
    today = timezone.localdate()
    plan = planning_services.plan_create(
        actor=senco, pupil=world.pupil_in_class, start_date=today,
        review_date=today + timedelta(weeks=12),
    )  # fmt: skip
    aim = {"measure": scaled, "baseline": 8, "baseline_date": today}
    with pytest.raises(ValidationError) as caught:
        planning_services.outcome_add(
            actor=senco, plan=plan, text="Follows two-part instructions", target=9.2,
            target_date=today + timedelta(weeks=12), **aim,
        )  # fmt: skip
    assert caught.value.message_dict["target"] == [
        goals.TARGET_NOT_WHOLE.format(measure=scaled.name, typed="9.2", lower=9, upper=10)
    ]
    assert not plan.outcomes.exists()
    outcome = planning_services.outcome_add(
        actor=senco, plan=plan, text="Follows two-part instructions", target=10,
        target_date=today + timedelta(weeks=12), **aim,
    )  # fmt: skip
    assert outcome.target == 10


def test_a_starting_score_with_decimals_on_a_scaled_score_is_refused_like_a_score(world, scaled):
    """The baseline is the pupil's first score: 6.6 on a scaled score cannot have been given
    (the demo's EHC pack showed one), so it is refused as a score would be, nothing saved."""
    senco = actor_for(world.users["senco"])
    today = timezone.localdate()
    plan = planning_services.plan_create(
        actor=senco, pupil=world.pupil_in_class, start_date=today,
        review_date=today + timedelta(weeks=12),
    )  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        planning_services.outcome_add(
            actor=senco, plan=plan, text="Follows two-part instructions", measure=scaled,
            baseline=6.6, baseline_date=today, target=9, target_date=today + timedelta(weeks=12),
        )  # fmt: skip
    (message,) = caught.value.message_dict["baseline"]
    assert "whole number" in message and "6 or 7" in message
    assert not plan.outcomes.exists()
