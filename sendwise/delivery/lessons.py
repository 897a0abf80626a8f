"""Which class lessons a pupil misses when they go out to an intervention, and how often a
half-term. Pure: no Django.

A class has a weekly lesson timetable (Monday to Friday); a pupil in an intervention group goes
out of class for each of the group's weekly slots. A slot that overlaps a lesson takes the pupil
out of that lesson (part or all of it).

How a half-term is counted
--------------------------
* Timetables repeat every school week, so a lesson that a weekly slot overlaps is missed once a
  week, every school week.
* A half-term is ``weeks`` school weeks: the school's own figure, 6 unless the school says
  otherwise. Schools in England meet on 190 days a year (The Education (School Day and School
  Year) (England) Regulations 1999, reg. 3), which is 38 weeks in six half-terms: 6 to 7 weeks
  each, so 6 whole weeks is the usual, slightly cautious, figure. A clash every week is therefore
  missed 6 times a half-term.
* Any overlap of one minute or more counts as missing the lesson: the pupil leaves or joins it
  part-way, and the teacher plans the lesson as a whole. The minutes missed are kept beside it,
  so a page can say "15 of 60 minutes".
* A slot that overlaps two lessons (the end of Maths and the start of English) misses each once.
* The same lesson overlapped by two of the pupil's slots (two groups the same morning) is one
  lesson missed, not two: counts are of distinct lessons a week.
* Times are half-open, [start, end): a slot from 10:00 does not touch a lesson that ends at 10:00.

Subjects are counted by their key: one of ``SUBJECTS``, or ``other:<name>`` for a subject the
list does not have (compared without regard to case), so "Forest school" on Monday and on
Thursday are the same subject.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")

#: The subjects a school picks from (National Curriculum subjects, plus the parts of English a
#: primary timetable names on their own, and registration-time slots schools also protect).
#: Anything else is "other" with a name.
SUBJECTS: tuple[tuple[str, str], ...] = (
    ("english", "English"),
    ("phonics", "Phonics"),
    ("reading", "Reading"),
    ("writing", "Writing"),
    ("maths", "Maths"),
    ("science", "Science"),
    ("history", "History"),
    ("geography", "Geography"),
    ("computing", "Computing"),
    ("art", "Art and design"),
    ("dt", "Design and technology"),
    ("music", "Music"),
    ("pe", "PE"),
    ("re", "RE"),
    ("pshe", "PSHE"),
    ("languages", "Languages"),
    ("other", "Other"),
)
SUBJECT_NAMES = dict(SUBJECTS)
OTHER = "other"
#: The longest name of an "other" subject.
OTHER_NAME_MAX = 40

#: Names MIS exports use for the subjects on the list (lower case); others become "other".
ALIASES = {
    **{name.lower(): code for code, name in SUBJECTS if code != OTHER},
    **{code: code for code, _name in SUBJECTS if code != OTHER},
    "mathematics": "maths",
    "math": "maths",
    "numeracy": "maths",
    "literacy": "english",
    "english language": "english",
    "spelling": "writing",
    "handwriting": "writing",
    "guided reading": "reading",
    "art": "art",
    "art & design": "art",
    "design & technology": "dt",
    "design technology": "dt",
    "d&t": "dt",
    "physical education": "pe",
    "p.e.": "pe",
    "religious education": "re",
    "r.e.": "re",
    "pshe education": "pshe",
    "rshe": "pshe",
    "french": "languages",
    "spanish": "languages",
    "mfl": "languages",
    "modern foreign languages": "languages",
    "ict": "computing",
}


def subject_key(code: str, other_name: str = "") -> str:
    """The key a subject is counted by: the code, or ``other:<name in lower case>``."""
    if code == OTHER:
        return f"{OTHER}:{' '.join(other_name.split()).lower()}"
    return code


def subject_name(code: str, other_name: str = "") -> str:
    """What the subject is called on a page: "Maths", or the other subject's own name."""
    if code == OTHER:
        return " ".join(other_name.split()) or SUBJECT_NAMES[OTHER]
    return SUBJECT_NAMES.get(code, code)


def subject_from_text(text: str) -> tuple[str, str]:
    """(code, other name) for a subject as a MIS writes it: "Mathematics" -> ("maths", ""),
    "Forest School" -> ("other", "Forest School")."""
    clean = " ".join(text.split())
    code = ALIASES.get(clean.lower())
    return (code, "") if code else (OTHER, clean)


