"""Writes for retention: the school's retention period, and removing archived pupils' records
past it, all or nothing (sendwise/reports/retention.py says what is removed and why)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from sendwise.core.chart_cache import forget_charts
from sendwise.core.models import AuditEntry, School
from sendwise.core.services import audit_record, service
from sendwise.pupils.models import Pupil
from sendwise.reports.retention import YEARS_MAX, YEARS_MIN, YEARS_OUT_OF_RANGE
from sendwise.reports.retention_selectors import RetentionReport, retention_report
from sendwise.reports.sar_kinds import AUDIT, KINDS, history_rows, kind_rows

REMOVED_REPR = "Pupil no. {pupil_id}"
REMOVED_DETAIL = (
    "Record removed: archived {archived}, retention (date of birth + {years} years) ended "
    "{due}; {records} records and {versions} saved versions removed"
)
NOT_REMOVED = "The record of pupil no. {pupil_id} could not be removed: {why}. Nothing was removed."


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
    if report.due:
        # Drawings of the removed pupils' charts go too, once the removal is committed.
        transaction.on_commit(forget_charts)
    return report
