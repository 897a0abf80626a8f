"""The demo school's calendar: which days of a school year are school days.

Made up to look like an English local authority's published term dates (three terms, each
split by a one-week half-term; two weeks at Christmas and at Easter; five INSET (staff
training) days without pupils; the bank holidays that fall in term closed). The rules below
are the usual pattern of those calendars, not any one authority's dates:

* autumn term: INSET on the first two weekdays of September, pupils from the third; half-term
  the week of the last Monday in October, INSET on the Monday after it; ends on the last
  Friday on or before 20 December;
* spring term: INSET on the first weekday on or after 4 January, pupils the next day;
  half-term the week of the third Monday in February; ends on the Friday before Easter week
  (two weeks' Easter holiday from the Monday before Easter Sunday);
* summer term: from the Monday two weeks after that; the early May bank holiday (first Monday
  of May) closed; half-term the week of the spring bank holiday (last Monday of May); INSET on
  the last day, the weekday on or before 22 July.

Easter Sunday is computed with dateutil's Gregorian algorithm. Pure Python: no Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from dateutil.easter import easter


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _weekday_on_or_after(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _weekday_on_or_before(day: date) -> date:
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _last_monday(year: int, month: int) -> date:
    day = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return day - timedelta(days=day.weekday())


def _nth_monday(year: int, month: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7 + 7 * (n - 1))


def _week(monday: date) -> set[date]:
    return {monday + timedelta(days=d) for d in range(5)}


@dataclass(frozen=True)
class SchoolYear:
    """One school year: its terms (first and last day of each) and the days pupils are in."""

    starts: int  # 2026 for 2026/27
    terms: tuple[tuple[date, date], ...]
    closed: frozenset[date]  # weekdays inside terms with no pupils: INSET, half-term, bank holidays
    inset: frozenset[date]

    @property
    def first_day(self) -> date:
        """The first day pupils are in."""
        return min(self.school_days())

    @property
    def last_day(self) -> date:
        return max(self.school_days())

    def is_school_day(self, day: date) -> bool:
        return (
            day.weekday() < 5
            and day not in self.closed
            and any(a <= day <= b for a, b in self.terms)
        )

    def school_days(self, start: date | None = None, end: date | None = None) -> list[date]:
        """Days pupils are in, oldest first, between ``start`` and ``end`` inclusive."""
        days = []
        for a, b in self.terms:
            day = max(a, start) if start else a
            last = min(b, end) if end else b
            while day <= last:
                if self.is_school_day(day):
                    days.append(day)
                day += timedelta(days=1)
        return days

    def term_ends(self) -> list[date]:
        """The last day pupils are in, in each term."""
        return list(_term_ends(self.starts))


@cache
def school_year(starts: int) -> SchoolYear:
    """The demo school's calendar for the school year starting in September of ``starts``."""
    y = starts
    sept = _weekday_on_or_after(date(y, 9, 1))
    autumn_inset = [sept, _weekday_on_or_after(sept + timedelta(days=1))]
    october = _last_monday(y, 10)
    autumn_end = date(y, 12, 20) - timedelta(days=(date(y, 12, 20).weekday() - 4) % 7)
    spring_start = _weekday_on_or_after(date(y + 1, 1, 4))
    february = _nth_monday(y + 1, 2, 3)
    easter_monday_before = _monday(easter(y + 1) - timedelta(days=1))
    spring_end = easter_monday_before - timedelta(days=3)
    summer_start = easter_monday_before + timedelta(weeks=2)
    may_day = _nth_monday(y + 1, 5, 1)
    whitsun = _last_monday(y + 1, 5)
    summer_end = _weekday_on_or_before(date(y + 1, 7, 22))
    inset = {*autumn_inset, october + timedelta(weeks=1), spring_start, summer_end}
    closed = inset | _week(october) | _week(february) | _week(whitsun) | {may_day}
    return SchoolYear(
        starts=y,
        terms=((sept, autumn_end), (spring_start, spring_end), (summer_start, summer_end)),
        closed=frozenset(closed),
        inset=frozenset(inset),
    )


def demo_year(today: date) -> tuple[date, list[date]]:
    """The school days of "the year so far" the demo covers, before ``today``: from the first
    day of this school year, or of the last one when this one is under four weeks old (so the
    demo is never nearly empty, in early September or in the summer holiday)."""
    starts = today.year if today.month >= 9 else today.year - 1
    year = school_year(starts)
    if len(year.school_days(end=today - timedelta(days=1))) < 20:
        starts -= 1
    days = []
    for s in range(starts, today.year + 1):
        days += school_year(s).school_days(end=today - timedelta(days=1))
    return days[0], days


@cache
def _term_ends(starts: int) -> tuple[date, ...]:
    year = school_year(starts)
    return tuple(max(year.school_days(a, b)) for a, b in year.terms)


@cache
def _school_days(starts: int) -> frozenset[date]:
    return frozenset(school_year(starts).school_days())


def is_school_day(day: date) -> bool:
    """Whether pupils are in on ``day`` in the demo school's calendar."""
    return day in _school_days(day.year if day.month >= 9 else day.year - 1)


def school_day_on_or_before(day: date) -> date:
    while not is_school_day(day):
        day -= timedelta(days=1)
    return day


def school_day_on_or_after(day: date) -> date:
    while not is_school_day(day):
        day += timedelta(days=1)
    return day