def clock(minutes: int) -> str:
    """540 -> "09:00"."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass(frozen=True)
class Lesson:
    """One weekly lesson of a class, in minutes after midnight: [start, end)."""

    key: Hashable
    weekday: int
    start: int
    end: int
    subject: str  # subject_key(...)
    name: str  # subject_name(...)

    @property
    def label(self) -> str:
        """ "Maths, Tuesday 09:00–10:00"."""
        return f"{self.name}, {DAYS[self.weekday]} {clock(self.start)}–{clock(self.end)}"


@dataclass(frozen=True)
class Slot:
    """One weekly session of a group the pupil is in (or would be in): [start, end)."""

    key: Hashable
    weekday: int
    start: int
    end: int
    group: str = ""


@dataclass(frozen=True)
class Miss:
    """Part or all of one lesson that one slot takes the pupil out of."""

    lesson: Lesson
    minutes: int

    @property
    def lesson_minutes(self) -> int:
        return self.lesson.end - self.lesson.start

    @property
    def whole(self) -> bool:
        return self.minutes >= self.lesson_minutes


@dataclass(frozen=True)
class SubjectMissed:
    """How often a pupil misses one subject: distinct lessons a week, and a half-term."""

    subject: str
    name: str
    a_week: int
    a_half_term: int
    lessons: tuple[Lesson, ...] = field(default=())


def overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    """Minutes that [a_start, a_end) and [b_start, b_end) share (0 when they only touch)."""
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def misses(lessons: Iterable[Lesson], slot: Slot) -> list[Miss]:
    """The lessons ``slot`` takes the pupil out of, in time order, with the minutes missed."""
    found = [
        Miss(lesson, overlap(slot.start, slot.end, lesson.start, lesson.end))
        for lesson in lessons
        if lesson.weekday == slot.weekday
    ]
    return sorted((m for m in found if m.minutes > 0), key=lambda m: (m.lesson.start, m.lesson.end))


def missed_by_slot(lessons: Iterable[Lesson], slots: Iterable[Slot]) -> dict[Hashable, list[Miss]]:
    """For each slot (by key), the lessons it takes the pupil out of (empty: none)."""
    lessons = list(lessons)
    return {slot.key: misses(lessons, slot) for slot in slots}


def missed_by_subject(
    lessons: Iterable[Lesson], slots: Iterable[Slot], *, weeks: int
) -> list[SubjectMissed]:
    """Each subject the pupil misses, with how many distinct lessons a week and how many times
    a half-term of ``weeks`` school weeks (see the module's docstring); most missed first, then
    by name."""
    if weeks < 1:
        raise ValueError("A half-term has at least one week.")
    lessons = list(lessons)
    hit: dict[Hashable, Lesson] = {}
    for slot in slots:
        for miss in misses(lessons, slot):
            hit[miss.lesson.key] = miss.lesson
    by_subject: dict[str, list[Lesson]] = {}
    for lesson in hit.values():
        by_subject.setdefault(lesson.subject, []).append(lesson)
    rows = [
        SubjectMissed(
            subject=subject,
            name=found[0].name,
            a_week=len(found),
            a_half_term=len(found) * weeks,
            lessons=tuple(sorted(found, key=lambda x: (x.weekday, x.start))),
        )
        for subject, found in by_subject.items()
    ]
    return sorted(rows, key=lambda r: (-r.a_half_term, r.name.lower()))


def over_limit(
    lessons: Iterable[Lesson], slots: Iterable[Slot], *, weeks: int, limit: int
) -> list[SubjectMissed]:
    """The subjects missed more than ``limit`` times a half-term."""
    return [r for r in missed_by_subject(lessons, slots, weeks=weeks) if r.a_half_term > limit]


def breaks_on_joining(
    lessons: Iterable[Lesson],
    current: Iterable[Slot],
    joining: Iterable[Slot],
    *,
    weeks: int,
    limit: int,
) -> list[SubjectMissed]:
    """The subjects that joining a group with slots ``joining`` would take over ``limit`` times
    a half-term, counted with the slots of the groups the pupil is in already (``current``).
    A subject already over the limit before joining counts only if joining adds to it."""
    lessons = list(lessons)
    current = list(current)
    before = {r.subject: r.a_half_term for r in missed_by_subject(lessons, current, weeks=weeks)}
    after = over_limit(lessons, current + list(joining), weeks=weeks, limit=limit)
    return [r for r in after if r.a_half_term > before.get(r.subject, 0)]


def clashes(lessons: Iterable[Lesson]) -> list[tuple[Lesson, Lesson]]:
    """Pairs of a class's lessons that overlap (a class has one lesson at a time)."""
    ordered = sorted(lessons, key=lambda x: (x.weekday, x.start, x.end))
    pairs = []
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b.weekday != a.weekday or b.start >= a.end:
                break
            pairs.append((a, b))
    return pairs


# --- Checking a lesson ------------------------------------------------------------------------
ERR_DAY = "Choose a day from Monday to Friday: lessons are timetabled on school days"
ERR_START = "Enter the time the lesson starts, such as 09:00"
ERR_END = "Enter the time the lesson ends, such as 10:00"
ERR_ORDER = "The lesson must end after it starts"
ERR_OUTSIDE_DAY = (
    "Lessons fall within the school day, {start} to {end}: if your school day is longer, "
    "change it on the lesson rules page first"
)
ERR_SUBJECT = "Choose a subject from the list, or Other and give its name"
ERR_OTHER_NAME = "Enter the name of the subject"
ERR_OTHER_TOO_LONG = f"The subject's name must be {OTHER_NAME_MAX} characters or fewer"
ERR_CLASH = "{lesson} overlaps {other}: a class has one lesson at a time"


def lesson_problems(
    *,
    weekday: int | None,
    start: int | None,
    end: int | None,
    subject: str,
    other_name: str,
    day_start: int,
    day_end: int,
) -> dict[str, str]:
    """What is wrong with one lesson, by field (empty: nothing). Times in minutes after
    midnight; the school day is [day_start, day_end]."""
    problems: dict[str, str] = {}
    if weekday is None or weekday not in range(len(DAYS)):
        problems["weekday"] = ERR_DAY
    if start is None:
        problems["starts_at"] = ERR_START
    if end is None:
        problems["ends_at"] = ERR_END
    if start is not None and end is not None:
        if end <= start:
            problems["ends_at"] = ERR_ORDER
        elif start < day_start or end > day_end:
            problems["starts_at" if start < day_start else "ends_at"] = ERR_OUTSIDE_DAY.format(
                start=clock(day_start), end=clock(day_end)
            )
    if subject not in SUBJECT_NAMES:
        problems["subject"] = ERR_SUBJECT
    elif subject == OTHER:
        name = " ".join(other_name.split())
        if not name:
            problems["other_subject"] = ERR_OTHER_NAME
        elif len(name) > OTHER_NAME_MAX:
            problems["other_subject"] = ERR_OTHER_TOO_LONG
    return problems


def clash_message(lesson: Lesson, other: Lesson) -> str:
    return ERR_CLASH.format(lesson=lesson.label, other=other.label)
