"""A subject-access export: everything held about one pupil as one ZIP.

What goes in, and why (ICO, "Right of access" guidance for organisations: a copy of the
personal data in a commonly used electronic format when the request came electronically,
"in a concise, transparent, intelligible and easily accessible form"; UK GDPR Article 15(3)):

- ``subject-access.pdf``: the whole record, readable by the family (one section per kind of
  record, each explained, with the history of changes and the audit of who read it);
- ``data/<kind>.json``: the same records, machine-readable, one file per kind, each with its
  field names explained (``fields``), dates in ISO 8601 and times in UTC;
- ``README.txt``: what the files are, and what the school must check before sending them.

The school remains responsible for what it discloses: text typed by staff can name other
people (another child in a concern, a colleague), and the ICO's guidance on requests that
involve other individuals applies. The README says so; SENDwise does not redact.
"""

from __future__ import annotations

import io
import json
import zipfile

from django.utils import timezone

from sendwise.core.access import Actor
from sendwise.pupils.models import Pupil
from sendwise.reports.pdf import render_pdf
from sendwise.reports.sar_selectors import Section

README = """Subject access export from SENDwise
===================================

Pupil: {name} (SENDwise id {pupil_id})
School: {school}
Made by: {made_by}, {made_at}

subject-access.pdf   Everything held about the pupil, to read or print.
data/*.json          The same records, one file per kind of record, for a computer to read.
                     Each file explains its fields ("fields"), then lists the records
                     ("records") and, where SENDwise keeps them, every saved version of each
                     record ("history"). Dates are ISO 8601 (YYYY-MM-DD); times are UTC.
                     A reference to another record is its id, with "<name>_label" beside it.

Before you send this to the person who asked:
- check the request is from the pupil, or from someone entitled to act for them;
- read the free text: notes written by staff may name other people (another pupil, a
  colleague), whose information may need to be removed or withheld (ICO guidance, "What
  should we do if the request involves information about other individuals?");
- send it securely, and record when it was sent (the time limit is one month from receipt).
"""


def subject_access_pdf(*, pupil: Pupil, sections: list[Section], made_by: str) -> bytes:
    return render_pdf(
        "reports/sar.html",
        {
            "school_name": pupil.school.name,
            "report_subtitle": f"{pupil.full_name}, born {pupil.date_of_birth:%-d %B %Y}",
            "pupil": pupil,
            "sections": sections,
            "made_by": made_by,
        },
        title="Subject access: everything held about a pupil",
    )


def subject_access_zip(*, actor: Actor, pupil: Pupil, sections: list[Section]) -> bytes:
    made_at = timezone.now()
    made_by = str(actor.user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "README.txt",
            README.format(
                name=pupil.full_name,
                pupil_id=pupil.pk,
                school=pupil.school.name,
                made_by=made_by,
                made_at=f"{timezone.localtime(made_at):%-d %B %Y %H:%M}",
            ),
        )
        for section in sections:
            payload = {
                "kind": section.slug,
                "title": section.title,
                "about": section.about,
                "pupil_id": pupil.pk,
                "exported_at": made_at.isoformat(),
                "fields": section.fields,
                "records": section.records,
            }
            if section.has_history:
                payload["history"] = section.history
            archive.writestr(
                f"data/{section.slug}.json",
                json.dumps(payload, indent=2, ensure_ascii=False, default=str),
            )
        archive.writestr(
            "subject-access.pdf",
            subject_access_pdf(pupil=pupil, sections=sections, made_by=made_by),
        )
    return buffer.getvalue()
