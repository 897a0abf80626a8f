"""Demo lesson timetables: a week of lessons for every class of a demo school, so the group
pages say which lesson each pupil misses and the withdrawal list has something to show.

Made up, in the shape most English primary schools use: English and Maths every morning either
side of break, phonics (Reception to Year 2) or reading (Years 3 to 6) before lunch, and the
foundation subjects in the afternoons, different each day. Secondary forms get five one-hour
periods a day. The demo groups meet at 09:00 and 13:15 (``demo.delivery``), so some pupils miss
English every week (over the default limit) and others an afternoon subject.

Not wired into the generator here: the lead calls ``lessons_build(school)`` for each demo
school from ``demo.generate.demo_load`` (after ``delivery_build``).
"""

from datetime import time

from simple_history.utils import bulk_create_with_history

from sendwise.core.models import School
from sendwise.delivery.models import Lesson
from sendwise.pupils.models import ClassGroup

#: (start, end, subject) every morning; the morning break is 10:00–10:20, lunch 12:00–13:00.
PRIMARY_MORNING = (
    (time(9, 0), time(10, 0), "english"),
    (time(10, 20), time(11, 20), "maths"),
)
#: The 11:20–12:00 lesson: phonics to Year 2, reading from Year 3.
BEFORE_LUNCH = (time(11, 20), time(12, 0))
#: Two afternoon lessons a day, 13:00–14:00 and 14:00–15:15, Monday to Friday.
PRIMARY_AFTERNOONS = (
    ("science", "pe"),
    ("history", "art"),
    ("geography", "music"),
    ("computing", "re"),
    ("pshe", "dt"),
)
AFTERNOON = ((time(13, 0), time(14, 0)), (time(14, 0), time(15, 15)))
#: Five periods a day for secondary forms, the subjects turning round through the week.
PERIODS = (
    (time(8, 50), time(9, 50)),
    (time(9, 50), time(10, 50)),
    (time(11, 10), time(12, 10)),
    (time(13, 0), time(14, 0)),
    (time(14, 0), time(15, 0)),
)
SECONDARY_SUBJECTS = (
    "english",
    "maths",
    "science",
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
    for day in range(5):
        for period, (start, end) in enumerate(PERIODS):
            n = (day * len(PERIODS) + period + offset) % len(SECONDARY_SUBJECTS)
            week.append((day, start, end, SECONDARY_SUBJECTS[n]))
    return week


def lessons_build(school: School) -> int:
    """A week of lessons for every class of ``school`` that has none yet (so running it twice
    adds nothing); returns how many lessons were added."""
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
