"""Writes for protected lessons: a class's weekly lessons (one at a time, or a whole timetable at
once for an import) and the school's lesson rules. Each use case runs in one transaction,
checks everything before writing anything (so bad input changes nothing), keeps history and
leaves an audit entry. The checks on one lesson are ``delivery.lessons.lesson_problems``, shared
with the CSV import so a form and a file get the same words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from django.core.exceptions import PermissionDenied, ValidationError

from sendwise.core.access import Actor
from sendwise.core.models import AuditEntry
from sendwise.core.services import audit_record, service
from sendwise.delivery import lessons
from sendwise.delivery.lesson_selectors import as_lesson, rules_for
from sendwise.delivery.models import Lesson, LessonRules
from sendwise.pupils.models import ClassGroup

MOST_MISSED_RANGE = (
    "Enter a whole number from 0 to 20: how many times a pupil may miss the same subject "
    "in a half-term"
)
WEEKS_RANGE = (
    "Enter a whole number of weeks from 1 to 10: English half-terms are usually 6 or 7 weeks"
)
DAY_START_REQUIRED = "Enter the time the school day starts, such as 08:45"
DAY_END_REQUIRED = "Enter the time the school day ends, such as 15:15"
DAY_ORDER = "The school day must end after it starts"
DAY_TOO_EARLY_OR_LATE = "The school day must start at 07:00 or later and end by 19:00"
DAY_LEAVES_LESSONS_OUT = (
    "{count} lessons fall outside {start} to {end}, such as {example}: change those lessons first"
)
EARLIEST = time(7, 0)
LATEST = time(19, 0)


def _check_school(actor: Actor, school_id: int) -> None:
    if actor.school is None or actor.school.pk != school_id:
        raise PermissionDenied


def _minutes(t: time | None) -> int | None:
    return None if t is None else t.hour * 60 + t.minute


@dataclass(frozen=True)
class LessonInput:
    weekday: int | None
    starts_at: time | None
    ends_at: time | None
    subject: str
    other_subject: str = ""


def _problems(lesson: LessonInput, rules: LessonRules) -> dict[str, str]:
    return lessons.lesson_problems(
        weekday=lesson.weekday,
        start=_minutes(lesson.starts_at),
        end=_minutes(lesson.ends_at),
        subject=lesson.subject,
        other_name=lesson.other_subject,
        day_start=_minutes(rules.day_starts),
        day_end=_minutes(rules.day_ends),
    )


def _row(actor: Actor, class_group: ClassGroup, lesson: LessonInput, row=None) -> Lesson:
    row = row or Lesson(school=actor.school, class_group=class_group)
    row.weekday = lesson.weekday
    row.starts_at = lesson.starts_at
    row.ends_at = lesson.ends_at
    row.subject = lesson.subject
    row.other_subject = (
        " ".join(lesson.other_subject.split()) if lesson.subject == lessons.OTHER else ""
    )
    return row


def _locked_class(actor: Actor, class_group: ClassGroup) -> ClassGroup:
    """The class, locked so two people changing its timetable at once cannot both add a
    lesson at the same time (the second waits and then sees the first's lesson)."""
    _check_school(actor, class_group.school_id)
    return ClassGroup.objects.select_for_update().get(pk=class_group.pk)


@service
def lesson_save(
    *,
    actor: Actor,
    class_group: ClassGroup,
    lesson: Lesson | None,
    data: LessonInput,
    request=None,
) -> Lesson:
    """Add a lesson to a class's week (``lesson`` None) or change one: on a school day, within
    the school day, ending after it starts, and not overlapping the class's other lessons."""
    class_group = _locked_class(actor, class_group)
    if lesson is not None and (
        lesson.class_group_id != class_group.pk or lesson.school_id != actor.school.pk
    ):
        raise PermissionDenied
    problems = _problems(data, rules_for(school_id=actor.school.pk))
    if problems:
        raise ValidationError({k: [v] for k, v in problems.items()})
    row = _row(actor, class_group, data, lesson)
    others = Lesson.objects.filter(school=actor.school, class_group=class_group)
    if lesson is not None:
        others = others.exclude(pk=lesson.pk)
    new = as_lesson(row)
    clash = next((o for o in map(as_lesson, others) if lessons.clashes([new, o])), None)
    if clash is not None:
        raise ValidationError({"starts_at": [lessons.clash_message(new, clash)]})
    created = lesson is None
    row.full_clean()
    row.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
        object_type="lesson",
        object_id=row.pk,
        object_repr=f"{class_group.name}: {row}",
        detail="Added a lesson" if created else "Changed a lesson",
        request=request,
    )
    return row


@service
def lesson_remove(*, actor: Actor, lesson: Lesson, request=None) -> None:
    """Take a lesson out of a class's week (its history keeps what it was and who removed it)."""
    class_group = _locked_class(actor, lesson.class_group)
    if lesson.class_group_id != class_group.pk:
        raise PermissionDenied
    text = f"{class_group.name}: {lesson}"
    pk = lesson.pk
    lesson.delete()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="lesson",
        object_id=pk,
        object_repr=text,
        detail="Removed a lesson",
        request=request,
    )


