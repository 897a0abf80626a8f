"""Delivery pages through HTTP: what the SENCO, the head and practitioners see and change, the
errors they are shown (nothing saved), and who is refused."""

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from sendwise.delivery import services
from sendwise.delivery.models import (
    Adaptation,
    Budget,
    Cost,
    Group,
    GroupMember,
    Slot,
    StaffTime,
    Training,
)
from sendwise.pupils.census_checks import academic_year_start
from tests.delivery.factories import add_member, make_group, on_plan, pupil_on_plan
from tests.evidence.factories import InterventionFactory
from tests.queries import assert_database_query_count, capture_queries


@pytest.fixture
def reading(db):
    return InterventionFactory(name="Reading boost", slug="reading-boost")


def group_data(intervention, **fields):
    data = {
        "intervention": intervention.pk,
        "name": "Year 4 reading",
        "deliverer": "",
        "room": "Library",
        "places": "4",
        "slot_0_weekday": "1",
        "slot_0_time": "09:10",
        "slot_0_minutes": "30",
        "slot_1_weekday": "3",
        "slot_1_time": "09:10",
        "slot_1_minutes": "30",
    }
    data.update(fields)
    return data


def text(response) -> str:
    return response.content.decode()


# --- Overview ---------------------------------------------------------------------------------
def test_the_overview_shows_helpful_empty_states_to_the_senco(client_as):
    page = text(client_as("senco").get(reverse("delivery:overview")))
    for heading in ('id="groups">Groups', 'id="staff">Staff', 'id="budget">Budget'):
        assert heading in page
    assert "No groups yet." in page
    assert "Set one up" in page
    assert "No one's training or time is recorded yet" in page
    assert "No budget set for" in page


def test_the_head_sees_groups_and_money_but_no_group_or_training_changes(world, client_as, reading):
    make_group(world.school, reading, name="Tuesday readers", deliverer=world.users["teacher"])
    page = text(client_as("head").get(reverse("delivery:overview")))
    assert "Tuesday readers" in page
    assert "Tuesday 09:10" in page
    assert "teacher person" in page
    assert reverse("delivery:group_new") not in page
    assert reverse("delivery:budget") in page
    assert "The SENCO sets groups up" not in page


def test_the_overview_lists_groups_staff_and_the_budget_left(world, client_as, reading):
    ta = world.users["intervention_specialist"]
    group = make_group(world.school, reading, name="Tuesday readers", deliverer=ta, places=2)
    start = timezone.localdate().replace(day=1)
    add_member(group, on_plan(world.pupil_in_class, reading, start=start))
    Training.objects.create(school=world.school, staff=ta, intervention=reading)
    StaffTime.objects.create(
        school=world.school, staff=ta, weekday=1, starts_at=time(9), ends_at=time(10)
    )
    year = academic_year_start(timezone.localdate())
    Budget.objects.create(school=world.school, year_starting=year, amount=Decimal("1000"))
    Cost.objects.create(school=world.school, intervention=reading, per_pupil=Decimal("150"))
    page = text(client_as("senco").get(reverse("delivery:overview")))
    assert "1 of 2" in page
    assert "Tuesday: 09:00–10:00" in page  # weekly time
    assert "Tuesday: 09:40–10:00" not in page  # 20 minutes is shorter than a session
    assert "£1,000" in page
    assert "£150" in page
    assert "£850" in page


def test_groups_are_filtered_by_intervention_and_search(world, client_as, reading):
    maths = InterventionFactory(name="Number sense")
    make_group(world.school, reading, name="Readers")
    make_group(world.school, maths, name="Counters")
    client = client_as("senco")
    page = text(client.get(reverse("delivery:overview"), {"intervention": maths.pk}))
    assert "Counters" in page and "Readers</a>" not in page
    page = text(client.get(reverse("delivery:overview"), {"q": "zzz"}))
    assert "No groups match" in page


