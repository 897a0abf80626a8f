"""The demo schools' calendars: the closures the demo's term dates imply (``demo.term_dates``:
half-terms, the holidays between terms, INSET days and the bank holiday that falls in term), so
the session lists skip holidays and the planned dose does not count them.

Covers last school year, this one and the next, so placements that began last year are owed
nothing for its holidays, and next year's dates are there to plan with.
"""

from __future__ import annotations

from datetime import date, timedelta

from simple_history.utils import bulk_create_with_history

from sendwise.core.models import School
from sendwise.delivery.models import Closure
from sendwise.demo.term_dates import school_year

TERMS = ("Autumn", "Spring", "Summer")
BETWEEN_TERMS = ("Christmas holiday", "Easter holiday", "Summer holiday")


def _runs(days: list[date]) -> list[tuple[date, date]]:
    """Consecutive weekdays (a weekend between them does not break a run) as (first, last)."""
    runs: list[tuple[date, date]] = []
    for day in sorted(days):
        if (
            runs
            and (day - runs[-1][1]).days <= 3
            and all(
                (runs[-1][1] + timedelta(days=n)).weekday() >= 5
                for n in range(1, (day - runs[-1][1]).days)
            )
        ):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def closures_for_year(starts: int) -> list[tuple[date, date, str, str]]:
    """(first day, last day, kind, name) of each closure in the school year starting in
    September of ``starts``: the closed days inside each term, then the holiday after it."""
    year = school_year(starts)
    following = school_year(starts + 1)
    found = []
    for n, (first, last) in enumerate(year.terms):
        closed = [d for d in year.closed if first <= d <= last]
        inset = [d for d in closed if d in year.inset]
        for a, b in _runs(inset):
            found.append((a, b, Closure.Kind.INSET, "INSET day" if a == b else "INSET days"))
        for a, b in _runs([d for d in closed if d not in year.inset]):
            name = f"{TERMS[n]} half-term" if (b - a).days >= 4 else "Early May bank holiday"
            found.append((a, b, Closure.Kind.HOLIDAY, name))
        holiday_ends = year.terms[n + 1][0] if n + 1 < len(year.terms) else following.terms[0][0]
        found.append(
            (
                last + timedelta(days=1),
                holiday_ends - timedelta(days=1),
                Closure.Kind.HOLIDAY,
                BETWEEN_TERMS[n],
            )
        )
    return sorted(found)


def closures_build(school: School, today: date) -> list[Closure]:
    """Add the demo's closures for last school year, this one and the next to ``school``."""
    this_year = today.year if today.month >= 9 else today.year - 1
    rows = [
        Closure(school=school, first_day=a, last_day=b, kind=kind, name=name)
        for starts in range(this_year - 1, this_year + 2)
        for a, b, kind, name in closures_for_year(starts)
    ]
    return bulk_create_with_history(rows, Closure, default_change_reason="Demo school")
