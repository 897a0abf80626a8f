"""Delivery services as the SENCO uses them: groups that never double-book a member of staff,
only pupils whose plan includes the intervention, money that is really money, adaptations kept
in the school. Every refusal says why and saves nothing."""

from datetime import time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sendwise.core.access import actor_for
from sendwise.core.models import AuditEntry
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
from sendwise.delivery.services import SlotInput, TimeWindow
from sendwise.planning.models import Plan
from tests.delivery.factories import add_member, make_group, on_plan, pupil_on_plan
from tests.evidence.factories import InterventionFactory

TODAY = timezone.localdate


@pytest.fixture
def senco(world):
    return actor_for(world.users["senco"])


@pytest.fixture
def other_senco(world):
    return actor_for(world.users["other_school_senco"])


@pytest.fixture
def reading(db):
    return InterventionFactory(name="Reading boost", sessions_per_week=2, minutes_per_session=30)


@pytest.fixture
def ta(world):
    return world.users["intervention_specialist"]


def save(actor, intervention, *, group=None, name="Year 4 reading", deliverer=None, **kw):
    kw.setdefault("slots", [SlotInput(1, time(9, 10), 30), SlotInput(3, time(9, 10), 30)])
    kw.setdefault("places", 4)
    kw.setdefault("room", "Library")
    return services.group_save(
        actor=actor, group=group, intervention=intervention, name=name, deliverer=deliverer, **kw
    )


