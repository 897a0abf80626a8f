"""The session register through HTTP: the specialist records today's session in one submit,
a failed submit keeps what was typed, a second submit sees the first, the head only reads, and
the pages run a fixed number of queries whatever the number of pupils or groups."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from sendwise.delivery import session_services as services
from sendwise.delivery.models import Attendance, Session
from tests.delivery.factories import COMPONENTS, make_closure, running_group
from tests.queries import Queries, assert_database_query_count, capture_queries


def register_url(group, on=None):
    on = on or timezone.localdate()
    return reverse("delivery:register", kwargs={"group_id": group.pk, "on": on.isoformat()})


def form_data(members, **fields):
    data = {"status": "delivered", "minutes": "30", "components": COMPONENTS, "note": ""}
    for m in members:
        data[f"member_{m.pk}"] = "present"
        data[f"member_{m.pk}_reason"] = ""
        data[f"member_{m.pk}_engagement"] = ""
    data.update(fields)
    return data


def text(response) -> str:
    return response.content.decode()


def test_the_register_shows_the_pupils_all_present_and_the_components_left_to_tick(
    world, client_as
):
    """Fidelity is recorded only when the deliverer ticks what happened: an untouched form
    must not claim the whole programme was delivered."""
    group, _members = running_group(world, pupils=3)
    page = text(client_as("intervention_specialist").get(register_url(group)))
    assert "Amara Ng" in page
    assert page.count('value="present" checked') == 3
    for component in COMPONENTS:
        assert f'value="{component}"' in page
        assert f'value="{component}" checked' not in page
    assert "The session is 30 minutes long" in page


def test_the_specialist_records_the_session_in_one_submit(world, client_as):
    group, members = running_group(world, pupils=3)
    data = form_data(
        members,
        minutes="25",
        note="Worked on blends",
        reinforce_in_class="Blends: st, sp",
        **{
            f"member_{members[1].pk}": "absent",
            f"member_{members[1].pk}_reason": "appointment",
            f"member_{members[0].pk}_engagement": "4",
        },
    )
    response = client_as("intervention_specialist").post(register_url(group), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("delivery:sessions")
    session = Session.objects.get()
    assert (session.minutes, session.reinforce_in_class) == (25, "Blends: st, sp")
    absent = Attendance.objects.get(member=members[1])
    assert (absent.status, absent.absence_reason) == ("absent", "appointment")
    assert Attendance.objects.get(member=members[0]).engagement == 4


def test_a_failed_submit_keeps_what_was_typed_and_saves_nothing(world, client_as):
    group, members = running_group(world, pupils=2)
    data = form_data(
        members, minutes="45", note="Kept note", **{f"member_{members[1].pk}": "absent"}
    )
    response = client_as("intervention_specialist").post(register_url(group), data)
    page = text(response)
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert "Minutes must be between 1 and 30, the length of the session" in page
    assert "choose why they were absent" in page
    assert "Kept note" in page
    assert 'value="45"' in page
    assert not Session.objects.exists()


def test_minutes_over_the_session_or_over_any_session_get_the_same_message(world, client_as):
    """45 and 200 minutes on a 30-minute session: one message naming this session's length,
    and the box's own bound is the session's (a tester met a "180" message and a "30" one)."""
    group, members = running_group(world, pupils=1)
    client = client_as("intervention_specialist")
    assert 'max="30"' in text(client.get(register_url(group)))
    for typed in ("45", "200"):
        page = text(client.post(register_url(group), form_data(members, minutes=typed)))
        assert "Minutes must be between 1 and 30, the length of the session" in page
        assert "180 or fewer" not in page
    assert not Session.objects.exists()


def test_a_session_sent_twice_is_recorded_once_and_the_second_sees_what_was_saved(world, client_as):
    group, members = running_group(world, pupils=2)
    client = client_as("intervention_specialist")
    assert client.post(register_url(group), form_data(members, note="First")).status_code == 302
    response = client.post(register_url(group), form_data(members, note="Second", minutes="10"))
    page = text(response)
    assert "recorded this session at" in page
    assert "Nothing you entered was saved" in page
    assert Session.objects.count() == 1
    assert Session.objects.get().note == "First"
    # What they saved is shown, and the second note is kept after it, not thrown away.
    assert "First\n\nSecond</textarea>" in page
    assert "What you typed is kept in the form below (note)" in page
    assert 'value="30"' in page  # the minutes they saved, not the 10 typed


def test_a_recorded_session_can_be_corrected_from_its_register(world, client_as):
    group, members = running_group(world, pupils=2)
    client = client_as("intervention_specialist")
    client.post(register_url(group), form_data(members))
    page = text(client.get(register_url(group)))
    session = Session.objects.get()
    assert f'name="editing" value="{session.pk}"' in page
    data = form_data(members, minutes="20", editing=str(session.pk))
    data["seen_at"] = session.recorded_at.isoformat()
    assert client.post(register_url(group), data).status_code == 302
    assert Session.objects.get().minutes == 20


def test_saving_a_session_already_recorded_says_it_was_updated_not_recorded(world, client_as):
    group, members = running_group(world, pupils=2)
    client = client_as("intervention_specialist")
    first = client.post(register_url(group), form_data(members), follow=True)
    day = timezone.localdate()
    assert f"{group.name}, {day:%A %-d %B}: session recorded" in text(first)
    session = Session.objects.get()
    data = form_data(members, minutes="20", editing=str(session.pk))
    data["seen_at"] = session.recorded_at.isoformat()
    again = text(client.post(register_url(group), data, follow=True))
    assert f"{group.name}, {day:%A %-d %B}: session updated" in again
    assert "session recorded" not in again


def test_the_head_reads_the_register_but_cannot_record(world, client_as):
    group, members = running_group(world, pupils=2)
    client_as("intervention_specialist").post(register_url(group), form_data(members, note="Seen"))
    client = client_as("head")
    page = text(client.get(register_url(group)))
    assert "Seen" in page and "Amara Ng" in page
    assert "Save session" not in page
    assert client.post(register_url(group), form_data(members)).status_code == 403


def test_a_teacher_who_does_not_run_the_group_gets_404_and_nothing_is_saved(world, client_as):
    group, members = running_group(world, pupils=2)
    response = client_as("teacher").post(register_url(group), form_data(members))
    assert response.status_code == 404
    assert not Session.objects.exists()


def test_a_future_date_or_a_day_the_group_does_not_meet(world, client_as):
    group, _ = running_group(world, pupils=1)
    client = client_as("intervention_specialist")
    page = text(client.get(register_url(group, timezone.localdate() + timedelta(days=7))))
    assert "You cannot record a session in the future" in page
    assert "Save session" not in page
    assert (
        client.get(register_url(group, timezone.localdate() - timedelta(days=1))).status_code == 404
    )
    bad = reverse("delivery:register", kwargs={"group_id": group.pk, "on": "2026-02-31"})
    assert client.get(bad).status_code == 404


def test_the_sessions_page_lists_today_and_this_weeks_missed_sessions(world, client_as):
    group, members = running_group(world, pupils=1)
    client = client_as("intervention_specialist")
    page = text(client.get(reverse("delivery:sessions")))
    assert "09:10 Reading group" in page
    assert "To record" in page
    client.post(register_url(group), form_data(members))
    assert "Recorded" in text(client.get(reverse("delivery:sessions")))


def test_a_missed_session_is_opened_by_group_and_date(world, client_as):
    group, _ = running_group(world, pupils=1)
    last_week = timezone.localdate() - timedelta(days=7)
    client = client_as("intervention_specialist")
    response = client.get(
        reverse("delivery:sessions"), {"group": group.pk, "date": last_week.isoformat()}
    )
    assert response.status_code == 302
    assert response["Location"] == register_url(group, last_week)
    page = text(client.get(reverse("delivery:sessions"), {"group": group.pk, "date": "nope"}))
    assert "Enter the date of the session" in page


def queries(client, address: str) -> Queries:
    client.get(address)
    with capture_queries() as captured:
        assert client.get(address).status_code == 200
    return captured


def same_queries(client, address: str, earlier: Queries, info: str) -> None:
    client.get(address)
    with assert_database_query_count(earlier, info=info):
        assert client.get(address).status_code == 200


@pytest.mark.parametrize("who", ["intervention_specialist", "senco"])
def test_the_register_runs_the_same_queries_for_1_and_20_pupils(world, client_as, who):
    small, members = running_group(world, pupils=1, name="Small")
    big, big_members = running_group(world, pupils=20, name="Big")
    client = client_as(who)
    for group, people in ((small, members), (big, big_members)):
        client.post(register_url(group), form_data(people))  # a recorded session, the most work
    one_pupil = queries(client, register_url(small))
    same_queries(client, register_url(big), one_pupil, "the register of 20 pupils, against 1")


def test_the_sessions_page_runs_the_same_queries_for_1_and_20_groups(world, client_as):
    client = client_as("intervention_specialist")
    running_group(world, pupils=1, name="Group 0")
    one = queries(client, reverse("delivery:sessions"))
    for n in range(1, 20):
        running_group(world, pupils=1, name=f"Group {n}")
    same_queries(client, reverse("delivery:sessions"), one, "20 groups, against 1")


def record_weeks(world, group, members, weeks: int, *, cancel_every: int = 0):
    """The group's weekly session for each of the last ``weeks`` weeks (not today), the
    ``cancel_every``-th one cancelled for staff absence."""
    from sendwise.core.access import actor_for
    from sendwise.delivery import session_services as services

    actor = actor_for(world.users["intervention_specialist"])
    slot = group.slots.get()
    for n in range(1, weeks + 1):
        cancelled = cancel_every and n % cancel_every == 0
        services.session_record(
            actor=actor,
            group=group,
            on=timezone.localdate() - timedelta(weeks=n),
            slot=slot,
            data=services.SessionInput(
                status="cancelled" if cancelled else "delivered",
                cancel_reason="staff_absent" if cancelled else "",
                minutes=None if cancelled else 30,
                attendance=[services.AttendanceInput(m.pk, "present") for m in members],
            ),
        )


def test_the_group_page_shows_each_pupils_dose_flagged_with_the_main_reason(world, client_as):
    group, members = running_group(world, pupils=2, joined_days_ago=8 * 7)
    record_weeks(world, group, members, 8, cancel_every=2)
    page = text(
        client_as("intervention_specialist").get(reverse("delivery:group_detail", args=[group.pk]))
    )
    assert "4 of 8 planned sessions, 120 of 240 minutes (50%)" in page
    assert "Below 80%" in page
    assert "Mostly cancellations: staff absent" in page
    assert "Recorded sessions, newest first" in page


def test_the_plans_page_shows_the_dose_delivered_to_staff(world, client_as):
    group, members = running_group(world, pupils=1, joined_days_ago=4 * 7)
    record_weeks(world, group, members, 4)
    url = reverse("planning:plans", kwargs={"pupil_id": world.pupil_in_class.pk})
    assert "4 of 4 planned sessions, 120 of 120 minutes (100%)" in text(client_as("senco").get(url))
    assert "planned sessions" not in text(client_as("parent").get(url))


def test_the_specialists_home_lists_todays_sessions(world, client_as):
    running_group(world, pupils=1)
    page = text(client_as("intervention_specialist").get(reverse("home")))
    assert "Your sessions today" in page
    assert "09:10 Reading group" in page
    assert "Your sessions today" not in text(client_as("teacher").get(reverse("home")))


def test_the_pupil_page_shows_the_dose_delivered_to_staff(world, client_as):
    group, members = running_group(world, pupils=1, joined_days_ago=4 * 7)
    record_weeks(world, group, members, 4, cancel_every=2)
    url = reverse("pupils:detail", kwargs={"pupil_id": world.pupil_in_class.pk})
    page = text(client_as("senco").get(url))
    assert "2 of 4 planned sessions, 60 of 120 minutes (50%)" in page
    assert "Mostly cancellations: staff absent" in page
    assert "planned sessions" not in text(client_as("parent").get(url))


@pytest.mark.parametrize(
    ("days_ago", "typed", "message"),
    [
        (6, None, "This group meets on "),
        (None, "9999-12-31", "You cannot record a session in the future"),
        (None, "0001-01-01", "Sessions can be recorded up to 14 weeks back"),
        (14, None, "The school is closed on "),
    ],
)
def test_a_missed_session_on_a_day_the_group_cannot_have_met_says_why_on_the_form(
    world, client_as, days_ago, typed, message
):
    group, _ = running_group(world, pupils=1)  # meets on today's weekday only
    today = timezone.localdate()
    make_closure(world.school, today - timedelta(days=14), name="INSET day", kind="inset")
    typed = typed or (today - timedelta(days=days_ago)).isoformat()
    response = client_as("intervention_specialist").get(
        reverse("delivery:sessions"), {"group": group.pk, "date": typed}
    )
    assert response.status_code == 200
    page = text(response)
    assert "<title>Error: " in page
    assert message in page
    assert '<a href="#missed-date">' in page
    assert not Session.objects.exists()


def test_the_meeting_days_are_named_in_the_message(world, client_as):
    group, _ = running_group(world, pupils=1)
    today = timezone.localdate()
    weekday = today.strftime("%A")
    other = today - timedelta(days=6)
    page = text(
        client_as("senco").get(
            reverse("delivery:sessions"), {"group": group.pk, "date": other.isoformat()}
        )
    )
    assert (
        f"This group meets on {weekday}s, and {other:%-d %B %Y} was a {other:%A}: "
        "choose one of its days"
    ) in page


def test_minutes_below_zero_say_the_range_allowed(world, client_as):
    group, members = running_group(world, pupils=1)
    response = client_as("intervention_specialist").post(
        register_url(group), form_data(members, minutes="-5")
    )
    page = text(response)
    assert "Minutes must be between 1 and 30, the length of the session" in page
    assert "Enter how many minutes the session lasted" not in page
    assert not Session.objects.exists()


def test_the_register_names_a_group_named_after_its_intervention_once(world, client_as):
    group, _members = running_group(world, pupils=1, name="Reading recovery (A)")
    page = text(client_as("intervention_specialist").get(register_url(group)))
    assert '<span class="govuk-caption-l">Reading recovery (A)</span>' in page
    assert "Reading recovery (A) – Reading recovery" not in page


def test_an_absent_pupil_gets_no_engagement_rating(world, client_as):
    """Engagement is how a pupil took part: one who was absent gets none, as a reason for
    absence is refused for a pupil who was there."""
    group, members = running_group(world, pupils=2)
    absent = members[1]
    data = form_data(
        members,
        note="Kept note",
        **{
            f"member_{absent.pk}": "absent",
            f"member_{absent.pk}_reason": "ill",
            f"member_{absent.pk}_engagement": "4",
        },
    )
    response = client_as("intervention_specialist").post(register_url(group), data)
    page = text(response)
    assert response.status_code == 200
    assert "<title>Error: " in page
    name = absent.placement.plan.pupil.full_name
    assert escape(services.ENGAGEMENT_ONLY_IF_THERE.format(pupil=name)) in page
    assert "Kept note" in page
    assert not Session.objects.exists()


def test_a_correction_keeps_who_recorded_the_session_and_shows_who_changed_it(world, client_as):
    group, members = running_group(world, pupils=2)
    client_as("intervention_specialist").post(register_url(group), form_data(members))
    session = Session.objects.get()
    data = form_data(members, minutes="20", editing=str(session.pk))
    data["seen_at"] = session.recorded_at.isoformat()
    assert client_as("senco").post(register_url(group), data).status_code == 302
    session = Session.objects.get()
    assert (session.minutes, session.recorded_by) == (20, world.users["intervention_specialist"])
    page = text(client_as("senco").get(register_url(group)))
    specialist = world.users["intervention_specialist"].full_name
    senco = world.users["senco"].full_name
    assert f"Recorded by {specialist}. Last changed by {senco} at" in page


def test_the_missed_session_date_box_has_no_format_hint(world, client_as):
    """The box is the browser's date picker, which shows the date in the reader's own order
    and sends the ISO date itself: a typed-format example beside it would only mislead."""
    running_group(world, pupils=1)
    client = client_as("intervention_specialist")
    html = client.get(reverse("delivery:sessions")).content.decode()
    box = html.split('id="missed-date"')[1].split(">")[0]
    assert 'type="date"' in box and "aria-describedby" not in box
    assert "missed-date-hint" not in html and "For example, 2" not in html
    page = text(client.get(reverse("delivery:sessions"), {"group": "", "date": "nope"}))
    assert "2026-03-27" not in page and "27 3 2026" not in page


def test_after_a_clash_a_note_too_long_to_merge_is_kept_beside_the_box_not_cut(world, client_as):
    """Two tabs record the same session; the notes together would pass the note's 2,000
    characters. The saved note stays in the box, the second person's note is shown read-only
    under it with what happened, and nothing is saved cut or past the bound."""
    group, members = running_group(world, pupils=2)
    client = client_as("intervention_specialist")
    theirs, mine = "A" * 1500, "B" * 800
    assert client.post(register_url(group), form_data(members, note=theirs)).status_code == 302
    page = text(client.post(register_url(group), form_data(members, note=mine)))
    assert Session.objects.get().note == theirs
    note_box = page.split('name="note"')[1].split("</textarea>")[0]
    assert theirs in note_box and "B" not in note_box
    kept = page.split('data-testid="typed-overflow"')[1].split("</textarea>")[0]
    assert mine in kept and "readonly" in kept and "name=" not in kept
    assert "longer than the 2,000 characters a note can hold" in page
    assert "What you typed is kept in the form below" not in page  # not said of the note
    # They shorten their note into the box and save: within the bound, it is kept.
    session = Session.objects.get()
    data = form_data(members, note=f"{theirs}\n\n{mine[:400]}", editing=str(session.pk))
    data["seen_at"] = session.recorded_at.isoformat()
    assert client.post(register_url(group), data).status_code == 302
    assert Session.objects.get().note == f"{theirs}\n\n{mine[:400]}"


def test_a_note_past_the_bound_is_refused_with_why_not_saved_cut(world, client_as):
    group, members = running_group(world, pupils=1)
    client = client_as("intervention_specialist")
    page = text(client.post(register_url(group), form_data(members, note="C" * 2001)))
    assert not Session.objects.exists()
    assert "2,000" in page and "Error:" in page


def test_last_weeks_unrecorded_session_is_on_the_sessions_page_oldest_first_with_a_count(
    world, client_as
):
    """A group that met last Wednesday and one that met on Tuesday the week before, neither
    recorded: on the Sessions page, not only each group's page, oldest first and counted (each
    group owes every session on its weekday from the day its pupils joined up to yesterday)."""
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    wednesday, tuesday = monday - timedelta(days=5), monday - timedelta(days=13)
    phonics, _ = running_group(
        world, pupils=1, name="Phonics group", meets_on=wednesday,
        joined_days_ago=(today - wednesday).days,
    )  # fmt: skip
    maths, _ = running_group(
        world, pupils=1, name="Maths group", meets_on=tuesday,
        joined_days_ago=(today - tuesday).days,
    )  # fmt: skip
    owed = sum(
        1
        for first in (wednesday, tuesday)
        for n in range((today - first).days)
        if (first + timedelta(days=n)).weekday() == first.weekday()
    )
    page = text(client_as("intervention_specialist").get(reverse("delivery:sessions")))
    older = f"{tuesday:%A} {tuesday.day} {tuesday:%B} 09:10 Maths group"
    newer = f"{wednesday:%A} {wednesday.day} {wednesday:%B} 09:10 Phonics group"
    assert page.index(older) < page.index(newer)
    assert register_url(maths, tuesday) in page and register_url(phonics, wednesday) in page
    assert f"Not recorded yet, last 4 weeks: {owed} sessions, oldest first" in page
