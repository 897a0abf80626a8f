"""A group's page (/delivery/groups/<id>/): the pupils in it now (not those who have left), and a
fixed number of queries whatever the number of pupils and weekly slots, for the SENCO (who
sees the register, the dose and the form to add a pupil) and for the specialist who runs it."""

import html
from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sendwise.delivery.models import Session
from tests.delivery.factories import add_member, make_group, on_plan
from tests.evidence.factories import InterventionFactory
from tests.factories import PupilFactory
from tests.queries import assert_database_query_count, capture_queries

JOINED = timezone.localdate() - timedelta(weeks=6)


def slots(n: int):
    """``n`` weekly slots, Monday to Friday, at 09:00 then 13:00."""
    return [(day % 5, time(9 + 4 * (day // 5), 0), 30) for day in range(n)]


def grow(group, world, intervention, pupils: int) -> None:
    """Add pupils (each on a plan for the group's intervention, in the school's first class)
    until the group has ``pupils``; each has sat a delivered session."""
    have = group.members.count()
    for n in range(have, pupils):
        pupil = PupilFactory(
            school=world.school, last_name=f"P{n:02d}", class_group=world.pupil_in_class.class_group
        )
        member = add_member(group, on_plan(pupil, intervention, start=JOINED), joined_on=JOINED)
        session = Session.objects.create(
            school=world.school,
            group=group,
            date=JOINED + timedelta(days=n),
            starts_at=time(9, 0),
            slot_minutes=30,
            status="delivered",
            minutes=30,
            recorded_by=world.users["intervention_specialist"],
            recorded_at=timezone.now(),
        )
        session.attendances.create(
            school=world.school, member=member, placement=member.placement, status="present"
        )


@pytest.mark.parametrize("who", ["senco", "intervention_specialist"])
def test_the_group_page_runs_the_same_queries_for_1_and_20_pupils_and_1_and_10_slots(
    world, client_as, who
):
    reading = InterventionFactory(name="Reading boost")
    client = client_as(who)
    counts = {}
    for n_slots in (1, 10):
        group = make_group(
            world.school,
            reading,
            name=f"{n_slots} slots",
            deliverer=world.users["intervention_specialist"],
            places=30,
            slots=slots(n_slots),
        )
        url = reverse("delivery:group_detail", args=[group.pk])
        grow(group, world, reading, 1)
        client.get(url)  # warm the session
        with capture_queries() as one_pupil:
            assert client.get(url).status_code == 200
        counts[n_slots] = one_pupil
        for size in (6, 20):
            grow(group, world, reading, size)
            with assert_database_query_count(one_pupil):
                page = client.get(url).content.decode()
            assert "P19" in page or size < 20
    with assert_database_query_count(counts[1]):
        client.get(reverse("delivery:group_detail", args=[group.pk]))
    assert len(counts[1]) == len(counts[10])


def test_a_pupil_who_has_left_is_not_listed_as_in_the_group(world, client_as):
    """The SENCO's page (with the register and the dose) lists the pupils in the group now."""
    reading = InterventionFactory(name="Reading boost")
    group = make_group(world.school, reading, deliverer=world.users["intervention_specialist"])
    add_member(group, on_plan(world.pupil_in_class, reading, start=JOINED), joined_on=JOINED)
    left = add_member(group, on_plan(world.pupil_elsewhere, reading, start=JOINED), JOINED)
    left.left_on = timezone.localdate() - timedelta(days=7)
    left.save()
    page = client_as("senco").get(reverse("delivery:group_detail", args=[group.pk]))
    text = page.content.decode()
    members = text.split("Pupils in the group now</caption>")[1].split("</table>")[0]
    assert "Amara Ng" in members
    assert "Ben Ode" not in members
    assert "1 of 4 taken" in text


def test_the_group_page_says_when_its_times_cannot_give_a_pupil_their_planned_dose(
    world, client_as
):
    reading = InterventionFactory(name="Reading boost")
    group = make_group(
        world.school, reading, slots=((1, time(9, 10), 20), (3, time(9, 10), 20)), places=4
    )
    asks_more = on_plan(world.pupil_in_class, reading, start=JOINED)
    asks_more.sessions_per_week, asks_more.minutes_per_session = 3, 30
    asks_more.save()
    fits = on_plan(PupilFactory(school=world.school, first_name="Zed"), reading, start=JOINED)
    fits.sessions_per_week, fits.minutes_per_session = 2, 20
    fits.save()
    add_member(group, asks_more, joined_on=JOINED)
    add_member(group, fits, joined_on=JOINED)
    text = client_as("senco").get(reverse("delivery:group_detail", args=[group.pk])).content
    text = html.unescape(text.decode())
    assert (
        "This group meets twice a week for 20 minutes; Amara Ng's plan asks for 3 sessions of "
        "30 minutes a week." in text
    )
    assert text.count("govuk-warning-text__icon") == 1  # Zed's 2 x 20 fits the timetable
