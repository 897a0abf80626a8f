"""Importing classes' lesson timetables: upload, preview, then apply all or nothing.

The file is kept with the upload and read again at confirmation against the school's records
at that moment, so what is applied is what the preview shows. A file with any bad row is not
applied at all; a good one replaces the whole week of every class it names, in one transaction
(``delivery.lesson_services.timetables_replace``), and leaves other classes alone.
"""

from __future__ import annotations

import hashlib
from datetime import time

from django.core.exceptions import ValidationError
from django.utils import timezone

from sendwise.core.access import Actor
from sendwise.core.models import AuditEntry
from sendwise.core.services import audit_record, service
from sendwise.delivery.lesson_services import LessonInput, timetables_replace
from sendwise.exchange.lesson_csv import MAX_BYTES, parse_lessons
from sendwise.exchange.lesson_selectors import lesson_import_preview
from sendwise.exchange.models import LessonImport
from sendwise.exchange.records import ImportFileError

TOO_BIG = "The file is {size:.1f} MB: a lesson timetable file can be at most 1 MB"
NOT_WAITING = "This import was {status}: upload the file again"
HAS_ERRORS = (
    "The file has {count} rows with problems, so nothing was changed: fix them and upload it again"
)


def _clock(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


@service
def lesson_import_upload(*, actor: Actor, filename: str, data: bytes) -> LessonImport:
    """Keep an uploaded file for preview; ImportFileError (nothing kept) if it cannot be read."""
    if len(data) > MAX_BYTES:
        raise ImportFileError(TOO_BIG.format(size=len(data) / 1_000_000))
    parsed = parse_lessons(data, day_start=0, day_end=24 * 60)  # refuses an unreadable file
    return LessonImport.objects.create(
        school=actor.school,
        uploaded_by=actor.user,
        filename=filename[:200],
        content=data,
        sha256=hashlib.sha256(data).hexdigest(),
        summary={"rows": parsed.row_count},
    )


@service
def lesson_import_apply(*, actor: Actor, batch: LessonImport, request=None) -> dict:
    """Apply the upload: every class's week in the file replaced, or nothing changed."""
    batch = LessonImport.objects.select_for_update().get(pk=batch.pk, school=actor.school)
    if batch.status != LessonImport.Status.PREVIEW:
        raise ValidationError(NOT_WAITING.format(status=batch.get_status_display().lower()))
    preview = lesson_import_preview(batch=batch)
    if not preview.ok:
        raise ValidationError(HAS_ERRORS.format(count=len({e.line for e in preview.errors})))
    counts = timetables_replace(
        actor=actor,
        timetables={
            change.class_id: [
                LessonInput(r.weekday, _clock(r.start), _clock(r.end), r.subject, r.other_subject)
                for r in change.rows
            ]
            for change in preview.classes
        },
        source=f"Imported from {batch.filename}",
        request=request,
    )
    batch.status = LessonImport.Status.APPLIED
    batch.applied_at = timezone.now()
    batch.summary = {**batch.summary, **counts}
    batch.save(update_fields=["status", "applied_at", "summary"])
    return counts


@service
def lesson_import_cancel(*, actor: Actor, batch: LessonImport, request=None) -> None:
    batch = LessonImport.objects.select_for_update().get(pk=batch.pk, school=actor.school)
    if batch.status != LessonImport.Status.PREVIEW:
        return
    batch.status = LessonImport.Status.CANCELLED
    batch.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="lesson_import",
        object_id=batch.pk,
        object_repr=batch.filename,
        detail="Cancelled: nothing changed",
        request=request,
    )
