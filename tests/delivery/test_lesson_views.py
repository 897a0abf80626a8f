"""Protected lessons through HTTP: the group page says which lesson each pupil misses, setting
up a group or adding a pupil warns (and does not refuse) when a subject would be missed too
often, classes' timetables are kept on their own pages, and the SENCO's withdrawal list runs
a fixed number of queries."""

from datetime import time

import pytest
from django.urls import reverse

from sendwise.core.models import AuditEntry
from sendwise.delivery import lessons
from sendwise.delivery.models import GroupMember, Lesson, LessonRules
from tests.delivery.factories import Y4_WEEK, add_lessons, add_member, make_group, on_plan
from tests.evidence.factories import InterventionFactory
from tests.factories import ClassGroupFactory, PupilFactory
from tests.queries import assert_database_query_count, capture_queries

TUE_0910 = (1, time(9, 10), 30)
THU_1030 = (3, time(10, 30), 30)


@pytest.fixture
def reading(db):
    return InterventionFactory(name="Reading boost", slug="reading-boost")


@pytest.fixture
def ash_week(world):
    """4 Ash (Amara's class): Maths 09:00–10:00 and English 10:15–11:15 every morning."""
    return add_lessons(world.pupil_in_class.class_group, Y4_WEEK)


def text(response) -> str:
    return response.content.decode()


# --- The group page ---------------------------------------------------------------------------
def test_the_group_page_shows_the_lesson_each_pupil_misses_at_each_time(
    world, reading, ash_week, client_as
):
    group = make_group(world.school, reading, name="Tuesday readers", slots=(TUE_0910, THU_1030))
    add_member(group, on_plan(world.pupil_in_class, reading))
    add_member(group, on_plan(world.pupil_elsewhere, reading))  # 4 Birch: no timetable yet
    page = text(client_as("senco").get(reverse("delivery:group_detail", args=[group.pk])))
    assert "Lessons missed" in page
    assert "Tuesday 09:10" in page and "Thursday 10:30" in page
    assert "Maths (30 of 60 minutes)" in page  # 09:10–09:40 inside Maths 09:00–10:00
    assert "English (30 of 60 minutes)" in page  # 10:30–11:00 inside English 10:15–11:15
    # Once a week each, 6 times in a 6-week half-term: over the default limit of 2.
    assert "Maths 6 times a half-term" in page
    assert "English 6 times a half-term" in page
    assert "No class timetable yet" in page


def test_the_group_page_hides_the_name_of_a_pupil_the_reader_may_not_see(
    world, reading, ash_week, client_as
):
    group = make_group(world.school, reading, slots=(TUE_0910,))
    add_member(group, on_plan(world.pupil_in_class, reading))
    add_member(group, on_plan(world.pupil_elsewhere, reading))
    # The specialist works in Amara's class, not Ben's, and does not run the group.
    page = text(
        client_as("intervention_specialist").get(reverse("delivery:group_detail", args=[group.pk]))
    )
    assert "Amara Ng" in page
    assert "Ben Ode" not in page
    assert "A pupil in another class" in page
    assert "4 Birch" not in page  # nor which class


def test_adding_a_pupil_warns_about_a_subject_missed_too_often_and_still_adds_them(
    world, reading, ash_week, client_as
):
    group = make_group(world.school, reading, name="Tuesday readers", slots=(TUE_0910,))
    placement = on_plan(world.pupil_in_class, reading)
    response = client_as("senco").post(
        reverse("delivery:member_add", args=[group.pk]),
        {"placement": placement.pk, "joined_on": "2026-01-05"},
        follow=True,
    )
    page = text(response)
    assert "Amara Ng added to Tuesday readers" in page
    assert (
        "Amara Ng would miss Maths 6 times a half-term (Tuesday 09:00–10:00), more than the "
        "school&#x27;s limit of 2"
    ) in page
    assert GroupMember.objects.filter(group=group, placement=placement).exists()


def test_no_warning_when_the_limit_allows_it(world, reading, ash_week, client_as):
    LessonRules.objects.create(school=world.school, most_missed=6)
    group = make_group(world.school, reading, slots=(TUE_0910,))
    placement = on_plan(world.pupil_in_class, reading)
    page = text(
        client_as("senco").post(
            reverse("delivery:member_add", args=[group.pk]),
            {"placement": placement.pk, "joined_on": "2026-01-05"},
            follow=True,
        )
    )
    assert "would miss" not in page


