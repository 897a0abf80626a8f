"""Reads for protected lessons, always scoped to the actor's school: classes' lesson timetables,
the school's lesson rules, which lessons a group's members miss, the warnings when a group's
times or members change, and the SENCO's withdrawal list. The counting is the pure
``delivery.lessons``; this module only reads rows and turns them into its inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.http import Http404

from sendwise.core.access import Actor
from sendwise.core.roles import WHOLE_SCHOOL_ROLES, Role
from sendwise.delivery import lessons
from sendwise.delivery.models import Group, GroupMember, Lesson, LessonRules, Slot
from sendwise.pupils.models import ClassGroup, ClassStaff, Pupil
from sendwise.pupils.selectors import PupilLabel, pupil_labels

WARN_OVER = (
    "{pupil} would miss {subject} {count} times a half-term ({lessons}), more than the "
    "school's limit of {limit}"
)
#: Roles that see every pupil's withdrawals; intervention specialists see their groups' pupils.
WITHDRAWAL_WHOLE_ROLES = frozenset({Role.SENCO, Role.HEAD})


def _minutes(t) -> int:
    return t.hour * 60 + t.minute


def as_lesson(row: Lesson) -> lessons.Lesson:
    return lessons.Lesson(
        key=row.pk,
        weekday=row.weekday,
        start=_minutes(row.starts_at),
        end=_minutes(row.ends_at),
        subject=lessons.subject_key(row.subject, row.other_subject),
        name=row.subject_name,
    )


def as_slot(row: Slot, group_name: str = "") -> lessons.Slot:
    start = _minutes(row.starts_at)
    return lessons.Slot(row.pk, row.weekday, start, start + row.minutes, group_name)


def rules_for(*, school_id: int) -> LessonRules:
    """The school's lesson rules, or the defaults (unsaved) if it has not set them. One query."""
    return LessonRules.objects.filter(school=school_id).first() or LessonRules(school_id=school_id)


# --- Classes' timetables ----------------------------------------------------------------------
def lesson_classes(*, actor: Actor) -> QuerySet[ClassGroup]:
    """The classes whose timetable the actor may see, with their number of lessons: every class
    for the SENCO, the head and the administrator; a teacher's own classes for a teacher."""
    if actor.user is None or actor.school is None:
        return ClassGroup.objects.none()
    classes = ClassGroup.objects.filter(school=actor.school)
    if not actor.roles & WHOLE_SCHOOL_ROLES:
        taught = ClassStaff.objects.filter(
            school=actor.school, user=actor.user, kind=ClassStaff.Kind.TEACHER
        ).values("class_group")
        classes = classes.filter(pk__in=taught)
    return classes.annotate(lesson_count=Count("lessons")).order_by("nc_year", "name", "id")


def lesson_class_get(*, actor: Actor, class_id: int) -> ClassGroup:
    """A class whose timetable the actor may see, or 404 (missing and forbidden alike)."""
    found = lesson_classes(actor=actor).filter(pk=class_id).first()
    if found is None:
        raise Http404("No such class")
    return found


def class_lessons(*, actor: Actor, class_group: ClassGroup) -> QuerySet[Lesson]:
    """One class's lessons in week order."""
    if actor.school is None or class_group.school_id != actor.school.pk:
        return Lesson.objects.none()
    return Lesson.objects.filter(school=actor.school, class_group=class_group).order_by(
        "weekday", "starts_at", "id"
    )


def lesson_get(*, actor: Actor, class_group: ClassGroup, lesson_id: int) -> Lesson:
    found = class_lessons(actor=actor, class_group=class_group).filter(pk=lesson_id).first()
    if found is None:
        raise Http404("No such lesson")
    return found


# --- Pupils' missed lessons -------------------------------------------------------------------
@dataclass
class PupilWeek:
    """What one pupil's class timetable and groups add up to."""

    pupil_id: int
    class_id: int | None
    class_name: str
    lessons: list[lessons.Lesson] = field(default_factory=list)
    slots: list[lessons.Slot] = field(default_factory=list)


def _weeks_of(school_id: int, pupils) -> dict[int, PupilWeek]:
    """Each pupil's class lessons and the slots of every running group they are in. Two
    queries, whatever the number of pupils."""
    weeks = {
        p.pk: PupilWeek(p.pk, p.class_group_id, p.class_group.name if p.class_group else "")
        for p in pupils
    }
    if not weeks:
        return weeks
    class_ids = {w.class_id for w in weeks.values() if w.class_id is not None}
    by_class: dict[int, list[lessons.Lesson]] = {}
    for row in Lesson.objects.filter(school=school_id, class_group__in=class_ids):
        by_class.setdefault(row.class_group_id, []).append(as_lesson(row))
    for week in weeks.values():
        week.lessons = by_class.get(week.class_id, [])
    slots = Slot.objects.filter(
        school=school_id,
        group__archived=False,
        group__members__left_on__isnull=True,
        group__members__placement__plan__pupil__in=list(weeks),
    ).values_list(
        "pk",
        "weekday",
        "starts_at",
        "minutes",
        "group__name",
        "group__members__placement__plan__pupil",
    )
    seen = set()
    for pk, weekday, starts_at, minutes, group_name, pupil_id in slots:
        if (pk, pupil_id) in seen:
            continue  # a pupil in a group twice (two placements) goes out once
        seen.add((pk, pupil_id))
        start = _minutes(starts_at)
        weeks[pupil_id].slots.append(lessons.Slot(pk, weekday, start, start + minutes, group_name))
    return weeks


