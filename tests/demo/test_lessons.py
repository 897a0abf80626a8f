"""The demo's lesson timetables: a realistic week for every class, within the default school
day, one lesson at a time, and built once however often it runs."""

from sendwise.delivery import lessons
from sendwise.delivery.lesson_selectors import as_lesson
from sendwise.delivery.models import Lesson
from sendwise.demo.lessons import lessons_build
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
