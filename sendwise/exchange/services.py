"""Importing pupils and their SEN data: upload, preview, then apply all or nothing.

The file is kept with the batch, parsed again at confirmation, and compared with the school's
records at that moment, so what is applied is what the preview shows for the database as it is.
Applying is one transaction: every new pupil, change and SEN record is written, or none is.
Re-importing the same file finds every pupil unchanged and writes nothing.

A long import is applied in chunks of CHUNK pupils inside that one transaction, reporting
progress after each step (`progress` callback). Confirming only claims the batch ("applying",
`import_apply_claim`); a background task applies it (exchange.tasks), with its progress in the
tasks database where every web process sees it. A failure rolls everything back and puts the
batch back to preview with the error (`import_apply_failed`). If the worker dies instead, the
batch stays "applying" with nothing written: exchange.recovery notices its silent heartbeat and
lets it be tried again.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from sendwise.core.access import Actor
from sendwise.core.models import AuditEntry
from sendwise.core.services import service
from sendwise.core.tasks.services import task_progress_queue
from sendwise.exchange import selectors
from sendwise.exchange.ctf import parse_ctf
from sendwise.exchange.diff import ImportPlan, plan_import
from sendwise.exchange.mis_csv import parse_csv
from sendwise.exchange.models import ImportBatch
from sendwise.exchange.records import ImportFileError, ParseResult, PupilRecord
from sendwise.exchange.selectors import pupil_snapshots
from sendwise.impact import signals as impact_upkeep
from sendwise.pupils.access_services import pupil_access_classes_sync
from sendwise.pupils.census_checks import expected_nc_year
from sendwise.pupils.models import ClassGroup, Pupil, SenNeed, SenProvisionRecord

MAX_UPLOAD_BYTES = 20_000_000
TOO_BIG = "The file is {size:.1f} MB: the largest file SENDwise accepts is 20 MB"
ALREADY_APPLIED = "This import has already been applied"
NOT_WAITING = "This import was cancelled: upload the file again"
BEING_APPLIED = "This import is already being applied"
APPLY_FAILED = "The import could not be applied, so nothing was changed: {error}"
SUPERSEDED = "This attempt to apply the import was replaced by a later one"

#: Pupils written per step of an apply (all steps are in one transaction).
CHUNK = 500

#: progress(done, total, stage): `done` of `total` pupils are applied, `stage` is under way.
Progress = Callable[[int, int, str], None]

PUPIL_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "gender",
    "nc_year",
    "home_language",
    "eal",
    "pupil_premium",
)


def detect_source(filename: str, data: bytes) -> str:
    """'ctf' for XML (by extension or content), otherwise 'csv'."""
    head = data[:200].lstrip(b"\xef\xbb\xbf \r\n\t")
    return "ctf" if filename.lower().endswith(".xml") or head.startswith(b"<") else "csv"


def parse_file(source: str, data: bytes, today: date) -> ParseResult:
    return parse_ctf(data, today=today) if source == "ctf" else parse_csv(data, today=today)


@dataclass(frozen=True)
class Preview:
    parsed: ParseResult
    plan: ImportPlan
    #: Rows for pupils whose record is archived (left the school): not imported, so that a
    #: leaver's record is never changed behind the school's back; restore the record first.
    archived: tuple[PupilRecord, ...] = ()


def import_upload(*, actor: Actor, filename: str, data: bytes) -> ImportBatch:
    """Keep an uploaded file for preview; ImportFileError (nothing kept) if the file is refused."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportFileError(TOO_BIG.format(size=len(data) / 1_000_000))
    source = detect_source(filename, data)
    parsed = parse_file(source, data, timezone.localdate())  # refuses a bad file before it is kept
    return ImportBatch.objects.create(
        school=actor.school,
        uploaded_by=actor.user,
        source=source,
        filename=filename[:200],
        content=data,
        sha256=hashlib.sha256(data).hexdigest(),
        summary={
            "rows": parsed.row_count,
            "read": len(parsed.records),
            "rejected": len(parsed.rejected_rows),
        },
    )


