"""Correcting an outcome, a placement or a plan's review date entered by mistake, with a reason,
history kept. The shape is the score's (``monitoring.correction_services``), so the three read
alike.

Who: a SENCO of the plan's school (the same people as withdrawal, ``planning.change_plans``).
A correction is held to the same rules as adding the record (``services.aimline_problems``, the
dose and deliverer rules), records the reason as the history's change reason (so the earlier
values stay on record, shown on the plan's changes page) and is audited. A reviewed plan is
read-only, as it is for adding: its rows are corrected nowhere (nor withdrawn,
``withdraw_services``).

Two people correcting the same record at once: the row is locked, and the form's
``seen_version`` is compared with the row's ``version``; the second is shown what the first
saved (``Conflict``) and nothing is overwritten silently.

Whatever the progress checks read (an aimline, a dose, the review date) is sent on as
``signals.plan_changed`` once committed, so the pupil's flags are judged again at once.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sendwise.core.access import Actor
from sendwise.core.history import keep_state_before_change
from sendwise.core.models import AuditEntry
from sendwise.core.roles import Role
from sendwise.core.services import service
from sendwise.evidence.models import Measure
from sendwise.planning import services, withdraw_services
from sendwise.planning.models import Outcome, Placement, Plan
from sendwise.planning.signals import plan_changed_on_commit
from sendwise.pupils.access_services import pupil_access_end, pupil_access_grant
from sendwise.pupils.models import PupilAccess
from sendwise.pupils.services import pupil_audit

MAX_REASON = withdraw_services.MAX_REASON
REASON_REQUIRED = "Say why it is being corrected"
REASON_TOO_LONG = withdraw_services.REASON_TOO_LONG
#: The audit entry's detail column holds 300 characters.
AUDIT_DETAIL = 300
ALREADY_WITHDRAWN = "This has been withdrawn, so it cannot be corrected"
NOTHING_CHANGED = "Change something, or cancel"
NOT_ALLOWED = "Only a SENCO of the pupil's school can correct a plan"
CHANGED_SINCE = (
    "{who} changed this {what} at {at}, after you opened it. It now reads: {now}. Check it, "
    "and correct it again only if it is still wrong"
)

#: What a correction may change, in the order the changes are described.
OUTCOME_FIELDS = ("text", "measure", "baseline", "baseline_date", "target", "target_date")
OUTCOME_LINKS = ("placement",)
DOSE_FIELDS = ("sessions_per_week", "minutes_per_session", "weeks")
PLACEMENT_FIELDS = (*DOSE_FIELDS, "deliverer", "why_chosen", "outside_age_reason")


class Conflict(ValidationError):
    """Someone changed the record after the form was opened; ``record`` is what they saved."""

    def __init__(self, message: str, record):
        super().__init__(message)
        self.record = record


def may_correct(actor: Actor, record) -> bool:
    """A SENCO of the record's school."""
    return (
        actor.user is not None
        and actor.school is not None
        and record.school_id == actor.school.pk
        and actor.has_role(Role.SENCO)
    )


def _reason(reason: str, errors: dict) -> str:
    """The correction's reason (withdrawal's rule and bounds); a problem joins ``errors``, so
    the form shows it beside the others at once."""
    try:
        return withdraw_services.checked_reason(reason, REASON_REQUIRED)
    except ValidationError as error:
        errors.update(error.message_dict)
        return ""


