"""Withdrawing an outcome or a placement entered by mistake, with a reason, history kept.

Nothing is deleted: the row keeps who withdrew it, when and why (and its history the change
reason), and counts nowhere after (``Outcome.objects.current()``,
``Placement.objects.standing()``/``current()``). A withdrawn placement's named deliverer no
longer sees the pupil through it; taking the pupil out of its groups is delivery's part, done in
the same transaction by ``pages.services.placement_withdraw``.

A reviewed plan is read-only, as it is for adding and correcting: its rows are withdrawn nowhere
(``services.PLAN_CLOSED``), so the record of what the review looked at stays as it was.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone

from sendwise.core.access import Actor
from sendwise.core.history import keep_state_before_change
from sendwise.core.models import AuditEntry
from sendwise.core.services import service
from sendwise.planning.models import Outcome, Placement, Plan
from sendwise.planning.services import PLAN_CLOSED
from sendwise.planning.signals import plan_changed_on_commit
from sendwise.pupils.access_services import pupil_access_end
from sendwise.pupils.models import PupilAccess
from sendwise.pupils.services import pupil_audit

MAX_REASON = 300
REASON_REQUIRED = "Say why it is being withdrawn"
REASON_TOO_LONG = "Keep the reason to 300 characters or fewer"
ALREADY_WITHDRAWN = "This was already withdrawn on {day}"


def checked_reason(reason: str, required: str = REASON_REQUIRED) -> str:
    """The reason for a withdrawal or a correction, trimmed; ValidationError on ``reason`` when
    it is missing (``required`` says what for) or longer than ``MAX_REASON``."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [required]})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": [REASON_TOO_LONG]})
    return reason


def _withdraw(actor: Actor, row, reason: str, what: str, request) -> None:
    if row.withdrawn_at is not None:
        raise ValidationError(ALREADY_WITHDRAWN.format(day=f"{row.withdrawn_at:%-d %B %Y}"))
    if row.plan.status == Plan.Status.REVIEWED:
        raise ValidationError(PLAN_CLOSED)
    why = checked_reason(reason)
    keep_state_before_change(row)  # what it read before, for the plan's changes page
    row.withdrawn_at, row.withdrawn_by, row.withdrawn_reason = timezone.now(), actor.user, why
    row._change_reason = f"Withdrawn: {why}"[:100]
    row.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
    pupil = row.plan.pupil
    pupil_audit(
        actor,
        pupil,
        AuditEntry.Action.UPDATE,
        f"Withdrew {what} from plan {row.plan.cycle}: {why}",
        request,
    )
    # What is withdrawn counts nowhere, the progress checks included: judge them again.
    plan_changed_on_commit(sender=type(row), school_id=row.school_id, pupil_ids=[pupil.pk])


@service
def outcome_withdraw(*, actor: Actor, outcome: Outcome, reason: str, request=None) -> Outcome:
    """Withdraw an outcome entered by mistake, saying why: kept on record, counted nowhere."""
    locked = Outcome.objects.select_for_update().select_related("plan__pupil").get(pk=outcome.pk)
    _withdraw(actor, locked, reason, f'the outcome "{locked.text[:60]}"', request)
    return locked


@service
def placement_withdraw(
    *, actor: Actor, placement: Placement, reason: str, request=None
) -> Placement:
    """Withdraw an intervention or strategy put in a plan by mistake, saying why."""
    locked = (
        Placement.objects.select_for_update()
        .select_related("plan__pupil", "intervention")
        .get(pk=placement.pk)
    )
    _withdraw(actor, locked, reason, locked.intervention.name, request)
    pupil_access_end(basis=PupilAccess.Basis.NAMED_DELIVERER, source_ids=[locked.pk])
    return locked