@service
def timetables_replace(
    *,
    actor: Actor,
    timetables: dict[int, list[LessonInput]],
    source: str,
    request=None,
) -> dict[str, int]:
    """Replace the whole week of each class in ``timetables`` (class id -> its lessons), all
    classes or none: every lesson is checked as one entered by hand, and no two of a class's
    lessons may overlap. Classes not named keep their lessons. Returns counts of lessons
    removed and added (an unchanged lesson is kept as it is, so its history stays quiet)."""
    classes = {
        c.pk: c
        for c in ClassGroup.objects.select_for_update().filter(
            school=actor.school, pk__in=list(timetables)
        )
    }
    if set(classes) != set(timetables):
        raise PermissionDenied
    rules = rules_for(school_id=actor.school.pk)
    errors: dict[str, list[str]] = {}
    for class_id, week in timetables.items():
        name = classes[class_id].name
        for n, lesson in enumerate(week, start=1):
            for message in _problems(lesson, rules).values():
                errors.setdefault(name, []).append(f"Lesson {n}: {message}")
        if name in errors:
            continue  # overlaps are checked once every lesson has a day and times
        shown = [as_lesson(_row(actor, classes[class_id], lesson)) for lesson in week]
        for earlier, later in lessons.clashes(shown):
            errors.setdefault(name, []).append(lessons.clash_message(later, earlier))
    if errors:
        raise ValidationError(errors)
    removed = added = 0
    existing: dict[int, list[Lesson]] = {}
    for row in Lesson.objects.filter(school=actor.school, class_group__in=list(classes)):
        existing.setdefault(row.class_group_id, []).append(row)
    for class_id, week in timetables.items():
        wanted = [_row(actor, classes[class_id], lesson) for lesson in week]
        keep = {_same(r): r for r in existing.get(class_id, [])}
        for row in wanted:
            if keep.pop(_same(row), None) is None:
                row.full_clean()
                row.save()
                added += 1
        for row in keep.values():
            row.delete()
            removed += 1
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="lessons",
        object_id=actor.school.pk,
        object_repr=f"Lesson timetables of {len(classes)} classes",
        detail=f"{source}: {added} lessons added, {removed} removed",
        request=request,
    )
    return {"classes": len(classes), "added": added, "removed": removed}


def _same(row: Lesson) -> tuple:
    return (row.weekday, row.starts_at, row.ends_at, row.subject, row.other_subject.lower())


@service
def lesson_rules_set(
    *,
    actor: Actor,
    most_missed: int | None,
    weeks_per_half_term: int | None,
    day_starts: time | None,
    day_ends: time | None,
    request=None,
) -> LessonRules:
    """The school's lesson rules. The school day cannot shrink past lessons already in it."""
    errors: dict[str, list[str]] = {}
    if most_missed is None or not 0 <= most_missed <= 20:
        errors["most_missed"] = [MOST_MISSED_RANGE]
    if weeks_per_half_term is None or not 1 <= weeks_per_half_term <= 10:
        errors["weeks_per_half_term"] = [WEEKS_RANGE]
    if day_starts is None:
        errors["day_starts"] = [DAY_START_REQUIRED]
    if day_ends is None:
        errors["day_ends"] = [DAY_END_REQUIRED]
    if day_starts is not None and day_ends is not None:
        if day_ends <= day_starts:
            errors["day_ends"] = [DAY_ORDER]
        elif day_starts < EARLIEST or day_ends > LATEST:
            errors["day_starts" if day_starts < EARLIEST else "day_ends"] = [DAY_TOO_EARLY_OR_LATE]
        else:
            outside = Lesson.objects.filter(school=actor.school).exclude(
                starts_at__gte=day_starts, ends_at__lte=day_ends
            )
            count = outside.count()
            if count:
                example = outside.select_related("class_group").order_by("weekday", "starts_at")[0]
                errors["day_starts"] = [
                    DAY_LEAVES_LESSONS_OUT.format(
                        count=count,
                        start=f"{day_starts:%H:%M}",
                        end=f"{day_ends:%H:%M}",
                        example=f"{example.class_group.name} {example}",
                    )
                ]
    if errors:
        raise ValidationError(errors)
    rules = LessonRules.objects.select_for_update().filter(
        school=actor.school
    ).first() or LessonRules(school=actor.school)
    rules.most_missed = most_missed
    rules.weeks_per_half_term = weeks_per_half_term
    rules.day_starts = day_starts
    rules.day_ends = day_ends
    rules.full_clean()
    rules.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="lesson_rules",
        object_id=rules.pk,
        object_repr=str(rules),
        detail=(
            f"At most {most_missed} a half-term of {weeks_per_half_term} weeks; "
            f"school day {day_starts:%H:%M}–{day_ends:%H:%M}"
        ),
        request=request,
    )
    return rules
