"""Writes of subject access: asking for an export, making it (in a background task), and
recording each download. Every step is written to the pupil's audit log."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from sendwise.core.access import Actor
from sendwise.core.models import AuditEntry
from sendwise.core.services import service
from sendwise.core.tasks.services import task_progress_queue
from sendwise.pupils.models import Pupil
from sendwise.pupils.services import pupil_audit
from sendwise.reports.sar import subject_access_zip
from sendwise.reports.sar_kinds import KINDS
from sendwise.reports.sar_models import EXPORT_KEPT, SubjectAccessExport
from sendwise.reports.sar_selectors import audit_section, kind_section, lessons_missed_section

EXPORT_DETAIL = "Subject access export: {records} records, {versions} saved versions"
DOWNLOAD_DETAIL = "Downloaded subject access export {export_id}"
STAGE_READING = "Reading {title}"
STAGE_WRITING = "Writing the PDF and the data files"


@service
def subject_access_request(*, actor: Actor, pupil: Pupil) -> SubjectAccessExport:
    """Ask for an export of everything held about a pupil (reached through
    `pupil_on_file_for`); a background task makes it. Exports older than a week are emptied."""
    SubjectAccessExport.objects.filter(
        school=actor.school, requested_at__lt=timezone.now() - EXPORT_KEPT
    ).exclude(content=None).update(content=None)
    export = SubjectAccessExport.objects.create(
        school=actor.school, pupil=pupil, requested_by=actor.user
    )
    task_progress_queue(key=export.progress_key, school_id=actor.school.pk)
    return export


def subject_access_build(
    *,
    actor: Actor,
    export: SubjectAccessExport,
    progress: Callable[[int, int, str], None] = lambda done, total, stage: None,
) -> SubjectAccessExport:
    """Make the ZIP: read every kind (reporting progress), write the export to the audit log,
    then the PDF and the data files, whose audit section lists the export itself.

    Not one transaction: laying out a long PDF takes minutes, and on SQLite a transaction that
    has written holds the write lock for every other writer until it ends. The two writes (the
    audit entry, then the finished ZIP) are each their own short service."""
    pupil = Pupil.unscoped.select_related("school", "class_group").get(
        school=export.school_id, pk=export.pupil_id
    )
    total = len(KINDS) + 3
    sections = []
    for done, kind in enumerate(KINDS):
        progress(done, total, STAGE_READING.format(title=kind.title.lower()))
        sections.append(kind_section(kind, pupil))
    sections.append(lessons_missed_section(actor=actor, pupil=pupil))
    subject_access_made(
        actor=actor,
        pupil=pupil,
        records=sum(len(s.records) for s in sections),
        versions=sum(len(s.history) for s in sections),
    )
    sections.append(audit_section(pupil))
    progress(total - 1, total, STAGE_WRITING)
    content = subject_access_zip(actor=actor, pupil=pupil, sections=sections)
    subject_access_ready(export=export, content=content)
    progress(total, total, "Ready")
    return export


@service
def subject_access_made(*, actor: Actor, pupil: Pupil, records: int, versions: int) -> None:
    """The export is written to the pupil's audit log (before the ZIP's audit is read)."""
    pupil_audit(
        actor,
        pupil,
        AuditEntry.Action.EXPORT,
        EXPORT_DETAIL.format(records=records, versions=versions),
    )


@service
def subject_access_ready(*, export: SubjectAccessExport, content: bytes) -> None:
    """Keep the finished ZIP for the SENCO to download."""
    export.content = content
    export.filename = (
        f"subject-access-pupil-{export.pupil_id}-{timezone.localdate().isoformat()}.zip"
    )
    export.status = SubjectAccessExport.Status.READY
    export.finished_at = timezone.now()
    export.save(update_fields=["content", "filename", "status", "finished_at"])


@service
def subject_access_failed(*, export_id: int, error: str) -> None:
    """Record why an export could not be made, for the person waiting for it."""
    SubjectAccessExport.objects.filter(pk=export_id).update(
        status=SubjectAccessExport.Status.FAILED, error=error[:300], finished_at=timezone.now()
    )


@service
def subject_access_downloaded(*, actor: Actor, export: SubjectAccessExport, request=None) -> None:
    """Each download of an export is written to the pupil's audit log."""
    pupil_audit(
        actor,
        export.pupil,
        AuditEntry.Action.EXPORT,
        DOWNLOAD_DETAIL.format(export_id=export.pk),
        request=request,
    )
