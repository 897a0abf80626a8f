"""Writes for the school calendar: adding, changing and removing a closure (a holiday, INSET
days, a day the school had to close). Each checks everything before writing anything, runs in
one transaction with the school locked (two people adding overlapping closures at once cannot
both succeed), keeps history and leaves an audit entry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from sendwise.core.access import Actor
from sendwise.core.models import AuditEntry, School
from sendwise.core.services import audit_record, service
from sendwise.delivery import signals
from sendwise.delivery.models import Closure

#: How far from today a closure may be: the school years people plan and look back on.
YEARS_BACK = 2
YEARS_AHEAD = 3
#: The longest closure: English summer holidays are about six weeks; a longer closure is
#: entered in parts, so a mistyped year cannot close the school for a year.
LONGEST_DAYS = 70
NAME_MAX = 80

FIRST_REQUIRED = "Enter the first day the school is closed"
LAST_BEFORE_FIRST = "The last day must be the same as the first day or after it"
OUT_OF_RANGE = (
    "Enter dates from {earliest} to {latest}: the calendar covers two years back and three "
    "years ahead"
)
TOO_LONG = (
    "A closure can be at most 10 weeks long (a summer holiday is about 6): enter a longer "
    "closure in parts"
)
KIND_REQUIRED = "Choose what kind of closure it is"
NAME_REQUIRED = "Enter a name, for example Autumn half-term"
NAME_TOO_LONG = f"Keep the name to {NAME_MAX} characters or fewer"
OVERLAPS = (
    "These dates overlap {other}: change that closure instead, or choose days it does not cover"
)


def _years_from(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _announce(school_id: int) -> None:
    """Tell the apps above (monitoring's dose flags) once the change is committed; a failing
    listener is logged and never undoes the change."""
    transaction.on_commit(
        partial(signals.calendar_changed.send, sender=Closure, school_id=school_id), robust=True
    )


def _long(day: date) -> str:
    return f"{day:%-d %B %Y}"


@dataclass(frozen=True)
class ClosureInput:
    first_day: date | None
    last_day: date | None  # None: one day
    kind: str
    name: str


def closure_problems(data: ClosureInput, today: date) -> dict[str, str]:
    """What is wrong with a closure on its own (dates, kind, name), by field."""
    problems: dict[str, str] = {}
    name = " ".join((data.name or "").split())
    if not name:
        problems["name"] = NAME_REQUIRED
    elif len(name) > NAME_MAX:
        problems["name"] = NAME_TOO_LONG
    if data.kind not in Closure.Kind.values:
        problems["kind"] = KIND_REQUIRED
    if data.first_day is None:
        problems["first_day"] = FIRST_REQUIRED
        return problems
    last = data.last_day or data.first_day
    earliest, latest = _years_from(today, -YEARS_BACK), _years_from(today, YEARS_AHEAD)
    for field, day in (("first_day", data.first_day), ("last_day", last)):
        if not earliest <= day <= latest:
            problems.setdefault(
                field, OUT_OF_RANGE.format(earliest=_long(earliest), latest=_long(latest))
            )
    if "first_day" in problems or "last_day" in problems:
        return problems
    if last < data.first_day:
        problems["last_day"] = LAST_BEFORE_FIRST
    elif last - data.first_day >= timedelta(days=LONGEST_DAYS):
        problems["last_day"] = TOO_LONG
    return problems


@service
def closure_save(
    *,
    actor: Actor,
    closure: Closure | None,
    data: ClosureInput,
    today: date,
    request=None,
) -> Closure:
    """Add a closure to the school's calendar (``closure`` None) or change one: dates within
    two years back and three ahead, the last on or after the first, at most ten weeks, a kind,
    a name of up to 80 characters, and no day already in another of the school's closures."""
    if actor.school is None or (closure is not None and closure.school_id != actor.school.pk):
        raise PermissionDenied
    School.objects.select_for_update().filter(pk=actor.school.pk).first()
    problems = closure_problems(data, today)
    if problems:
        raise ValidationError({k: [v] for k, v in problems.items()})
    last = data.last_day or data.first_day
    others = Closure.objects.filter(
        school=actor.school, first_day__lte=last, last_day__gte=data.first_day
    )
    if closure is not None:
        others = others.exclude(pk=closure.pk)
    clash = others.order_by("first_day").first()
    if clash is not None:
        raise ValidationError({"first_day": [OVERLAPS.format(other=clash)]})
    created = closure is None
    row = closure or Closure(school=actor.school)
    row.first_day = data.first_day
    row.last_day = last
    row.kind = data.kind
    row.name = " ".join(data.name.split())
    row.full_clean()
    row.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
        object_type="closure",
        object_id=row.pk,
        object_repr=str(row),
        detail="Added a closure to the school calendar" if created else "Changed a closure",
        request=request,
    )
    _announce(actor.school.pk)
    return row


@service
def closure_remove(*, actor: Actor, closure: Closure, request=None) -> None:
    """Take a closure off the school's calendar: its days are school days again (its history
    keeps what it was and who removed it)."""
    if actor.school is None or closure.school_id != actor.school.pk:
        raise PermissionDenied
    text, pk = str(closure), closure.pk
    closure.delete()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="closure",
        object_id=pk,
        object_repr=text,
        detail="Removed a closure from the school calendar",
        request=request,
    )
    _announce(actor.school.pk)
