"""The review meeting: its rules, what completing it does (the plan closed, group places freed,
the next cycle opened from the decisions), one review per plan, and sharing with parents."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from sendwise.core.access import actor_for
from sendwise.delivery.models import Group, GroupMember
from sendwise.delivery.services import group_add_member
from sendwise.monitoring import cycle_services
from sendwise.monitoring import review_services as services
from sendwise.monitoring.models import MAX_SUMMARY, OutcomeReview, PlacementDecision, Review
from sendwise.monitoring.review_services import Attendee, Decision, OutcomeResult
from sendwise.planning import services as planning_services
from sendwise.planning.models import Plan
from sendwise.pupils.models import PupilAccess
from tests.evidence.factories import InterventionFactory
from tests.factories import PupilFactory
from tests.monitoring.factories import (
    TODAY,
    add_score,
    complete_review,
    plan_to_review,
    reading_measure,
)


@pytest.fixture
def senco(world):
    return actor_for(world.users["senco"])


@pytest.fixture
def reviewed(world, senco):
    return plan_to_review(senco, world.pupil_in_class)


def save(senco, plan, **changes):
    arguments = {
        "actor": senco,
        "plan": plan,
        "held_on": TODAY(),
        "attendees": [Attendee("Sam Senco", "SENCO"), Attendee("Pat Ng", "Parent")],
        "summary": "Reading is up; number sense stops.",
    }
    arguments.update(changes)
    return services.review_save(**arguments)


# --- Drafts -----------------------------------------------------------------------------------
def test_a_draft_can_be_saved_half_done_and_changed_later_as_one_review(senco, reviewed):
    plan, first, _second, outcome = reviewed
    save(senco, plan, summary="", outcomes=[OutcomeResult(outcome.pk, "partly")])
    review = save(
        senco,
        plan,
        pupil_views="I like the reading games",
        outcomes=[OutcomeResult(outcome.pk, "achieved", "Scored 93")],
        decisions=[Decision(first.pk, "continue")],
    )
    assert Review.objects.filter(plan=plan).count() == 1
    assert review.is_draft and review.pupil_views == "I like the reading games"
    assert OutcomeReview.objects.get(review=review).result == "achieved"
    assert review.attendees == [
        {"name": "Sam Senco", "role": "SENCO"},
        {"name": "Pat Ng", "role": "Parent"},
    ]
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ACTIVE  # a draft closes nothing
    assert review.history.count() == 2  # created, then changed: history kept


# --- Bad input changes nothing --------------------------------------------------------------------
@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"held_on": TODAY() + timedelta(days=1)}, "held_on", services.HELD_IN_FUTURE),
        ({"held_on": TODAY() - timedelta(weeks=13)}, "held_on", "cannot be before the plan"),
        ({"summary": "x" * (MAX_SUMMARY + 1)}, "summary", "4000 characters or fewer"),
        ({"attendees": [Attendee("", "Parent")]}, "attendees", services.ATTENDEE_NAME_MISSING),
        ({"attendees": [Attendee("A" * 101)]}, "attendees", "100 characters"),
        ({"attendees": [Attendee(f"P{n}") for n in range(13)]}, "attendees", "at most 12"),
    ],
)
def test_bad_input_gets_a_clear_message_and_saves_nothing(senco, reviewed, changes, field, message):
    plan = reviewed[0]
    with pytest.raises(ValidationError) as caught:
        save(senco, plan, complete=True, **changes)
    assert message in " ".join(caught.value.message_dict[field])
    assert not Review.objects.exists()
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ACTIVE


def test_a_decision_for_an_intervention_of_another_plan_is_refused(world, senco, reviewed):
    plan = reviewed[0]
    other = plan_to_review(senco, world.pupil_elsewhere)[1]
    with pytest.raises(ValidationError) as caught:
        save(senco, plan, decisions=[Decision(other.pk, "continue")])
    assert caught.value.message_dict["__all__"] == [services.PLACEMENT_NOT_IN_PLAN]
    assert not Review.objects.exists()


def test_completing_needs_a_result_for_every_outcome_and_a_decision_for_every_intervention(
    senco, reviewed
):
    plan, first, second, outcome = reviewed
    with pytest.raises(ValidationError) as caught:
        save(senco, plan, complete=True, decisions=[Decision(first.pk, "continue")])
    assert caught.value.message_dict == {
        f"result_{outcome.pk}": [services.RESULT_REQUIRED],
        f"decision_{second.pk}": ["Choose what happens next to Number sense"],
    }
    assert not Review.objects.exists()


def test_a_changed_dose_must_be_given_different_and_within_bounds(senco, reviewed):
    plan, first = reviewed[0], reviewed[1]
    cases = [
        (Decision(first.pk, "change_dose"), f"sessions_per_week_{first.pk}", "Enter the new"),
        (Decision(first.pk, "change_dose", sessions_per_week=3, minutes_per_session=30), None, ""),
        (Decision(first.pk, "change_dose", sessions_per_week=11, minutes_per_session=30), None, ""),
        (Decision(first.pk, "change_dose", sessions_per_week=3, minutes_per_session=2), None, ""),
    ]
    messages = []
    for decision, _field, _text in cases:
        with pytest.raises(ValidationError) as caught:
            save(senco, plan, decisions=[decision])
        messages.append(caught.value.message_dict)
    assert messages[0] == {f"sessions_per_week_{first.pk}": [services.DOSE_REQUIRED]}
    assert messages[1] == {f"sessions_per_week_{first.pk}": [services.DOSE_UNCHANGED]}
    assert messages[2] == {
        f"sessions_per_week_{first.pk}": ["Sessions a week must be between 1 and 10"]
    }
    assert messages[3] == {
        f"minutes_per_session_{first.pk}": ["Minutes a session must be between 5 and 180"]
    }
    assert not Review.objects.exists()


# --- Completing -----------------------------------------------------------------------------------
def test_completing_closes_the_plan_frees_group_places_and_records_the_responses(
    world, senco, reviewed
):
    plan, first, second, outcome = reviewed
    group = Group.objects.create(
        school=world.school, intervention=first.intervention, name="Readers", places=4
    )
    member = GroupMember.objects.create(
        school=world.school, group=group, placement=first, joined_on=plan.start_date
    )
    save(
        senco,
        plan,
        complete=True,
        outcomes=[OutcomeResult(outcome.pk, "achieved")],
        decisions=[Decision(first.pk, "stop", "responded"), Decision(second.pk, "stop")],
    )
    plan.refresh_from_db()
    first.refresh_from_db()
    member.refresh_from_db()
    assert (plan.status, plan.reviewed_on) == (Plan.Status.REVIEWED, TODAY())
    assert plan.review_summary == "Reading is up; number sense stops."
    assert first.response == "responded"  # feeds the next cycle's recommendations
    assert member.left_on == TODAY()


@pytest.mark.parametrize("decision", ["continue", "change_dose", "escalate_ehc"])
def test_an_intervention_that_goes_on_gets_its_seat_back_once_the_next_plan_is_in_place(
    world, senco, reviewed, decision
):
    """The review frees the seat and the next plan is a draft, so the pupil is in no group for
    it (a draft's placements get no group place); putting that plan in place takes them back
    into the group, from that day, and its deliverer sees them again."""
    plan, first, second, outcome = reviewed
    group = Group.objects.create(
        school=world.school,
        intervention=first.intervention,
        name="Readers",
        places=1,
        deliverer=world.users["intervention_specialist"],
    )
    member = GroupMember.objects.create(
        school=world.school, group=group, placement=first, joined_on=plan.start_date
    )
    review = save(
        senco,
        plan,
        complete=True,
        outcomes=[OutcomeResult(outcome.pk, "partly")],
        decisions=[
            Decision(first.pk, decision, sessions_per_week=2, minutes_per_session=20),
            Decision(second.pk, "stop"),
        ],
    )
    member.refresh_from_db()
    assert member.left_on == TODAY()
    assert review.next_plan.status == Plan.Status.DRAFT
    assert not GroupMember.objects.filter(group=group, left_on__isnull=True).exists()

    done = cycle_services.plan_put_in_place(actor=senco, plan=review.next_plan)
    assert done.plan.status == Plan.Status.ACTIVE
    (seat,) = GroupMember.objects.filter(group=group, left_on__isnull=True)
    assert done.rejoined == [seat] and done.not_rejoined == []
    assert seat.placement.plan == review.next_plan
    assert seat.placement.intervention == first.intervention
    assert seat.joined_on == TODAY()
    sees = PupilAccess.objects.filter(
        user=world.users["intervention_specialist"],
        pupil=world.pupil_in_class,
        basis=PupilAccess.Basis.GROUP_DELIVERER,
        source_id=seat.pk,
        ends_at__isnull=True,
    )
    assert sees.exists()


def test_a_draft_plans_support_cannot_join_a_group(world, senco, reviewed):
    plan, first, *_ = reviewed
    group = Group.objects.create(
        school=world.school, intervention=first.intervention, name="Readers", places=4
    )
    review = complete_review(senco, plan, result="partly", decision="continue")
    carried = review.next_plan.placements.get(intervention=first.intervention)
    with pytest.raises(ValidationError) as caught:
        group_add_member(actor=senco, group=group, placement_id=carried.pk, joined_on=TODAY())
    assert "placement" in caught.value.message_dict
    assert not GroupMember.objects.filter(group=group).exists()


def test_a_seat_taken_while_the_plan_was_a_draft_is_reported_not_overfilled(world, senco, reviewed):
    plan, first, *_ = reviewed
    group = Group.objects.create(
        school=world.school, intervention=first.intervention, name="Readers", places=1
    )
    GroupMember.objects.create(
        school=world.school, group=group, placement=first, joined_on=plan.start_date
    )
    review = complete_review(senco, plan, result="partly", decision="continue")
    other, *_ = plan_to_review(senco, PupilFactory(school=world.school, nc_year=3))
    newcomer = planning_services.placement_add(
        actor=senco, plan=other, intervention=first.intervention
    )
    group_add_member(actor=senco, group=group, placement_id=newcomer.pk, joined_on=TODAY())

    done = cycle_services.plan_put_in_place(actor=senco, plan=review.next_plan)
    assert done.rejoined == []
    assert [m.group for m in done.not_rejoined] == [group]
    assert GroupMember.objects.filter(group=group, left_on__isnull=True).count() == 1


def test_a_stopped_or_replaced_intervention_frees_the_seat(world, senco, reviewed):
    plan, first, second, outcome = reviewed
    group = Group.objects.create(
        school=world.school, intervention=first.intervention, name="Readers", places=4
    )
    GroupMember.objects.create(
        school=world.school, group=group, placement=first, joined_on=plan.start_date
    )
    save(
        senco,
        plan,
        complete=True,
        outcomes=[OutcomeResult(outcome.pk, "achieved")],
        decisions=[Decision(first.pk, "change_intervention"), Decision(second.pk, "stop")],
    )
    assert not GroupMember.objects.filter(group=group, left_on__isnull=True).exists()


def test_the_next_cycle_opens_as_a_draft_pre_filled_from_the_decisions(world, senco, reviewed):
    plan, first, second, outcome = reviewed
    extra = planning_placement(senco, plan, "Social stories")
    add_score(world.pupil_in_class, reading_measure(), 86, TODAY() - timedelta(days=3))
    review = save(
        senco,
        plan,
        complete=True,
        pupil_views="Reading is easier",
        outcomes=[OutcomeResult(outcome.pk, "partly")],
        decisions=[
            Decision(first.pk, "change_dose", sessions_per_week=4, minutes_per_session=30),
            Decision(second.pk, "change_intervention"),
            Decision(extra.pk, "escalate_advice"),
        ],
    )
    nxt = review.next_plan
    assert (nxt.cycle, nxt.status) == (plan.cycle + 1, Plan.Status.DRAFT)
    assert nxt.start_date == TODAY() + timedelta(days=1)
    assert nxt.review_date - nxt.start_date == plan.review_date - plan.start_date
    assert nxt.pupil_contribution == "Reading is easier"
    placements = {p.intervention.name: p for p in nxt.placements.all()}
    # The dose changed; the escalation goes on while advice is sought; the replaced one waits
    # for the SENCO's choice (listed on the plans page), so it is not carried.
    assert set(placements) == {"Reading catch-up", "Social stories"}
    reading = placements["Reading catch-up"]
    assert (reading.sessions_per_week, reading.minutes_per_session, reading.weeks) == (4, 30, 12)
    carried = nxt.outcomes.get()
    assert carried.text == outcome.text
    assert (carried.baseline, carried.baseline_date) == (86, TODAY() - timedelta(days=3))
    assert (carried.target, carried.target_date) == (92, nxt.review_date)
    assert carried.placement == reading


def test_continued_keeps_the_dose_and_achieved_outcomes_stay_behind(senco, reviewed):
    plan = reviewed[0]
    nxt = complete_review(senco, plan, decision="continue").next_plan
    kept = {
        p.intervention.name: (p.sessions_per_week, p.minutes_per_session, p.weeks, p.why_chosen)
        for p in nxt.placements.all()
    }
    why = "Continued at the review of plan 1"
    assert kept == {"Reading catch-up": (3, 30, 12, why), "Number sense": (2, 20, 10, why)}
    assert not nxt.outcomes.exists()


def test_stopped_interventions_are_left_out_of_the_next_cycle(senco, reviewed):
    nxt = complete_review(senco, reviewed[0], decision="stop").next_plan
    assert not nxt.placements.exists()


def test_an_outcome_not_achieved_with_no_score_since_is_carried_without_a_goal(senco, reviewed):
    plan = reviewed[0]
    review = complete_review(senco, plan, result="not")
    carried = review.next_plan.outcomes.get()
    assert carried.text == reviewed[3].text
    assert not carried.has_aimline


def test_escalations_are_recorded_for_the_senco(senco, reviewed):
    plan = reviewed[0]
    complete_review(senco, plan, decision="escalate_ehc")
    assert set(
        PlacementDecision.objects.filter(decision="escalate_ehc").values_list(
            "placement__intervention__name", flat=True
        )
    ) == {"Reading catch-up", "Number sense"}


# --- One review per plan ------------------------------------------------------------------------
def test_a_review_submitted_twice_is_recorded_once(senco, reviewed):
    plan = reviewed[0]
    first = complete_review(senco, plan)
    with pytest.raises(services.ReviewAlreadyComplete) as caught:
        complete_review(senco, plan, decision="continue")
    assert caught.value.review == first
    assert Review.objects.filter(plan=plan).count() == 1
    assert Plan.objects.filter(pupil=plan.pupil).count() == 2  # one next cycle, not two


def test_the_database_refuses_a_second_review_of_a_plan(senco, reviewed):
    plan = reviewed[0]
    complete_review(senco, plan)
    with pytest.raises(IntegrityError), transaction.atomic():
        Review.objects.create(school=plan.school, plan=plan, held_on=TODAY())


def test_two_racing_submits_give_one_review_and_the_second_is_told_what_was_saved(senco, reviewed):
    """The second request read "no review yet" before the first committed its review (as two
    requests can where the database does not honour the lock): its insert hits the unique
    constraint, and it answers with the review the first saved, having changed nothing."""
    plan = reviewed[0]
    first = Review.objects.create(
        school=plan.school, plan=plan, held_on=TODAY(), status="complete", summary="First"
    )
    stale_read = mock.patch.object(
        services.Review.objects, "filter", return_value=Review.objects.none()
    )
    with stale_read, pytest.raises(services.ReviewAlreadyComplete) as caught:
        save(senco, plan, summary="Second")
    assert caught.value.review == first
    assert list(Review.objects.filter(plan=plan).values_list("summary", flat=True)) == ["First"]


# --- Sharing --------------------------------------------------------------------------------------
def test_only_a_completed_review_can_be_shared_with_parents(senco, reviewed):
    plan = reviewed[0]
    draft = save(senco, plan)
    with pytest.raises(ValidationError) as caught:
        services.review_share(actor=senco, review=draft)
    assert caught.value.messages == [services.NOT_COMPLETE]
    draft.refresh_from_db()
    assert draft.shared_with_parent_at is None
    done = complete_review(senco, Plan.objects.get(pk=plan.pk))
    assert services.review_share(actor=senco, review=done).shared_with_parent_at is not None


def planning_placement(senco, plan, name):
    return planning_services.placement_add(
        actor=senco, plan=plan, intervention=InterventionFactory(name=name)
    )


def test_an_intervention_that_cannot_go_on_stops_the_whole_completion(senco, reviewed):
    """The catalogue entry was archived since: carrying it into the next plan is refused, with
    the reason on its decision, and nothing at all is saved (the plan stays open)."""
    plan, first = reviewed[0], reviewed[1]
    first.intervention.archived = True
    first.intervention.save()
    with pytest.raises(ValidationError) as caught:
        complete_review(senco, plan, decision="continue")
    assert caught.value.message_dict[f"decision_{first.pk}"] == [
        "Reading catch-up cannot go into the next plan: Choose an intervention from the catalogue"
    ]
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ACTIVE
    assert not Review.objects.exists()
    assert Plan.objects.filter(pupil=plan.pupil).count() == 1


def test_only_a_draft_plan_can_be_put_in_place(senco, reviewed):
    plan = reviewed[0]
    with pytest.raises(ValidationError) as caught:
        planning_services.plan_activate(actor=senco, plan=plan)
    assert caught.value.messages == [planning_services.PLAN_NOT_DRAFT]
    nxt = complete_review(senco, plan, result="partly", decision="continue").next_plan
    assert planning_services.plan_activate(actor=senco, plan=nxt).status == Plan.Status.ACTIVE


def test_the_pupils_support_is_the_plan_in_place_never_the_draft(world, senco, client_as, reviewed):
    """While the next plan is a draft with a new dose, the pupil's page does not show that dose
    as the support given: it shows the next plan's once it is in place."""
    plan, first, second, outcome = reviewed
    review = save(
        senco,
        plan,
        complete=True,
        outcomes=[OutcomeResult(outcome.pk, "partly")],
        decisions=[
            Decision(first.pk, "change_dose", sessions_per_week=4, minutes_per_session=25),
            Decision(second.pk, "stop"),
        ],
    )
    page = client_as("senco").get(reverse("pupils:detail", args=[plan.pupil_id]))
    assert page.context["support"]["interventions"] == []
    assert "25 minutes" not in page.content.decode()
    cycle_services.plan_put_in_place(actor=senco, plan=review.next_plan)
    page = client_as("senco").get(reverse("pupils:detail", args=[plan.pupil_id]))
    (shown,) = page.context["support"]["interventions"]
    assert (shown.plan, shown.sessions_per_week, shown.minutes_per_session) == (
        review.next_plan,
        4,
        25,
    )


def test_a_goal_with_decimals_on_a_whole_number_measure_is_carried_as_a_whole_number(
    world, senco, reviewed
):
    """A goal of 92.4 written before whole-number goals were checked (as the demo's 9.2): the
    next plan's goal is 93, rounded up, the way the aim goes; the new baseline the latest score."""
    plan, first, second, outcome = reviewed
    type(outcome).objects.filter(pk=outcome.pk).update(target=92.4)
    add_score(world.pupil_in_class, reading_measure(), 86, TODAY() - timedelta(days=3))
    review = save(
        senco, plan, complete=True, outcomes=[OutcomeResult(outcome.pk, "partly")],
        decisions=[Decision(first.pk, "continue"), Decision(second.pk, "stop")],
    )  # fmt: skip
    carried = review.next_plan.outcomes.get()
    assert (carried.baseline, carried.target) == (86, 93)


def test_with_no_score_since_the_old_baseline_the_next_plan_does_not_copy_it_as_new(
    world, senco, reviewed
):
    """The only score is the baseline the plan started from, 12 weeks ago: carrying it as the
    new plan's baseline would present a stale figure as today's, so the outcome is carried
    without a goal, for the SENCO to set from a new score."""
    plan, first, second, outcome = reviewed
    add_score(world.pupil_in_class, reading_measure(), 80, outcome.baseline_date)
    review = save(
        senco, plan, complete=True, outcomes=[OutcomeResult(outcome.pk, "not")],
        decisions=[Decision(first.pk, "continue"), Decision(second.pk, "stop")],
    )  # fmt: skip
    carried = review.next_plan.outcomes.get()
    assert carried.text == outcome.text
    assert (carried.measure, carried.baseline, carried.target) == (None, None, None)
