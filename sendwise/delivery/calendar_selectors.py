"""Reads for the school calendar: a school's closures (holidays, INSET days, closures) and the
days they close, for the session lists, the register and the planned dose. One query each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet
from django.http import Http404

from sendwise.core.access import Actor
from sendwise.delivery.models import Closure


def closures_visible(*, actor: Actor) -> QuerySet[Closure]:
    """The closures of the actor's school, oldest first (who may read them is the view's
    permission: everyone who sees the school's delivery)."""
    if actor.school is None:
        return Closure.objects.none()
    return Closure.objects.filter(school=actor.school).order_by("first_day", "id")


def closure_get(*, actor: Actor, closure_id: int) -> Closure:
    """One closure of the actor's school, or 404 (missing and another school's alike)."""
    closure = closures_visible(actor=actor).filter(pk=closure_id).first()
    if closure is None:
        raise Http404("No such closure")
    return closure


def school_year_start(today: date) -> date:
    """1 September of the school year ``today`` is in (English school years run September to
    August)."""
    return date(today.year if today.month >= 9 else today.year - 1, 9, 1)


@dataclass(frozen=True)
class Calendar:
    """A school's closures split for the calendar page: this school year and later, and
    earlier ones (kept, and still used for the dose of long-running placements)."""

    current: list[Closure]
    earlier: list[Closure]
    year_starts: date


def calendar_for(*, actor: Actor, today: date) -> Calendar:
    """The calendar page's closures, in one query."""
    start = school_year_start(today)
    rows = list(closures_visible(actor=actor))
    return Calendar(
        current=[c for c in rows if c.last_day >= start],
        earlier=[c for c in rows if c.last_day < start],
        year_starts=start,
    )


def closed_days(*, school_id: int, start: date | None = None, end: date | None = None) -> frozenset:
    """Every day inside one of the school's closures (between ``start`` and ``end`` when
    given), as plain dates for the pure rules: one query."""
    closures = Closure.objects.filter(school=school_id)
    if start is not None:
        closures = closures.filter(last_day__gte=start)
    if end is not None:
        closures = closures.filter(first_day__lte=end)
    days = set()
    for first, last in closures.values_list("first_day", "last_day"):
        day = max(first, start) if start else first
        last = min(last, end) if end else last
        while day <= last:
            days.add(day)
            day += timedelta(days=1)
    return frozenset(days)


def closure_on(*, school_id: int, day: date) -> Closure | None:
    """The school's closure covering ``day``, if the school is closed then."""
    return Closure.objects.filter(school=school_id, first_day__lte=day, last_day__gte=day).first()
