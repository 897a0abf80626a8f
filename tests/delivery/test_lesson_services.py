"""A class's lesson timetable and the school's lesson rules, as the SENCO keeps them: every
lesson on a school day, within the school day, one at a time; every refusal says why and saves
nothing; whole timetables are replaced all at once or not at all."""

from datetime import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sendwise.core.access import actor_for
from sendwise.core.models import AuditEntry
from sendwise.delivery import lesson_services, lessons
from sendwise.delivery.lesson_services import LessonInput
from sendwise.delivery.models import Lesson, LessonRules
from tests.delivery.factories import add_lessons
from tests.factories import ClassGroupFactory


@pytest.fixture
def senco(world):
    return actor_for(world.users["senco"])


@pytest.fixture
def ash(world):
    return world.pupil_in_class.class_group


def save(actor, class_group, *, lesson=None, **given):
    data = {
        "weekday": 0,
        "starts_at": time(9, 0),
        "ends_at": time(10, 0),
        "subject": "maths",
        "other_subject": "",
    } | given
    return lesson_services.lesson_save(
        actor=actor, class_group=class_group, lesson=lesson, data=LessonInput(**data)
    )


def test_the_senco_adds_a_lesson_and_it_is_audited_with_history(senco, ash):
    lesson = save(senco, ash, subject="other", other_subject="  Forest   school ")
    assert str(lesson) == "Forest school, Monday 09:00–10:00"
    assert lesson.history.count() == 1
    assert AuditEntry.objects.filter(object_type="lesson", object_id=str(lesson.pk)).exists()


@pytest.mark.parametrize(
    ("given", "field", "message"),
    [
        ({"weekday": 5}, "weekday", lessons.ERR_DAY),
        ({"weekday": None}, "weekday", lessons.ERR_DAY),
        ({"starts_at": None}, "starts_at", lessons.ERR_START),
        ({"ends_at": None}, "ends_at", lessons.ERR_END),
        ({"ends_at": time(8, 30)}, "ends_at", lessons.ERR_ORDER),
        ({"starts_at": time(7, 0)}, "starts_at", "Lessons fall within the school day, 08:00"),
        ({"ends_at": time(17, 0)}, "ends_at", "Lessons fall within the school day, 08:00"),
        ({"subject": "latin"}, "subject", lessons.ERR_SUBJECT),
        ({"subject": "other"}, "other_subject", lessons.ERR_OTHER_NAME),
        ({"subject": "other", "other_subject": "y" * 41}, "other_subject", "The subject's name"),
    ],
)
def test_a_bad_lesson_is_refused_with_its_reason_and_nothing_saved(
    senco, ash, given, field, message
):
    with pytest.raises(ValidationError) as refused:
        save(senco, ash, **given)
    assert refused.value.message_dict[field][0].startswith(message)
    assert not Lesson.objects.exists()


def test_a_class_has_one_lesson_at_a_time(senco, ash):
    save(senco, ash)
    with pytest.raises(ValidationError) as refused:
        save(senco, ash, starts_at=time(9, 30), ends_at=time(10, 30), subject="english")
    assert refused.value.message_dict["starts_at"] == [
        "English, Monday 09:30–10:30 overlaps Maths, Monday 09:00–10:00: "
        "a class has one lesson at a time"
    ]
    # Back to back is fine; so is the same time in another class.
    save(senco, ash, starts_at=time(10, 0), ends_at=time(11, 0), subject="english")
    save(senco, ClassGroupFactory(school=ash.school, name="5 Oak"))
    assert Lesson.objects.count() == 3


def test_a_lesson_moved_does_not_clash_with_itself(senco, ash):
    lesson = save(senco, ash)
    moved = save(senco, ash, lesson=lesson, starts_at=time(9, 30), ends_at=time(10, 30))
    assert (moved.pk, moved.starts_at) == (lesson.pk, time(9, 30))
    assert moved.history.count() == 2


def test_another_schools_senco_cannot_touch_the_class(world, ash):
    other = actor_for(world.users["other_school_senco"])
    with pytest.raises(PermissionDenied):
        save(other, ash)
    assert not Lesson.objects.exists()


def test_removing_a_lesson_keeps_it_in_history(senco, ash):
    lesson = save(senco, ash)
    pk = lesson.pk
    lesson_services.lesson_remove(actor=senco, lesson=lesson)
    assert not Lesson.objects.exists()
    assert Lesson.history.filter(id=pk, history_type="-").count() == 1


