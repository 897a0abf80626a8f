"""The planned dose skips the days the school is closed (sendwise/delivery/dose.py, ``closed``):
hand-worked cases and a property."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from sendwise.delivery.dose import Held, Planned, dose, planned_sessions, school_days_run

MONDAY = date(2026, 9, 7)
#: A six-week block, three 30-minute sessions a week.
BLOCK = Planned(start=MONDAY, sessions_per_week=3, minutes_per_session=30, weeks=6)


def weekdays(first: date, last: date) -> set[date]:
    return {
        first + timedelta(days=n)
        for n in range((last - first).days + 1)
        if (first + timedelta(days=n)).weekday() < 5
    }


#: Half-term in the block's fourth week (Monday 28 September to Friday 2 October).
HALF_TERM = weekdays(MONDAY + timedelta(weeks=3), MONDAY + timedelta(weeks=3, days=4))


def test_a_six_week_block_with_a_half_term_inside_owes_five_weeks_after_six():
    # 6 calendar weeks = 30 weekdays, 5 of them half-term: 25 school days = 5 school weeks,
    # 5 x 3 = 15 sessions (not 18), 15 x 30 = 450 minutes.
    six_weeks_on = MONDAY + timedelta(weeks=6)
    assert school_days_run(BLOCK, six_weeks_on, HALF_TERM) == 25
    assert planned_sessions(BLOCK, six_weeks_on, HALF_TERM) == 15
    assert planned_sessions(BLOCK, six_weeks_on) == 18  # without the calendar: 6 weeks owed
    result = dose(
        BLOCK,
        [Held(MONDAY + timedelta(days=n), False, 30) for n in range(15)],
        six_weeks_on,
        HALF_TERM,
    )
    assert (result.planned_sessions, result.planned_minutes, result.percent) == (15, 450, 100)
    assert not result.below


def test_the_block_owes_its_sixth_school_week_one_calendar_week_later_and_no_more():
    assert planned_sessions(BLOCK, MONDAY + timedelta(weeks=7), HALF_TERM) == 18
    assert planned_sessions(BLOCK, MONDAY + timedelta(weeks=12), HALF_TERM) == 18


def test_during_the_half_term_nothing_more_is_owed():
    # After 3 weeks 9 sessions are owed; a week later, the half-term week, still 9.
    assert planned_sessions(BLOCK, MONDAY + timedelta(weeks=3), HALF_TERM) == 9
    assert planned_sessions(BLOCK, MONDAY + timedelta(weeks=4), HALF_TERM) == 9


def test_a_week_with_one_inset_day_owes_four_fifths_rounded_to_whole_sessions():
    inset = {MONDAY}
    daily = Planned(start=MONDAY, sessions_per_week=5, minutes_per_session=20, weeks=10)
    assert planned_sessions(daily, MONDAY + timedelta(weeks=1), inset) == 4  # 4 of 5
    # 3 a week: 4 days x 3 / 5 = 2.4 -> 2 in one week; two such weeks 8 x 3 / 5 = 4.8 -> 5.
    assert planned_sessions(BLOCK, MONDAY + timedelta(weeks=1), inset) == 2
    two_insets = {MONDAY, MONDAY + timedelta(weeks=1)}
    assert planned_sessions(BLOCK, MONDAY + timedelta(weeks=2), two_insets) == 5


def test_closed_weekends_and_days_before_the_start_change_nothing():
    saturday = MONDAY + timedelta(days=5)
    before = MONDAY - timedelta(days=3)
    assert planned_sessions(BLOCK, MONDAY + timedelta(weeks=2), {saturday, before}) == 6


def test_a_session_cancelled_on_a_closed_day_is_not_a_loss_but_one_held_then_counts():
    two_weeks_on = MONDAY + timedelta(weeks=2)
    inset = MONDAY + timedelta(weeks=1)  # Monday of week 2
    held = [Held(MONDAY + timedelta(days=d), False, 30) for d in (0, 2, 4)]  # week 1: all 3
    held += [Held(inset, True, reason="School event")]  # cancelled on the INSET day
    held += [Held(inset + timedelta(days=d), False, 30) for d in (2, 4)]
    # Owed: 9 school days x 3 / 5 = 5.4 -> 5 sessions, 150 minutes; delivered 5: 100%.
    result = dose(BLOCK, held, two_weeks_on, {inset})
    assert (result.planned_sessions, result.delivered_sessions, result.cancelled) == (5, 5, 0)
    assert result.percent == 100
    # A session held on a closed day (a holiday club) still counts as delivered.
    extra = dose(BLOCK, [*held, Held(inset, False, 30)], two_weeks_on, {inset})
    assert (extra.delivered_sessions, extra.percent) == (6, 120)


@given(
    weeks_on=st.integers(min_value=0, max_value=40),
    closed_offsets=st.sets(st.integers(min_value=-10, max_value=300), max_size=60),
    per_week=st.integers(min_value=1, max_value=5),
)
def test_closures_never_add_to_what_is_owed_and_never_owe_more_than_the_block(
    weeks_on, closed_offsets, per_week
):
    plan = Planned(start=MONDAY, sessions_per_week=per_week, minutes_per_session=30, weeks=6)
    today = MONDAY + timedelta(weeks=weeks_on)
    closed = {MONDAY + timedelta(days=n) for n in closed_offsets}
    owed = planned_sessions(plan, today, closed)
    assert 0 <= owed <= planned_sessions(plan, today) <= 6 * per_week