def import_preview(*, batch: ImportBatch) -> Preview:
    """What applying the batch would do now: new, changed, unchanged, archived and rejected rows."""
    parsed = parse_file(batch.source, bytes(batch.content), timezone.localdate())
    archived_upns = selectors.archived_upns(school_id=batch.school_id)
    current = [r for r in parsed.records if r.upn not in archived_upns]
    archived = tuple(r for r in parsed.records if r.upn in archived_upns)
    plan = plan_import(current, pupil_snapshots(school_id=batch.school_id))
    return Preview(parsed=parsed, plan=plan, archived=archived)


@service
def import_apply(
    *,
    actor: Actor,
    batch: ImportBatch,
    request=None,
    progress: Progress | None = None,
    claimed_at: datetime | None = None,
) -> dict:
    """Apply the batch in one transaction; returns counts of what was written.

    New and changed pupils are written CHUNK at a time, a few bulk queries per chunk, all in the
    same transaction, so a failure at any point leaves nothing applied. `progress`, if given, is
    called before each step with the pupils applied so far, the total, and the step under way.
    `claimed_at` (a background apply) is the claim being carried out: if the batch is no longer
    applying under that claim (it was tried again since), ValueError(SUPERSEDED), nothing written.
    """
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status == ImportBatch.Status.APPLIED:
        raise ValueError(ALREADY_APPLIED)
    if batch.status == ImportBatch.Status.CANCELLED:
        raise ValueError(NOT_WAITING)
    if claimed_at is not None and (
        batch.status != ImportBatch.Status.APPLYING or batch.apply_started_at != claimed_at
    ):
        raise ValueError(SUPERSEDED)
    preview = import_preview(batch=batch)
    today = timezone.localdate()
    plan = preview.plan
    total, done = len(plan.new) + len(plan.changed), 0

    def report(stage: str) -> None:
        if progress is not None:
            progress(done, total, stage)

    classes = _classes_for(batch.school_id, plan)
    who = (actor.user, f"Imported from {batch.filename}"[:100])  # history: by whom, and why
    created: list[Pupil] = []
    for start in range(0, len(plan.new), CHUNK):
        chunk = plan.new[start : start + CHUNK]
        report("creating pupils")
        created += _create_pupils(batch.school_id, chunk, classes, today, who, report)
        done += len(chunk)
    updated: list[Pupil] = []
    for start in range(0, len(plan.changed), CHUNK):
        chunk = plan.changed[start : start + CHUNK]
        report("updating pupils")
        updated += _update_pupils(batch.school_id, chunk, classes, today, who, report)
        done += len(chunk)
    counts = {
        "new": len(created),
        "changed": len(updated),
        "unchanged": len(preview.plan.unchanged),
        "rejected": len(preview.parsed.rejected_rows),
    }
    report("writing the audit trail")
    reason = f"Imported from {batch.filename}"
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                school_id=batch.school_id,
                user=actor.user,
                action=AuditEntry.Action.CREATE,
                object_type="pupil",
                object_id=str(p.pk),
                object_repr=p.full_name[:200],
                detail=reason,
            )
            for p in created
        ]
        + [
            AuditEntry(
                school_id=batch.school_id,
                user=actor.user,
                action=AuditEntry.Action.UPDATE,
                object_type="pupil",
                object_id=str(p.pk),
                object_repr=p.full_name[:200],
                detail=reason,
            )
            for p in updated
        ],
        batch_size=2000,
    )
    batch.status, batch.applied_at = ImportBatch.Status.APPLIED, timezone.now()
    summary = {k: v for k, v in batch.summary.items() if k != "error"}
    batch.summary = {**summary, "applied": counts}
    batch.save(update_fields=["status", "applied_at", "summary"])
    report("finishing")
    return counts


def import_apply_claim(*, actor: Actor, batch: ImportBatch) -> ImportBatch:
    """Claim a batch waiting for confirmation ("applying"), so that one apply can start.

    ValueError, nothing changed, if it is applied, cancelled or already being applied. The claim
    commits at once, with the time it was made (the apply carries it, so a later "Try again"
    replaces it), and the batch's progress starts again in the tasks database.
    """
    with transaction.atomic():
        current = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if current.status != ImportBatch.Status.PREVIEW:
            raise ValueError(
                {
                    ImportBatch.Status.APPLIED: ALREADY_APPLIED,
                    ImportBatch.Status.APPLYING: BEING_APPLIED,
                }.get(current.status, NOT_WAITING)
            )
        current.status = ImportBatch.Status.APPLYING
        current.apply_started_at = timezone.now()
        current.summary = {k: v for k, v in current.summary.items() if k != "error"}
        current.save(update_fields=["status", "apply_started_at", "summary"])
    task_progress_queue(key=current.progress_key, school_id=current.school_id)
    return current


