"""Everything held about one pupil, read for a subject-access export (UK GDPR Article 15).

Reads every kind in `sar_kinds.KINDS` for a pupil already reached through
`pupils.selectors.pupil_on_file_for`, with the saved versions of each record, the audit of who
read or changed it, and the lessons their support takes them out of. A fixed number of queries
whatever the size of the record: two a kind (rows with their references, then versions) plus
a few for the lessons missed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import Http404
from django.utils import timezone

from sendwise.core.access import Actor
from sendwise.core.roles import SUBJECT_ACCESS_ROLES
from sendwise.core.tasks.selectors import task_is_dead, task_progress_get
from sendwise.delivery import lessons
from sendwise.delivery.lesson_selectors import pupil_lesson_rule
from sendwise.pupils.models import Pupil
from sendwise.reports.sar_kinds import (
    AUDIT,
    KINDS,
    LESSONS_MISSED,
    Kind,
    exported_fields,
    field_doc,
    history_rows,
    kind_rows,
)
from sendwise.reports.sar_models import EXPORT_KEPT, SubjectAccessExport

#: How a reference is named in the export, for models whose own name would need more queries
#: (or would repeat the pupil's name): the related rows to load with it, and the label.
LABELS = {
    "planning.Plan": ((), lambda o: f"Plan {o.cycle} ({o.get_status_display()})"),
    "planning.Placement": (
        ("intervention", "plan"),
        lambda o: f"{o.intervention.name} (plan {o.plan.cycle})",
    ),
    "delivery.Session": (
        ("group",),
        lambda o: f"{o.group.name}, {o.date:%-d %b %Y} {o.starts_at:%H:%M}",
    ),
    "delivery.GroupMember": (("group",), lambda o: o.group.name),
    "concerns.Concern": ((), lambda o: f"Concern noticed {o.raised_on:%-d %b %Y}"),
    "concerns.ObservationRequest": (("teacher",), lambda o: f"Asked of {o.teacher}"),
    "monitoring.Review": ((), lambda o: f"Review held {o.held_on:%-d %b %Y}"),
    "pupils.Pupil": ((), lambda o: o.full_name),
}
HISTORY_FIELDS = [
    {"name": "history_id", "label": "version id", "type": "AutoField"},
    {"name": "history_date", "label": "when the version was saved", "type": "DateTimeField"},
    {
        "name": "history_type",
        "label": "what happened",
        "type": "CharField",
        "choices": {"+": "created", "~": "changed", "-": "removed"},
    },
    {"name": "history_user_label", "label": "who saved it", "type": "CharField"},
]
HISTORY_TYPES = {"+": "Created", "~": "Changed", "-": "Removed"}


@dataclass
class Section:
    """One kind of record: what the PDF prints and what its JSON file holds."""

    slug: str
    title: str
    about: str
    fields: list[dict]
    records: list[dict]  # JSON: field name -> value, with "<reference>_label" beside references
    printed: list[list[tuple[str, str]]]  # PDF: each record as (label, text) pairs
    columns: list[str] = field(default_factory=list)  # PDF table header, when it is a table
    history: list[dict] = field(default_factory=list)
    has_history: bool = False
    #: PDF: each saved version as (when, who, what happened, which record).
    history_printed: list[list[str]] = field(default_factory=list)


def json_value(value):
    """Dates and times as ISO 8601 (times in UTC, with the offset); decimals as strings."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def printed_value(value) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value):%-d %b %Y %H:%M}"
    if isinstance(value, dt.date):
        return f"{value:%-d %b %Y}"
    if isinstance(value, list):
        return ", ".join(printed_value(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {printed_value(v)}" for k, v in value.items())
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _label(related) -> str:
    if related is None:
        return ""
    extra = LABELS.get(related._meta.label)
    return extra[1](related) if extra else str(related)


def _related_paths(fields) -> list[str]:
    paths = []
    for f in fields:
        if f.is_relation:
            paths.append(f.name)
            extra = LABELS.get(f.related_model._meta.label, ((), None))[0]
            paths += [f"{f.name}__{x}" for x in extra]
    return paths


def _record(fields, obj) -> tuple[dict, list[tuple[str, str]]]:
    data, printed = {}, []
    for f in fields:
        raw = getattr(obj, f.attname)
        data[f.name] = json_value(raw)
        if f.is_relation:
            label = _label(getattr(obj, f.name))
            data[f"{f.name}_label"] = label
            text = label or "—"
        elif f.choices:
            text = printed_value(getattr(obj, f"get_{f.name}_display")() if raw != "" else "")
        else:
            text = printed_value(raw)
        printed.append((str(f.verbose_name), text))
    return data, printed


def _versions(kind: Kind, pupil: Pupil) -> list[dict]:
    versions = history_rows(kind, pupil)
    if versions is None:
        return []
    fields = exported_fields(kind.model)
    out = []
    for v in versions.select_related("history_user").order_by("history_date", "history_id"):
        row = {
            "history_id": v.history_id,
            "history_date": json_value(v.history_date),
            "history_type": v.history_type,
            "history_user_label": str(v.history_user) if v.history_user else "",
        }
        for f in fields:
            row[f.name] = json_value(getattr(v, f.attname))
        out.append(row)
    return out


def kind_section(kind: Kind, pupil: Pupil) -> Section:
    fields = exported_fields(kind.model)
    rows = kind_rows(kind, pupil).select_related(*_related_paths(fields))
    records, printed = [], []
    for obj in rows.order_by("pk") if kind is not AUDIT else rows.order_by("at", "pk"):
        data, text = _record(fields, obj)
        records.append(data)
        printed.append(text)
    history = _versions(kind, pupil)
    columns = []
    if kind.columns:
        by_name = {f.name: i for i, f in enumerate(fields)}
        columns = [str(fields[by_name[c]].verbose_name) for c in kind.columns]
        printed = [[row[by_name[c]] for c in kind.columns] for row in printed]
    return Section(
        slug=kind.slug,
        title=kind.title,
        about=kind.about,
        fields=[field_doc(f) for f in fields] + (HISTORY_FIELDS if history else []),
        records=records,
        printed=printed,
        columns=columns,
        history=history,
        has_history=getattr(kind.model, "history", None) is not None and kind is not AUDIT,
        history_printed=[
            [
                printed_value(dt.datetime.fromisoformat(v["history_date"])),
                v["history_user_label"] or "—",
                HISTORY_TYPES.get(v["history_type"], v["history_type"]),
                f"record {v.get('id', '')}",
            ]
            for v in history
        ],
    )


AUDIT_SUMMARY_COLUMNS = ["Who", "What", "How many times", "First", "Last"]
AUDIT_SUMMARY_NOTE = (
    " The PDF counts them by person and action; data/audit.json lists every entry with its "
    "time, purpose and address."
)


def audit_section(pupil: Pupil) -> Section:
    """The audit log of the record. A record read every school day for years has thousands of
    entries: the PDF shows one line per person and action (how many times, first and last),
    which is what a family asks ("who has looked at it"), and the JSON keeps every entry."""
    section = kind_section(AUDIT, pupil)
    summary: dict[tuple[str, str], list] = {}
    for entry in section.records:
        key = (entry["user_label"] or "(account removed)", entry["action"])
        at = dt.datetime.fromisoformat(entry["at"])
        row = summary.setdefault(key, [0, at, at])
        row[0] += 1
        row[1], row[2] = min(row[1], at), max(row[2], at)
    actions = dict(AUDIT.model.Action.choices)
    section.columns = AUDIT_SUMMARY_COLUMNS
    section.printed = [
        [who, str(actions.get(action, action)), str(n), printed_value(first), printed_value(last)]
        for (who, action), (n, first, last) in sorted(summary.items(), key=lambda i: i[1][1])
    ]
    section.about += AUDIT_SUMMARY_NOTE
    return section


def lessons_missed_section(*, actor: Actor, pupil: Pupil) -> Section:
    """The lessons the groups the pupil is in now take them out of, by subject (computed from
    the class timetable and the groups' times; nothing of it is stored)."""
    rule = pupil_lesson_rule(actor=actor, pupil=pupil)
    rows = lessons.missed_by_subject(rule.lessons, rule.slots, weeks=rule.weeks)
    records = [
        {
            "subject": r.name,
            "lessons_a_week": r.a_week,
            "times_a_half_term": r.a_half_term,
            "lessons": [lesson.label for lesson in r.lessons],
        }
        for r in rows
    ]
    docs = [
        {"name": "subject", "label": "subject", "type": "CharField"},
        {"name": "lessons_a_week", "label": "lessons missed a week", "type": "IntegerField"},
        {
            "name": "times_a_half_term",
            "label": f"times a half-term ({rule.weeks} school weeks)",
            "type": "IntegerField",
        },
        {"name": "lessons", "label": "which lessons", "type": "list of text"},
    ]
    printed = [
        [
            r["subject"],
            str(r["lessons_a_week"]),
            str(r["times_a_half_term"]),
            "; ".join(r["lessons"]),
        ]
        for r in records
    ]
    return Section(
        slug=LESSONS_MISSED,
        title="Lessons missed for support",
        about="Class lessons that the pupil's current groups take them out of, worked out from "
        "the class timetable and the groups' times.",
        fields=docs,
        records=records,
        printed=printed,
        columns=[d["label"] for d in docs],
    )


def subject_access_sections(*, actor: Actor, pupil: Pupil) -> list[Section]:
    """Every kind of record held about ``pupil`` (one `pupil_on_file_for` has checked), in the
    order of the export."""
    sections = [kind_section(kind, pupil) for kind in KINDS]
    sections.append(lessons_missed_section(actor=actor, pupil=pupil))
    sections.append(audit_section(pupil))
    return sections


# --- Exports asked for ------------------------------------------------------------------------
def sar_exports_recent(*, actor: Actor, pupil: Pupil):
    """This pupil's exports of the last week (their ZIPs are not loaded), newest first."""
    since = timezone.now() - EXPORT_KEPT
    return (
        SubjectAccessExport.objects.filter(
            school=actor.school, pupil=pupil, requested_at__gte=since
        )
        .defer("content")
        .select_related("requested_by")
    )


def sar_export_get(*, actor: Actor, export_id: int, with_content: bool = False):
    """An export of the actor's school, for those who may make them; 404 otherwise (missing
    and forbidden alike)."""
    if actor.school is None or not actor.roles & SUBJECT_ACCESS_ROLES:
        raise Http404("No such export")
    exports = SubjectAccessExport.objects.filter(school=actor.school).select_related(
        "pupil", "requested_by"
    )
    if not with_content:
        exports = exports.defer("content")
    export = exports.filter(pk=export_id).first()
    if export is None:
        raise Http404("No such export")
    return export


def sar_export_progress(*, export: SubjectAccessExport) -> dict:
    """How far the making of an export has got, and whether its worker has gone silent."""
    progress = task_progress_get(key=export.progress_key)
    queued = export.status == SubjectAccessExport.Status.QUEUED
    return {
        "export": export,
        "progress": progress,
        "progress_max": max(progress.total, 1) if progress else 1,
        "stalled": queued and task_is_dead(progress),
    }
