"""Writes for escalations: the SENCO records that an escalation agreed at a review was acted on
(the EHC needs-assessment request sent, the outside advice sought), or reopens it.

Why a done state: the reviews page lists every escalation agreed; without one, a request sent
in October still sits there in June beside those nobody has acted on, and the ones waiting are
lost among them. Recording it keeps the decision and adds when and what was done; reopening
clears that (history keeps both).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sendwise.core.access import Actor
from sendwise.core.models import AuditEntry
from sendwise.core.services import service
from sendwise.monitoring.models import MAX_ACTION_NOTE, PlacementDecision, Review
from sendwise.pupils.services import pupil_audit

NOT_AN_ESCALATION = "Only an escalation agreed at a completed review can be marked as done"
DONE_REQUIRED = "Enter the date it was done"
DONE_IN_FUTURE = "The date it was done must be today or in the past"
DONE_BEFORE_REVIEW = "The date it was done cannot be before the review on {held}"
NOTE_REQUIRED = "Say what was done, for example 'Request sent to the local authority'"
NOTE_TOO_LONG = f"What was done must be {MAX_ACTION_NOTE} characters or fewer"
NOT_DONE = "This escalation is not marked as done"


def _check(actor: Actor, decision: PlacementDecision) -> None:
    if decision.school_id != (actor.school.pk if actor.school else None):
        raise PermissionDenied
    if not decision.is_escalation or decision.review.status != Review.Status.COMPLETE:
        raise ValidationError({"actioned_on": [NOT_AN_ESCALATION]})


@service
def escalation_action(
    *, actor: Actor, decision: PlacementDecision, on: date | None, note: str, request=None
) -> PlacementDecision:
    """Record that an escalation was acted on: the day (from the review to today) and what was
    done (required, at most 300 characters)."""
    _check(actor, decision)
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if on is None:
        errors["actioned_on"] = [DONE_REQUIRED]
    elif on > timezone.localdate():
        errors["actioned_on"] = [DONE_IN_FUTURE]
    elif on < decision.review.held_on:
        errors["actioned_on"] = [
            DONE_BEFORE_REVIEW.format(held=f"{decision.review.held_on:%-d %B %Y}")
        ]
    if not note:
        errors["actioned_note"] = [NOTE_REQUIRED]
    elif len(note) > MAX_ACTION_NOTE:
        errors["actioned_note"] = [NOTE_TOO_LONG]
    if errors:
        raise ValidationError(errors)
    decision.actioned_on = on
    decision.actioned_note = note
    decision.actioned_by = actor.user
    decision.save(update_fields=["actioned_on", "actioned_note", "actioned_by"])
    pupil_audit(
        actor,
        decision.review.plan.pupil,
        AuditEntry.Action.UPDATE,
        f"Escalation ({decision.get_decision_display()}) done on {on:%d/%m/%Y}: {note}"[:300],
        request,
    )
    return decision


@service
def escalation_reopen(
    *, actor: Actor, decision: PlacementDecision, request=None
) -> PlacementDecision:
    """Put an escalation marked done by mistake back on the list of those waiting."""
    _check(actor, decision)
    if decision.actioned_on is None:
        raise ValidationError({"actioned_on": [NOT_DONE]})
    decision.actioned_on = None
    decision.actioned_note = ""
    decision.actioned_by = None
    decision.save(update_fields=["actioned_on", "actioned_note", "actioned_by"])
    pupil_audit(
        actor,
        decision.review.plan.pupil,
        AuditEntry.Action.UPDATE,
        f"Escalation ({decision.get_decision_display()}) reopened",
        request,
    )
    return decision
