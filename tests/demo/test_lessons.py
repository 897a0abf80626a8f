"""The demo's lesson timetables: a realistic week for every class, within the default school
day, one lesson at a time, and built once however often it runs."""

from datetime import time

from sendwise.delivery import lessons
from sendwise.delivery.lesson_selectors import as_lesson
from sendwise.delivery.models import Lesson, LessonRules
from sendwise.demo.lessons import DEMO_MOST_MISSED, REGISTRATION, lessons_build
from tests.factories import ClassGroupFactory, SchoolFactory


def test_every_class_gets_a_week_that_keeps_the_rules_and_running_again_adds_nothing(db):
    school = SchoolFactory()
    reception = ClassGroupFactory(school=school, name="R Oak", nc_year=0)
    year5 = ClassGroupFactory(school=school, name="5 Ash", nc_year=5)
    year9 = ClassGroupFactory(school=school, name="9B", nc_year=9)
    assert lessons_build(school) == 25 + 25 + 25
    assert lessons_build(school) == 0
    for class_group in (reception, year5, year9):
        week = [as_lesson(x) for x in Lesson.objects.filter(class_group=class_group)]
        assert lessons.clashes(week) == []
        assert all(8 * 60 <= x.start < x.end <= 16 * 60 for x in week)
        assert {x.weekday for x in week} == {0, 1, 2, 3, 4}
    subjects = set(Lesson.objects.filter(class_group=reception).values_list("subject", flat=True))
    assert {"english", "maths", "phonics"} <= subjects
    assert "reading" in Lesson.objects.filter(class_group=year5).values_list("subject", flat=True)


def test_core_subjects_are_taught_in_the_mornings_after_registration_time(db):
    """Registration (08:45-09:15) has no lesson, and English, maths, phonics, reading and
    secondary science are morning lessons: the afternoons are the foundation subjects a SENCO
    can take a pupil out of once a week, the demo school's limit."""
    school = SchoolFactory()
    ClassGroupFactory(school=school, name="2 Ash", nc_year=2)
    ClassGroupFactory(school=school, name="8A", nc_year=8)
    lessons_build(school)
    rows = list(Lesson.objects.filter(school=school))
    assert all(row.starts_at >= REGISTRATION[1] for row in rows)
    core = {"english", "maths", "phonics", "reading"}
    assert all(row.starts_at < time(12, 45) for row in rows if row.subject in core)
    secondary = [r for r in rows if r.class_group.nc_year == 8]
    assert all(r.starts_at < time(12, 45) for r in secondary if r.subject == "science")
    assert LessonRules.objects.get(school=school).most_missed == DEMO_MOST_MISSED == 6
