"""Reads for lesson timetable imports, scoped to the actor's school: the uploads, and what
applying one would change now (the preview)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import Http404

from sendwise.core.access import Actor
from sendwise.delivery import lessons
from sendwise.delivery.lesson_selectors import as_lesson, rules_for
from sendwise.delivery.models import Lesson
from sendwise.exchange.lesson_csv import LessonFile, LessonRow, LessonRowError, parse_lessons
from sendwise.exchange.models import LessonImport
from sendwise.pupils.models import ClassGroup

NO_SUCH_CLASS = (
    "No class called {name} in this school: classes come from the pupils' import, so check "
    "the spelling or import the pupils first"
)


def lesson_imports(*, actor: Actor, limit: int = 10) -> list[LessonImport]:
    if actor.school is None:
        return []
    return list(
        LessonImport.objects.filter(school=actor.school)
        .select_related("uploaded_by")
        .defer("content")[:limit]
    )


def lesson_import_get(*, actor: Actor, batch_id: int) -> LessonImport:
    """An upload of the actor's school, or 404 (missing and another school's alike)."""
    if actor.school is None:
        raise Http404("No such import")
    found = LessonImport.objects.filter(school=actor.school, pk=batch_id).first()
    if found is None:
        raise Http404("No such import")
    return found


@dataclass
class ClassChange:
    """What the import does to one class's week."""

    class_id: int
    name: str
    added: list[lessons.Lesson] = field(default_factory=list)
    removed: list[lessons.Lesson] = field(default_factory=list)
    unchanged: int = 0
    rows: list[LessonRow] = field(default_factory=list)

    @property
    def changes(self) -> bool:
        return bool(self.added or self.removed)


@dataclass
class LessonPreview:
    parsed: LessonFile
    errors: list[LessonRowError]
    classes: list[ClassChange]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def added(self) -> int:
        return sum(len(c.added) for c in self.classes)

    @property
    def removed(self) -> int:
        return sum(len(c.removed) for c in self.classes)


def _key(lesson: lessons.Lesson) -> tuple:
    return (lesson.weekday, lesson.start, lesson.end, lesson.subject)


def lesson_import_preview(*, batch: LessonImport) -> LessonPreview:
    """What applying ``batch`` would do to the school's timetables now: for each class in the
    file, the lessons added and removed (a class's whole week is replaced by the file's;
    classes not in the file keep theirs), and every row's problems. Three queries."""
    rules = rules_for(school_id=batch.school_id)
    parsed = parse_lessons(
        bytes(batch.content),
        day_start=rules.day_starts.hour * 60 + rules.day_starts.minute,
        day_end=rules.day_ends.hour * 60 + rules.day_ends.minute,
    )
    errors = list(parsed.errors)
    known = {
        name.lower(): (pk, name)
        for pk, name in ClassGroup.objects.filter(school=batch.school_id).values_list("pk", "name")
    }
    changes: dict[int, ClassChange] = {}
    for row in parsed.rows:
        found = known.get(row.class_name.lower())
        if found is None:
            errors.append(
                LessonRowError(
                    row.line,
                    "class_name",
                    row.class_name,
                    NO_SUCH_CLASS.format(name=row.class_name),
                )
            )
            continue
        change = changes.setdefault(found[0], ClassChange(found[0], found[1]))
        change.rows.append(row)
    current: dict[int, list[lessons.Lesson]] = {}
    for lesson in Lesson.objects.filter(school=batch.school_id, class_group__in=list(changes)):
        current.setdefault(lesson.class_group_id, []).append(as_lesson(lesson))
    for change in changes.values():
        wanted = {_key(r.as_lesson): r.as_lesson for r in change.rows}
        now = {_key(x): x for x in current.get(change.class_id, [])}
        change.added = sorted((wanted[k] for k in wanted.keys() - now.keys()), key=_key)
        change.removed = sorted((now[k] for k in now.keys() - wanted.keys()), key=_key)
        change.unchanged = len(wanted.keys() & now.keys())
    errors.sort(key=lambda e: e.line)
    return LessonPreview(parsed, errors, sorted(changes.values(), key=lambda c: c.name.lower()))