def _locked(actor: Actor, model, record, seen_version: int | None, what: str, describe):
    """The record's row, locked; refused if the actor may not correct it, it is withdrawn, its
    plan was reviewed, or it changed since the form showed ``seen_version``."""
    if not may_correct(actor, record):
        raise PermissionDenied(NOT_ALLOWED)
    related = ["pupil"] if model is Plan else ["plan__pupil"]
    locked = model.objects.select_for_update().select_related(*related).get(pk=record.pk)
    if getattr(locked, "withdrawn_at", None) is not None:
        raise ValidationError(ALREADY_WITHDRAWN)
    plan = locked if model is Plan else locked.plan
    if plan.status == Plan.Status.REVIEWED:
        raise ValidationError(services.PLAN_CLOSED)
    if seen_version is not None and locked.version != seen_version:
        last = locked.history.select_related("history_user").first()
        who = last.history_user.full_name if last and last.history_user else "Someone"
        at = timezone.localtime(last.history_date) if last else timezone.localtime()
        message = CHANGED_SINCE.format(
            who=who, what=what, at=f"{at:%H:%M} on {at:%-d %B}", now=describe(locked)
        )
        raise Conflict(message, locked)
    # The plan's changes page shows each change against the row before it: keep one.
    keep_state_before_change(locked)
    return locked


def _shown(value) -> str:
    if value is None or value == "":
        return "not set"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def _changes(row, values: dict, labels: dict) -> list[str]:
    """One phrase a field that changes, like "baseline 80 to 84" (related rows by identity)."""
    said = []
    for name, new in values.items():
        old = getattr(row, name)
        if old != new:
            said.append(
                f"{labels.get(name, name.replace('_', ' '))} {_shown(old)} to {_shown(new)}"
            )
    return said


def _save(actor, row, values: dict, why: str, summary: str, request) -> None:
    for name, value in values.items():
        setattr(row, name, value)
    row.version += 1
    row._change_reason = why[:100]  # the history table's change reason is 100 characters
    # Who started a plan may be unknown (an imported one): that is no reason to refuse a fix.
    row.full_clean(exclude=["created_by"])
    row.save()
    pupil = row.pupil if isinstance(row, Plan) else row.plan.pupil
    # The audit keeps the whole reason (the history's change reason is cut at 100 characters):
    # what changed is shortened first when both do not fit its 300.
    room = AUDIT_DETAIL - len(why) - 2
    if len(summary) > room:
        summary = summary[: max(room - 1, 0)] + "…"
    pupil_audit(actor, pupil, AuditEntry.Action.UPDATE, f"{summary}: {why}"[:AUDIT_DETAIL], request)
    # The progress checks read the aimline, the dose and the review date: judge them again.
    plan_changed_on_commit(sender=type(row), school_id=row.school_id, pupil_ids=[pupil.pk])


def describe_outcome(outcome: Outcome) -> str:
    if not outcome.has_aimline:
        return f'"{outcome.text[:80]}", with no goal on a measure'
    return (
        f'"{outcome.text[:80]}", from {outcome.baseline:g} on {outcome.baseline_date:%-d %B %Y} '
        f"to {outcome.target:g} by {outcome.target_date:%-d %B %Y} on {outcome.measure.name}"
    )


@service
def outcome_correct(
    *,
    actor: Actor,
    outcome: Outcome,
    text: str,
    measure: Measure | None,
    baseline,
    baseline_date,
    target,
    target_date,
    reason: str,
    seen_version: int | None,
    placement: Placement | None = None,
    request=None,
) -> Outcome:
    """Correct an outcome's wording or goal (measure, baseline, target, dates), saying why: the
    same rules as adding one; the earlier values stay in its history."""
    locked = _locked(actor, Outcome, outcome, seen_version, "outcome", describe_outcome)
    errors = services.aimline_problems(measure, baseline, target, baseline_date, target_date)
    if not (text or "").strip():
        errors["text"] = ["Write the outcome"]
    if (
        placement is not None
        and not Placement.objects.standing().filter(pk=placement.pk, plan=locked.plan).exists()
    ):
        errors["placement"] = [services.OUTCOME_PLACEMENT_OTHER_PLAN]
    why = _reason(reason, errors)
    if errors:
        raise ValidationError(errors)
    values = {
        "text": text.strip(),
        "measure": measure,
        "baseline": baseline,
        "baseline_date": baseline_date,
        "target": target,
        "target_date": target_date,
        "placement": placement,
    }
    said = _changes(locked, values, {"text": "wording", "placement": "the goal of"})
    if not said:
        raise ValidationError({"text": [NOTHING_CHANGED]})
    summary = f'Corrected the outcome "{locked.text[:60]}" of plan {locked.plan.cycle}'
    _save(actor, locked, values, why, f"{summary} ({'; '.join(said)})", request)
    return locked