def test_overview_and_adaptation_list_queries_do_not_grow_with_rows(world, client_as, reading):
    client = client_as("senco")

    def measured(url):
        client.get(url)  # warm the session
        with capture_queries() as queries:
            assert client.get(url).status_code == 200
        return queries

    def grow(n):
        for _ in range(n):
            group = make_group(world.school, reading, name=f"G{Group.objects.count()}")
            add_member(group, pupil_on_plan(world.school, reading))
            Adaptation.objects.create(
                school=world.school,
                intervention=reading,
                group=group,
                kind="dose",
                what="w",
                why="y",
                result="helped",
                recorded_by=world.users["senco"],
                recorded_on=timezone.localdate(),
            )

    urls = [reverse("delivery:overview"), reverse("delivery:adaptations")]
    grow(1)
    one_row = [measured(url) for url in urls]
    grow(9)
    for url, queries in zip(urls, one_row, strict=True):
        client.get(url)
        with assert_database_query_count(queries, info=f"{url} with 10 rows, against 1 row"):
            assert client.get(url).status_code == 200


def test_the_nav_shows_delivery_to_those_who_plan_support_only(client_as):
    assert 'href="/delivery/"' in text(client_as("intervention_specialist").get("/"))
    assert 'href="/delivery/"' not in text(client_as("teacher").get("/"))


# --- Groups -----------------------------------------------------------------------------------
def test_the_senco_sets_up_a_group_with_two_slots(world, client_as, reading):
    ta = world.users["intervention_specialist"]
    response = client_as("senco").post(
        reverse("delivery:group_new"), group_data(reading, deliverer=ta.pk)
    )
    group = Group.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("delivery:group_detail", args=[group.pk])
    assert (group.deliverer, group.room, group.places) == (ta, "Library", 4)
    assert [str(s) for s in group.slots.all()] == [
        "Tuesday 09:10 (30 min)",
        "Thursday 09:10 (30 min)",
    ]


def test_an_empty_group_form_lists_every_problem_and_saves_nothing(client_as, reading):
    response = client_as("senco").post(
        reverse("delivery:group_new"),
        group_data(reading, name="", places="", slot_0_minutes=""),
    )
    page = text(response)
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert f'<a href="#id_name">{services.NAME_REQUIRED}</a>' in page
    assert f'<a href="#id_places">{services.PLACES_REQUIRED}</a>' in page
    assert f'<a href="#id_slot_0_weekday">Session 1: {services.SLOT_INCOMPLETE}</a>' in page
    assert not Group.objects.exists()


def test_a_time_that_is_not_a_time_is_named_by_its_session(client_as, reading):
    response = client_as("senco").post(
        reverse("delivery:group_new"), group_data(reading, slot_1_time="after lunch")
    )
    message = "Session 2: enter the time as hours and minutes, like 09:10"
    assert f'<a href="#id_slot_1_time">{message}</a>' in text(response)
    assert not Group.objects.exists()


def test_service_errors_link_to_the_row_they_are_about(world, client_as, reading):
    ta = world.users["intervention_specialist"]
    make_group(world.school, reading, name="Maths", deliverer=ta, slots=[(3, time(9), 30)])
    response = client_as("senco").post(
        reverse("delivery:group_new"),
        group_data(
            reading,
            deliverer=ta.pk,
            slot_0_weekday="",
            slot_0_time="",
            slot_0_minutes="",
            slot_2_weekday="2",
        ),
    )
    page = text(response)
    clash = services.SLOT_CLASH.format(name=ta.full_name, group="Maths", when="Thursday 09:00")
    assert f'<a href="#id_slot_1_weekday">{clash}</a>' in page
    incomplete = f"Session 3: {services.SLOT_INCOMPLETE}"
    assert f'<a href="#id_slot_2_weekday">{incomplete}</a>' in page
    assert Group.objects.count() == 1


def test_a_strategy_or_another_schools_intervention_cannot_be_chosen(world, client_as):
    strategy = InterventionFactory(kind="classroom_strategy")
    theirs = InterventionFactory(school=world.other_school)
    for intervention in (strategy, theirs):
        response = client_as("senco").post(reverse("delivery:group_new"), group_data(intervention))
        assert services.INTERVENTION_UNKNOWN in text(response)
    assert not Group.objects.exists()