@dataclass(frozen=True)
class MemberMisses:
    """One member of a group: the lessons each of the group's slots takes them out of (in the
    order of the group's slots), and the subjects they miss more than the limit overall."""

    pupil: PupilLabel
    class_name: str
    has_timetable: bool
    by_slot: list[list[lessons.Miss]]
    over: list[lessons.SubjectMissed]


@dataclass(frozen=True)
class GroupMisses:
    slots: list[Slot]
    rows: list[MemberMisses]
    limit: int
    weeks: int


def group_misses(*, actor: Actor, group: Group, labels=None) -> GroupMisses:
    """For a group from ``group_get``: each member, named only where the reader may see them,
    with the lesson each slot takes them out of and any subject they would miss more than the
    school's limit a half-term (counting all their groups). Four queries, three when the
    members' ``labels`` (``pupil_labels``) are given (the class names come with the members
    from ``groups_active``)."""
    rules = rules_for(school_id=group.school_id)
    slots = list(group.slots.all())
    members = group.current_members
    pupils = {m.placement.plan.pupil_id: m.placement.plan.pupil for m in members}
    if labels is None:
        labels = pupil_labels(actor=actor, pupils=pupils.values())
    weeks = _weeks_of(group.school_id, pupils.values())
    rows = []
    for pupil_id in pupils:
        week = weeks[pupil_id]
        by_slot = lessons.missed_by_slot(week.lessons, [as_slot(s) for s in slots])
        rows.append(
            MemberMisses(
                pupil=labels[pupil_id],
                class_name=week.class_name,
                has_timetable=bool(week.lessons),
                by_slot=[by_slot[s.pk] for s in slots],
                over=lessons.over_limit(
                    week.lessons,
                    week.slots,
                    weeks=rules.weeks_per_half_term,
                    limit=rules.most_missed,
                ),
            )
        )
    return GroupMisses(slots, rows, rules.most_missed, rules.weeks_per_half_term)


def lesson_warnings(*, actor: Actor, group: Group, pupil_ids: list[int] | None = None) -> list[str]:
    """Warnings, in words, for the members of ``group`` (or only ``pupil_ids``) whom the
    group's slots take out of the same subject more than the school's limit a half-term:
    the pupil (named where the reader may see them), the subject and the count."""
    rules = rules_for(school_id=group.school_id)
    members = GroupMember.objects.filter(
        school=group.school_id, group=group, left_on__isnull=True
    ).select_related("placement__plan__pupil__class_group")
    pupils = {m.placement.plan.pupil_id: m.placement.plan.pupil for m in members}
    if pupil_ids is not None:
        pupils = {k: v for k, v in pupils.items() if k in set(pupil_ids)}
    if not pupils:
        return []
    labels = pupil_labels(actor=actor, pupils=pupils.values())
    weeks = _weeks_of(group.school_id, pupils.values())
    own = [as_slot(s, group.name) for s in Slot.objects.filter(group=group)]
    own_keys = {s.key for s in own}
    warnings = []
    for pupil_id, week in weeks.items():
        others = [s for s in week.slots if s.key not in own_keys]
        for row in lessons.breaks_on_joining(
            week.lessons,
            others,
            own,
            weeks=rules.weeks_per_half_term,
            limit=rules.most_missed,
        ):
            warnings.append(_warning(labels[pupil_id].name, row, rules.most_missed))
    return warnings


def _warning(pupil: str, row: lessons.SubjectMissed, limit: int) -> str:
    return WARN_OVER.format(
        pupil=pupil,
        subject=row.name,
        count=row.a_half_term,
        lessons=_and(
            [
                f"{lessons.DAYS[x.weekday]} {lessons.clock(x.start)}–{lessons.clock(x.end)}"
                for x in row.lessons
            ]
        ),
        limit=limit,
    )


