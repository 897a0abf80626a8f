"""When a member of staff is free to run another intervention. Pure: no Django.

A member of staff gives the school windows of time for interventions each week (Tuesday
13:15–14:45). Their groups' slots take time out of those windows; what is left, in pieces long
enough for one session, is free. An intervention that needs three sessions a week needs free
time on three different days: the programmes in the catalogue are designed as sessions spread
through the week, not run back to back.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
ERR_DAY = "Weekday must be 0 (Monday) to 4 (Friday)."
ERR_WINDOW = "A window must end after it starts."
ERR_MINUTES = "A session must last at least one minute."


@dataclass(frozen=True, order=True)
class Window:
    """A stretch of one weekday, in minutes after midnight: [start, end)."""

    weekday: int
    start: int
    end: int

    def __post_init__(self):
        if self.weekday not in range(len(DAYS)):
            raise ValueError(ERR_DAY)
        if self.end <= self.start:
            raise ValueError(ERR_WINDOW)

    @property
    def label(self) -> str:
        """'Tuesday 13:15–14:45'."""
        return f"{DAYS[self.weekday]} {_clock(self.start)}–{_clock(self.end)}"


def minutes_of(hour: int, minute: int) -> int:
    return hour * 60 + minute


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def free_windows(
    available: Iterable[Window], booked: Iterable[Window], *, session_minutes: int
) -> list[Window]:
    """The parts of ``available`` not covered by ``booked``, at least one session long,
    in week order. Overlapping available windows are merged first, so a window entered twice
    is not counted twice."""
    if session_minutes < 1:
        raise ValueError(ERR_MINUTES)
    free: list[Window] = []
    booked_by_day: dict[int, list[Window]] = {}
    for b in booked:
        booked_by_day.setdefault(b.weekday, []).append(b)
    for window in _merged(available):
        pieces = [(window.start, window.end)]
        for b in sorted(booked_by_day.get(window.weekday, ())):
            pieces = [p for start, end in pieces for p in _cut(start, end, b.start, b.end)]
        free += [
            Window(window.weekday, start, end)
            for start, end in pieces
            if end - start >= session_minutes
        ]
    return sorted(free)


def free_days(
    available: Iterable[Window], booked: Iterable[Window], *, session_minutes: int
) -> list[Window]:
    """The first free window of each day with one, in week order: where another session of
    ``session_minutes`` could go."""
    first: dict[int, Window] = {}
    for window in free_windows(available, booked, session_minutes=session_minutes):
        first.setdefault(window.weekday, window)
    return [first[day] for day in sorted(first)]


def _merged(windows: Iterable[Window]) -> list[Window]:
    merged: list[Window] = []
    for w in sorted(windows):
        last = merged[-1] if merged else None
        if last is not None and last.weekday == w.weekday and w.start <= last.end:
            merged[-1] = Window(w.weekday, last.start, max(last.end, w.end))
        else:
            merged.append(w)
    return merged


def _cut(start: int, end: int, cut_start: int, cut_end: int) -> list[tuple[int, int]]:
    """[start, end) without [cut_start, cut_end)."""
    if cut_end <= start or cut_start >= end:
        return [(start, end)]
    return [(s, e) for s, e in ((start, cut_start), (cut_end, end)) if e > s]


def week_summary(windows: Iterable[Window]) -> list[str]:
    """Windows in short form, days with the same times run together:
    ["Monday to Friday: 09:00–10:30, 13:15–14:45"], or ["Monday, Wednesday: 09:00–10:00",
    "Friday: 13:00–14:00"]. In week order; empty for no windows."""
    by_day: dict[int, tuple[str, ...]] = {}
    for w in sorted(windows):
        by_day[w.weekday] = by_day.get(w.weekday, ()) + (f"{_clock(w.start)}–{_clock(w.end)}",)
    lines: list[str] = []
    days = sorted(by_day)
    while days:
        times = by_day[days[0]]
        same = [d for d in days if by_day[d] == times]
        days = [d for d in days if by_day[d] != times]
        lines.append(f"{_day_span(same)}: {', '.join(times)}")
    return lines


def _day_span(days: list[int]) -> str:
    """[0, 1, 2, 3, 4] -> "Monday to Friday"; [0, 2] -> "Monday, Wednesday"."""
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return f"{DAYS[days[0]]} to {DAYS[days[-1]]}"
    return ", ".join(DAYS[d] for d in days)
