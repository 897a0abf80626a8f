"""Reads for retention: which archived pupils' records are past the school's retention date
(sendwise/reports/retention.py says what the rule is and where it comes from)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count

from sendwise.core.models import School
from sendwise.pupils.models import Pupil
from sendwise.reports.retention import remove_from
from sendwise.reports.sar_kinds import AUDIT, KINDS


@dataclass(frozen=True)
class Due:
    """An archived pupil whose record is past its retention date."""

    pupil_id: int
    name: str
    date_of_birth: dt.date
    archived_at: dt.datetime
    remove_from: dt.date
    records: int


@dataclass
class RetentionReport:
    school: School
    years: int
    today: dt.date
    due: list[Due] = field(default_factory=list)
    archived_kept: int = 0  # archived pupils whose retention has not ended
    next_due: dt.date | None = None  # when the next of those ends


def _archived(school: School):
    return Pupil.unscoped.filter(school=school, archived_at__isnull=False).order_by(
        "date_of_birth", "id"
    )


def _record_counts(school: School, pupil_ids: list[int]) -> dict[int, int]:
    """Records per pupil over every kind: one query a kind, whatever the number of pupils."""
    counts = dict.fromkeys(pupil_ids, 0)
    for kind in (*KINDS, AUDIT):
        manager = kind.model._default_manager if kind.model is not Pupil else Pupil.unscoped
        if kind is AUDIT:
            rows = manager.filter(
                school=school, object_type="pupil", object_id__in=[str(i) for i in pupil_ids]
            ).values_list("object_id")
        elif not kind.to_pupil:
            rows = manager.filter(school=school, pk__in=pupil_ids).values_list("pk")
        else:
            rows = manager.filter(school=school, **{f"{kind.to_pupil}__in": pupil_ids})
            rows = rows.values_list(kind.to_pupil)
        for pupil_id, n in rows.annotate(n=Count("pk")).order_by():
            counts[int(pupil_id)] += n
    return counts


def retention_report(*, school: School, today: dt.date) -> RetentionReport:
    """Which archived pupils' records are due to be removed, and why (the dry run)."""
    years = school.sen_records_kept_years
    report = RetentionReport(school=school, years=years, today=today)
    due = []
    for pupil in _archived(school):
        until = remove_from(pupil.date_of_birth, years)
        if until <= today:
            due.append((pupil, until))
        else:
            report.archived_kept += 1
            report.next_due = min(report.next_due or until, until)
    counts = _record_counts(school, [p.pk for p, _ in due])
    report.due = [
        Due(p.pk, p.full_name, p.date_of_birth, p.archived_at, until, counts[p.pk])
        for p, until in due
    ]
    return report
