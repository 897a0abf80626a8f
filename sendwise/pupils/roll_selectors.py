"""The school's roll on a past day, read from the pupils' history (django-simple-history keeps
every version of a pupil's record with the moment it was saved).

What it can honestly say: which pupils SENDwise held on roll on a day, and their SEN provision
and primary need as recorded then. What it cannot: anything before the school's records were
first entered in SENDwise (pupils who had left by then were never recorded), so
``records_begin`` gives that moment and callers refuse earlier days.

Only whole-school roles (SENCO, head, administrator) read the roll this way: counts of the
whole school, never a pupil's record.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Count, Min, Q
from django.utils import timezone

from sendwise.core.access import Actor
from sendwise.core.roles import WHOLE_SCHOOL_ROLES
from sendwise.pupils.models import Pupil


def _whole_school(actor: Actor) -> bool:
    return actor.school is not None and bool(actor.roles & WHOLE_SCHOOL_ROLES)


def _end_of(day: date) -> datetime:
    """The first moment after ``day``, in the school's time zone."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def records_begin(*, actor: Actor) -> date | None:
    """The day the first pupil of the actor's school was recorded in SENDwise (None: none yet).
    One query."""
    if not _whole_school(actor):
        return None
    first = Pupil.history.filter(school_id=actor.school.pk).aggregate(first=Min("history_date"))
    return timezone.localdate(first["first"]) if first["first"] else None


def roll_on(*, actor: Actor, day: date) -> list[tuple[str, str, int]]:
    """(primary need, SEN provision, pupils) for the pupils on the actor's school's roll at the
    end of ``day``, as their records stood then: each pupil's latest version saved by then,
    unless it had been deleted or archived (left the school) by then, or the pupil was not yet
    born. One query."""
    if not _whole_school(actor):
        return []
    end = _end_of(day)
    versions = (
        Pupil.history.filter(school_id=actor.school.pk, history_date__lt=end)
        .latest_of_each()
        .exclude(history_type="-")
        .filter(Q(archived_at__isnull=True) | Q(archived_at__gte=end), date_of_birth__lte=day)
    )
    return list(
        versions.order_by()
        .values_list("primary_need", "sen_provision")
        .annotate(n=Count("history_id"))
        .values_list("primary_need", "sen_provision", "n")
    )
