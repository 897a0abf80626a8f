"""Reading classes' weekly lesson timetables from a MIS export (a CSV with a header row: class,
day, start, end, subject). Pure: no Django import.

The file is read as the pupils' CSV is (``mis_csv``: UTF-8 with or without Excel's byte order
mark, else Windows-1252; comma, tab or semicolon; headers matched ignoring case, spaces and
punctuation). Each row is checked on its own (a day Monday to Friday, times as 09:00, 9:00,
9.00 or 0900, within the school day, ending after they start, a subject) and against the other
rows of its class (a class has one lesson at a time). Every problem names its row (the header
is row 1), so the school can fix the file; the import applies only a file with none.

Subjects are matched to the school's list by ``delivery.lessons.subject_from_text``
("Mathematics" is Maths); any other subject is kept under its own name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sendwise.delivery import lessons
from sendwise.exchange.checks import check_size
from sendwise.exchange.mis_csv import _decode, _key, _rows
from sendwise.exchange.records import ImportFileError

COLUMNS: dict[str, tuple[str, ...]] = {
    "class_name": ("Class", "Class name", "Reg Group", "Registration Group", "Form", "Group"),
    "day": ("Day", "Weekday", "Day of week"),
    "start": ("Start", "Start time", "Starts", "From"),
    "end": ("End", "End time", "Ends", "To", "Finish"),
    "subject": ("Subject", "Subject name", "Lesson"),
}
LABELS = {
    "class_name": "Class",
    "day": "Day",
    "start": "Start",
    "end": "End",
    "subject": "Subject",
}
MAX_BYTES = 1_000_000
MAX_ROWS = 5_000
CLASS_NAME_MAX = 30

MISSING_COLUMNS = (
    "The file has no column for {missing}. It needs columns for class, day, start, end and "
    "subject; the columns found are: {found}"
)
NO_LESSONS = "The file has a header row but no lessons"
TOO_MANY_ROWS = f"The file has more than {MAX_ROWS:,} lessons: split it into smaller files"
EXTRA_CELLS = "This row has more values than the header has columns: check for a stray comma"
CLASS_REQUIRED = "Enter the class"
CLASS_TOO_LONG = f"A class name has at most {CLASS_NAME_MAX} characters"
DAY_INVALID = "Enter a school day, Monday to Friday (or Mon to Fri, or 1 to 5)"
WEEKEND = "Lessons are timetabled Monday to Friday: {day} is not a school day"
TIME_INVALID = "Enter a time as hours and minutes, such as 09:00"
SUBJECT_REQUIRED = "Enter the subject"
OVERLAP = "Overlaps row {other} ({lesson}): a class has one lesson at a time"
DUPLICATE = "The same lesson as row {other}"

_DAYS = {
    **{name.lower(): n for n, name in enumerate(lessons.DAYS)},
    **{name[:3].lower(): n for n, name in enumerate(lessons.DAYS)},
    **{str(n + 1): n for n in range(len(lessons.DAYS))},
    "tues": 1,
    "weds": 2,
    "thur": 3,
    "thurs": 3,
}
_WEEKEND = {"saturday", "sat", "sunday", "sun", "6", "7"}
_TIME = re.compile(r"(\d{1,2})[:.]?(\d{2})(?::\d{2})?")
_ALIASES = {_key(alias): name for name, aliases in COLUMNS.items() for alias in aliases}


@dataclass(frozen=True)
class LessonRow:
    """One good row: a lesson of the class called ``class_name``."""

    line: int
    class_name: str
    weekday: int
    start: int
    end: int
    subject: str  # a code of lessons.SUBJECTS
    other_subject: str = ""

    @property
    def as_lesson(self) -> lessons.Lesson:
        key = lessons.subject_key(self.subject, self.other_subject)
        name = lessons.subject_name(self.subject, self.other_subject)
        return lessons.Lesson(self.line, self.weekday, self.start, self.end, key, name)


@dataclass(frozen=True)
class LessonRowError:
    line: int
    column: str  # a key of LABELS, or "" for the row
    value: str
    message: str

    @property
    def label(self) -> str:
        return LABELS.get(self.column, "Row")


@dataclass
class LessonFile:
    rows: list[LessonRow] = field(default_factory=list)
    errors: list[LessonRowError] = field(default_factory=list)
    row_count: int = 0

    @property
    def classes(self) -> list[str]:
        """The classes the file gives lessons for, in the order they first appear."""
        return list(dict.fromkeys(r.class_name for r in self.rows))


def parse_time(text: str) -> int | None:
    """Minutes after midnight for "09:00", "9:00", "9.00", "0900" or "09:00:00"; else None."""
    match = _TIME.fullmatch(text.strip())
    if match is None:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours > 23 or minutes > 59:
        return None
    return hours * 60 + minutes


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        column = _ALIASES.get(_key(name))
        if column is not None and column not in found:
            found[column] = index
    missing = [LABELS[c].lower() for c in COLUMNS if c not in found]
    if missing:
        shown = ", ".join(f'"{h.strip()}"' for h in header if h.strip()) or "none"
        raise ImportFileError(MISSING_COLUMNS.format(missing=", ".join(missing), found=shown))
    return found


def parse_lessons(data: bytes, *, day_start: int, day_end: int) -> LessonFile:
    """Every lesson in the file, checked; ImportFileError for a file that cannot be read at all.
    The school day is [day_start, day_end] in minutes after midnight."""
    check_size(data, MAX_BYTES)
    rows = [(line, cells) for line, cells in _rows(_decode(data)) if any(c.strip() for c in cells)]
    if not rows:
        raise ImportFileError(NO_LESSONS)
    (_, header), body = rows[0], rows[1:]
    columns = _columns(header)
    if not body:
        raise ImportFileError(NO_LESSONS)
    if len(body) > MAX_ROWS:
        raise ImportFileError(TOO_MANY_ROWS)
    result = LessonFile(row_count=len(body))
    for line, cells in body:
        row = _read_row(line, cells, columns, len(header), day_start, day_end, result.errors)
        if row is not None:
            result.rows.append(row)
    _check_overlaps(result)
    return result


def _read_row(line, cells, columns, width, day_start, day_end, errors) -> LessonRow | None:
    def cell(column: str) -> str:
        index = columns[column]
        return cells[index].strip() if index < len(cells) else ""

    def problem(column: str, value: str, message: str) -> None:
        errors.append(LessonRowError(line, column, value[:60], message))

    before = len(errors)
    if len(cells) > width and any(c.strip() for c in cells[width:]):
        problem("", "", EXTRA_CELLS)
        return None
    class_name = " ".join(cell("class_name").split())
    if not class_name:
        problem("class_name", "", CLASS_REQUIRED)
    elif len(class_name) > CLASS_NAME_MAX:
        problem("class_name", class_name, CLASS_TOO_LONG)
    day_text = cell("day")
    weekday = _DAYS.get(day_text.lower().rstrip("."))
    if weekday is None:
        if day_text.lower() in _WEEKEND:
            problem("day", day_text, WEEKEND.format(day=day_text))
        else:
            problem("day", day_text, DAY_INVALID)
    start, end = parse_time(cell("start")), parse_time(cell("end"))
    if start is None:
        problem("start", cell("start"), TIME_INVALID)
    if end is None:
        problem("end", cell("end"), TIME_INVALID)
    subject_text = " ".join(cell("subject").split())
    subject, other = lessons.subject_from_text(subject_text) if subject_text else ("", "")
    if not subject_text:
        problem("subject", "", SUBJECT_REQUIRED)
    if len(errors) > before:
        return None
    # The checks a lesson entered by hand gets, with the same words.
    for name, message in lessons.lesson_problems(
        weekday=weekday,
        start=start,
        end=end,
        subject=subject,
        other_name=other,
        day_start=day_start,
        day_end=day_end,
    ).items():
        column = {"starts_at": "start", "ends_at": "end", "other_subject": "subject"}.get(
            name, name
        )
        problem(column, cell(column) if column in columns else "", message)
    if len(errors) > before:
        return None
    return LessonRow(line, class_name, weekday, start, end, subject, other)


def _check_overlaps(result: LessonFile) -> None:
    """Rows of one class that overlap (or repeat) another are errors; the first one stands."""
    by_class: dict[str, list[LessonRow]] = {}
    for row in result.rows:
        by_class.setdefault(row.class_name.lower(), []).append(row)
    bad: set[int] = set()
    for rows in by_class.values():
        for a, b in lessons.clashes([r.as_lesson for r in rows]):
            first, second = sorted((a, b), key=lambda x: x.key)
            if second.key in bad:
                continue
            bad.add(second.key)
            same = (first.weekday, first.start, first.end, first.subject) == (
                second.weekday,
                second.start,
                second.end,
                second.subject,
            )
            message = (
                DUPLICATE.format(other=first.key)
                if same
                else OVERLAP.format(other=first.key, lesson=first.label)
            )
            result.errors.append(LessonRowError(second.key, "", "", message))
    result.rows = [r for r in result.rows if r.line not in bad]
    result.errors.sort(key=lambda e: (e.line, list(LABELS).index(e.column) if e.column else -1))
