"""Days the school is closed are not school days: no session is due on them (today's list, the
week's and a group's backfill list), the register refuses one with a clear message, and the
dose a pupil is owed does not count them; each list reads the closures in one query."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sendwise.core.access import actor_for
from sendwise.delivery import session_selectors as selectors
from sendwise.delivery import session_services as services
from sendwise.delivery.models import Session
from sendwise.delivery.session_services import SessionInput
from sendwise.planning.models import Placement
from tests.delivery.factories import make_closure, running_group
from tests.queries import assert_database_query_count, capture_queries


def actor(world, who="intervention_specialist"):
    return actor_for(world.users[who])


def test_no_session_is_due_today_when_the_school_is_closed(world):
    running_group(world, pupils=1)
    today, _ = selectors.sessions_due(actor=actor(world))
    assert len(today) == 1
    make_closure(world.school, timezone.localdate(), name="Snow day", kind="closed")
    today, _ = selectors.sessions_due(actor=actor(world))
    assert today == []


def test_another_schools_closure_does_not_close_this_school(world):
    running_group(world, pupils=1)
    make_closure(world.other_school, timezone.localdate(), name="Snow day", kind="closed")
    today, _ = selectors.sessions_due(actor=actor(world))
    assert len(today) == 1


def test_a_groups_backfill_list_skips_the_half_term_week(world):
    group, _ = running_group(world, pupils=1, joined_days_ago=30)
    last_week = timezone.localdate() - timedelta(days=7)
    _, missed = selectors.group_sessions(actor=actor(world), group=group)
    assert last_week in [d.on for d in missed]
    before = len(missed)
    make_closure(world.school, last_week - timedelta(days=2), last_week + timedelta(days=2))
    _, missed = selectors.group_sessions(actor=actor(world), group=group)
    assert last_week not in [d.on for d in missed]
    assert len(missed) == before - 1


def test_a_session_recorded_before_the_closure_was_entered_is_still_listed(world):
    group, _members = running_group(world, pupils=1)
    services.session_record(
        actor=actor(world),
        group=group,
        on=timezone.localdate(),
        slot=group.slots.get(),
        data=SessionInput(status="cancelled", cancel_reason="school_event"),
    )
    make_closure(world.school, timezone.localdate(), name="Snow day", kind="closed")
    today, _ = selectors.sessions_due(actor=actor(world))
    assert [d.session for d in today] == [Session.objects.get()]


def test_the_register_refuses_a_day_the_school_is_closed_with_a_clear_message(world, client_as):
    group, _members = running_group(world, pupils=1)
    last_week = timezone.localdate() - timedelta(days=7)
    make_closure(world.school, last_week, last_week, name="INSET day", kind="inset")
    expected = services.SCHOOL_CLOSED.format(day=f"{last_week:%A %-d %B %Y}", closure="INSET day")
    with pytest.raises(ValidationError) as error:
        services.session_record(
            actor=actor(world),
            group=group,
            on=last_week,
            slot=group.slots.get(),
            data=SessionInput(status="cancelled", cancel_reason="school_event"),
        )
    assert error.value.message_dict["date"] == [expected]
    client = client_as("intervention_specialist")
    url = reverse("delivery:register", kwargs={"group_id": group.pk, "on": last_week.isoformat()})
    page = client.get(url).content.decode()
    assert "The school is closed on" in page and "INSET day" in page
    assert "Save session" not in page
    data = {"status": "cancelled", "cancel_reason": "school_event", "minutes": "", "note": ""}
    client.post(url, data)
    assert not Session.objects.exists()


def test_the_planned_dose_does_not_count_a_half_term_week(world):
    # Joined 8 whole weeks ago, once a week: 8 sessions owed; a closed week inside makes it 7.
    _group, members = running_group(world, pupils=1, joined_days_ago=56)
    placement = Placement.objects.select_related("plan").get(pk=members[0].placement_id)
    school_id = world.school.pk
    dose = selectors.dose_for_placements(school_id=school_id, placements=[placement])
    assert dose[placement.pk].planned_sessions == 8
    monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday(), weeks=3)
    make_closure(world.school, monday, monday + timedelta(days=4))
    dose = selectors.dose_for_placements(school_id=school_id, placements=[placement])
    assert dose[placement.pk].planned_sessions == 7


def test_the_lists_read_the_closures_in_one_query_however_many_there_are(world):
    group, members = running_group(world, pupils=2, joined_days_ago=56)
    placements = list(
        Placement.objects.select_related("plan").filter(pk__in=[m.placement_id for m in members])
    )

    def read():
        selectors.sessions_due(actor=actor(world))
        selectors.group_sessions(actor=actor(world), group=group)
        selectors.dose_for_placements(school_id=world.school.pk, placements=placements)

    with capture_queries() as one:
        read()
    today = timezone.localdate()
    for weeks in range(1, 7):
        start = today - timedelta(weeks=weeks, days=today.weekday())
        make_closure(world.school, start, start + timedelta(days=1), name=f"Closure {weeks}")
    with assert_database_query_count(one):
        read()


def test_the_sessions_page_says_the_school_is_closed_today(world, client_as):
    running_group(world, pupils=1)
    make_closure(world.school, timezone.localdate(), name="Snow day", kind="closed")
    page = client_as("intervention_specialist").get(reverse("delivery:sessions")).content.decode()
    assert "No sessions today: the school is closed (Snow day)." in page


def test_a_class_teachers_week_shows_nobody_out_on_a_closed_day(world, client_as):
    from sendwise.delivery.class_selectors import school_week
    from sendwise.delivery.models import Slot

    group, _ = running_group(world, pupils=1)
    monday, _ = school_week(timezone.localdate())
    tuesday = monday + timedelta(days=1)
    Slot.objects.filter(group=group).update(weekday=1)  # Tuesdays
    url = reverse("delivery:class_week", args=[world.pupil_in_class.class_group_id])
    client = client_as("teacher")
    assert "Reading group" in client.get(url).content.decode()
    make_closure(world.school, tuesday, name="INSET day", kind="inset")
    page = client.get(url).content.decode()
    assert "Reading group" not in page.split("What to reinforce")[0]
    assert "School closed (school calendar)." in page


def test_entering_a_holiday_after_the_fact_clears_a_dose_flag_it_caused(
    world, django_capture_on_commit_callbacks
):
    from sendwise.delivery import calendar_services
    from sendwise.monitoring.flag_services import flags_evaluate_school
    from sendwise.monitoring.models import Flag

    # Joined two whole weeks ago, once a week, one session held and attended: 1 of 2 (50%).
    group, members = running_group(world, pupils=1, joined_days_ago=14)
    joined = members[0].joined_on
    Session.objects.create(
        school=world.school,
        group=group,
        date=joined,
        starts_at=group.slots.get().starts_at,
        slot_minutes=30,
        status="delivered",
        minutes=30,
        recorded_at=timezone.now(),
    ).attendances.create(
        school=world.school, member=members[0], placement=members[0].placement, status="present"
    )
    flags_evaluate_school(school_id=world.school.pk)
    raised = Flag.objects.filter(kind="low_dose", verdict="raised", pupil=world.pupil_in_class)
    assert raised.exists()
    # The second week was half-term: 1 of 1 owed, so the flag goes when the calendar says so.
    week_two = joined + timedelta(days=7)
    data = calendar_services.ClosureInput(week_two, week_two + timedelta(days=6), "holiday", "HT")
    with django_capture_on_commit_callbacks(execute=True):
        calendar_services.closure_save(
            actor=actor(world, "senco"), closure=None, data=data, today=timezone.localdate()
        )
    assert not raised.exists()
