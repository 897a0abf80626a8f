"""Writes of the subject-access and retention work: making an export (which is audited)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from sendwise.core.access import Actor
from sendwise.core.models import AuditEntry
from sendwise.core.services import service
from sendwise.pupils.models import Pupil
from sendwise.pupils.services import pupil_audit
from sendwise.reports.sar import subject_access_zip
from sendwise.reports.sar_selectors import audit_section, subject_access_sections

EXPORT_DETAIL = "Subject access export: {records} records, {versions} saved versions"


@dataclass(frozen=True)
class Export:
    filename: str
    content: bytes


@service
def subject_access_export(*, actor: Actor, pupil: Pupil, request=None) -> Export:
    """Everything held about a pupil (reached through `pupil_on_file_for`) as one ZIP; the
    export is written to the audit log, and the ZIP's audit section lists it."""
    sections = subject_access_sections(actor=actor, pupil=pupil)
    records = sum(len(s.records) for s in sections)
    versions = sum(len(s.history) for s in sections)
    pupil_audit(
        actor,
        pupil,
        AuditEntry.Action.EXPORT,
        EXPORT_DETAIL.format(records=records, versions=versions),
        request=request,
    )
    # Read the audit again (it is the last section) so the export lists itself.
    sections[-1] = audit_section(pupil)
    stamp = timezone.localdate().isoformat()
    return Export(
        filename=f"subject-access-pupil-{pupil.pk}-{stamp}.zip",
        content=subject_access_zip(actor=actor, pupil=pupil, sections=sections),
    )