def _and(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


# --- Recommendations --------------------------------------------------------------------------
@dataclass(frozen=True)
class PupilLessonRule:
    """What the matcher needs to know whether joining a group breaks the lesson rule for one
    pupil: their class lessons, the slots of the groups they are in, and the school's rule."""

    lessons: list[lessons.Lesson]
    slots: list[lessons.Slot]
    weeks: int
    limit: int


def pupil_lesson_rule(*, actor: Actor, pupil) -> PupilLessonRule:
    """For a pupil ``pupil_for`` already checked. Three queries."""
    rules = rules_for(school_id=pupil.school_id)
    week = _weeks_of(pupil.school_id, [pupil])[pupil.pk]
    return PupilLessonRule(week.lessons, week.slots, rules.weeks_per_half_term, rules.most_missed)


BREAKS_RULE = "{subjects}, more than the school's limit of {limit} a half-term"


def joining_breaks_rule(rule: PupilLessonRule, slots) -> str:
    """Words for why joining a group with ``slots`` breaks the rule for this pupil ("Maths 6
    times a half-term, more than the school's limit of 2 a half-term"), or "" if it does not."""
    broken = lessons.breaks_on_joining(
        rule.lessons, rule.slots, slots, weeks=rule.weeks, limit=rule.limit
    )
    if not broken:
        return ""
    subjects = _and([f"{row.name} {row.a_half_term} times" for row in broken])
    return BREAKS_RULE.format(subjects=subjects, limit=rule.limit)


def group_slot_times(groups) -> dict[int, tuple[lessons.Slot, ...]]:
    """Each group's slots (already loaded with the groups) as ``lessons.Slot``, by group id."""
    return {g.pk: tuple(as_slot(s, g.name) for s in g.slots.all()) for g in groups}


# --- The SENCO's withdrawal page --------------------------------------------------------------
@dataclass(frozen=True)
class WithdrawalRow:
    """One pupil and one subject they miss: how often, in which lessons, for which groups."""

    pupil: PupilLabel
    class_name: str
    missed: lessons.SubjectMissed
    over: bool
    groups: list[str]


@dataclass(frozen=True)
class Withdrawals:
    rows: list[WithdrawalRow]
    #: Pupils in running groups (in the actor's scope and the class asked for).
    pupils: int
    #: Of those, pupils whose class has no lesson timetable yet (nothing can be counted).
    without_timetable: int
    #: Of those, pupils whose groups take them out of no lesson.
    missing_nothing: int
    limit: int
    weeks: int


def withdrawals(
    *, actor: Actor, class_id: int | None = None, subject: str = "", over: bool = False
) -> Withdrawals:
    """Every pupil in a running group with the lessons their groups take them out of, by
    subject, a half-term: all the school's pupils for the SENCO and the head, the pupils in an
    intervention specialist's own groups for them. Counts use all the pupil's groups. Filters:
    a class, a subject ("other" is every subject not on the list), only those over the limit.
    Five queries, whatever the number of pupils."""
    if actor.user is None or actor.school is None:
        return Withdrawals([], 0, 0, 0, 0, 0)
    school = actor.school.pk
    rules = rules_for(school_id=school)
    members = GroupMember.objects.filter(school=school, left_on__isnull=True, group__archived=False)
    if not actor.roles & WITHDRAWAL_WHOLE_ROLES:
        members = members.filter(group__deliverer=actor.user)
    pupils = (
        Pupil.unscoped.filter(
            school=school,
            archived_at__isnull=True,
            pk__in=members.values("placement__plan__pupil"),
        )
        .select_related("class_group")
        .order_by("last_name", "first_name", "id")
    )
    if class_id is not None:
        pupils = pupils.filter(class_group=class_id)
    pupils = list(pupils)
    weeks = _weeks_of(school, pupils)
    labels = pupil_labels(actor=actor, pupils=pupils)
    rows: list[WithdrawalRow] = []
    without = nothing = 0
    for pupil in pupils:
        week = weeks[pupil.pk]
        if not week.lessons:
            without += 1
            continue
        missed = lessons.missed_by_subject(
            week.lessons, week.slots, weeks=rules.weeks_per_half_term
        )
        if not missed:
            nothing += 1
        for row in missed:
            is_over = row.a_half_term > rules.most_missed
            if subject and not _is_subject(row.subject, subject):
                continue
            if over and not is_over:
                continue
            rows.append(
                WithdrawalRow(
                    labels[pupil.pk], week.class_name, row, is_over, _groups(row, week.slots)
                )
            )
    return Withdrawals(
        rows, len(pupils), without, nothing, rules.most_missed, rules.weeks_per_half_term
    )


def _is_subject(key: str, wanted: str) -> bool:
    return key == wanted or (wanted == lessons.OTHER and key.startswith(f"{lessons.OTHER}:"))


def _groups(row: lessons.SubjectMissed, slots: list[lessons.Slot]) -> list[str]:
    """The groups whose slots take the pupil out of the lessons in ``row``, in name order."""
    names = {
        slot.group
        for slot in slots
        for miss in lessons.misses(row.lessons, slot)
        if miss.minutes > 0
    }
    return sorted(names, key=str.lower)