def test_the_edit_form_starts_from_the_group_and_saves_changes(world, client_as, reading):
    group = make_group(world.school, reading, name="Readers", slots=[(4, time(14, 5), 25)])
    client = client_as("senco")
    page = text(client.get(reverse("delivery:group_edit", args=[group.pk])))
    assert 'value="Readers"' in page
    assert 'value="14:05"' in page
    response = client.post(
        reverse("delivery:group_edit", args=[group.pk]), group_data(reading, name="Readers 2")
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert group.name == "Readers 2"
    assert Slot.objects.filter(group=group).count() == 2


def test_the_group_page_shows_members_and_lets_the_senco_add_one(world, client_as, reading):
    group = make_group(world.school, reading, name="Readers")
    add_member(group, on_plan(world.pupil_in_class, reading))
    waiting = on_plan(world.pupil_elsewhere, reading)
    client = client_as("senco")
    page = text(client.get(reverse("delivery:group_detail", args=[group.pk])))
    assert "Amara Ng" in page
    assert "Ben Ode" in page  # offered in the "add a pupil" list
    response = client.post(
        reverse("delivery:member_add", args=[group.pk]),
        {"placement": waiting.pk, "joined_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    assert GroupMember.objects.filter(group=group, left_on__isnull=True).count() == 2


def test_adding_a_pupil_with_a_future_date_shows_the_error_on_the_group_page(
    world, client_as, reading
):
    group = make_group(world.school, reading)
    waiting = on_plan(world.pupil_elsewhere, reading)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_as("senco").post(
        reverse("delivery:member_add", args=[group.pk]),
        {"placement": waiting.pk, "joined_on": tomorrow.isoformat()},
    )
    page = text(response)
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert f'<a href="#id_joined_on">{services.RECORDED_ON_FUTURE}</a>' in page
    assert not GroupMember.objects.exists()


def test_a_full_group_shows_why_the_pupil_was_not_added(world, client_as, reading):
    group = make_group(world.school, reading, places=1)
    add_member(group, on_plan(world.pupil_in_class, reading))
    waiting = on_plan(world.pupil_elsewhere, reading)
    response = client_as("senco").post(
        reverse("delivery:member_add", args=[group.pk]),
        {"placement": waiting.pk, "joined_on": timezone.localdate().isoformat()},
    )
    assert services.GROUP_FULL.format(places=1, count=2) in text(response)


def test_the_assistant_sees_the_group_but_not_the_senco_forms(world, client_as, reading):
    group = make_group(world.school, reading)
    add_member(group, on_plan(world.pupil_in_class, reading))
    page = text(
        client_as("intervention_specialist").get(reverse("delivery:group_detail", args=[group.pk]))
    )
    assert "Amara Ng" in page
    assert "Add to group" not in page
    assert "End this group" not in page
    assert "Record an adaptation for this group" in page


def test_a_pupil_leaves_the_group_and_the_row_is_kept(world, client_as, reading):
    group = make_group(world.school, reading)
    member = add_member(group, on_plan(world.pupil_in_class, reading))
    response = client_as("senco").post(reverse("delivery:member_leave", args=[group.pk, member.pk]))
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.left_on == timezone.localdate()
    again = client_as("senco").post(reverse("delivery:member_leave", args=[group.pk, member.pk]))
    assert again.status_code == 404


def test_ending_a_group_asks_first_then_takes_it_off_the_timetable(world, client_as, reading):
    group = make_group(world.school, reading, name="Readers")
    client = client_as("senco")
    page = text(client.get(reverse("delivery:group_end", args=[group.pk])))
    assert "Are you sure you want to end Readers?" in page
    group.refresh_from_db()
    assert not group.archived
    response = client.post(reverse("delivery:group_end", args=[group.pk]))
    assert response["Location"] == reverse("delivery:overview")
    group.refresh_from_db()
    assert group.archived
    assert client.get(reverse("delivery:group_detail", args=[group.pk])).status_code == 404


@pytest.mark.parametrize("who", ["parent", "la_adviser", "teacher", "head"])
def test_only_the_senco_changes_groups_and_nothing_is_saved_otherwise(
    world, client_as, reading, who
):
    group = make_group(world.school, reading, name="Readers")
    member = add_member(group, on_plan(world.pupil_in_class, reading))
    client = client_as(who)
    posts = [
        (reverse("delivery:group_new"), group_data(reading, name="New")),
        (reverse("delivery:group_edit", args=[group.pk]), group_data(reading, name="Changed")),
        (reverse("delivery:group_end", args=[group.pk]), {}),
        (reverse("delivery:member_leave", args=[group.pk, member.pk]), {}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403
    group.refresh_from_db()
    member.refresh_from_db()
    assert (Group.objects.count(), group.name, group.archived, member.left_on) == (
        1,
        "Readers",
        False,
        None,
    )


# --- Staff ------------------------------------------------------------------------------------
def test_the_senco_chooses_a_person_and_records_their_training_and_time(world, client_as, reading):
    ta = world.users["intervention_specialist"]
    client = client_as("senco")
    response = client.get(reverse("delivery:staff_choose"), {"staff": ta.pk})
    assert response["Location"] == reverse("delivery:staff_edit", args=[ta.pk])
    assert "Reading boost" in text(client.get(response["Location"]))
    response = client.post(
        reverse("delivery:staff_edit", args=[ta.pk]),
        {
            "interventions": [reading.pk],
            "window_0_weekday": "1",
            "window_0_from": "13:15",
            "window_0_until": "14:45",
        },
    )
    assert response.status_code == 302
    assert Training.objects.get().intervention == reading
    assert [str(t) for t in StaffTime.objects.all()] == ["Tuesday 13:15–14:45"]
    page = text(client.get(reverse("delivery:staff_edit", args=[ta.pk])))
    assert 'value="13:15"' in page
    assert "checked" in page


def test_a_window_ending_before_it_starts_is_shown_against_its_row(world, client_as, reading):
    ta = world.users["intervention_specialist"]
    response = client_as("senco").post(
        reverse("delivery:staff_edit", args=[ta.pk]),
        {
            "interventions": [reading.pk],
            "window_1_weekday": "2",
            "window_1_from": "14:00",
            "window_1_until": "13:00",
        },
    )
    page = text(response)
    message = "Weekly time 2: Wednesday: the end time must be after the start time"
    assert f'<a href="#id_window_1_weekday">{message}</a>' in page
    assert not Training.objects.exists()


def test_a_parent_or_another_schools_person_has_no_training_page(world, client_as):
    client = client_as("senco")
    for who in ("parent", "other_school_senco"):
        assert (
            client.get(reverse("delivery:staff_edit", args=[world.users[who].pk])).status_code
            == 404
        )
    response = client.get(reverse("delivery:staff_choose"), {"staff": world.users["parent"].pk})
    assert services.NOT_STAFF in text(response)


# --- Money ------------------------------------------------------------------------------------
def test_the_head_sets_the_budget_and_a_cost(world, client_as, reading):
    client = client_as("head")
    response = client.post(reverse("delivery:budget"), {"form": "budget", "amount": "£12,000"})
    assert response.status_code == 302
    year = academic_year_start(timezone.localdate())
    assert Budget.objects.get().year_starting == year
    response = client.post(
        reverse("delivery:budget"),
        {"form": "cost", "intervention": reading.pk, "per_pupil": "120.50", "note": "TA time"},
    )
    assert response.status_code == 302
    assert Cost.objects.get().per_pupil == Decimal("120.50")
    page = text(client.get(reverse("delivery:budget"), {"intervention": reading.pk}))
    assert "£12,000" in page
    assert 'value="120.50"' in page  # the "change" link fills the form


def test_a_garbage_amount_is_shown_as_an_error_and_nothing_changes(world, client_as, reading):
    client = client_as("senco")
    response = client.post(reverse("delivery:budget"), {"form": "budget", "amount": "lots"})
    page = text(response)
    assert "<title>Error: " in page
    assert f'<a href="#id_amount">{services.AMOUNT_INVALID}</a>' in page
    response = client.post(
        reverse("delivery:budget"), {"form": "cost", "intervention": reading.pk, "per_pupil": "-4"}
    )
    assert f'<a href="#id_per_pupil">{services.AMOUNT_INVALID}</a>' in text(response)
    assert not Budget.objects.exists() and not Cost.objects.exists()


def test_the_intervention_specialist_cannot_post_a_budget(client_as):
    response = client_as("intervention_specialist").post(
        reverse("delivery:budget"), {"form": "budget", "amount": "5"}
    )
    assert response.status_code == 403
    assert not Budget.objects.exists()


# --- Adaptations ------------------------------------------------------------------------------
def adaptation_data(**fields):
    data = {
        "kind": "dose",
        "what": "Cut sessions to 20 minutes",
        "why": "Pupils lost focus",
        "result": "helped",
        "group": "",
        "recorded_on": timezone.localdate().isoformat(),
    }
    data.update(fields)
    return data


def test_a_teacher_records_an_adaptation_and_returns_to_the_intervention(world, client_as, reading):
    group = make_group(world.school, reading, name="Readers")
    url = f"{reverse('delivery:adaptation_new')}?intervention={reading.slug}&group={group.pk}"
    client = client_as("teacher")
    page = text(client.get(url))
    assert "Readers" in page and "selected" in page
    response = client.post(url, adaptation_data(group=group.pk))
    assert response["Location"] == reverse("evidence:detail", args=[reading.slug])
    adaptation = Adaptation.objects.get()
    assert (adaptation.group, adaptation.recorded_by) == (group, world.users["teacher"])


def test_an_empty_adaptation_lists_every_missing_answer(client_as, reading):
    url = f"{reverse('delivery:adaptation_new')}?intervention={reading.slug}"
    response = client_as("intervention_specialist").post(url, {"recorded_on": ""})
    page = text(response)
    for message in (
        services.KIND_REQUIRED,
        services.RESULT_REQUIRED,
        "Enter the date",
    ):
        assert message in page
    assert f'<a href="#id_kind_0">{services.KIND_REQUIRED}</a>' in page
    assert not Adaptation.objects.exists()


def test_without_an_intervention_the_page_asks_which_one(client_as, reading):
    page = text(client_as("teacher").get(reverse("delivery:adaptation_new")))
    assert "Which intervention or strategy did you adapt?" in page
    assert f'value="{reading.slug}"' in page


def test_another_schools_own_intervention_is_not_found(world, client_as):
    theirs = InterventionFactory(school=world.other_school, slug="theirs")
    url = f"{reverse('delivery:adaptation_new')}?intervention={theirs.slug}"
    assert client_as("senco").post(url, adaptation_data()).status_code == 404
    assert not Adaptation.objects.exists()


@pytest.mark.parametrize("who", ["parent", "la_adviser", "head", "admin"])
def test_those_who_do_not_deliver_or_teach_cannot_record_adaptations(client_as, reading, who):
    url = f"{reverse('delivery:adaptation_new')}?intervention={reading.slug}"
    assert client_as(who).post(url, adaptation_data()).status_code == 403
    assert not Adaptation.objects.exists()


def test_the_adaptation_list_filters_by_intervention_and_result(world, client_as, reading):
    maths = InterventionFactory(name="Number sense")
    for intervention, result, what in (
        (reading, "helped", "Shorter sessions"),
        (maths, "worse", "Bigger group"),
    ):
        Adaptation.objects.create(
            school=world.school,
            intervention=intervention,
            kind="dose",
            what=what,
            why="y",
            result=result,
            recorded_on=timezone.localdate(),
        )
    client = client_as("head")
    page = text(client.get(reverse("delivery:adaptations"), {"result": "worse"}))
    assert "Bigger group" in page and "Shorter sessions" not in page
    page = text(client.get(reverse("delivery:adaptations"), {"intervention": reading.pk}))
    assert "Shorter sessions" in page and "Bigger group" not in page


def test_a_slot_on_a_weekend_written_past_the_services_does_not_break_the_staff_page(
    client_as, world, reading
):
    # The timetable service refuses weekend slots; a row that got in another way (an import,
    # the admin) is left out of the free-time count instead of answering with an error.
    group = make_group(
        world.school,
        reading,
        deliverer=world.users["intervention_specialist"],
        slots=((5, time(9, 10), 30),),
    )
    assert group.slots.get().weekday == 5

    response = client_as("senco").get(reverse("delivery:overview"))

    assert response.status_code == 200