def test_moving_a_groups_time_into_a_lesson_warns_naming_the_pupil(
    world, reading, ash_week, client_as
):
    group = make_group(world.school, reading, name="Readers", slots=((0, time(13, 0), 30),))
    add_member(group, on_plan(world.pupil_in_class, reading))
    data = {
        "intervention": reading.pk,
        "name": "Readers",
        "deliverer": "",
        "room": "",
        "places": "4",
        "slot_0_weekday": "0",
        "slot_0_time": "10:45",
        "slot_0_minutes": "30",
    }
    page = text(
        client_as("senco").post(reverse("delivery:group_edit", args=[group.pk]), data, follow=True)
    )
    assert "Readers saved" in page
    assert "Amara Ng would miss English 6 times a half-term (Monday 10:15–11:15)" in page


# --- A class's timetable ----------------------------------------------------------------------
def test_the_senco_adds_a_lesson_to_a_class(world, client_as):
    ash = world.pupil_in_class.class_group
    url = reverse("delivery:class_lessons", args=[ash.pk])
    data = {"weekday": "2", "starts_at": "13:00", "ends_at": "14:30", "subject": "other",
            "other_subject": "Forest school"}  # fmt: skip
    response = client_as("senco").post(url, data, follow=True)
    page = text(response)
    assert "Forest school, Wednesday 13:00–14:30 added to 4 Ash" in page
    assert Lesson.objects.get().other_subject == "Forest school"


def test_a_lesson_outside_the_school_day_is_shown_as_an_error_and_not_saved(world, client_as):
    ash = world.pupil_in_class.class_group
    url = reverse("delivery:class_lessons", args=[ash.pk])
    data = {"weekday": "0", "starts_at": "07:00", "ends_at": "08:30", "subject": "maths"}
    page = text(client_as("senco").post(url, data))
    assert "<title>Error:" in page
    assert "Lessons fall within the school day, 08:00 to 16:00" in page
    assert not Lesson.objects.exists()


def test_an_overlapping_lesson_is_refused_naming_the_lesson_it_overlaps(world, client_as, ash_week):
    ash = world.pupil_in_class.class_group
    data = {"weekday": "0", "starts_at": "09:30", "ends_at": "10:30", "subject": "pe"}
    page = text(client_as("senco").post(reverse("delivery:class_lessons", args=[ash.pk]), data))
    assert "PE, Monday 09:30–10:30 overlaps Maths, Monday 09:00–10:00" in page
    assert Lesson.objects.count() == len(Y4_WEEK)


def test_the_class_teacher_reads_their_class_timetable_but_cannot_change_it(
    world, client_as, ash_week
):
    client = client_as("teacher")
    ash = world.pupil_in_class.class_group
    page = text(client.get(reverse("delivery:class_lessons", args=[ash.pk])))
    assert "Maths" in page and "Add a lesson" not in page
    data = {"weekday": "4", "starts_at": "14:00", "ends_at": "15:00", "subject": "music"}
    assert client.post(reverse("delivery:class_lessons", args=[ash.pk]), data).status_code == 403
    birch = world.pupil_elsewhere.class_group
    assert client.get(reverse("delivery:class_lessons", args=[birch.pk])).status_code == 404
    assert Lesson.objects.count() == len(Y4_WEEK)


def test_the_senco_changes_and_removes_a_lesson(world, client_as, ash_week):
    client = client_as("senco")
    ash = world.pupil_in_class.class_group
    maths = ash_week[0]
    url = reverse("delivery:lesson_edit", args=[ash.pk, maths.pk])
    data = {"weekday": "0", "starts_at": "09:00", "ends_at": "09:45", "subject": "maths"}
    assert client.post(url, data).status_code == 302
    maths.refresh_from_db()
    assert maths.ends_at == time(9, 45)
    client.post(reverse("delivery:lesson_remove", args=[ash.pk, maths.pk]))
    assert not Lesson.objects.filter(pk=maths.pk).exists()


def test_the_lesson_rules_page_saves_and_refuses_a_limit_out_of_range(world, client_as):
    client = client_as("head")
    url = reverse("delivery:lesson_rules")
    data = {"most_missed": "21", "weeks_per_half_term": "6", "day_starts": "08:45",
            "day_ends": "15:15"}  # fmt: skip
    page = text(client.post(url, data))
    assert "Enter a whole number from 0 to 20" in page
    assert not LessonRules.objects.exists()
    assert client.post(url, data | {"most_missed": "3"}).status_code == 302
    assert LessonRules.objects.get(school=world.school).most_missed == 3


# --- The withdrawal page ----------------------------------------------------------------------
def _pupils_in_group(world, reading, group, n):
    ash = world.pupil_in_class.class_group
    for i in range(n):
        pupil = PupilFactory(school=world.school, class_group=ash, last_name=f"Zed{i:02d}")
        add_member(group, on_plan(pupil, reading))