def test_a_whole_timetable_is_replaced_and_unchanged_lessons_are_left_alone(senco, ash):
    kept, dropped = add_lessons(
        ash, [(0, "09:00", "10:00", "maths"), (0, "10:15", "11:15", "english")]
    )
    counts = lesson_services.timetables_replace(
        actor=senco,
        timetables={
            ash.pk: [
                LessonInput(0, time(9), time(10), "maths"),
                LessonInput(1, time(9), time(10), "science"),
            ]
        },
        source="test",
    )
    assert counts == {"classes": 1, "added": 1, "removed": 1}
    assert set(Lesson.objects.values_list("pk", flat=True)) >= {kept.pk}
    assert not Lesson.objects.filter(pk=dropped.pk).exists()


def test_a_timetable_with_one_bad_lesson_changes_no_class(senco, ash):
    oak = ClassGroupFactory(school=ash.school, name="5 Oak")
    add_lessons(ash, [(0, "09:00", "10:00", "maths")])
    with pytest.raises(ValidationError) as refused:
        lesson_services.timetables_replace(
            actor=senco,
            timetables={
                oak.pk: [LessonInput(0, time(9), time(10), "maths")],
                ash.pk: [
                    LessonInput(2, time(9), time(10), "maths"),
                    LessonInput(2, time(9, 30), time(10, 30), "pe"),
                ],
            },
            source="test",
        )
    assert refused.value.message_dict[ash.name] == [
        "PE, Wednesday 09:30–10:30 overlaps Maths, Wednesday 09:00–10:00: "
        "a class has one lesson at a time"
    ]
    assert list(Lesson.objects.values_list("class_group", "weekday")) == [(ash.pk, 0)]


def rules(actor, **given):
    data = {
        "most_missed": 2,
        "weeks_per_half_term": 6,
        "day_starts": time(8, 45),
        "day_ends": time(15, 15),
    } | given
    return lesson_services.lesson_rules_set(actor=actor, **data)


def test_the_school_sets_its_lesson_rules_and_history_keeps_the_old_ones(senco):
    rules(senco, most_missed=3)
    saved = rules(senco, most_missed=1, weeks_per_half_term=7)
    assert (saved.most_missed, saved.weeks_per_half_term) == (1, 7)
    assert LessonRules.objects.count() == 1
    assert saved.history.count() == 2


@pytest.mark.parametrize(
    ("given", "field", "message"),
    [
        ({"most_missed": -1}, "most_missed", lesson_services.MOST_MISSED_RANGE),
        ({"most_missed": 21}, "most_missed", lesson_services.MOST_MISSED_RANGE),
        ({"most_missed": None}, "most_missed", lesson_services.MOST_MISSED_RANGE),
        ({"weeks_per_half_term": 0}, "weeks_per_half_term", lesson_services.WEEKS_RANGE),
        ({"weeks_per_half_term": 11}, "weeks_per_half_term", lesson_services.WEEKS_RANGE),
        ({"day_starts": None}, "day_starts", lesson_services.DAY_START_REQUIRED),
        ({"day_ends": None}, "day_ends", lesson_services.DAY_END_REQUIRED),
        ({"day_ends": time(8, 0)}, "day_ends", lesson_services.DAY_ORDER),
        ({"day_starts": time(6, 0)}, "day_starts", lesson_services.DAY_TOO_EARLY_OR_LATE),
        ({"day_ends": time(20, 0)}, "day_ends", lesson_services.DAY_TOO_EARLY_OR_LATE),
    ],
)
def test_bad_lesson_rules_are_refused_and_nothing_saved(senco, given, field, message):
    with pytest.raises(ValidationError) as refused:
        rules(senco, **given)
    assert refused.value.message_dict[field] == [message]
    assert not LessonRules.objects.exists()


def test_the_school_day_cannot_shrink_past_lessons_already_in_it(senco, ash):
    add_lessons(ash, [(0, "08:15", "09:00", "phonics"), (1, "09:00", "10:00", "maths")])
    with pytest.raises(ValidationError) as refused:
        rules(senco, day_starts=time(8, 45))
    assert refused.value.message_dict["day_starts"] == [
        "1 lessons fall outside 08:45 to 15:15, such as 4 Ash Phonics, Monday 08:15–09:00: "
        "change those lessons first"
    ]
