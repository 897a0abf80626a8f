"""Escalations agreed at a review: the SENCO records when and what was done, so the list of
those waiting shows only what still needs acting on; a mistake can be reopened."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sendwise.core.access import actor_for
from sendwise.core.models import AuditEntry
from sendwise.monitoring import escalation_services as services
from sendwise.monitoring.models import PlacementDecision
from tests.monitoring.factories import TODAY, complete_review, plan_to_review


@pytest.fixture
def senco(world):
    return actor_for(world.users["senco"])


@pytest.fixture
def escalations(world, senco):
    """A review held today agreed to request an EHC needs assessment for both interventions."""
    plan = plan_to_review(senco, world.pupil_in_class)[0]
    complete_review(senco, plan, decision="escalate_ehc")
    return list(PlacementDecision.objects.filter(decision="escalate_ehc").order_by("id"))


def done_url(decision):
    plan = decision.review.plan
    return reverse(
        "planning:escalation_done",
        kwargs={"pupil_id": plan.pupil_id, "plan_id": plan.pk, "decision_id": decision.pk},
    )


def test_the_senco_marks_an_escalation_done_and_it_leaves_the_waiting_list(
    world, senco, escalations, client_as
):
    first, _second = escalations
    client = client_as("senco")
    page = client.get(reverse("reviews_due")).content.decode()
    assert "Waiting for you to act (2)" in page

    response = client.post(
        done_url(first),
        {"actioned_on": TODAY().isoformat(), "actioned_note": "Request sent to the LA, ref 4521"},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.actioned_on, first.actioned_note) == (TODAY(), "Request sent to the LA, ref 4521")
    assert first.actioned_by == world.users["senco"]
    page = client.get(reverse("reviews_due")).content.decode()
    assert "Waiting for you to act (1)" in page
    assert "Done (1)" in page and "Request sent to the LA, ref 4521" in page
    assert AuditEntry.objects.filter(detail__contains="done on").count() == 1


@pytest.mark.parametrize(
    ("on", "note", "field", "message"),
    [
        (None, "Sent", "actioned_on", services.DONE_REQUIRED),
        (1, "Sent", "actioned_on", services.DONE_IN_FUTURE),
        (-1, "Sent", "actioned_on", "The date it was done cannot be before the review on"),
        (0, "  ", "actioned_note", services.NOTE_REQUIRED),
        (0, "x" * 301, "actioned_note", services.NOTE_TOO_LONG),
    ],
)
def test_an_implausible_date_or_missing_note_is_refused_and_nothing_changes(
    senco, escalations, on, note, field, message
):
    decision = escalations[0]
    when = None if on is None else TODAY() + timedelta(days=on)
    with pytest.raises(ValidationError) as caught:
        services.escalation_action(actor=senco, decision=decision, on=when, note=note)
    assert caught.value.message_dict[field][0].startswith(message)
    decision.refresh_from_db()
    assert decision.actioned_on is None and decision.actioned_note == ""


def test_a_form_with_errors_keeps_what_was_typed(escalations, client_as):
    tomorrow = (TODAY() + timedelta(days=1)).isoformat()
    page = client_as("senco").post(
        done_url(escalations[0]), {"actioned_on": tomorrow, "actioned_note": "Sent on"}
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "The date it was done must be today or in the past" in text
    assert "Sent on" in text


def test_a_mistake_is_reopened_and_history_keeps_both(senco, escalations, client_as):
    decision = escalations[0]
    services.escalation_action(actor=senco, decision=decision, on=TODAY(), note="Advice sought")
    response = client_as("senco").post(done_url(decision), {"action": "reopen"})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.actioned_on is None
    notes = list(decision.history.order_by("history_id").values_list("actioned_note", flat=True))
    assert "Advice sought" in notes and notes[-1] == ""


def test_only_an_escalation_can_be_marked_done(world, senco, client_as):
    plan = plan_to_review(senco, world.pupil_in_class)[0]
    complete_review(senco, plan, decision="continue")
    decision = PlacementDecision.objects.filter(decision="continue").first()
    with pytest.raises(ValidationError):
        services.escalation_action(actor=senco, decision=decision, on=TODAY(), note="Done")
    assert client_as("senco").get(done_url(decision)).status_code == 404