def test_the_withdrawal_page_lists_missed_lessons_by_subject_and_filters(
    world, reading, ash_week, client_as
):
    group = make_group(world.school, reading, name="Tuesday readers", slots=(TUE_0910,))
    talk = make_group(world.school, reading, name="Talk time", slots=((4, time(14, 0), 30),))
    add_member(group, on_plan(world.pupil_in_class, reading))
    add_member(talk, on_plan(world.pupil_elsewhere, reading))  # 14:00 in 4 Birch: no timetable
    client = client_as("senco")
    url = reverse("delivery:withdrawals")
    page = text(client.get(url))
    assert AuditEntry.objects.filter(object_type="withdrawals", action="view").exists()
    assert "Amara Ng" in page and "Maths" in page and "Over the limit" in page
    assert "Maths, Tuesday 09:00–10:00" in page and "Tuesday readers" in page
    assert "1 is in a class with no lesson timetable yet" in page
    assert "Amara Ng" not in text(client.get(url, {"subject": "english"}))
    birch = world.pupil_elsewhere.class_group
    assert "Amara Ng" not in text(client.get(url, {"class_group": birch.pk}))
    LessonRules.objects.create(school=world.school, most_missed=6)
    assert "Amara Ng" not in text(client.get(url, {"over": "on"}))


def test_a_specialist_sees_only_the_pupils_in_their_own_groups(world, reading, ash_week, client_as):
    specialist = world.users["intervention_specialist"]
    theirs = make_group(world.school, reading, name="Mine", deliverer=specialist, slots=(TUE_0910,))
    other = make_group(world.school, reading, name="Not mine", slots=(TUE_0910,))
    add_member(theirs, on_plan(world.pupil_in_class, reading))
    add_member(other, on_plan(PupilFactory(school=world.school, class_group=world.pupil_in_class.class_group, first_name="Zoe"), reading))  # fmt: skip
    page = text(client_as("intervention_specialist").get(reverse("delivery:withdrawals")))
    assert "Amara Ng" in page
    assert "Zoe" not in page


def test_the_withdrawal_page_runs_the_same_queries_for_1_pupil_as_for_20(
    world, reading, ash_week, client_as
):
    group = make_group(world.school, reading, places=30, slots=(TUE_0910, THU_1030))
    _pupils_in_group(world, reading, group, 1)
    client = client_as("senco")
    url = reverse("delivery:withdrawals")
    client.get(url)  # sessions and the like, warmed
    with capture_queries() as one:
        client.get(url)
    _pupils_in_group(world, reading, group, 19)
    birch = ClassGroupFactory(school=world.school, name="5 Birch")
    add_lessons(birch, [(1, "09:00", "10:00", "maths")])
    with assert_database_query_count(one):
        page = text(client.get(url))
    assert page.count("Over the limit") == 40  # 20 pupils, Maths and English each
    assert lessons.SUBJECT_NAMES["english"] in page


# --- Bad input --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    [
        "/delivery/lessons/99999999999999999999999/",
        "/delivery/lessons/1/99999999999999999999999/",
        "/delivery/withdrawals/?class_group=99999999999999999999999&subject=latin&over=maybe",
        "/import/lessons/99999999999999999999999/",
    ],
)
def test_made_up_ids_and_filters_are_never_a_server_error(world, client_as, url):
    assert client_as("senco").get(url).status_code in (200, 404)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("weekday", "9", lessons.ERR_DAY),
        ("weekday", "99999999999999999999999", lessons.ERR_DAY),
        ("starts_at", "25:99", lessons.ERR_START),
        ("subject", "latin", lessons.ERR_SUBJECT),
        ("other_subject", "z" * 41, lessons.ERR_OTHER_TOO_LONG),
    ],
)
def test_a_lesson_form_with_bad_values_says_why_and_saves_nothing(
    world, client_as, field, value, message
):
    ash = world.pupil_in_class.class_group
    data = {"weekday": "0", "starts_at": "09:00", "ends_at": "10:00", "subject": "other",
            "other_subject": "Choir"} | {field: value}  # fmt: skip
    page = text(client_as("senco").post(reverse("delivery:class_lessons", args=[ash.pk]), data))
    assert message.replace("'", "&#x27;") in page
    assert not Lesson.objects.exists()


def test_a_huge_limit_on_the_rules_page_says_why(world, client_as):
    data = {"most_missed": "99999999999999999999", "weeks_per_half_term": "6",
            "day_starts": "08:45", "day_ends": "15:15"}  # fmt: skip
    page = text(client_as("senco").post(reverse("delivery:lesson_rules"), data))
    assert "Enter a whole number from 0 to 20" in page
    assert not LessonRules.objects.exists()


def test_a_class_teacher_finds_their_class_timetable_from_the_menu(world, client_as, ash_week):
    client = client_as("teacher")
    home = text(client.get("/"))
    assert f'href="{reverse("delivery:lesson_classes")}"' in home
    page = text(client.get(reverse("delivery:lesson_classes")))
    assert "4 Ash" in page and "4 Birch" not in page  # only the class they teach
    assert "Import lesson timetables" not in page
