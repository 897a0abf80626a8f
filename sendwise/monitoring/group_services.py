"""Entering a group's scores at once: one measure, one date, a score for each member.

Blank rows are skipped; every entered row is checked by the same rules as a single score
(``services.score_problems``) and against the group: the pupil must be in it now and visible to
the person entering. Either every entered row is saved or none is, with the errors by row. The
group's row is locked first, so two people entering the same group's scores queue, and a score
already recorded for that pupil, measure and date is refused rather than entered twice.
"""

from dataclasses import dataclass
from datetime import date
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from sendwise.core.access import Actor
from sendwise.core.models import AuditEntry
from sendwise.core.services import service
from sendwise.delivery.models import Group, GroupMember
from sendwise.delivery.session_services import may_record
from sendwise.evidence.models import Measure
from sendwise.monitoring.flag_services import flags_evaluate_pupils
from sendwise.monitoring.models import Score
from sendwise.monitoring.services import ALREADY_RECORDED, date_problem, score_problems
from sendwise.monitoring.signals import scores_recorded
from sendwise.pupils.selectors import pupils_visible
from sendwise.pupils.services import pupil_audit

MEASURE_REQUIRED = "Choose the measure the scores are on"
DATE_REQUIRED = "Enter the date the assessment was taken"
NOTHING_ENTERED = "Enter at least one score: rows left blank are skipped"
NOT_IN_GROUP = "A score was entered for a pupil who is not in this group"
NOT_YOUR_GROUP = "Only the person who runs the group or the SENCO can enter its scores"


@dataclass(frozen=True)
class RowInput:
    """One row of the form: the group member and the value typed (None: left blank)."""

    member_id: int
    value: float | None


def row_key(member_id: int) -> str:
    """The error key (and form field) of a member's row."""
    return f"member_{member_id}"


def _checked(
    actor: Actor, group: Group, measure, taken_on, rows: list[RowInput]
) -> tuple[dict[str, list[str]], list[Score]]:
    """The errors by field and row, and the scores to save when there are none."""
    errors: dict[str, list[str]] = {}
    if measure is None:
        errors["measure"] = [MEASURE_REQUIRED]
    if taken_on is None:
        errors["taken_on"] = [DATE_REQUIRED]
    elif problem := date_problem(taken_on):
        errors["taken_on"] = [problem]
    entered = [r for r in rows if r.value is not None]
    if not entered:
        errors.setdefault("scores", []).append(NOTHING_ENTERED)
    members = {
        m.pk: m
        for m in GroupMember.objects.filter(
            school=group.school_id, group=group, left_on__isnull=True
        ).select_related("placement__plan__pupil")
    }
    visible = set(
        pupils_visible(actor=actor)
        .filter(pk__in=[m.placement.plan.pupil_id for m in members.values()])
        .values_list("pk", flat=True)
    )
    ids = [r.member_id for r in entered]
    if len(ids) != len(set(ids)) or any(
        i not in members or members[i].placement.plan.pupil_id not in visible for i in ids
    ):
        errors.setdefault("scores", []).append(NOT_IN_GROUP)
    if errors:
        # Each row's checks need a known pupil, measure and date: those are put right first.
        return errors, []
    already = dict(
        Score.objects.current()
        .filter(
            school=group.school_id,
            measure=measure,
            taken_on=taken_on,
            pupil_id__in=[members[i].placement.plan.pupil_id for i in ids],
        )
        .values_list("pupil_id", "value")
    )
    scores = []
    for row in entered:
        pupil = members[row.member_id].placement.plan.pupil
        found = score_problems(pupil=pupil, measure=measure, value=row.value, taken_on=taken_on)
        messages = found.get("value", []) + found.get("taken_on", [])
        if pupil.pk in already:
            messages.append(ALREADY_RECORDED.format(value=f"{already[pupil.pk]:g}"))
        if messages:
            errors[row_key(row.member_id)] = messages
            continue
        scores.append(
            Score(
                school_id=group.school_id,
                pupil=pupil,
                measure=measure,
                value=row.value,
                taken_on=taken_on,
                entered_by=actor.user,
                note=f"Entered for {group.name}"[:300],
            )
        )
    return errors, scores


def group_scores_check(
    *, actor: Actor, group: Group, measure, taken_on, rows: list[RowInput]
) -> dict[str, list[str]]:
    """The rows' errors without saving anything: for a form whose other rows could not even
    be read, so that every row's problem is shown at once."""
    return _checked(actor, group, measure, taken_on, rows)[0]


@service
def group_scores_add(
    *,
    actor: Actor,
    group: Group,
    measure: Measure | None,
    taken_on: date | None,
    rows: list[RowInput],
    request=None,
) -> list[Score]:
    """Record the entered rows' scores on ``measure`` taken on ``taken_on``: all or none."""
    if actor.school is None or group.school_id != actor.school.pk:
        raise PermissionDenied
    if not may_record(actor, group):
        raise PermissionDenied(NOT_YOUR_GROUP)
    Group.objects.select_for_update().filter(pk=group.pk).first()
    errors, scores = _checked(actor, group, measure, taken_on, rows)
    if errors:
        raise ValidationError(errors)
    saved = bulk_create_with_history(
        scores, Score, default_user=actor.user, default_change_reason="Entered for a group"
    )
    for score in scores:
        pupil_audit(
            actor,
            score.pupil,
            AuditEntry.Action.CREATE,
            f"Added a score of {score.value:g} on {measure.name} taken {taken_on:%d/%m/%Y} "
            f"with {group.name}",
            request,
        )
    # The decision rules judge the group's pupils again with their new points.
    flags_evaluate_pupils(
        school_id=group.school_id, pupil_ids=[s.pupil_id for s in scores], actor=actor
    )
    # Apps above (impact's results) hear of scores saved in bulk once they are committed.
    transaction.on_commit(
        partial(
            scores_recorded.send,
            sender=Score,
            school_id=group.school_id,
            pupil_ids=sorted({s.pupil_id for s in scores}),
            measure_id=measure.pk,
            taken_on=taken_on,
        ),
        robust=True,
    )
    return saved
