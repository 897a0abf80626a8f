"""Correcting and withdrawing a score entered by mistake, with a reason, history kept.

Who: the person who entered the score, or a SENCO. A correction changes the value or the date
and records the reason as the history's change reason, so the earlier value stays on record. A
withdrawal keeps the row, with who, when and why: it stays in history and in the "withdrawn"
list on the pupil's scores page, and counts nowhere else (``Score.objects.current()``).

Two people changing the same score at once: the row is locked, and the form's ``seen_version``
is compared with the score's ``version``; the second is shown what the first saved
(``ScoreConflict``) and nothing is overwritten silently.

The reason follows the one rule for every correction and withdrawal
(``planning.withdraw_services.checked_reason``: required, trimmed, at most ``MAX_REASON``
characters); only the "say why" message names what is being done.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sendwise.core.access import Actor
from sendwise.core.history import keep_state_before_change
from sendwise.core.models import AuditEntry
from sendwise.core.roles import Role
from sendwise.core.services import service
from sendwise.monitoring.flag_services import flags_evaluate_pupils
from sendwise.monitoring.models import Score
from sendwise.monitoring.services import score_problems
from sendwise.planning import withdraw_services
from sendwise.planning.withdraw_services import checked_reason
from sendwise.pupils.services import pupil_audit

MAX_REASON = withdraw_services.MAX_REASON
REASON_TOO_LONG = withdraw_services.REASON_TOO_LONG
REASON_REQUIRED_CORRECT = "Say why the score is being corrected"
REASON_REQUIRED_WITHDRAW = "Say why the score is being withdrawn"
ALREADY_WITHDRAWN = "This score has been withdrawn, so it cannot be changed"
NOTHING_CHANGED = "Change the score or the date taken, or cancel"
NOT_YOURS = "Only the person who entered a score, or a SENCO, can correct or withdraw it"
CHANGED_SINCE = (
    "{who} changed this score at {at}, after you opened it. It now reads {value} taken on "
    "{day}. Check it, and correct it again only if it is still wrong"
)


class ScoreConflict(ValidationError):
    """Someone changed the score after the form was opened; ``score`` is what they saved."""

    def __init__(self, message: str, score: Score):
        super().__init__(message)
        self.score = score


def may_change(actor: Actor, score: Score) -> bool:
    """The person who entered the score, or a SENCO of its school."""
    if actor.user is None or actor.school is None or score.school_id != actor.school.pk:
        return False
    return actor.has_role(Role.SENCO) or (
        score.entered_by_id == actor.user.pk
        and actor.has_role(Role.INTERVENTION_SPECIALIST, Role.TEACHER)
    )


def _locked(actor: Actor, score: Score, seen_version: int | None) -> Score:
    """The score's row, locked; refused if the actor may not change it, it is withdrawn, or it
    changed since the form showed ``seen_version``."""
    if not may_change(actor, score):
        raise PermissionDenied(NOT_YOURS)
    locked = Score.objects.select_for_update().select_related("measure", "pupil").get(pk=score.pk)
    if locked.withdrawn_at is not None:
        raise ValidationError(ALREADY_WITHDRAWN)
    if seen_version is not None and locked.version != seen_version:
        last = locked.history.select_related("history_user").first()
        who = last.history_user.full_name if last and last.history_user else "Someone"
        at = timezone.localtime(last.history_date) if last else timezone.localtime()
        raise ScoreConflict(
            CHANGED_SINCE.format(
                who=who,
                at=f"{at:%H:%M} on {at:%-d %B}",
                value=f"{locked.value:g}",
                day=f"{locked.taken_on:%-d %B %Y}",
            ),
            locked,
        )
    # A score loaded without a history row (the demo's, an imported one) keeps its value as
    # entered in history before its first correction, as every other score does.
    keep_state_before_change(locked)
    return locked


@service
def score_correct(
    *,
    actor: Actor,
    score: Score,
    value: float,
    taken_on: date,
    reason: str,
    seen_version: int | None,
    request=None,
) -> Score:
    """Correct a score's value or date, with the reason; the earlier value stays in history."""
    locked = _locked(actor, score, seen_version)
    errors = score_problems(
        pupil=locked.pupil, measure=locked.measure, value=value, taken_on=taken_on
    )
    try:
        why = checked_reason(reason, REASON_REQUIRED_CORRECT)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    if (locked.value, locked.taken_on) == (value, taken_on):
        raise ValidationError({"value": [NOTHING_CHANGED]})
    before = f"{locked.value:g} taken {locked.taken_on:%d/%m/%Y}"
    locked.value, locked.taken_on = value, taken_on
    locked.version += 1
    locked._change_reason = why[:100]  # the history table's change reason is 100 characters
    locked.full_clean()
    locked.save()
    pupil_audit(
        actor,
        locked.pupil,
        AuditEntry.Action.UPDATE,
        f"Corrected a score on {locked.measure.name} from {before} to {value:g} taken "
        f"{taken_on:%d/%m/%Y}: {why}",
        request,
    )
    # A corrected or withdrawn point changes what the decision rules see.
    flags_evaluate_pupils(school_id=locked.school_id, pupil_ids=[locked.pupil_id], actor=actor)
    return locked


@service
def score_withdraw(
    *, actor: Actor, score: Score, reason: str, seen_version: int | None, request=None
) -> Score:
    """Withdraw a score entered by mistake, with the reason: kept, but counted nowhere."""
    locked = _locked(actor, score, seen_version)
    why = checked_reason(reason, REASON_REQUIRED_WITHDRAW)
    locked.withdrawn_at = timezone.now()
    locked.withdrawn_by = actor.user
    locked.withdrawn_reason = why
    locked.version += 1
    locked._change_reason = f"Withdrawn: {why}"[:100]
    locked.save()
    pupil_audit(
        actor,
        locked.pupil,
        AuditEntry.Action.UPDATE,
        f"Withdrew a score of {locked.value:g} on {locked.measure.name} taken "
        f"{locked.taken_on:%d/%m/%Y}: {why}",
        request,
    )
    # A corrected or withdrawn point changes what the decision rules see.
    flags_evaluate_pupils(school_id=locked.school_id, pupil_ids=[locked.pupil_id], actor=actor)
    return locked
