"""Dose delivered against dose planned (sendwise/delivery/dose.py), on hand-worked cases and
with hypothesis."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from sendwise.delivery.dose import (
    NOT_PLACED,
    NOT_RECORDED,
    SHORTER,
    Held,
    Planned,
    dose,
    owed_at_week_starts,
    planned_sessions,
    timetable_short,
)

MONDAY = date(2026, 9, 7)
PLAN = Planned(start=MONDAY, sessions_per_week=3, minutes_per_session=30, weeks=10)


def held(n, *, minutes=30, attended=True, cancelled=False, reason="", start=MONDAY):
    return [
        Held(
            on=start + timedelta(days=i),
            cancelled=cancelled,
            minutes=0 if cancelled else minutes,
            attended=None if cancelled else attended,
            reason=reason,
        )
        for i in range(n)
    ]


def test_nothing_is_owed_in_the_first_partly_run_week():
    assert planned_sessions(PLAN, MONDAY + timedelta(days=6)) == 0
    assert dose(PLAN, [], MONDAY + timedelta(days=6)).percent is None


def test_two_whole_weeks_owe_six_sessions_of_thirty_minutes():
    result = dose(PLAN, held(6), MONDAY + timedelta(days=14))
    assert (result.planned_sessions, result.planned_minutes) == (6, 180)
    assert (result.delivered_sessions, result.delivered_minutes) == (6, 180)
    assert result.percent == 100
    assert not result.below
    assert result.reason == ""


def test_planned_stops_after_the_planned_weeks_and_at_the_review():
    assert planned_sessions(PLAN, MONDAY + timedelta(weeks=30)) == 30
    ended = Planned(MONDAY, 3, 30, 10, end=MONDAY + timedelta(weeks=4, days=2))
    assert planned_sessions(ended, MONDAY + timedelta(weeks=30)) == 12


def test_two_cancelled_for_staff_absence_of_six_is_67_percent_mostly_cancellations():
    # 4 delivered x 30 = 120 of 180 minutes = 66.7% -> 67; 60 minutes lost to staff absence.
    sessions = held(4) + held(2, cancelled=True, reason="Staff absent", start=MONDAY + timedelta(8))
    result = dose(PLAN, sessions, MONDAY + timedelta(days=14))
    assert result.percent == 67
    assert result.below
    assert (result.cancelled, result.absences, result.held) == (2, 0, 4)
    assert result.attendance_percent == 100  # cancellations are not absences
    assert result.reason == "mostly cancellations: staff absent"


def test_absences_outweighing_cancellations_name_the_absence_reason():
    # 3 attended, 2 absent ill, 1 cancelled (room): 90/180 = 50%, absences lost 60 minutes.
    sessions = (
        held(3)
        + held(2, attended=False, reason="Ill", start=MONDAY + timedelta(3))
        + held(1, cancelled=True, reason="No room", start=MONDAY + timedelta(9))
    )
    result = dose(PLAN, sessions, MONDAY + timedelta(days=14))
    assert result.percent == 50
    assert result.attendance_percent == 60  # 3 of the 5 held
    assert result.reason == "mostly absences: ill"


def test_short_sessions_are_the_reason_when_every_session_was_held():
    result = dose(PLAN, held(6, minutes=20), MONDAY + timedelta(days=14))
    assert result.percent == 67  # 120 of 180
    assert result.reason == f"mostly {SHORTER}"


def test_sessions_never_recorded_are_the_reason_when_little_was_held():
    result = dose(PLAN, held(2), MONDAY + timedelta(days=14))
    assert result.percent == 33
    assert result.reason == f"mostly {NOT_RECORDED}"


def test_without_minutes_the_dose_counts_sessions():
    plan = Planned(MONDAY, 2, None, None)
    result = dose(plan, held(3, minutes=45), MONDAY + timedelta(days=14))
    assert (result.planned_sessions, result.planned_minutes, result.percent) == (4, None, 75)
    assert result.reason == f"mostly {NOT_RECORDED}"


def test_a_plan_without_a_weekly_number_owes_nothing_and_is_never_flagged():
    result = dose(Planned(MONDAY, None, 30, 10), held(2), MONDAY + timedelta(days=60))
    assert result.percent is None
    assert not result.below


plans = st.builds(
    Planned,
    start=st.just(MONDAY),
    sessions_per_week=st.one_of(st.none(), st.integers(1, 5)),
    minutes_per_session=st.one_of(st.none(), st.integers(5, 60)),
    weeks=st.one_of(st.none(), st.integers(1, 40)),
)
sessions = st.lists(
    st.builds(
        Held,
        on=st.integers(0, 300).map(lambda d: MONDAY + timedelta(days=d)),
        cancelled=st.booleans(),
        minutes=st.integers(1, 60),
        attended=st.one_of(st.none(), st.booleans()),
        reason=st.sampled_from(["", "Ill", "Staff absent"]),
    ),
    max_size=60,
)


@given(plan=plans, rows=sessions, days=st.integers(0, 400))
def test_counts_add_up_and_a_flag_always_has_a_reason(plan, rows, days):
    result = dose(plan, rows, MONDAY + timedelta(days=days))
    assert result.cancelled + result.held == len(rows)
    assert result.delivered_sessions + result.absences == result.held
    assert result.delivered_minutes == sum(
        r.minutes for r in rows if not r.cancelled and r.attended
    )
    assert result.planned_sessions >= 0
    if result.percent is None:
        assert not result.below and result.reason == ""
    if result.below:
        assert result.reason.startswith("mostly ")
    if result.percent is not None and result.percent >= 80:
        assert result.reason == ""


@given(plan=plans, days=st.integers(0, 400), more=st.integers(0, 60))
def test_planned_never_falls_as_time_passes(plan, days, more):
    early = planned_sessions(plan, MONDAY + timedelta(days=days))
    assert early <= planned_sessions(plan, MONDAY + timedelta(days=days + more))


def test_a_placement_never_put_in_a_group_is_waiting_not_short_of_its_dose():
    # Three whole weeks at 3 a week: 9 sessions owed, none could happen without a group.
    result = dose(PLAN, [], MONDAY + timedelta(days=21), placed=False)
    assert result.planned_sessions == 9
    assert result.percent is None  # no share of a dose that was never timetabled
    assert not result.below
    assert result.waiting
    assert result.reason == NOT_PLACED == "not started: not in a group yet"


def test_a_placement_not_in_a_group_owes_nothing_in_its_first_week():
    result = dose(PLAN, [], MONDAY + timedelta(days=3), placed=False)
    assert (result.waiting, result.reason, result.percent) == (False, "", None)


# --- A timetable that cannot deliver the planned dose ---------------------------------------------
def test_a_group_that_meets_less_often_and_for_less_time_than_the_plan_says_so_plainly():
    assert timetable_short([20, 20], sessions_per_week=3, minutes_per_session=30, who="Sam") == (
        "This group meets twice a week for 20 minutes; Sam's plan asks for 3 sessions of "
        "30 minutes a week."
    )


def test_enough_sessions_but_too_few_minutes_a_week_is_short():
    assert timetable_short(
        [30, 20, 20], sessions_per_week=3, minutes_per_session=30, who="Sam"
    ) == (
        "This group meets 3 times a week for 20 or 30 minutes; Sam's plan asks for 3 sessions "
        "of 30 minutes a week."
    )


def test_one_long_session_does_not_make_up_for_sessions_spread_through_the_week():
    text = timetable_short([60], sessions_per_week=2, minutes_per_session=30, who="Sam")
    assert text.startswith("This group meets once a week for 60 minutes; Sam's plan asks for 2")


def test_a_group_with_no_times_yet_cannot_deliver_any_dose():
    assert timetable_short([], sessions_per_week=1, minutes_per_session=None, who="Sam") == (
        "This group has no times in the timetable yet; Sam's plan asks for 1 session a week."
    )


def test_a_timetable_that_delivers_the_dose_says_nothing():
    assert timetable_short([30, 30, 30], sessions_per_week=3, minutes_per_session=30, who="S") == ""
    # More, shorter sessions adding up to the planned minutes deliver the dose.
    assert timetable_short([20, 20, 20], sessions_per_week=2, minutes_per_session=30, who="S") == ""
    # No dose planned: nothing to compare.
    assert timetable_short([20], sessions_per_week=None, minutes_per_session=30, who="S") == ""


@given(
    st.lists(st.integers(1, 120), max_size=6),
    st.integers(1, 5),
    st.one_of(st.none(), st.integers(5, 90)),
)
def test_short_exactly_when_fewer_sessions_or_fewer_minutes_a_week(slots, sessions, minutes):
    short = len(slots) < sessions or (minutes is not None and sum(slots) < sessions * minutes)
    text = timetable_short(slots, sessions_per_week=sessions, minutes_per_session=minutes, who="A")
    assert bool(text) == short


# Since when: the first day of the unbroken run of school weeks the dose has been below 80%.


def test_a_dose_that_fell_short_in_the_second_week_is_short_since_the_third_week_began():
    # Week 1: all 3 sessions (at the start of week 2: 3 of 3 owed, 100%). Weeks 2 and 3: one
    # each. At the start of week 3: 4 of 6 (67%); of week 4: 5 of 9 (56%); today 5 of 9.
    sessions = (
        held(3) + held(1, start=MONDAY + timedelta(8)) + held(1, start=MONDAY + timedelta(15))
    )
    result = dose(PLAN, sessions, MONDAY + timedelta(days=23))
    assert result.percent == 56
    assert result.since == MONDAY + timedelta(weeks=2)


def test_a_dose_that_recovered_and_fell_again_is_short_since_the_second_fall():
    # 67% at the start of week 3, back to 100% at the start of week 4 (5 sessions in week 3),
    # 9 of 12 (75%) at the start of week 5 and today.
    sessions = (
        held(3) + held(1, start=MONDAY + timedelta(8)) + held(5, start=MONDAY + timedelta(14))
    )
    result = dose(PLAN, sessions, MONDAY + timedelta(days=30))
    assert result.percent == 75
    assert result.since == MONDAY + timedelta(weeks=4)


def test_a_dose_on_track_or_with_nothing_owed_has_no_since():
    assert dose(PLAN, held(6), MONDAY + timedelta(days=14)).since is None
    assert dose(PLAN, [], MONDAY + timedelta(days=6)).since is None


def test_a_register_never_kept_is_short_since_the_first_week_was_owed():
    result = dose(PLAN, [], MONDAY + timedelta(days=20))
    assert (result.percent, result.since) == (0, MONDAY + timedelta(weeks=1))


def test_a_session_on_the_day_a_week_begins_counts_for_the_new_week():
    # Week 1: two sessions; the third is made up on Monday of week 2. On Wednesday of week 2:
    # 3 of the 3 owed, not short. A week later nothing more came: 3 of 6, short since week 2
    # began (2 of 3 then: the make-up session on that Monday counts for week 2).
    sessions = held(2) + held(1, start=MONDAY + timedelta(7))
    result = dose(PLAN, sessions, MONDAY + timedelta(days=9))
    assert result.percent == 100  # 3 of 3 owed: not short today
    assert result.since is None
    later = dose(PLAN, sessions, MONDAY + timedelta(days=15))  # 3 of 6 owed
    assert (later.percent, later.since) == (50, MONDAY + timedelta(weeks=1))


def test_a_pupil_waiting_for_a_place_waits_from_the_day_sessions_were_first_owed():
    result = dose(PLAN, [], MONDAY + timedelta(days=20), placed=False)
    assert result.since == MONDAY + timedelta(weeks=1)
    # The first week closed for half-term: nothing was owed until the second week ended.
    half_term = {MONDAY + timedelta(days=d) for d in range(5)}
    result = dose(PLAN, [], MONDAY + timedelta(days=20), half_term, placed=False)
    assert result.since == MONDAY + timedelta(weeks=2)
    assert dose(PLAN, [], MONDAY + timedelta(days=6), placed=False).since is None


def test_the_sessions_may_be_given_once_as_a_generator():
    sessions = held(3) + held(1, start=MONDAY + timedelta(8))
    result = dose(PLAN, (h for h in sessions), MONDAY + timedelta(days=16))
    assert (result.percent, result.since) == (67, MONDAY + timedelta(weeks=2))


@given(
    attended=st.lists(st.booleans(), min_size=0, max_size=40),
    days=st.integers(min_value=0, max_value=120),
)
def test_since_is_set_exactly_when_the_dose_is_below_and_never_after_today(attended, days):
    today = MONDAY + timedelta(days=days)
    sessions = [
        Held(on=MONDAY + timedelta(days=2 * i), cancelled=False, minutes=30, attended=came)
        for i, came in enumerate(attended)
        if MONDAY + timedelta(days=2 * i) <= today
    ]
    result = dose(PLAN, sessions, today)
    assert (result.since is not None) == result.below
    if result.since is not None:
        assert MONDAY < result.since <= today


@given(
    closed_offsets=st.sets(st.integers(min_value=-10, max_value=200), max_size=60),
    per_week=st.integers(min_value=0, max_value=5),
    weeks=st.one_of(st.none(), st.integers(min_value=1, max_value=30)),
    days=st.integers(min_value=0, max_value=220),
)
def test_the_owed_sessions_at_each_week_start_are_planned_sessions_on_that_day(
    closed_offsets, per_week, weeks, days
):
    """The one-pass count that dates a shortfall gives what ``planned_sessions`` gives."""
    plan = Planned(MONDAY, per_week, 30, weeks)
    closed = {MONDAY + timedelta(days=d) for d in closed_offsets}
    today = MONDAY + timedelta(days=days)
    for day, owed in owed_at_week_starts(plan, today, closed):
        assert owed == planned_sessions(plan, day, closed)