@transaction.atomic
def import_apply_failed(
    *, batch_id: int, error: BaseException | str, claimed_at: datetime | None = None
) -> None:
    """An apply failed (and was rolled back): the batch waits for confirmation again, with why.

    Only the claim that failed (`claimed_at`, if given) is undone, never a later one.
    """
    batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
    if batch.status == ImportBatch.Status.APPLYING and (
        claimed_at is None or batch.apply_started_at == claimed_at
    ):
        batch.status = ImportBatch.Status.PREVIEW
        batch.summary = {**batch.summary, "error": APPLY_FAILED.format(error=error)}
        batch.save(update_fields=["status", "summary"])


@service
def import_cancel(*, actor: Actor, batch: ImportBatch) -> None:
    if batch.status == ImportBatch.Status.PREVIEW:
        batch.status = ImportBatch.Status.CANCELLED
        batch.save(update_fields=["status"])


def _classes_for(school_id: int, plan: ImportPlan) -> dict[str, ClassGroup]:
    """The school's classes by name, creating any the file names that do not exist yet."""
    records = list(plan.new) + [record for record, _changes in plan.changed]
    classes = {c.name: c for c in ClassGroup.objects.filter(school_id=school_id)}
    missing = {
        r.class_name: r.nc_year for r in records if r.class_name and r.class_name not in classes
    }
    ClassGroup.objects.bulk_create(
        [
            ClassGroup(school_id=school_id, name=name, nc_year=year or 0)
            for name, year in missing.items()
        ]
    )
    if missing:
        classes = {c.name: c for c in ClassGroup.objects.filter(school_id=school_id)}
    return classes


def _create_pupils(
    school_id: int, records, classes, today: date, who, report=lambda stage: None
) -> list[Pupil]:
    pupils = [
        Pupil(
            school_id=school_id,
            upn=r.upn,
            first_name=r.first_name,
            last_name=r.last_name,
            date_of_birth=r.date_of_birth,
            gender=r.gender,
            nc_year=r.nc_year
            if r.nc_year is not None
            else max(0, expected_nc_year(r.date_of_birth, today)),
            class_group=classes.get(r.class_name),
            home_language=r.home_language or "ENG",
            eal=bool(r.eal),
            pupil_premium=bool(r.pupil_premium),
            sen_provision=r.sen_provision or "N",
            primary_need=r.primary_need,
            secondary_need=r.secondary_need,
        )
        for r in records
    ]
    bulk_create_with_history(
        pupils, Pupil, batch_size=1000, default_user=who[0], default_change_reason=who[1]
    )
    by_upn = {
        p.upn: p
        for p in Pupil.unscoped.filter(school_id=school_id, upn__in=[r.upn for r in records])
    }
    report("recording SEN records")
    _sen_records(school_id, [(by_upn[r.upn], r) for r in records], today, who)
    # The staff of each new pupil's class may see them (a few bulk queries for the chunk).
    pupil_access_classes_sync(pupil_ids=[p.pk for p in by_upn.values() if p.class_group_id])
    return list(by_upn.values())


