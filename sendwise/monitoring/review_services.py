"""Writes for review meetings: saving a review (as a draft, or complete), which on completion
closes the plan (planning), frees the pupil's group places (delivery) and opens the next cycle
pre-filled from the decisions, all in one transaction; and sharing a review with the parents.

Monitoring sits above planning and delivery, so it calls their services directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from sendwise.core import bounds
from sendwise.core.access import Actor
from sendwise.core.history import versions
from sendwise.core.models import AuditEntry
from sendwise.core.services import service
from sendwise.delivery.services import group_members_leave_for_plan
from sendwise.monitoring.cycle_services import open_next_cycle
from sendwise.monitoring.models import (
    MAX_ATTENDEES,
    MAX_NAME,
    MAX_NOTE,
    MAX_ROLE,
    MAX_SUMMARY,
    MAX_VIEWS,
    OutcomeReview,
    PlacementDecision,
    Review,
)
from sendwise.planning import services as planning_services
from sendwise.planning.models import Plan, Response
from sendwise.pupils.services import pupil_audit

HELD_IN_FUTURE = "The date of the meeting must be today or in the past"
HELD_BEFORE_START = "The date of the meeting cannot be before the plan started on {start}"
TOO_MANY_ATTENDEES = f"List at most {MAX_ATTENDEES} people who attended"
ATTENDEE_NAME_MISSING = "Enter the name of each person who attended, or clear their role"
ATTENDEE_TOO_LONG = (
    f"Keep each name to {MAX_NAME} characters and each role to {MAX_ROLE}, so the record "
    "stays readable"
)
ATTENDEES_REQUIRED = "Enter at least one person who attended the meeting"
TEXT_TOO_LONG = "{label} must be {limit} characters or fewer, so the record stays readable"
SUMMARY_REQUIRED = "Write a summary of what was agreed before completing the review"
RESULT_REQUIRED = "Choose whether this outcome was achieved, partly achieved or not achieved yet"
RESULT_UNKNOWN = "Choose a result from the list"
OUTCOME_NOT_IN_PLAN = "Every outcome reviewed must be an outcome of this plan"
DECISION_REQUIRED = "Choose what happens next to {name}"
DECISION_UNKNOWN = "Choose a decision from the list"
PLACEMENT_NOT_IN_PLAN = "A decision can only be made for an intervention in this plan"
RESPONSE_UNKNOWN = "Choose how the pupil responded from the list"
DOSE_REQUIRED = "Enter the new number of sessions a week and minutes a session"
#: The limits of a dose are core.bounds' (shared with every form that plans one).
_S, _M, _W = (bounds.DOSE[p][:2] for p in ("sessions_per_week", "minutes_per_session", "weeks"))
DOSE_BOUNDS = {
    "sessions_per_week": (*_S, f"Sessions a week must be between {_S[0]} and {_S[1]}"),
    "minutes_per_session": (*_M, f"Minutes a session must be between {_M[0]} and {_M[1]}"),
    "weeks": (*_W, f"Weeks must be between {_W[0]} and {_W[1]} (a school year at most)"),
}
DOSE_UNCHANGED = "The new dose is the same as the planned one: choose 'Continue as it is'"
PLAN_CLOSED_WITHOUT_REVIEW = (
    "This plan was closed before review meetings were recorded: there is nothing to review"
)
NOT_COMPLETE = "Only a completed review can be shared with parents"
CHANGED_SINCE = (
    "{who} saved this review at {at}, after you opened it, so nothing you entered was saved. "
    "What they saved is shown below, and what you typed is still in the form: check the two, "
    "change the form to keep what is right from both, and save again"
)


class ReviewAlreadyComplete(Exception):
    """The review of this plan was completed already (a second submit, or someone else's):
    nothing was changed; ``review`` is what was saved."""

    def __init__(self, review: Review):
        super().__init__("This review has already been completed")
        self.review = review


class ReviewChanged(ValidationError):
    """Someone saved the review after this form was opened (its ``version`` moved on): nothing
    was changed; ``review`` is what they saved."""

    def __init__(self, message: str, review: Review):
        super().__init__(message)
        self.review = review


def _changed_since(review: Review) -> ReviewChanged:
    last = (
        versions(Review)
        .filter(id=review.pk)
        .select_related("history_user")
        .order_by("-history_id")
        .first()
    )
    who = last.history_user.full_name if last and last.history_user else "Someone"
    at = timezone.localtime(last.history_date) if last else timezone.localtime()
    return ReviewChanged(CHANGED_SINCE.format(who=who, at=f"{at:%H:%M} on {at:%-d %B}"), review)


@dataclass(frozen=True)
class Attendee:
    name: str
    role: str = ""


@dataclass(frozen=True)
class OutcomeResult:
    outcome_id: int
    result: str = ""
    note: str = ""


@dataclass(frozen=True)
class Decision:
    placement_id: int
    decision: str = ""
    response: str = ""
    note: str = ""
    sessions_per_week: int | None = None
    minutes_per_session: int | None = None
    weeks: int | None = None


def _bounded(errors: dict, field: str, label: str, text: str, limit: int) -> str:
    text = (text or "").strip()
    if len(text) > limit:
        errors.setdefault(field, []).append(TEXT_TOO_LONG.format(label=label, limit=limit))
    return text


def _check_attendees(errors: dict, attendees: list[Attendee]) -> list[dict]:
    rows = []
    for a in attendees:
        name, role = (a.name or "").strip(), (a.role or "").strip()
        if not name and not role:
            continue
        if not name:
            errors.setdefault("attendees", []).append(ATTENDEE_NAME_MISSING)
        elif len(name) > MAX_NAME or len(role) > MAX_ROLE:
            errors.setdefault("attendees", []).append(ATTENDEE_TOO_LONG)
        rows.append({"name": name, "role": role})
    if len(rows) > MAX_ATTENDEES:
        errors.setdefault("attendees", []).append(TOO_MANY_ATTENDEES)
    return rows


def _check_decision(errors: dict, d: Decision, placement, complete: bool) -> None:
    key = f"decision_{d.placement_id}"
    if d.decision and d.decision not in PlacementDecision.Decision.values:
        errors[key] = [DECISION_UNKNOWN]
    elif complete and not d.decision:
        errors[key] = [DECISION_REQUIRED.format(name=placement.intervention.name)]
    if d.response not in [*Response.values, ""]:
        errors[f"response_{d.placement_id}"] = [RESPONSE_UNKNOWN]
    _bounded(errors, f"note_{d.placement_id}", "A note", d.note, MAX_NOTE)
    if d.decision != PlacementDecision.Decision.CHANGE_DOSE:
        return
    if d.sessions_per_week is None or d.minutes_per_session is None:
        errors[f"sessions_per_week_{d.placement_id}"] = [DOSE_REQUIRED]
    for name, (low, high, message) in DOSE_BOUNDS.items():
        value = getattr(d, name)
        if value is not None and not low <= value <= high:
            errors[f"{name}_{d.placement_id}"] = [message]
    new = (d.sessions_per_week, d.minutes_per_session, d.weeks or placement.weeks)
    old = (placement.sessions_per_week, placement.minutes_per_session, placement.weeks)
    if new == old:
        errors[f"sessions_per_week_{d.placement_id}"] = [DOSE_UNCHANGED]


def _texts(pupil_views: str, parent_views: str, summary: str) -> dict:
    return {
        "pupil_views": ("What the pupil said", pupil_views, MAX_VIEWS),
        "parent_views": ("What parents or carers said", parent_views, MAX_VIEWS),
        "summary": ("The summary", summary, MAX_SUMMARY),
    }


def _check(plan, held_on, attendees, outcomes, decisions, complete, texts) -> tuple[dict, list]:
    errors: dict[str, list[str]] = {}
    if held_on is None:  # the form could not read the date, and says so itself
        pass
    elif held_on > timezone.localdate():
        errors["held_on"] = [HELD_IN_FUTURE]
    elif held_on < plan.start_date:
        errors["held_on"] = [HELD_BEFORE_START.format(start=f"{plan.start_date:%-d %B %Y}")]
    rows = _check_attendees(errors, attendees)
    if complete and not rows and "attendees" not in errors:
        errors["attendees"] = [ATTENDEES_REQUIRED]
    for field, (label, text, limit) in texts.items():
        _bounded(errors, field, label, text, limit)
    if complete and not texts["summary"][1].strip():
        errors.setdefault("summary", []).append(SUMMARY_REQUIRED)
    plan_outcomes = {o.pk for o in plan.outcomes.current()}
    given = {o.outcome_id: o for o in outcomes}
    for outcome_id, o in given.items():
        if outcome_id not in plan_outcomes:
            errors.setdefault("__all__", []).append(OUTCOME_NOT_IN_PLAN)
        elif o.result and o.result not in OutcomeReview.Result.values:
            errors[f"result_{outcome_id}"] = [RESULT_UNKNOWN]
        _bounded(errors, f"outcome_note_{outcome_id}", "A note", o.note, MAX_NOTE)
    if complete:
        for outcome_id in plan_outcomes:
            if not (given.get(outcome_id) and given[outcome_id].result):
                errors[f"result_{outcome_id}"] = [RESULT_REQUIRED]
    placements = {p.pk: p for p in plan.placements.standing().select_related("intervention")}
    given_decisions = {d.placement_id: d for d in decisions}
    for placement_id, d in given_decisions.items():
        if placement_id not in placements:
            errors.setdefault("__all__", []).append(PLACEMENT_NOT_IN_PLAN)
            continue
        _check_decision(errors, d, placements[placement_id], complete)
    if complete:
        for placement_id, placement in placements.items():
            if placement_id not in given_decisions:
                errors[f"decision_{placement_id}"] = [
                    DECISION_REQUIRED.format(name=placement.intervention.name)
                ]
    return errors, rows


def review_problems(
    *,
    plan: Plan,
    held_on: date | None,
    attendees: list[Attendee],
    pupil_views: str = "",
    parent_views: str = "",
    summary: str = "",
    outcomes: list[OutcomeResult] = (),
    decisions: list[Decision] = (),
    complete: bool = False,
) -> dict[str, list[str]]:
    """What ``review_save`` would refuse, by field, without saving anything: the page shows
    these beside the form's own problems, so every error is seen in one round. A value the form
    could not read is passed as None (or empty), and its rules are left to the form."""
    texts = _texts(pupil_views, parent_views, summary)
    return _check(plan, held_on, attendees, outcomes, decisions, complete, texts)[0]


@service
def review_save(
    *,
    actor: Actor,
    plan: Plan,
    held_on: date,
    attendees: list[Attendee],
    pupil_views: str = "",
    parent_views: str = "",
    summary: str = "",
    outcomes: list[OutcomeResult] = (),
    decisions: list[Decision] = (),
    complete: bool = False,
    seen_version: int | None = None,
    request=None,
) -> Review:
    """Record the review meeting of a plan: as a draft (changed later) or complete. Completing
    needs a result for every outcome and a decision for every intervention; it closes the plan,
    frees the pupil's group places and opens the next cycle from the decisions. One review per
    plan: a second submit after completion changes nothing (``ReviewAlreadyComplete``).
    ``seen_version`` is the review's version the form showed (0: no draft had been saved): if
    someone saved it since, nothing is written (``ReviewChanged``); None skips the check."""
    # Lock the plan so two people completing the review at once are served one after the
    # other: the second then finds the completed review (and the unique constraint backs it).
    plan = Plan.objects.select_for_update().select_related("pupil").get(pk=plan.pk)
    review = Review.objects.filter(plan=plan).first()
    if review is not None and not review.is_draft:
        raise ReviewAlreadyComplete(review)
    if review is not None and seen_version is not None and review.version != seen_version:
        raise _changed_since(review)
    if plan.status == Plan.Status.REVIEWED:
        raise ValidationError(PLAN_CLOSED_WITHOUT_REVIEW)
    texts = _texts(pupil_views, parent_views, summary)
    errors, rows = _check(plan, held_on, attendees, outcomes, decisions, complete, texts)
    if errors:
        raise ValidationError(errors)
    creating = review is None
    review = review or Review(school_id=plan.school_id, plan=plan, created_by=actor.user)
    review.held_on, review.attendees = held_on, rows
    review.pupil_views = pupil_views.strip()
    review.parent_views = parent_views.strip()
    review.summary = summary.strip()
    if not creating:
        review.version += 1
    review.full_clean(exclude=["plan"])
    try:
        with transaction.atomic():  # a savepoint: the race below leaves the rest usable
            review.save()
    except IntegrityError:
        # Another submit created the review between our read and our write (only possible
        # where the database does not honour the lock, e.g. SQLite's deferred writes).
        other = Review.objects.get(plan=plan)
        if other.is_draft:
            raise _changed_since(other) from None
        raise ReviewAlreadyComplete(other) from None
    _save_parts(review, outcomes, decisions)
    what = "started" if creating else "updated"
    if complete:
        _complete(actor, plan, review, decisions, request)
        what = "completed"
    pupil_audit(
        actor,
        plan.pupil,
        AuditEntry.Action.CREATE if creating else AuditEntry.Action.UPDATE,
        f"Review of support plan {plan.cycle} {what}",
        request,
    )
    return review


def _save_parts(review: Review, outcomes, decisions) -> None:
    for o in outcomes:
        OutcomeReview.objects.update_or_create(
            review=review,
            outcome_id=o.outcome_id,
            defaults={"school_id": review.school_id, "result": o.result, "note": o.note.strip()},
        )
    for d in decisions:
        dose = d.decision == PlacementDecision.Decision.CHANGE_DOSE
        PlacementDecision.objects.update_or_create(
            review=review,
            placement_id=d.placement_id,
            defaults={
                "school_id": review.school_id,
                "decision": d.decision,
                "response": d.response,
                "note": d.note.strip(),
                "sessions_per_week": d.sessions_per_week if dose else None,
                "minutes_per_session": d.minutes_per_session if dose else None,
                "weeks": d.weeks if dose else None,
            },
        )


def _complete(actor: Actor, plan: Plan, review: Review, decisions, request) -> None:
    planning_services.plan_review(
        actor=actor,
        plan=plan,
        reviewed_on=review.held_on,
        summary=review.summary,
        responses={d.placement_id: d.response for d in decisions},
        request=request,
    )
    group_members_leave_for_plan(plan=plan, on=review.held_on)
    # The next plan is a draft: its interventions get group places once it is put in place
    # (``cycle_services.next_plan_put_in_place`` gives the seats back then).
    nxt = open_next_cycle(actor=actor, plan=plan, review=review, request=request)
    review.next_plan = nxt.plan
    review.status = Review.Status.COMPLETE
    review.completed_at = timezone.now()
    review.version += 1
    review._change_reason = "Completed"
    review.save()


@service
def review_share(*, actor: Actor, review: Review, request=None) -> Review:
    """Mark a completed review ready for the parents: from now they can read it."""
    if review.is_draft:
        raise ValidationError(NOT_COMPLETE)
    if review.shared_with_parent_at is None:
        review.shared_with_parent_at = timezone.now()
        review._change_reason = "Shared with parents"
        review.save(update_fields=["shared_with_parent_at"])
        pupil_audit(
            actor,
            review.plan.pupil,
            AuditEntry.Action.UPDATE,
            f"Review of support plan {review.plan.cycle} shared with parents",
            request,
        )
    return review
