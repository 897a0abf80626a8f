"""A class teacher's week: when the pupils of their class are out for support, and what to
reinforce in class."""

from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sendwise.delivery.class_selectors import school_week
from sendwise.delivery.models import Session
from sendwise.pupils.models import ClassGroup
from tests.delivery.factories import add_member, make_group, on_plan
from tests.evidence.factories import InterventionFactory
from tests.factories import ClassStaffFactory, MembershipFactory, PupilFactory, UserFactory
from tests.queries import assert_database_query_count, capture_queries

pytestmark = pytest.mark.django_db


def week_url(class_group):
    return reverse("delivery:class_week", kwargs={"class_id": class_group.pk})


def reading_group(world, *, room="Library", name="Tuesday readers"):
    """Reading recovery, Tuesdays 09:10 for 30 minutes, run by the intervention specialist."""
    group = make_group(
        world.school,
        InterventionFactory(name="Reading recovery"),
        name=name,
        deliverer=world.users["intervention_specialist"],
        slots=((1, time(9, 10), 30),),
    )
    group.room = room
    group.save()
    return group


def join(group, pupil, days_ago=30):
    return add_member(
        group,
        on_plan(pupil, group.intervention),
        joined_on=timezone.localdate() - timedelta(days=days_ago),
    )


def session(group, on, *, reinforce="", status="delivered"):
    return Session.objects.create(
        school=group.school,
        group=group,
        date=on,
        starts_at=time(9, 10),
        slot_minutes=30,
        status=status,
        minutes=30 if status == "delivered" else None,
        cancel_reason="" if status == "delivered" else "staff_absent",
        reinforce_in_class=reinforce,
        recorded_at=timezone.now(),
    )


def page_text(client, class_group):
    response = client.get(week_url(class_group))
    assert response.status_code == 200
    return response.content.decode()


def test_the_teacher_sees_when_each_pupil_is_out_and_what_to_reinforce(world, client_as):
    group = reading_group(world)
    join(group, world.pupil_in_class)
    monday, _ = school_week(timezone.localdate())
    session(group, monday - timedelta(days=13), reinforce="Blend three-letter words")
    session(group, monday - timedelta(days=6), reinforce="Practise the 'ai' sound in reading")
    session(group, monday - timedelta(days=5))  # nothing to reinforce recorded that day
    page = page_text(client_as("teacher"), world.pupil_in_class.class_group)
    tuesday = monday + timedelta(days=1)
    assert f"Tuesday {tuesday.day} {tuesday:%B}" in page
    assert "09:10 to 09:40" in page
    assert "Amara Ng" in page
    assert "Reading recovery (Tuesday readers), Library" in page
    assert "Practise the &#x27;ai&#x27; sound in reading" in page
    assert "Blend three-letter words" not in page  # only the latest
    assert page.count("Nobody out.") == 4
    assert "1 pupil in this class is in an intervention group this week." in page


def test_a_group_named_after_its_intervention_is_not_named_twice(world, client_as):
    """The demo's groups are called "Reading recovery (A)": the page said "Reading recovery
    (Reading recovery (A))"."""
    group = reading_group(world, name="Reading recovery (A)")
    join(group, world.pupil_in_class)
    page = page_text(client_as("teacher"), world.pupil_in_class.class_group)
    assert "Reading recovery (A), Library" in page
    assert "Reading recovery (Reading recovery" not in page


def test_pupils_of_other_classes_in_the_same_group_are_not_named(world, client_as):
    group = reading_group(world)
    join(group, world.pupil_in_class)
    join(group, world.pupil_elsewhere)
    page = page_text(client_as("teacher"), world.pupil_in_class.class_group)
    assert "Amara Ng" in page
    assert "Ben" not in page and "Ode" not in page


def test_a_cancelled_session_this_week_is_marked(world, client_as):
    group = reading_group(world)
    join(group, world.pupil_in_class)
    monday, _ = school_week(timezone.localdate())
    session(group, monday + timedelta(days=1), status="cancelled")
    page = page_text(client_as("teacher"), world.pupil_in_class.class_group)
    assert "Cancelled</strong>" in page


def test_a_pupil_who_left_the_group_before_this_week_is_not_out(world, client_as):
    group = reading_group(world)
    member = join(group, world.pupil_in_class, days_ago=60)
    monday, _ = school_week(timezone.localdate())
    member.left_on = monday - timedelta(days=3)
    member.save()
    page = page_text(client_as("teacher"), world.pupil_in_class.class_group)
    assert "Amara" not in page
    assert "No pupils in this class are in an intervention group this week." in page


def test_a_teacher_of_another_class_gets_404_and_parents_403(world, client_as):
    other = UserFactory(full_name="Birch teacher")
    MembershipFactory(user=other, school=world.school, role="teacher")
    ClassStaffFactory(class_group=world.pupil_elsewhere.class_group, user=other, kind="teacher")
    join(reading_group(world), world.pupil_in_class)
    client = client_as("anonymous")
    client.force_login(other)
    response = client.get(week_url(world.pupil_in_class.class_group))
    assert response.status_code == 404
    assert b"Amara" not in response.content
    assert client.get(week_url(world.pupil_elsewhere.class_group)).status_code == 200
    client.force_login(world.users["parent"])
    assert client.get(week_url(world.pupil_in_class.class_group)).status_code == 403


def test_the_senco_sees_any_class_of_the_school_but_not_another_schools(world, client_as):
    join(reading_group(world), world.pupil_in_class)
    assert "Amara Ng" in page_text(client_as("senco"), world.pupil_in_class.class_group)
    theirs = ClassGroup.objects.create(school=world.other_school, name="5 Oak", nc_year=5)
    assert client_as("senco").get(week_url(theirs)).status_code == 404


def test_the_page_runs_the_same_queries_for_one_pupil_and_six_in_three_groups(world, client_as):
    class_group = world.pupil_in_class.class_group
    first = reading_group(world)
    join(first, world.pupil_in_class)
    client = client_as("teacher")
    client.get(week_url(class_group))
    with capture_queries() as one:
        page_text(client, class_group)
    for n in range(2):
        group = reading_group(world, room=f"Room {n}", name=f"Group {n}")
        for _ in range(2):
            pupil = PupilFactory(school=world.school, class_group=class_group)
            join(group, pupil)
        session(group, timezone.localdate() - timedelta(days=8), reinforce=f"Note {n}")
    join(first, PupilFactory(school=world.school, class_group=class_group))
    with assert_database_query_count(one):
        page = page_text(client, class_group)
    assert "Note 1" in page


def test_the_teachers_home_page_links_to_their_class_week(world, client_as):
    page = client_as("teacher").get(reverse("home")).content.decode()
    assert week_url(world.pupil_in_class.class_group) in page
    assert week_url(world.pupil_elsewhere.class_group) not in page


@pytest.mark.parametrize(
    ("today", "monday"),
    [
        ("2026-12-07", "2026-12-07"),  # Monday
        ("2026-12-11", "2026-12-07"),  # Friday: the week still under way
        ("2026-12-12", "2026-12-14"),  # Saturday: the week ahead, for planning
        ("2026-12-13", "2026-12-14"),  # Sunday
    ],
)
def test_the_week_shown_is_this_school_week_or_at_the_weekend_the_next(today, monday):
    from datetime import date

    start, end = school_week(date.fromisoformat(today))
    assert start == date.fromisoformat(monday)
    assert end == start + timedelta(days=4)
