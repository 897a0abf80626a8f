"""Retention: an archived pupil's SEN record is removed once the school's retention period ends.

The period is the school's `sen_records_kept_years` after the pupil's date of birth. Sources:

- The IRMS Records Management Toolkit for Schools (version 4, May 2012, retention guidelines,
  pupils' special educational needs files, reviews and individual education plans) gave "date
  of birth of the pupil + 25 years", the figure most school policies still quote.
- Later editions of the IRMS Information Management Toolkit for Schools raise it for SEN files
  to date of birth + 31 years: an EHC plan can last until the young person is 25 (Children and
  Families Act 2014, section 46), and a claim can be brought for six years after that
  (Limitation Act 1980), as SENCOs summarise it (sencoforum.com, "SEND files", reply 1918).

The default is the longer 31 years: removal cannot be undone and keeping a record a little
longer can be, so a school that follows the 25-year figure sets it (never below 25, the age an
EHC plan can run to). Only archived pupils are ever removed; a pupil on roll is kept whatever
their age.

Removal is all or nothing (one transaction): every record of every kind in `sar_kinds.KINDS`,
every saved version of them (django-simple-history keeps the child's data in those too), and
the pupil's name in the audit log, which keeps the entries themselves (who did what, when)
under "Pupil no. <id>". One audit entry records the removal and the rule, without the child's
name or data. `manage.py retention` shows what would go (the default) and removes it with
`--apply`; the SENCO's page shows the same report.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.utils import timezone

from sendwise.core.models import AuditEntry, School
from sendwise.core.services import audit_record, service
from sendwise.pupils.models import Pupil
from sendwise.reports.sar_kinds import AUDIT, KINDS, history_rows, kind_rows

REMOVED_REPR = "Pupil no. {pupil_id}"
REMOVED_DETAIL = (
    "Record removed: archived {archived}, retention (date of birth + {years} years) ended "
    "{due}; {records} records and {versions} saved versions removed"
)
NOT_REMOVED = "The record of pupil no. {pupil_id} could not be removed: {why}. Nothing was removed."


YEARS_MIN, YEARS_MAX = 25, 100
YEARS_OUT_OF_RANGE = (
    f"Enter a whole number of years from {YEARS_MIN} to {YEARS_MAX}: an EHC plan can last "
    f"until the young person is 25, so a SEN record is kept at least that long"
)


def remove_from(date_of_birth: dt.date, years: int) -> dt.date:
    """The first day the record may be removed: the birthday ``years`` on (29 February's
    children: 1 March in a year that has no 29 February)."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + years)
    except ValueError:
        return dt.date(date_of_birth.year + years, 3, 1)


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


def _remove_pupil(pupil: Pupil) -> tuple[int, int]:
    """Remove one pupil's record, its saved versions and their name in the audit log."""
    versions = [(kind, history_rows(kind, pupil)) for kind in KINDS]
    versions = [(kind, rows) for kind, rows in versions if rows is not None]
    records = 0
    for kind in reversed(KINDS):  # children first, so no protected reference stands in the way
        records += kind_rows(kind, pupil).delete()[0]
    removed_versions = 0
    for _kind, rows in versions:  # after the deletes, which save a "removed" version too
        removed_versions += rows.delete()[0]
    kind_rows(AUDIT, pupil).update(object_repr=REMOVED_REPR.format(pupil_id=pupil.pk))
    left = [k.title for k in KINDS if kind_rows(k, pupil).exists()]
    left += [k.title for k, rows in versions if rows.exists()]
    if left:
        raise ValidationError(
            NOT_REMOVED.format(pupil_id=pupil.pk, why="still held: " + ", ".join(left))
        )
    return records, removed_versions


@service
def retention_years_set(*, actor, years: int, request=None) -> School:
    """Set how many years after their birth an archived pupil's SEN record is kept."""
    school = School.objects.get(pk=actor.school.pk)
    if not isinstance(years, int) or not YEARS_MIN <= years <= YEARS_MAX:
        raise ValidationError({"years": [YEARS_OUT_OF_RANGE]})
    before = school.sen_records_kept_years
    school.sen_records_kept_years = years
    school.full_clean()
    school.save(update_fields=["sen_records_kept_years"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="school",
        object_id=school.pk,
        object_repr=school.name,
        detail=f"SEN records kept until date of birth + {years} years (was {before})",
        request=request,
    )
    return school


@service
def retention_apply(*, school: School, today: dt.date, user=None) -> RetentionReport:
    """Remove every archived pupil's record past its retention date, all or none of them."""
    report = retention_report(school=school, today=today)
    for due in report.due:
        pupil = Pupil.unscoped.get(school=school, pk=due.pupil_id, archived_at__isnull=False)
        try:
            records, versions = _remove_pupil(pupil)
        except (models.ProtectedError, models.RestrictedError) as error:
            raise ValidationError(
                NOT_REMOVED.format(pupil_id=due.pupil_id, why="another record still refers to it")
            ) from error
        AuditEntry.objects.create(
            school=school,
            user=user,
            action=AuditEntry.Action.REMOVE,
            object_type="pupil",
            object_id=str(due.pupil_id),
            object_repr=REMOVED_REPR.format(pupil_id=due.pupil_id),
            detail=REMOVED_DETAIL.format(
                archived=f"{timezone.localtime(due.archived_at):%-d %b %Y}",
                years=report.years,
                due=f"{due.remove_from:%-d %b %Y}",
                records=records,
                versions=versions,
            ),
        )
    return report
