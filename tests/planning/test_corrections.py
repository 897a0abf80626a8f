"""An outcome, a placement or a plan's review date entered by mistake is corrected by a SENCO
with a reason: the same rules as adding it, the earlier values kept in history (and shown on
the plan's changes page), audited; a reviewed plan stays as it was; two people correcting the
same record at once do not silently overwrite each other."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from sendwise.core.access import actor_for
from sendwise.core.models import AuditEntry
from sendwise.planning import correction_services as corrections
from sendwise.planning import services, withdraw_services
from sendwise.planning.models import Outcome, Placement, Plan
from sendwise.pupils.models import PupilAccess
from tests.monitoring.factories import plan_to_review, reading_measure
from tests.queries import assert_database_query_count, capture_queries
from tests.table_regions import read

TODAY = timezone.localdate


@pytest.fixture
def senco(world):
    return actor_for(world.users["senco"])


@pytest.fixture
def planned(world, senco):
    """Amara's plan (started 12 weeks ago, review due in 2 weeks): a reading outcome from 80 to
    92 on a reading test (70 to 140), Reading catch-up 3 × 30 minutes for 12 weeks and Number
    sense 2 × 20 minutes for 10 weeks."""
    plan, first, second, outcome = plan_to_review(senco, world.pupil_in_class)
    Plan.objects.filter(pk=plan.pk).update(review_date=TODAY() + timedelta(weeks=2))
    plan.refresh_from_db()
    return plan, first, second, outcome


def correct_outcome(actor, outcome, seen=1, reason="Target typed as 92, agreed 95", **changes):
    values = {
        "text": outcome.text,
        "measure": outcome.measure,
        "baseline": outcome.baseline,
        "baseline_date": outcome.baseline_date,
        "target": outcome.target,
        "target_date": outcome.target_date,
        "placement": outcome.placement,
        **changes,
    }
    return corrections.outcome_correct(
        actor=actor, outcome=outcome, reason=reason, seen_version=seen, **values
    )


def correct_placement(actor, placement, seen=1, reason="Agreed 4 a week at the meeting", **changes):
    values = {
        "sessions_per_week": placement.sessions_per_week,
        "minutes_per_session": placement.minutes_per_session,
        "weeks": placement.weeks,
        "deliverer": placement.deliverer,
        "why_chosen": placement.why_chosen,
        "outside_age_reason": placement.outside_age_reason,
        **changes,
    }
    return corrections.placement_correct(
        actor=actor, placement=placement, reason=reason, seen_version=seen, **values
    )


# --- Outcomes --------------------------------------------------------------------------------
def test_a_senco_corrects_an_outcomes_target_and_history_keeps_the_old_one(world, senco, planned):
    _, _, _, outcome = planned
    corrected = correct_outcome(senco, outcome, target=95)
    assert (corrected.target, corrected.version) == (95, 2)
    latest, earlier = corrected.history.all()[:2]
    assert (earlier.target, latest.target) == (92, 95)
    assert latest.history_change_reason == "Target typed as 92, agreed 95"
    assert latest.history_user == world.users["senco"]
    entry = AuditEntry.objects.filter(object_id=world.pupil_in_class.pk).latest("id")
    assert "target 92 to 95" in entry.detail
    assert entry.detail.endswith("Target typed as 92, agreed 95")


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"target": 150}, "target", None),  # beyond the reading test's 70 to 140
        ({"target": 75}, "target", "should be better than the baseline"),
        (
            {"target_date": "before"},
            "target_date",
            services.TARGET_DATE_ORDER,
        ),
        ({"baseline": None}, "measure", services.AIMLINE_INCOMPLETE),
        ({"text": "  "}, "text", "Write the outcome"),
    ],
)
def test_a_correction_keeps_to_the_rules_of_adding_an_outcome(
    senco, planned, changes, field, message
):
    _, _, _, outcome = planned
    if changes.get("target_date") == "before":
        changes["target_date"] = outcome.baseline_date - timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        correct_outcome(senco, outcome, **changes)
    assert field in caught.value.message_dict
    if message:
        assert message in caught.value.message_dict[field][0]
    outcome.refresh_from_db()
    assert (outcome.target, outcome.version, outcome.text) == (92, 1, outcome.text)


@pytest.mark.parametrize(
    "reason, message",
    [("", corrections.REASON_REQUIRED), ("x" * 301, corrections.REASON_TOO_LONG)],
)
def test_a_correction_needs_a_short_reason(senco, planned, reason, message):
    _, _, _, outcome = planned
    with pytest.raises(ValidationError) as caught:
        correct_outcome(senco, outcome, target=95, reason=reason)
    assert caught.value.message_dict == {"reason": [message]}


def test_a_correction_that_changes_nothing_is_refused(senco, planned):
    _, _, _, outcome = planned
    with pytest.raises(ValidationError) as caught:
        correct_outcome(senco, outcome)
    assert caught.value.message_dict == {"text": [corrections.NOTHING_CHANGED]}


@pytest.mark.parametrize("who", ["teacher", "head", "intervention_specialist"])
def test_only_a_senco_corrects(world, planned, who):
    _, _, _, outcome = planned
    with pytest.raises(PermissionDenied):
        correct_outcome(actor_for(world.users[who]), outcome, target=95)


def test_another_schools_senco_cannot_correct(world, planned):
    _, _, _, outcome = planned
    with pytest.raises(PermissionDenied):
        correct_outcome(actor_for(world.users["other_school_senco"]), outcome, target=95)


def test_a_withdrawn_outcome_cannot_be_corrected(senco, planned):
    _, _, _, outcome = planned
    withdraw_services.outcome_withdraw(actor=senco, outcome=outcome, reason="Duplicate")
    with pytest.raises(ValidationError) as caught:
        correct_outcome(senco, outcome, target=95)
    assert caught.value.messages == [corrections.ALREADY_WITHDRAWN]


def test_a_reviewed_plans_outcome_cannot_be_corrected(senco, planned):
    plan, _, _, outcome = planned
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.REVIEWED, reviewed_on=TODAY())
    with pytest.raises(ValidationError) as caught:
        correct_outcome(senco, outcome, target=95)
    assert caught.value.messages == [services.PLAN_CLOSED]


def test_the_second_of_two_people_correcting_at_once_sees_the_first_ones_change(senco, planned):
    _, _, _, outcome = planned
    correct_outcome(senco, outcome, target=95)
    stale = Outcome.objects.get(pk=outcome.pk)
    with pytest.raises(corrections.Conflict) as caught:
        correct_outcome(senco, stale, target=100, seen=1)
    message = caught.value.messages[0]
    assert message.startswith("senco person changed this outcome at")
    assert "to 95 by" in message
    assert Outcome.objects.get(pk=outcome.pk).target == 95


# --- Placements ------------------------------------------------------------------------------
def test_a_senco_corrects_a_placements_dose_and_history_keeps_the_old_one(world, senco, planned):
    _, first, _, _ = planned
    corrected = correct_placement(senco, first, sessions_per_week=4, minutes_per_session=25)
    assert (corrected.sessions_per_week, corrected.minutes_per_session, corrected.weeks) == (
        4,
        25,
        12,
    )
    latest, earlier = corrected.history.all()[:2]
    assert (earlier.sessions_per_week, latest.sessions_per_week) == (3, 4)
    assert latest.history_change_reason == "Agreed 4 a week at the meeting"
    entry = AuditEntry.objects.filter(object_id=world.pupil_in_class.pk).latest("id")
    assert "sessions a week 3 to 4; minutes a session 30 to 25" in entry.detail


def test_a_dose_correction_keeps_to_the_rules_of_adding_one(senco, planned):
    _, first, _, _ = planned
    with pytest.raises(ValidationError) as caught:
        correct_placement(senco, first, sessions_per_week=0)
    assert caught.value.message_dict == {"sessions_per_week": [services.DOSE_ZERO]}
    assert Placement.objects.get(pk=first.pk).sessions_per_week == 3


def test_a_parent_cannot_be_named_to_deliver_support(world, senco, planned):
    _, first, _, _ = planned
    with pytest.raises(ValidationError) as caught:
        correct_placement(senco, first, deliverer=world.users["parent"])
    assert caught.value.message_dict == {"deliverer": [services.DELIVERER_NOT_STAFF]}


def test_a_new_deliverer_sees_the_pupil_and_the_one_named_before_no_longer_does(
    world, senco, planned
):
    _, first, _, _ = planned
    teacher, specialist = world.users["teacher"], world.users["intervention_specialist"]
    first = correct_placement(senco, first, deliverer=teacher, reason="Named")
    correct_placement(senco, first, deliverer=specialist, seen=2, reason="Changed deliverer")
    open_rows = PupilAccess.objects.filter(
        basis=PupilAccess.Basis.NAMED_DELIVERER, source_id=first.pk, ends_at__isnull=True
    )
    assert list(open_rows.values_list("user", flat=True)) == [specialist.pk]


# --- The review date -------------------------------------------------------------------------
def test_a_senco_moves_the_review_date_with_a_reason(senco, planned):
    plan, *_ = planned
    later = TODAY() + timedelta(weeks=4)
    moved = corrections.plan_review_date_change(
        actor=senco, plan=plan, review_date=later, reason="Parent away", seen_version=1
    )
    assert (moved.review_date, moved.version) == (later, 2)
    assert moved.history.first().history_change_reason == "Parent away"


def test_the_review_date_stays_after_the_start(senco, planned):
    plan, *_ = planned
    with pytest.raises(ValidationError) as caught:
        corrections.plan_review_date_change(
            actor=senco, plan=plan, review_date=plan.start_date, reason="x", seen_version=1
        )
    assert caught.value.message_dict == {"review_date": [services.REVIEW_BEFORE_START]}


# --- The pages -------------------------------------------------------------------------------
def url(name, plan, **kwargs):
    return reverse(name, kwargs={"pupil_id": plan.pupil_id, "plan_id": plan.pk, **kwargs})


def test_the_plans_page_offers_correct_beside_withdraw_to_the_senco_only(world, client_as, planned):
    plan, first, _, outcome = planned
    page = client_as("senco").get(reverse("planning:plans", args=[plan.pupil_id])).content.decode()
    assert url("planning:outcome_correct", plan, outcome_id=outcome.pk) in page
    assert url("planning:placement_correct", plan, placement_id=first.pk) in page
    assert url("planning:review_date_change", plan) in page
    page = client_as("teacher").get(reverse("planning:plans", args=[plan.pupil_id]))
    assert "/correct/" not in page.content.decode()
    assert url("planning:plan_changes", plan) in page.content.decode()


def test_correcting_an_outcome_through_the_page(world, client_as, planned):
    plan, _, _, outcome = planned
    page = client_as("senco").get(url("planning:outcome_correct", plan, outcome_id=outcome.pk))
    assert page.status_code == 200
    form = page.context["form"]
    data = {
        name: "" if value is None else value
        for name, value in ((n, form[n].value()) for n in form.fields)
    }
    data.update(target="95", reason="Agreed 95 with parents")
    response = client_as("senco").post(
        url("planning:outcome_correct", plan, outcome_id=outcome.pk), data
    )
    assert response.status_code == 302
    assert Outcome.objects.get(pk=outcome.pk).target == 95


def test_a_correction_with_no_reason_shows_the_error_and_keeps_what_was_typed(
    world, client_as, planned
):
    plan, first, _, _ = planned
    response = client_as("senco").post(
        url("planning:placement_correct", plan, placement_id=first.pk),
        {"sessions_per_week": "4", "minutes_per_session": "30", "weeks": "12", "version": "1"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in page
    assert corrections.REASON_REQUIRED in page
    assert 'value="4"' in page
    assert Placement.objects.get(pk=first.pk).sessions_per_week == 3


def test_a_stale_review_date_form_shows_what_the_other_person_saved(
    world, client_as, senco, planned
):
    plan, *_ = planned
    sooner = TODAY() + timedelta(days=10)
    corrections.plan_review_date_change(
        actor=senco, plan=plan, review_date=sooner, reason="Meeting moved", seen_version=1
    )
    response = client_as("senco").post(
        url("planning:review_date_change", plan),
        {"review_date": (TODAY() + timedelta(weeks=6)).isoformat(), "reason": "x", "version": "1"},
    )
    page = response.content.decode()
    assert "changed this plan at" in page
    assert "Nothing you entered was saved" in page
    assert Plan.objects.get(pk=plan.pk).review_date == sooner


def test_the_changes_page_shows_each_correction_before_and_after_who_and_why(
    world, client_as, senco, planned
):
    plan, first, _, outcome = planned
    correct_outcome(senco, outcome, target=95)
    correct_placement(senco, first, sessions_per_week=4)
    page = client_as("teacher").get(url("planning:plan_changes", plan)).content.decode()
    assert "Target typed as 92, agreed 95" in page
    assert "Agreed 4 a week at the meeting" in page
    assert '<td class="govuk-table__cell">92</td><td class="govuk-table__cell">95</td>' in page
    assert "Sessions a week" in page
    # Each change's table scrolls in its own region, and two regions with one name could not be
    # told apart by a screen reader's list of landmarks.
    regions = read(page).regions
    assert len(regions) >= 2 and len(set(regions)) == len(regions), regions
    assert client_as("parent").get(url("planning:plan_changes", plan)).status_code == 403


def test_the_changes_page_runs_the_same_queries_for_1_and_several_corrections(
    world, client_as, senco, planned
):
    plan, first, second, outcome = planned
    correct_outcome(senco, outcome, target=95)
    client = client_as("senco")
    client.get(url("planning:plan_changes", plan))  # warm the session
    with capture_queries() as one:
        client.get(url("planning:plan_changes", plan))
    outcome.refresh_from_db()
    correct_outcome(senco, outcome, target=96, seen=2, measure=reading_measure())
    correct_placement(senco, first, sessions_per_week=4, deliverer=world.users["teacher"])
    correct_placement(senco, second, weeks=8)
    with assert_database_query_count(one):
        client.get(url("planning:plan_changes", plan))


def test_the_audit_keeps_a_long_reason_whole_and_shortens_what_changed(world, senco, planned):
    _, _, _, outcome = planned
    reason = "Agreed at the meeting with parents and the class teacher. " * 4
    correct_outcome(senco, outcome, text="Reads a Year 3 passage aloud " * 5, reason=reason)
    entry = AuditEntry.objects.filter(object_id=world.pupil_in_class.pk).latest("id")
    assert len(entry.detail) <= 300
    assert entry.detail.endswith(reason.strip())
    assert entry.detail.startswith("Corrected the outcome")


def test_the_changes_page_shows_the_first_change_to_a_record_that_had_no_history(
    world, client_as, senco, planned
):
    """The demo's records and imported ones have no "created" history row: the first
    correction and the first withdrawal still show, with what the record read before."""
    plan, _, second, outcome = planned
    for model in (Plan, Outcome, Placement):
        model.history.filter(school_id=plan.school_id).delete()
    correct_outcome(senco, outcome, target=95)
    withdraw_services.placement_withdraw(actor=senco, placement=second, reason="Added twice")
    corrections.plan_review_date_change(
        actor=senco,
        plan=plan,
        review_date=TODAY() + timedelta(weeks=3),
        reason="Meeting moved",
        seen_version=1,
    )
    page = client_as("teacher").get(url("planning:plan_changes", plan)).content.decode()
    assert "has been corrected or withdrawn" not in page
    assert "Target typed as 92, agreed 95" in page
    assert '<td class="govuk-table__cell">92</td><td class="govuk-table__cell">95</td>' in page
    assert "Withdrawn: Added twice" in page
    assert "Meeting moved" in page
    # One row of the state before each first change, and no more on a second change.
    correct_outcome(senco, Outcome.objects.get(pk=outcome.pk), target=96, seen=2)
    assert [r.target for r in Outcome.history.filter(id=outcome.pk).order_by("history_id")] == [
        92,
        95,
        96,
    ]
