"""Demo lesson timetables: a week of lessons for every class of a demo school, so the group
pages say which lesson each pupil misses and the withdrawal list has something to show.

Made up, in the shape most English primary schools use: registration and early work from
08:45 to 09:15 (no lesson), English and Maths every morning either side of break, phonics
(Reception to Year 2) or reading (Years 3 to 6) before lunch, and the foundation subjects in
the afternoons, different each day. Secondary forms have tutor time at the same 08:45-09:15 and
five one-hour periods: English, maths and science in the three morning periods, the foundation
subjects in the two afternoon ones. The demo groups meet where a SENCO puts them (``demo.delivery``):
in registration time, or in an afternoon foundation lesson, which the demo school allows once a
week (``DEMO_MOST_MISSED``). So the lesson warnings name only the few pupils whose groups take
them out of the same afternoon lesson twice a week, which the SENCO can fix by moving a group.

Not wired into the generator here: the lead calls ``lessons_build(school)`` for each demo
school from ``demo.generate.demo_load`` (after ``delivery_build``).
"""

from datetime import time

from simple_history.utils import bulk_create_with_history

from sendwise.core.models import School
from sendwise.delivery.models import Lesson, LessonRules
from sendwise.pupils.models import ClassGroup

#: Registration and early work (primary) or tutor time (secondary): no lesson, so the time a
#: SENCO timetables short interventions in first.
REGISTRATION = (time(8, 45), time(9, 15))
#: (start, end, subject) every morning; the morning break is 10:15–10:30, lunch 12:00–13:00.
PRIMARY_MORNING = (
    (time(9, 15), time(10, 15), "english"),
    (time(10, 30), time(11, 30), "maths"),
)
#: The 11:30–12:00 lesson: phonics to Year 2, reading from Year 3.
BEFORE_LUNCH = (time(11, 30), time(12, 0))
#: Two afternoon lessons a day, 13:00–14:00 and 14:00–15:15, Monday to Friday.
PRIMARY_AFTERNOONS = (
    ("science", "pe"),
    ("history", "art"),
    ("geography", "music"),
    ("computing", "re"),
    ("pshe", "dt"),
)
AFTERNOON = ((time(13, 0), time(14, 0)), (time(14, 0), time(15, 15)))
#: Five periods a day for secondary forms after tutor time: three in the morning (break
#: 11:15–11:30), two in the afternoon.
MORNING_PERIODS = (
    (time(9, 15), time(10, 15)),
    (time(10, 15), time(11, 15)),
    (time(11, 30), time(12, 30)),
)
AFTERNOON_PERIODS = ((time(13, 15), time(14, 15)), (time(14, 15), time(15, 15)))
#: The core subjects, taught in the mornings (English and maths every day, science most days).
SECONDARY_CORE = ("english", "maths", "science")
#: The foundation subjects, turning round through the afternoons (and the morning periods the
#: core subjects leave free).
SECONDARY_FOUNDATION = (
    "history",
    "geography",
    "languages",
    "pe",
    "computing",
    "art",
    "music",
    "re",
    "dt",
)
#: The demo school's limit: a pupil may miss the same subject at most once a week (6 times in a
#: 6-week half-term), so an afternoon group is fine and two groups in the same lesson are not.
DEMO_MOST_MISSED = 6


def _primary_week(nc_year: int) -> list[tuple[int, time, time, str]]:
    week = []
    for day in range(5):
        week += [(day, start, end, subject) for start, end, subject in PRIMARY_MORNING]
        week.append((day, *BEFORE_LUNCH, "phonics" if nc_year <= 2 else "reading"))
        for (start, end), subject in zip(AFTERNOON, PRIMARY_AFTERNOONS[day], strict=True):
            week.append((day, start, end, subject))
    return week


def _secondary_week(offset: int) -> list[tuple[int, time, time, str]]:
    week = []
    turn = offset
    for day in range(5):
        # English and maths every morning; science on four mornings, a foundation subject on
        # the fifth (a different day for each form).
        third = "science" if (day + offset) % 5 else SECONDARY_FOUNDATION[offset % 9]
        morning = ["english", "maths", third]
        morning = morning[day % 3 :] + morning[: day % 3]
        week += [
            (day, s, e, subject) for (s, e), subject in zip(MORNING_PERIODS, morning, strict=True)
        ]
        for start, end in AFTERNOON_PERIODS:
            week.append((day, start, end, SECONDARY_FOUNDATION[turn % len(SECONDARY_FOUNDATION)]))
            turn += 1
    return week


def lessons_build(school: School) -> int:
    """A week of lessons for every class of ``school`` that has none yet (so running it twice
    adds nothing), and the school's limit on missing a lesson (``DEMO_MOST_MISSED``) unless it
    has set its own; returns how many lessons were added."""
    LessonRules.objects.get_or_create(school=school, defaults={"most_missed": DEMO_MOST_MISSED})
    classes = ClassGroup.objects.filter(school=school).exclude(lessons__isnull=False)
    rows = []
    for index, class_group in enumerate(classes.order_by("nc_year", "name")):
        if class_group.nc_year <= 6:
            week = _primary_week(class_group.nc_year)
        else:
            week = _secondary_week(index)
        rows += [
            Lesson(
                school=school,
                class_group=class_group,
                weekday=day,
                starts_at=start,
                ends_at=end,
                subject=subject,
            )
            for day, start, end, subject in week
        ]
    bulk_create_with_history(rows, Lesson, batch_size=1000)
    return len(rows)