def describe_placement(placement: Placement) -> str:
    dose = (
        f"{placement.sessions_per_week or '?'} a week of {placement.minutes_per_session or '?'} "
        f"minutes for {placement.weeks or '?'} weeks"
    )
    who = placement.deliverer.full_name if placement.deliverer else "no one named"
    return f"{dose}, delivered by {who}"


@service
def placement_correct(
    *,
    actor: Actor,
    placement: Placement,
    sessions_per_week=None,
    minutes_per_session=None,
    weeks=None,
    deliverer=None,
    why_chosen: str = "",
    outside_age_reason: str = "",
    reason: str,
    seen_version: int | None,
    request=None,
) -> Placement:
    """Correct a placement's dose (a blank part is the evaluated dose, as when it was added),
    who delivers it and why, saying why: the same rules as adding one. A new deliverer sees the
    pupil through it from now; the one it named before no longer does."""
    locked = _locked(actor, Placement, placement, seen_version, "support", describe_placement)
    intervention, pupil = locked.intervention, locked.plan.pupil
    errors = services.placement_problems(
        school_id=locked.school_id,
        intervention=intervention,
        pupil=pupil,
        dose=(sessions_per_week, minutes_per_session, weeks),
        deliverer=deliverer,
        outside_age_reason=outside_age_reason,
    )
    outside = services.outside_age(intervention, pupil)
    why = _reason(reason, errors)
    if errors:
        raise ValidationError(errors)
    values = {
        "sessions_per_week": sessions_per_week or intervention.sessions_per_week,
        "minutes_per_session": minutes_per_session or intervention.minutes_per_session,
        "weeks": weeks or intervention.weeks,
        "deliverer": deliverer,
        "why_chosen": (why_chosen or "").strip(),
        "outside_age_reason": (outside_age_reason or "").strip() if outside else "",
    }
    said = _changes(
        locked,
        values,
        {"sessions_per_week": "sessions a week", "minutes_per_session": "minutes a session"},
    )
    if not said:
        raise ValidationError({"sessions_per_week": [NOTHING_CHANGED]})
    before = locked.deliverer_id
    summary = f"Corrected {intervention.name} in plan {locked.plan.cycle} ({'; '.join(said)})"
    _save(actor, locked, values, why, summary, request)
    if locked.deliverer_id != before:
        # Who may see the pupil through this placement follows who is named to deliver it.
        basis = PupilAccess.Basis.NAMED_DELIVERER
        pupil_access_end(basis=basis, source_ids=[locked.pk])
        pupil_access_grant(
            school_id=locked.school_id,
            basis=basis,
            source_id=locked.pk,
            user_id=locked.deliverer_id,
            pupil_ids=[pupil.pk],
        )
    return locked


def describe_plan(plan: Plan) -> str:
    return f"review due {plan.review_date:%-d %B %Y}"


@service
def plan_review_date_change(
    *, actor: Actor, plan: Plan, review_date: date, reason: str, seen_version: int | None,
    request=None,
) -> Plan:  # fmt: skip
    """Move the plan's review date, saying why (a meeting rearranged, a date typed wrongly):
    after the start date, as when the plan was made; the earlier date stays in its history."""
    locked = _locked(actor, Plan, plan, seen_version, "plan", describe_plan)
    errors: dict[str, list[str]] = {}
    if review_date <= locked.start_date:
        errors["review_date"] = [services.REVIEW_BEFORE_START]
    why = _reason(reason, errors)
    if errors:
        raise ValidationError(errors)
    if locked.review_date == review_date:
        raise ValidationError({"review_date": [NOTHING_CHANGED]})
    summary = (
        f"Moved the review of plan {locked.cycle} from {locked.review_date:%d/%m/%Y} to "
        f"{review_date:%d/%m/%Y}"
    )
    _save(actor, locked, {"review_date": review_date}, why, summary, request)
    return locked
