"""Free time left in a member of staff's week: never over a booked session, always inside the
time they gave, always long enough for a session, and nothing free is missed."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sendwise.delivery import timetable
from sendwise.delivery.timetable import Window, free_days, free_windows, minutes_of

DAY_MINUTES = 24 * 60


@st.composite
def windows(draw):
    weekday = draw(st.integers(0, 4))
    start = draw(st.integers(0, DAY_MINUTES - 1))
    length = draw(st.integers(1, 240))
    return Window(weekday, start, start + length)


week = st.lists(windows(), max_size=8)
sessions = st.integers(1, 120)


def minutes(ws) -> set[tuple[int, int]]:
    return {(w.weekday, m) for w in ws for m in range(w.start, w.end)}


def overlaps(a: Window, b: Window) -> bool:
    return a.weekday == b.weekday and a.start < b.end and b.start < a.end


@given(week, week, sessions)
def test_free_windows_never_overlap_a_booked_session(available, booked, session):
    for free in free_windows(available, booked, session_minutes=session):
        assert not any(overlaps(free, b) for b in booked)


@given(week, week, sessions)
def test_free_windows_lie_inside_the_time_given(available, booked, session):
    for free in free_windows(available, booked, session_minutes=session):
        assert minutes([free]) <= minutes(available)


@given(week, week, sessions)
def test_free_windows_are_at_least_one_session_long_and_do_not_overlap_each_other(
    available, booked, session
):
    free = free_windows(available, booked, session_minutes=session)
    assert all(w.end - w.start >= session for w in free)
    assert free == sorted(free)
    assert not any(overlaps(a, b) for i, a in enumerate(free) for b in free[i + 1 :])


@given(week, week, sessions)
def test_no_free_stretch_long_enough_for_a_session_is_missed(available, booked, session):
    """Every minute given and not booked is free, unless its stretch is too short to use."""
    free = minutes(free_windows(available, booked, session_minutes=session))
    open_minutes = minutes(available) - minutes(booked)
    for day, minute in open_minutes - free:
        # Walk the open stretch around the minute: it must be shorter than a session.
        start = minute
        while (day, start - 1) in open_minutes:
            start -= 1
        end = minute
        while (day, end) in open_minutes:
            end += 1
        assert end - start < session


@given(week, week, sessions)
def test_free_days_give_the_first_free_window_of_each_day(available, booked, session):
    days = free_days(available, booked, session_minutes=session)
    free = free_windows(available, booked, session_minutes=session)
    assert [d.weekday for d in days] == sorted({w.weekday for w in free})
    for d in days:
        assert d == min(w for w in free if w.weekday == d.weekday)


def test_a_group_at_the_start_of_tuesdays_time_leaves_the_rest_free():
    tuesday = Window(1, minutes_of(13, 15), minutes_of(14, 45))
    group = Window(1, minutes_of(13, 15), minutes_of(13, 45))
    (free,) = free_windows([tuesday], [group], session_minutes=30)
    assert free.label == "Tuesday 13:45–14:45"


def test_a_window_entered_twice_counts_once_and_a_gap_too_short_is_not_free():
    monday = Window(0, minutes_of(9, 0), minutes_of(10, 0))
    booked = [Window(0, minutes_of(9, 20), minutes_of(9, 50))]
    assert free_windows([monday, monday], booked, session_minutes=20) == [
        Window(0, minutes_of(9, 0), minutes_of(9, 20))
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((5, 0, 10), timetable.ERR_DAY),
        ((-1, 0, 10), timetable.ERR_DAY),
        ((1, 10, 10), timetable.ERR_WINDOW),
    ],
)
def test_an_impossible_window_is_refused(args, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        Window(*args)


def test_a_session_must_last_a_minute():
    with pytest.raises(ValueError, match=re.escape(timetable.ERR_MINUTES)):
        free_windows([], [], session_minutes=0)


def test_the_timetable_rules_do_not_import_django():
    import ast
    from pathlib import Path

    tree = ast.parse(Path(timetable.__file__).read_text())
    modules = [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ] + [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    assert not [m for m in modules if m == "django" or m.startswith("django.")]


def test_a_week_is_summarised_with_days_that_share_times_run_together():
    from sendwise.delivery.timetable import Window, week_summary

    every_day = [Window(d, 540, 630) for d in range(5)] + [Window(d, 795, 885) for d in range(5)]
    assert week_summary(every_day) == ["Monday to Friday: 09:00–10:30, 13:15–14:45"]
    mixed = [Window(0, 540, 600), Window(2, 540, 600), Window(4, 780, 840)]
    assert week_summary(mixed) == ["Monday, Wednesday: 09:00–10:00", "Friday: 13:00–14:00"]
    assert week_summary([]) == []
