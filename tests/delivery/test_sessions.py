"""Recording sessions (``session_services.session_record``): what is saved, the rules that
refuse bad input with nothing saved, and a session recorded once however often it is sent."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sendwise.core.access import actor_for
from sendwise.core.models import AuditEntry
from sendwise.delivery import session_services as services
from sendwise.delivery.models import Adaptation, Attendance, Session, Slot
from sendwise.delivery.session_services import AdaptationInput, AttendanceInput, SessionInput
from tests.delivery.factories import COMPONENTS, running_group


@pytest.fixture
def setup(world):
    group, members = running_group(world, pupils=3)
    return group, members, group.slots.get()


def record(world, group, slot, data, *, who="intervention_specialist", on=None, **kwargs):
    return services.session_record(
        actor=actor_for(world.users[who]),
        group=group,
        on=on or timezone.localdate(),
        slot=slot,
        data=data,
        **kwargs,
    )


def everyone(members, changes=None):
    changes = changes or {}
    return [
        changes.get(m.pk, AttendanceInput(member_id=m.pk, status="present", engagement=3))
        for m in members
    ]


def test_a_delivered_session_is_saved_with_attendance_components_history_and_audit(world, setup):
    group, members, slot = setup
    absent = AttendanceInput(members[1].pk, "absent", absence_reason="ill")
    data = SessionInput(
        status="delivered",
        minutes=25,
        note="Good session",
        reinforce_in_class="Tricky words: said, was",
        components=COMPONENTS[:2],
        attendance=everyone(members, {members[1].pk: absent}),
    )
    session = record(world, group, slot, data)
    assert (session.status, session.minutes, session.slot_minutes) == ("delivered", 25, 30)
    assert session.components_delivered == COMPONENTS[:2]
    assert session.recorded_by == world.users["intervention_specialist"]
    rows = {a.member_id: a for a in Attendance.objects.filter(session=session)}
    assert rows[members[1].pk].status == "absent"
    assert rows[members[1].pk].absence_reason == "ill"
    assert rows[members[0].pk].engagement == 3
    assert session.history.first().history_user == world.users["intervention_specialist"]
    assert AuditEntry.objects.filter(object_type="session", object_id=str(session.pk)).exists()


def test_a_cancelled_session_needs_a_reason_and_keeps_no_attendance(world, setup):
    group, members, slot = setup
    with pytest.raises(ValidationError) as error:
        record(world, group, slot, SessionInput(status="cancelled"))
    assert error.value.message_dict["cancel_reason"] == [services.CANCEL_REASON_REQUIRED]
    session = record(
        world,
        group,
        slot,
        SessionInput(
            status="cancelled", cancel_reason="staff_absent", attendance=everyone(members)
        ),
    )
    assert session.minutes is None
    assert not Attendance.objects.filter(session=session).exists()


@pytest.mark.parametrize(
    ("minutes", "message"),
    [
        (None, services.MINUTES_REQUIRED),
        (0, services.MINUTES_RANGE.format(most=30)),
        (31, services.MINUTES_RANGE.format(most=30)),
    ],
)
def test_minutes_must_fit_the_session(world, setup, minutes, message):
    group, members, slot = setup
    with pytest.raises(ValidationError) as error:
        record(
            world,
            group,
            slot,
            SessionInput("delivered", minutes=minutes, attendance=everyone(members)),
        )
    assert error.value.message_dict["minutes"] == [message]
    assert not Session.objects.exists()


def test_a_future_date_or_one_more_than_a_term_back_is_refused(world, setup):
    group, members, slot = setup
    today = timezone.localdate()
    data = SessionInput("delivered", minutes=30, attendance=everyone(members))
    with pytest.raises(ValidationError) as error:
        record(world, group, slot, data, on=today + timedelta(days=7))
    assert error.value.message_dict["date"] == [services.DATE_FUTURE]
    with pytest.raises(ValidationError) as error:
        record(world, group, slot, data, on=today - timedelta(weeks=15))
    assert error.value.message_dict["date"] == [services.DATE_TOO_OLD]
    assert not Session.objects.exists()


def test_a_date_before_anyone_joined_says_when_the_group_started(world):
    group, members = running_group(world, pupils=1, joined_days_ago=3)
    slot = group.slots.get()
    with pytest.raises(ValidationError) as error:
        record(
            world,
            group,
            slot,
            SessionInput("delivered", minutes=30, attendance=everyone(members)),
            on=timezone.localdate() - timedelta(days=7),
        )
    assert "the group started when its first pupil joined" in error.value.message_dict["date"][0]


def test_a_date_on_another_weekday_is_refused(world, setup):
    group, members, slot = setup
    data = SessionInput("delivered", minutes=30, attendance=everyone(members))
    with pytest.raises(ValidationError) as error:
        record(world, group, slot, data, on=timezone.localdate() - timedelta(days=1))
    assert "does not meet on" in error.value.message_dict["date"][0]


def test_attendance_for_a_pupil_not_in_the_group_is_refused_and_nothing_saved(world, setup):
    group, members, slot = setup
    data = SessionInput(
        "delivered", minutes=30, attendance=[*everyone(members), AttendanceInput(999999, "present")]
    )
    with pytest.raises(ValidationError) as error:
        record(world, group, slot, data)
    assert error.value.message_dict["attendance"] == [services.NOT_A_MEMBER]
    assert not Session.objects.exists()


def test_an_absence_needs_a_reason_and_engagement_is_one_to_four(world, setup):
    group, members, slot = setup
    data = SessionInput(
        "delivered",
        minutes=30,
        attendance=everyone(
            members,
            {
                members[0].pk: AttendanceInput(members[0].pk, "absent"),
                members[1].pk: AttendanceInput(members[1].pk, "present", engagement=7),
                members[2].pk: AttendanceInput(members[2].pk, "late", absence_reason="ill"),
            },
        ),
    )
    with pytest.raises(ValidationError) as error:
        record(world, group, slot, data)
    errors = error.value.message_dict
    assert errors[f"member_{members[0].pk}"] == ["Amara Ng: choose why they were absent"]
    assert "choose engagement from 1 to 4" in errors[f"member_{members[1].pk}"][0]
    assert "only for a pupil who was absent" in errors[f"member_{members[2].pk}"][0]
    assert not Session.objects.exists()


def test_components_not_in_the_intervention_are_refused(world, setup):
    group, members, slot = setup
    data = SessionInput(
        "delivered", minutes=30, components=["Made up"], attendance=everyone(members)
    )
    with pytest.raises(ValidationError) as error:
        record(world, group, slot, data)
    assert error.value.message_dict["components"] == [services.COMPONENT_UNKNOWN]


def test_a_session_sent_twice_is_recorded_once_and_the_second_sees_the_first(world, setup):
    group, members, slot = setup
    data = SessionInput("delivered", minutes=30, note="first", attendance=everyone(members))
    first = record(world, group, slot, data)
    with pytest.raises(services.SessionConflict) as conflict:
        record(
            world,
            group,
            slot,
            SessionInput("delivered", minutes=20, attendance=everyone(members)),
            who="senco",
        )
    assert conflict.value.session.pk == first.pk
    assert "intervention_specialist person recorded this session" in conflict.value.messages[0]
    assert Session.objects.count() == 1
    assert Session.objects.get().minutes == 30


def test_a_correction_from_a_stale_page_is_refused(world, setup):
    group, members, slot = setup
    data = SessionInput("delivered", minutes=30, attendance=everyone(members))
    first = record(world, group, slot, data)
    seen = first.recorded_at
    record(
        world,
        group,
        slot,
        SessionInput("delivered", minutes=28, attendance=everyone(members)),
        editing=first,
        seen_at=seen,
        who="senco",
    )
    with pytest.raises(services.SessionConflict):
        record(
            world,
            group,
            slot,
            SessionInput("delivered", minutes=10, attendance=everyone(members)),
            editing=first,
            seen_at=seen,
        )
    assert Session.objects.get().minutes == 28
    assert Session.objects.get().history.count() == 2


def test_a_correction_changes_attendance_in_place_and_keeps_its_history(world, setup):
    group, members, slot = setup
    first = record(
        world, group, slot, SessionInput("delivered", minutes=30, attendance=everyone(members))
    )
    late = AttendanceInput(members[2].pk, "late", engagement=2)
    record(
        world,
        group,
        slot,
        SessionInput("delivered", minutes=30, attendance=everyone(members, {members[2].pk: late})),
        editing=first,
        seen_at=first.recorded_at,
    )
    row = Attendance.objects.get(session=first, member=members[2])
    assert row.status == "late"
    assert row.history.count() == 2


def test_an_adaptation_made_in_the_session_joins_the_practitioners_adaptations(world, setup):
    group, members, slot = setup
    data = SessionInput(
        "delivered",
        minutes=30,
        attendance=everyone(members),
        adaptation=AdaptationInput("pace", "Shorter word work", "Pupils tired after PE"),
    )
    record(world, group, slot, data)
    adaptation = Adaptation.objects.get()
    assert (adaptation.group, adaptation.kind, adaptation.recorded_on) == (
        group,
        "pace",
        timezone.localdate(),
    )


def test_only_the_groups_runner_or_the_senco_may_record(world, setup):
    group, members, slot = setup
    data = SessionInput("delivered", minutes=30, attendance=everyone(members))
    for who in ("teacher", "head", "admin"):
        with pytest.raises(PermissionDenied):
            record(world, group, slot, data, who=who)
    assert not Session.objects.exists()
    assert record(world, group, slot, data, who="senco").recorded_by == world.users["senco"]


def test_a_slot_of_another_group_is_refused(world, setup):
    group, _members, _slot = setup
    other, _ = running_group(world, pupils=1, name="Other group")
    with pytest.raises(PermissionDenied):
        record(world, group, other.slots.get(), SessionInput("delivered", minutes=30))


def test_a_session_keeps_its_time_when_the_groups_times_change(world, setup):
    group, members, slot = setup
    session = record(
        world, group, slot, SessionInput("delivered", minutes=30, attendance=everyone(members))
    )
    Slot.objects.filter(group=group).update(starts_at=time(13, 0))
    session.refresh_from_db()
    assert session.starts_at == time(9, 10)