def _update_pupils(
    school_id: int, changed, classes, today: date, who, report=lambda stage: None
) -> list[Pupil]:
    by_upn = {
        p.upn: p
        for p in Pupil.unscoped.filter(school_id=school_id, upn__in=[r.upn for r, _c in changed])
    }
    pupils, sen_changes, moved = [], [], []
    for record, changes in changed:
        pupil = by_upn[record.upn]
        fields = {c.field for c in changes}
        for name in PUPIL_FIELDS:
            if name in fields:
                setattr(pupil, name, getattr(record, name))
        if "class_name" in fields:
            pupil.class_group = classes.get(record.class_name)
            moved.append(pupil.pk)
        if record.sen_provision:
            pupil.sen_provision = record.sen_provision
            pupil.primary_need, pupil.secondary_need = record.primary_need, record.secondary_need
        if fields & {"sen_provision", "needs", "sen_history"}:
            sen_changes.append((pupil, record))
        pupil._change_reason = "Imported: " + ", ".join(sorted(fields))
        pupils.append(pupil)
    bulk_update_with_history(
        pupils,
        Pupil,
        [*PUPIL_FIELDS, "class_group", "sen_provision", "primary_need", "secondary_need"],
        batch_size=1000,
        default_user=who[0],
        default_change_reason=who[1],
    )
    report("recording SEN records")
    _sen_records(school_id, sen_changes, today, who)
    # Pupils who changed class: seen by the new class's staff, no longer by the old's.
    pupil_access_classes_sync(pupil_ids=moved)
    # Impact results copy the pupil's year, need, EAL ... (bulk updates send no post_save).
    impact_upkeep.note(school_id=school_id, pupils=[p.pk for p in pupils])
    return pupils


def _sen_records(school_id: int, pairs: list[tuple[Pupil, PupilRecord]], today: date, who) -> None:
    """Merge the file's SEN periods and needs into the school's dated records.

    Periods the school lacks are added; then, oldest first, any open period followed by a later
    one ends where the later one starts; finally the last open period is lined up with the
    pupil's current provision (closed today and, if need be, a new one opened today). Needs of a
    rank that the file changes are closed today and the file's opened. Nothing is deleted.
    """
    if not pairs:
        return
    ids = [pupil.pk for pupil, _record in pairs]
    existing: dict[int, list[SenProvisionRecord]] = {}
    for row in SenProvisionRecord.objects.filter(pupil_id__in=ids):
        existing.setdefault(row.pupil_id, []).append(row)
    open_needs: dict[int, list[SenNeed]] = {}
    for need in SenNeed.objects.filter(pupil_id__in=ids, end_date__isnull=True):
        open_needs.setdefault(need.pupil_id, []).append(need)
    to_create, to_update, needs_create, needs_update = [], [], [], []
    for pupil, record in pairs:
        rows = existing.get(pupil.pk, [])
        known = {(r.provision, r.start_date) for r in rows}
        rows = rows + [
            SenProvisionRecord(
                school_id=school_id,
                pupil=pupil,
                provision=p.provision,
                start_date=p.start_date,
                end_date=p.end_date,
            )
            for p in record.sen_history
            if (p.provision, p.start_date) not in known
        ]
        rows.sort(key=lambda r: (r.start_date, r.pk or 0))
        for earlier, later in pairwise(rows):
            if earlier.end_date is None:
                earlier.end_date = max(later.start_date, earlier.start_date)
                earlier._dirty = True
        current = pupil.sen_provision if pupil.sen_provision in ("K", "E") else None
        last = rows[-1] if rows else None
        if last is not None and last.end_date is None and last.provision != current:
            last.end_date, last._dirty = max(today, last.start_date), True
        if current and (last is None or last.end_date is not None or last.provision != current):
            rows.append(
                SenProvisionRecord(
                    school_id=school_id, pupil=pupil, provision=current, start_date=today
                )
            )
        to_create += [r for r in rows if r.pk is None]
        to_update += [r for r in rows if r.pk is not None and getattr(r, "_dirty", False)]
        if not record.sen_provision:
            continue  # the file says nothing about SEN
        wanted = {n.rank: n for n in record.needs}
        for need in open_needs.get(pupil.pk, []):
            keep = wanted.get(need.rank)
            if keep is not None and keep.need_type == need.need_type:
                wanted.pop(need.rank)
            else:
                need.end_date = max(today, need.start_date)
                needs_update.append(need)
        needs_create += [
            SenNeed(
                school_id=school_id,
                pupil=pupil,
                need_type=n.need_type,
                rank=rank,
                start_date=n.start_date or today,
            )
            for rank, n in wanted.items()
        ]
    # Close before opening, so that "one open record" holds at every step.
    history = {"batch_size": 1000, "default_user": who[0], "default_change_reason": who[1]}
    bulk_update_with_history(to_update, SenProvisionRecord, ["end_date"], **history)
    bulk_create_with_history(to_create, SenProvisionRecord, **history)
    bulk_update_with_history(needs_update, SenNeed, ["end_date"], **history)
    bulk_create_with_history(needs_create, SenNeed, **history)