def errors_of(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


# --- Groups -----------------------------------------------------------------------------------
def test_a_group_is_saved_with_its_weekly_slots_and_an_audit_entry(world, senco, reading, ta):
    group = save(senco, reading, deliverer=ta, room="  Library  ")
    assert (group.school, group.name, group.room, group.places) == (
        world.school,
        "Year 4 reading",
        "Library",
        4,
    )
    slots = [(s.weekday, s.starts_at, s.minutes) for s in group.slots.all()]
    assert slots == [(1, time(9, 10), 30), (3, time(9, 10), 30)]
    assert AuditEntry.objects.filter(object_type="group", action="create").count() == 1


def test_a_session_at_the_same_time_as_the_deliverers_other_group_is_refused(
    world, senco, reading, ta
):
    make_group(world.school, reading, name="Maths", deliverer=ta, slots=[(1, time(9, 0), 30)])
    errors = errors_of(lambda: save(senco, reading, deliverer=ta))
    assert errors == {
        "slots": [
            services.SLOT_CLASH.format(name=ta.full_name, group="Maths", when="Tuesday 09:00")
        ]
    }
    assert Group.objects.count() == 1
    assert Slot.objects.count() == 1


def test_back_to_back_sessions_and_another_persons_group_do_not_clash(world, senco, reading, ta):
    make_group(world.school, reading, name="Before", deliverer=ta, slots=[(1, time(8, 40), 30)])
    make_group(
        world.school,
        reading,
        name="Someone else",
        deliverer=world.users["teacher"],
        slots=[(1, time(9, 10), 30)],
    )
    assert save(senco, reading, deliverer=ta).pk


def test_changing_a_group_does_not_clash_with_itself_and_an_ended_group_frees_its_time(
    world, senco, reading, ta
):
    group = save(senco, reading, deliverer=ta)
    save(senco, reading, group=group, deliverer=ta, places=6)
    old = make_group(world.school, reading, name="Old", deliverer=ta, slots=[(3, time(9, 0), 60)])
    services.group_end(actor=senco, group=old)
    group.refresh_from_db()
    assert group.places == 6
    assert save(senco, reading, name="Another", deliverer=ta, slots=[SlotInput(3, time(9, 40), 20)])


def test_two_of_the_groups_own_sessions_that_overlap_are_named_once(senco, reading):
    slots = [
        SlotInput(1, time(9, 0), 30),
        SlotInput(1, time(9, 15), 30),
        SlotInput(1, time(9, 20), 10),
    ]
    errors = errors_of(lambda: save(senco, reading, slots=slots))
    assert errors == {"slots": [services.SLOT_SELF_CLASH.format(day="Tuesday")]}


@pytest.mark.parametrize(
    ("slot", "message"),
    [
        (SlotInput(1, None, 30), services.SLOT_INCOMPLETE),
        (SlotInput(None, time(9, 0), None), services.SLOT_INCOMPLETE),
        (SlotInput(1, time(9, 0), 0), services.SLOT_MINUTES),
        (SlotInput(1, time(9, 0), 241), services.SLOT_MINUTES),
        (SlotInput(5, time(9, 0), 30), services.DAY_INVALID),
        (SlotInput(-1, time(9, 0), 30), services.DAY_INVALID),
    ],
)
def test_a_half_filled_or_impossible_slot_row_is_named_by_its_row(senco, reading, slot, message):
    slots = [SlotInput(None, None, None), slot]
    assert errors_of(lambda: save(senco, reading, slots=slots)) == {"slot_1": [message]}
    assert not Group.objects.exists()


def test_a_group_needs_a_name_not_used_by_another_running_group(world, senco, reading):
    assert errors_of(lambda: save(senco, reading, name="  ")) == {"name": [services.NAME_REQUIRED]}
    first = save(senco, reading, name="Reading")
    assert errors_of(lambda: save(senco, reading, name="READING")) == {
        "name": [services.NAME_TAKEN.format(name="READING")]
    }
    services.group_end(actor=senco, group=first)
    assert save(senco, reading, name="Reading").pk != first.pk


@pytest.mark.parametrize("places", [None, 0, -3])
def test_a_group_needs_one_place_or_more(senco, reading, places):
    assert errors_of(lambda: save(senco, reading, places=places)) == {
        "places": [services.PLACES_REQUIRED]
    }


def test_places_cannot_drop_below_the_pupils_already_in_the_group(world, senco, reading):
    group = save(senco, reading, places=3)
    for _ in range(2):
        add_member(group, pupil_on_plan(world.school, reading))
    assert errors_of(lambda: save(senco, reading, group=group, places=1)) == {
        "places": [services.GROUP_FULL.format(places=1, count=2)]
    }
    group.refresh_from_db()
    assert group.places == 3


def test_a_classroom_strategy_is_not_timetabled(senco):
    strategy = InterventionFactory(kind="classroom_strategy", name="Visual timetable")
    assert errors_of(lambda: save(senco, strategy)) == {
        "intervention": [services.STRATEGY_NOT_TIMETABLED.format(name="Visual timetable")]
    }


def test_another_schools_own_or_an_archived_intervention_is_refused(world, senco):
    theirs = InterventionFactory(school=world.other_school)
    archived = InterventionFactory(archived=True)
    for intervention in (theirs, archived):
        assert errors_of(lambda i=intervention: save(senco, i)) == {
            "intervention": [services.INTERVENTION_UNKNOWN]
        }
    assert not Group.objects.exists()


@pytest.mark.parametrize("who", ["parent", "other_school_senco", "la_adviser"])
def test_the_deliverer_must_be_staff_of_this_school(world, senco, reading, who):
    errors = errors_of(lambda: save(senco, reading, deliverer=world.users[who]))
    assert errors == {"deliverer": [services.NOT_STAFF]}


def test_another_schools_group_cannot_be_changed_added_to_or_ended(
    world, senco, other_senco, reading
):
    group = save(senco, reading)
    member = add_member(group, on_plan(world.pupil_in_class, reading))
    calls = [
        lambda: save(other_senco, reading, group=group, name="Taken over"),
        lambda: services.group_add_member(
            actor=other_senco, group=group, placement_id=member.placement_id, joined_on=TODAY()
        ),
        lambda: services.group_remove_member(
            actor=other_senco, group=group, member_id=member.pk, left_on=None
        ),
        lambda: services.group_end(actor=other_senco, group=group),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    group.refresh_from_db()
    member.refresh_from_db()
    assert (group.name, group.archived, member.left_on) == ("Year 4 reading", False, None)


def test_an_ended_group_cannot_be_changed_or_joined(world, senco, reading):
    group = save(senco, reading)
    services.group_end(actor=senco, group=group)
    with pytest.raises(ValidationError) as caught:
        save(senco, reading, group=group, name="Back again")
    assert caught.value.messages == [services.GROUP_ARCHIVED]
    placement = on_plan(world.pupil_in_class, reading)
    with pytest.raises(ValidationError) as caught:
        services.group_add_member(
            actor=senco, group=group, placement_id=placement.pk, joined_on=TODAY()
        )
    assert caught.value.messages == [services.GROUP_ARCHIVED]


def test_a_group_with_pupils_keeps_its_intervention(world, senco, reading):
    group = save(senco, reading)
    add_member(group, on_plan(world.pupil_in_class, reading))
    maths = InterventionFactory(name="Maths boost")
    assert errors_of(lambda: save(senco, maths, group=group)) == {
        "intervention": [services.INTERVENTION_HAS_MEMBERS.format(name="Reading boost")]
    }


# --- Members ----------------------------------------------------------------------------------
def test_a_pupil_on_a_current_plan_for_the_intervention_joins_the_group(world, senco, reading):
    group = save(senco, reading)
    placement = on_plan(world.pupil_in_class, reading)
    member = services.group_add_member(
        actor=senco, group=group, placement_id=placement.pk, joined_on=TODAY()
    )
    assert (member.school, member.group, member.placement, member.left_on) == (
        world.school,
        group,
        placement,
        None,
    )
    assert AuditEntry.objects.filter(detail="Added Amara Ng").exists()


def test_only_pupils_whose_current_plan_includes_the_intervention_can_join(world, senco, reading):
    group = save(senco, reading)
    other_intervention = on_plan(world.pupil_in_class, InterventionFactory())
    reviewed = on_plan(world.pupil_elsewhere, reading, status=Plan.Status.REVIEWED)
    other_school = on_plan(world.pupil_other_school, reading)
    archived_pupil = pupil_on_plan(world.school, reading, archived_at=timezone.now())
    wrong = {"placement": [services.MEMBER_WRONG.format(name="Reading boost")]}
    for placement_id in (
        other_intervention.pk,
        reviewed.pk,
        other_school.pk,
        archived_pupil.pk,
        None,
        999999,
    ):
        assert (
            errors_of(
                lambda p=placement_id: services.group_add_member(
                    actor=senco, group=group, placement_id=p, joined_on=TODAY()
                )
            )
            == wrong
        )
    assert not GroupMember.objects.exists()


def test_a_pupil_already_in_the_group_is_not_added_twice(world, senco, reading):
    group = save(senco, reading)
    placement = on_plan(world.pupil_in_class, reading)
    add_member(group, placement)
    errors = errors_of(
        lambda: services.group_add_member(
            actor=senco, group=group, placement_id=placement.pk, joined_on=TODAY()
        )
    )
    assert errors == {"placement": [services.MEMBER_ALREADY.format(pupil="Amara Ng")]}
    assert GroupMember.objects.count() == 1


def test_a_full_group_takes_no_one_else(world, senco, reading):
    group = save(senco, reading, places=1)
    add_member(group, on_plan(world.pupil_elsewhere, reading))
    placement = on_plan(world.pupil_in_class, reading)
    errors = errors_of(
        lambda: services.group_add_member(
            actor=senco, group=group, placement_id=placement.pk, joined_on=TODAY()
        )
    )
    assert errors == {"placement": [services.GROUP_FULL.format(places=1, count=2)]}
    assert GroupMember.objects.count() == 1


@pytest.mark.parametrize(
    ("joined_on", "message"),
    [(None, services.JOINED_REQUIRED), ("tomorrow", services.RECORDED_ON_FUTURE)],
)
def test_the_joining_date_is_needed_and_not_in_the_future(
    world, senco, reading, joined_on, message
):
    group = save(senco, reading)
    placement = on_plan(world.pupil_in_class, reading)
    when = TODAY() + timedelta(days=1) if joined_on == "tomorrow" else None
    errors = errors_of(
        lambda: services.group_add_member(
            actor=senco, group=group, placement_id=placement.pk, joined_on=when
        )
    )
    assert errors == {"joined_on": [message]}
    assert not GroupMember.objects.exists()


def test_a_pupil_who_leaves_keeps_their_dates_frees_the_place_and_can_rejoin(world, senco, reading):
    group = save(senco, reading, places=1)
    placement = on_plan(world.pupil_in_class, reading)
    member = add_member(group, placement, joined_on=TODAY() - timedelta(days=10))
    services.group_remove_member(actor=senco, group=group, member_id=member.pk, left_on=None)
    member.refresh_from_db()
    assert member.left_on == TODAY()
    again = services.group_add_member(
        actor=senco, group=group, placement_id=placement.pk, joined_on=TODAY()
    )
    assert GroupMember.objects.filter(group=group).count() == 2
    assert again.left_on is None


def test_leaving_needs_a_pupil_in_the_group_and_a_sensible_date(world, senco, reading):
    group = save(senco, reading)
    other = make_group(world.school, reading, name="Other")
    member = add_member(group, on_plan(world.pupil_in_class, reading), joined_on=TODAY())
    cases = [
        (other, member.pk, None, {"member": [services.MEMBER_NOT_IN]}),
        (group, 999999, None, {"member": [services.MEMBER_NOT_IN]}),
        (
            group,
            member.pk,
            TODAY() - timedelta(days=1),
            {"left_on": [services.LEFT_BEFORE_JOINED]},
        ),
        (
            group,
            member.pk,
            TODAY() + timedelta(days=1),
            {"left_on": [services.RECORDED_ON_FUTURE]},
        ),
    ]
    for in_group, member_id, left_on, expected in cases:
        errors = errors_of(
            lambda g=in_group, m=member_id, d=left_on: services.group_remove_member(
                actor=senco, group=g, member_id=m, left_on=d
            )
        )
        assert errors == expected
    member.refresh_from_db()
    assert member.left_on is None


def test_ending_a_group_archives_it_and_every_pupil_leaves_today(world, senco, reading):
    group = save(senco, reading)
    member = add_member(group, on_plan(world.pupil_in_class, reading))
    services.group_end(actor=senco, group=group)
    services.group_end(actor=senco, group=group)  # a second press changes nothing
    group.refresh_from_db()
    member.refresh_from_db()
    assert group.archived
    assert member.left_on == TODAY()
    assert AuditEntry.objects.filter(detail="Ended the group").count() == 1


# --- Training and time ------------------------------------------------------------------------
def test_training_and_weekly_time_are_set_and_replaced(world, senco, reading, ta):
    maths = InterventionFactory(name="Maths boost")
    services.staff_delivery_set(
        actor=senco,
        staff=ta,
        interventions=[reading, maths],
        windows=[TimeWindow(1, time(13, 15), time(14, 45)), TimeWindow(None, None, None)],
    )
    assert set(Training.objects.values_list("intervention__name", flat=True)) == {
        "Reading boost",
        "Maths boost",
    }
    services.staff_delivery_set(
        actor=senco, staff=ta, interventions=[maths], windows=[TimeWindow(3, time(9), time(10))]
    )
    assert list(Training.objects.values_list("intervention__name", flat=True)) == ["Maths boost"]
    assert [str(t) for t in StaffTime.objects.all()] == ["Thursday 09:00–10:00"]
    assert Training.history.filter(history_type="-").count() == 1


@pytest.mark.parametrize(
    ("window", "message"),
    [
        (
            TimeWindow(1, time(14, 0), time(13, 0)),
            "Tuesday: the end time must be after the start time",
        ),
        (
            TimeWindow(1, time(14, 0), time(14, 0)),
            "Tuesday: the end time must be after the start time",
        ),
        (TimeWindow(1, time(14, 0), None), services.WINDOW_INCOMPLETE),
        (TimeWindow(None, time(9, 0), time(10, 0)), services.WINDOW_INCOMPLETE),
        (TimeWindow(6, time(9, 0), time(10, 0)), services.DAY_INVALID),
    ],
)
def test_a_window_that_ends_before_it_starts_or_is_half_filled_changes_nothing(
    world, senco, reading, ta, window, message
):
    services.staff_delivery_set(
        actor=senco, staff=ta, interventions=[reading], windows=[TimeWindow(0, time(9), time(10))]
    )
    errors = errors_of(
        lambda: services.staff_delivery_set(
            actor=senco,
            staff=ta,
            interventions=[],
            windows=[TimeWindow(2, time(9), time(10)), window],
        )
    )
    assert errors == {"window_1": [message]}
    assert Training.objects.count() == 1
    assert [str(t) for t in StaffTime.objects.all()] == ["Monday 09:00–10:00"]


@pytest.mark.parametrize("who", ["parent", "other_school_senco", "la_adviser"])
def test_training_is_recorded_only_for_staff_of_this_school(world, senco, reading, who):
    errors = errors_of(
        lambda: services.staff_delivery_set(
            actor=senco, staff=world.users[who], interventions=[reading], windows=[]
        )
    )
    assert errors == {"staff": [services.NOT_STAFF]}
    assert not Training.objects.exists()


def test_training_in_another_schools_own_intervention_is_refused(world, senco, ta):
    theirs = InterventionFactory(school=world.other_school)
    errors = errors_of(
        lambda: services.staff_delivery_set(
            actor=senco, staff=ta, interventions=[theirs], windows=[]
        )
    )
    assert errors == {"intervention": [services.INTERVENTION_UNKNOWN]}


# --- Money ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "saved"),
    [
        ("12500", "12500.00"),
        ("£12,500.50", "12500.50"),
        (" 0 ", "0.00"),
        (Decimal("9.999"), "10.00"),
    ],
)
def test_a_budget_is_read_as_pounds(world, senco, typed, saved):
    budget = services.budget_set(actor=senco, year_starting=2025, amount=typed)
    assert budget.amount == Decimal(saved)
    assert budget.school == world.school


def test_changing_the_budget_keeps_the_earlier_sum_in_history(senco):
    services.budget_set(actor=senco, year_starting=2025, amount="10000")
    services.budget_set(actor=senco, year_starting=2025, amount="12000")
    budget = Budget.objects.get()
    assert budget.amount == Decimal("12000.00")
    assert [h.amount for h in budget.history.order_by("history_id")] == [
        Decimal("10000.00"),
        Decimal("12000.00"),
    ]


GARBAGE = ["", "abc", "-5", "-0.01", "NaN", "Infinity", "-Infinity", "sNaN", None, "1,2,3.4.5"]


@pytest.mark.parametrize("amount", GARBAGE)
def test_a_garbage_or_negative_budget_is_refused_and_nothing_saved(senco, amount):
    errors = errors_of(lambda: services.budget_set(actor=senco, year_starting=2025, amount=amount))
    assert errors == {"amount": [services.AMOUNT_INVALID]}
    assert not Budget.objects.exists()


@pytest.mark.parametrize("amount", ["10000000", "99999999999999999999999999999999"])
def test_an_absurd_budget_is_refused(senco, amount):
    errors = errors_of(lambda: services.budget_set(actor=senco, year_starting=2025, amount=amount))
    assert errors == {"amount": [services.AMOUNT_TOO_LARGE]}


@pytest.mark.parametrize("year", [None, 1999, 2101])
def test_the_budget_year_must_be_a_real_school_year(senco, year):
    errors = errors_of(lambda: services.budget_set(actor=senco, year_starting=year, amount="5"))
    assert errors == {"year_starting": [services.YEAR_INVALID]}


def test_a_cost_per_pupil_is_set_and_changed(world, senco, reading):
    services.cost_set(actor=senco, intervention=reading, per_pupil="120", note=" TA time ")
    cost = services.cost_set(actor=senco, intervention=reading, per_pupil="£135.50", note="")
    assert (cost.school, cost.per_pupil, cost.note) == (world.school, Decimal("135.50"), "")
    assert Cost.objects.count() == 1


@pytest.mark.parametrize("amount", GARBAGE)
def test_a_garbage_cost_is_refused_and_the_old_cost_kept(senco, reading, amount):
    services.cost_set(actor=senco, intervention=reading, per_pupil="120")
    errors = errors_of(
        lambda: services.cost_set(actor=senco, intervention=reading, per_pupil=amount)
    )
    assert errors == {"per_pupil": [services.AMOUNT_INVALID]}
    assert Cost.objects.get().per_pupil == Decimal("120.00")


def test_a_cost_for_another_schools_own_intervention_is_refused(world, senco):
    theirs = InterventionFactory(school=world.other_school)
    errors = errors_of(lambda: services.cost_set(actor=senco, intervention=theirs, per_pupil="5"))
    assert errors == {"intervention": [services.INTERVENTION_UNKNOWN]}
    assert not Cost.objects.exists()


# --- Adaptations ------------------------------------------------------------------------------
def adapt(actor, intervention, **fields):
    data = {
        "kind": "dose",
        "what": "Cut sessions to 20 minutes",
        "why": "Pupils lost focus after 20 minutes",
        "result": "helped",
    }
    data.update(fields)
    return services.adaptation_add(actor=actor, intervention=intervention, **data)


def test_an_adaptation_is_recorded_by_the_practitioner_with_its_group(world, reading):
    specialist = actor_for(world.users["intervention_specialist"])
    group = make_group(world.school, reading)
    adaptation = adapt(specialist, reading, group=group, what="  Shorter sessions ")
    assert (adaptation.school, adaptation.group, adaptation.what) == (
        world.school,
        group,
        "Shorter sessions",
    )
    assert adaptation.recorded_by == world.users["intervention_specialist"]
    assert adaptation.recorded_on == TODAY()


def test_an_adaptation_needs_every_answer_and_a_date_not_in_the_future(senco, reading):
    errors = errors_of(
        lambda: adapt(
            senco,
            reading,
            kind="",
            what=" ",
            why="",
            result="brilliant",
            recorded_on=TODAY() + timedelta(days=1),
        )
    )
    assert errors == {
        "kind": [services.KIND_REQUIRED],
        "what": [services.WHAT_REQUIRED],
        "why": [services.WHY_REQUIRED],
        "result": [services.RESULT_REQUIRED],
        "recorded_on": [services.RECORDED_ON_FUTURE],
    }
    assert not Adaptation.objects.exists()


def test_an_adaptation_names_only_a_running_group_of_this_school_and_intervention(
    world, senco, reading
):
    theirs = make_group(world.other_school, reading, name="Theirs")
    other_intervention = make_group(world.school, InterventionFactory(), name="Maths")
    ended = make_group(world.school, reading, name="Ended")
    services.group_end(actor=senco, group=ended)
    ended.refresh_from_db()
    for group in (theirs, other_intervention, ended):
        errors = errors_of(lambda g=group: adapt(senco, reading, group=g))
        assert errors == {"group": [services.GROUP_WRONG.format(name="Reading boost")]}
    assert not Adaptation.objects.exists()


def test_an_adaptation_of_another_schools_own_intervention_is_refused(world, senco):
    theirs = InterventionFactory(school=world.other_school)
    assert errors_of(lambda: adapt(senco, theirs)) == {
        "intervention": [services.INTERVENTION_UNKNOWN]
    }
