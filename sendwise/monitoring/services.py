"""Writes for monitoring: recording a pupil's score on a measure (the decision rules' flags
are written by `flag_services`)."""

import math
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from sendwise.core.access import Actor
from sendwise.core.models import AuditEntry
from sendwise.core.services import audit_record, service
from sendwise.evidence.models import Measure
from sendwise.monitoring.flag_services import flags_evaluate_pupils
from sendwise.monitoring.models import Score
from sendwise.pupils.models import Pupil

SCORE_OUT_OF_RANGE = "The score must be between {low:g} and {high:g} on {measure}"
SCORE_NOT_A_NUMBER = "Enter the score as a number"
SCORE_IN_FUTURE = "The date taken must be today or in the past"
SCORE_BEFORE_BIRTH = "The date taken must be after the pupil's date of birth"


@service
def score_add(
    *,
    actor: Actor,
    pupil: Pupil,
    measure: Measure,
    value: float,
    taken_on: date,
    note: str = "",
    request=None,
) -> Score:
    """Record a score on a measure: within the measure's range, on a day the pupil was alive
    and not in the future. Scores are added, never overwritten."""
    errors: dict[str, list[str]] = {}
    if value is None or not math.isfinite(value):
        errors["value"] = [SCORE_NOT_A_NUMBER]
    else:
        low, high = measure.scale_min, measure.scale_max
        # Only a range known at both ends is checked; an unbounded measure accepts any number.
        if low is not None and high is not None and not low <= value <= high:
            errors["value"] = [SCORE_OUT_OF_RANGE.format(low=low, high=high, measure=measure.name)]
    if taken_on > timezone.localdate():
        errors["taken_on"] = [SCORE_IN_FUTURE]
    elif taken_on < pupil.date_of_birth:
        errors["taken_on"] = [SCORE_BEFORE_BIRTH]
    if errors:
        raise ValidationError(errors)
    score = Score(
        school_id=pupil.school_id,
        pupil=pupil,
        measure=measure,
        value=value,
        taken_on=taken_on,
        entered_by=actor.user,
        note=(note or "").strip(),
    )
    score.full_clean()
    score.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="pupil",
        object_id=pupil.pk,
        object_repr=pupil.full_name,
        detail=f"Added a score of {value:g} on {measure.name} taken {taken_on:%d/%m/%Y}",
        request=request,
    )
    # The decision rules judge the pupil again with the new point, in the same transaction.
    flags_evaluate_pupils(school_id=pupil.school_id, pupil_ids=[pupil.pk], actor=actor)
    return score
