"""Writes for monitoring: recording a pupil's score on a measure (the decision rules' flags
are written by `flag_services`, called from every write of a score).

The rules every score meets, however it is entered (one at a time here, a group's at once in
``group_services``, a correction in ``correction_services``), are in ``score_problems``:
within the measure's range (``Measure.value_problem``, the same rule as an outcome's baseline
and target) and a whole number on a measure reported in whole numbers (``Measure.score_problem``),
and taken on a day the pupil was alive, not in the future and not implausibly long
ago. Every write of a score goes through a service, so what must follow a new score (the
progress checks) can be added in one place.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from sendwise.core.access import Actor
from sendwise.core.models import AuditEntry
from sendwise.core.services import service
from sendwise.evidence.models import Measure
from sendwise.monitoring.flag_services import flags_evaluate_pupils
from sendwise.monitoring.models import Score
from sendwise.pupils.models import Pupil
from sendwise.pupils.services import pupil_audit

SCORE_NOT_A_NUMBER = "Enter the score as a number"
SCORE_IN_FUTURE = "The date taken must be today or in the past"
SCORE_BEFORE_BIRTH = "The date taken must be after the pupil's date of birth"
#: A score older than this is a mistyped year far more often than a real old result: a
#: baseline brought from a previous school is rarely more than a key stage (4 years) old.
OLDEST_YEARS = 5
SCORE_TOO_OLD = "The date taken must be within the last 5 years: check the year"
NOTE_TOO_LONG = "Note must be 300 characters or fewer"
MAX_NOTE = 300
#: One score per pupil, measure and day: a second is nearly always the same result entered
#: twice (a double submit, or two people entering one sheet), which would count twice in the
#: trend and in impact. A real retest the same day replaces the first through a correction.
ALREADY_RECORDED = (
    "A score of {value} on this measure and date is already recorded: to change it, correct it "
    "on the pupil's scores page"
)


def date_problem(taken_on: date, *, born: date | None = None) -> str | None:
    """Why ``taken_on`` cannot be the date of a score (of a pupil ``born`` on that day)."""
    today = timezone.localdate()
    if taken_on > today:
        return SCORE_IN_FUTURE
    if born is not None and taken_on < born:
        return SCORE_BEFORE_BIRTH
    if taken_on < today - timedelta(days=365 * OLDEST_YEARS + 1):
        return SCORE_TOO_OLD
    return None


def score_problems(
    *, pupil: Pupil, measure: Measure, value, taken_on: date, note: str = ""
) -> dict[str, list[str]]:
    """Every rule a score must meet, by field ("value", "taken_on", "note"); empty if none."""
    errors: dict[str, list[str]] = {}
    problem = measure.score_problem(value)
    if problem:
        errors["value"] = [problem]
    when = date_problem(taken_on, born=pupil.date_of_birth)
    if when:
        errors["taken_on"] = [when]
    if len(note or "") > MAX_NOTE:
        errors["note"] = [NOTE_TOO_LONG]
    return errors


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
    and not in the future, and not a second one for the same measure and day. Scores are
    added, never overwritten."""
    errors = score_problems(pupil=pupil, measure=measure, value=value, taken_on=taken_on, note=note)
    if not errors:
        # Locking the pupil's row queues two submits of the same form, so the second sees the
        # first's score (on SQLite the write transaction already serialises them).
        Pupil.unscoped.select_for_update().filter(pk=pupil.pk).first()
        existing = (
            Score.objects.current()
            .filter(school_id=pupil.school_id, pupil=pupil, measure=measure, taken_on=taken_on)
            .values_list("value", flat=True)
            .first()
        )
        if existing is not None:
            errors["taken_on"] = [ALREADY_RECORDED.format(value=f"{existing:g}")]
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
    pupil_audit(
        actor,
        pupil,
        AuditEntry.Action.CREATE,
        f"Added a score of {value:g} on {measure.name} taken {taken_on:%d/%m/%Y}",
        request,
    )
    # The decision rules judge the pupil again with the new point, in the same transaction.
    flags_evaluate_pupils(school_id=pupil.school_id, pupil_ids=[pupil.pk], actor=actor)
    return score
