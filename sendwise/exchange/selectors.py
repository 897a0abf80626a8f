"""Reads for imports: the school's pupils as import records, and the actor's import batches."""

from django.http import Http404

from sendwise.core.access import Actor
from sendwise.core.tasks.selectors import task_progress_get
from sendwise.exchange.models import ImportBatch
from sendwise.exchange.records import NeedRecord, PupilRecord, SenPeriod
from sendwise.pupils.models import Pupil, SenNeed, SenProvisionRecord


def pupil_snapshots(*, school_id: int) -> dict[str, PupilRecord]:
    """Every current pupil of the school as the import sees them, keyed by UPN. 3 queries."""
    history: dict[int, list[SenPeriod]] = {}
    for pupil_id, provision, start, end in (
        SenProvisionRecord.objects.filter(school_id=school_id)
        .order_by("start_date", "id")
        .values_list("pupil_id", "provision", "start_date", "end_date")
    ):
        history.setdefault(pupil_id, []).append(SenPeriod(provision, start, end))
    needs: dict[int, list[NeedRecord]] = {}
    for pupil_id, need_type, rank, start, end in (
        SenNeed.objects.filter(school_id=school_id, end_date__isnull=True)
        .order_by("rank")
        .values_list("pupil_id", "need_type", "rank", "start_date", "end_date")
    ):
        needs.setdefault(pupil_id, []).append(NeedRecord(need_type, rank, start, end))
    snapshots = {}
    for pupil in Pupil.unscoped.filter(
        school_id=school_id, archived_at__isnull=True
    ).select_related("class_group"):
        snapshots[pupil.upn] = PupilRecord(
            row=0,
            upn=pupil.upn,
            first_name=pupil.first_name,
            last_name=pupil.last_name,
            date_of_birth=pupil.date_of_birth,
            gender=pupil.gender,
            nc_year=pupil.nc_year,
            class_name=pupil.class_group.name if pupil.class_group else "",
            home_language=pupil.home_language,
            eal=pupil.eal,
            pupil_premium=pupil.pupil_premium,
            sen_provision=pupil.sen_provision,
            sen_history=tuple(history.get(pupil.pk, ())),
            needs=tuple(needs.get(pupil.pk, ())),
        )
    return snapshots


def import_batch_get(*, actor: Actor, batch_id: int) -> ImportBatch:
    """An import of the actor's current school, or 404."""
    batch = ImportBatch.objects.filter(school=actor.school, pk=batch_id).first()
    if batch is None:
        raise Http404("No such import")
    return batch


def import_batches(*, actor: Actor):
    """Recent imports of the actor's school (without their file content)."""
    return (
        ImportBatch.objects.filter(school=actor.school)
        .defer("content")
        .select_related("uploaded_by")[:20]
    )


def archived_upns(*, school_id: int) -> set[str]:
    """UPNs of the school's archived pupils: an import must not quietly change their records."""
    return set(
        Pupil.unscoped.filter(school_id=school_id, archived_at__isnull=False).values_list(
            "upn", flat=True
        )
    )


def import_batches_applying(*, school=None):
    """Imports being applied, in one school or in all (for the stalled-import command only:
    it is run by an administrator, not on behalf of a signed-in user)."""
    batches = ImportBatch.objects.filter(status=ImportBatch.Status.APPLYING)
    if school is not None:
        batches = batches.filter(school=school)
    return batches.defer("content").select_related("school").order_by("created_at", "id")


def import_progress(*, batch: ImportBatch) -> dict:
    """How far the batch's apply has got, from the tasks database (any process sees it).

    {"done", "total", "stage", "queued_at", "started_at", "beat_at"}: pupils applied of the
    total, the step under way, when the apply was asked for, when a worker started it and when
    that worker last showed it was alive (None where not yet, or if no apply was ever queued).
    """
    row = task_progress_get(key=batch.progress_key)
    if row is None:
        return {
            "done": 0, "total": 0, "stage": "", "queued_at": None, "started_at": None,
            "beat_at": None,
        }  # fmt: skip
    return {
        "done": row.done,
        "total": row.total,
        "stage": row.stage,
        "queued_at": row.queued_at,
        "started_at": row.started_at,
        "beat_at": row.beat_at,
    }
