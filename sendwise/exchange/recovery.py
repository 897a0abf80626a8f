"""Imports whose apply stopped part-way ("stalled"): finding them and letting them be tried again.

A confirmed import is claimed ("applying") and then applied by a background task in a worker
process (exchange.tasks). If that worker dies (killed, a deploy, the machine going down), the
batch stays "applying". A batch is *stalled* when it is applying and either

- a worker started it and its heartbeat has stopped: no sign of life in the tasks database for
  TASK_DEAD_AFTER_SECONDS (core.tasks; a live worker touches it every TASK_HEARTBEAT_SECONDS,
  whether or not the apply has moved on), so a killed worker is noticed within half a minute; or
- no worker has started it for IMPORT_STALLED_AFTER_SECONDS since it was claimed (no worker is
  running), or it was left applying from before heartbeats were recorded.

Why a stalled import has changed nothing (checked against exchange.services):

- `import_apply` is one `transaction.atomic` block. Every write an apply makes is inside it: the
  missing classes (`_classes_for`), new and changed pupils with their history rows
  (`_create_pupils`, `_update_pupils`), SEN periods and needs (`_sen_records`), the audit entries,
  and finally the batch's own change to "applied". The task calls `import_apply` on the worker's
  connection in autocommit mode, so that block is a real transaction, not a savepoint.
- Its progress and heartbeat are written on the tasks database alias (a second connection, or a
  second SQLite file), outside that transaction: they say how far it got, never what was saved.
- The only other writes are the claim (status "applying", `apply_started_at`) and, after a
  failure, putting the batch back to "preview" with the error.
- So a committed "applying" always goes with no pupil written: if the transaction commits, the
  same commit makes the batch "applied"; if the process dies, the open transaction is never
  committed, and only the claim remains. (PostgreSQL: a transaction that a failure stops from
  completing leaves none of its steps in the database,
  https://www.postgresql.org/docs/current/tutorial-transactions.html. SQLite in WAL mode: a
  transaction commits only when a frame with a commit marker is written, so frames of one that
  never finished are ignored, https://www.sqlite.org/wal.html and the header of its wal.c.)

Trying again therefore only has to put the batch back to "preview"; confirming it runs the
preview diff against the records as they are then, as every confirmation does, and claims it
afresh, so a task still queued for the old claim is skipped when a worker reaches it.

A slow apply is not a dead one, and a clock is not trusted alone. Trying again locks the batch's
row without waiting (`select_for_update(nowait=True)`): a live apply holds that lock for its
whole transaction on PostgreSQL, and on SQLite (IMMEDIATE transactions) it holds the database's
write lock, so the retry is refused rather than letting a second apply start beside the first.
(If a machine vanishes without closing its connection, PostgreSQL keeps the lock until TCP
keepalive notices, and the retry is refused until then.)
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import OperationalError, transaction
from django.utils import timezone

from sendwise.core.access import Actor
from sendwise.core.models import AuditEntry, School
from sendwise.core.services import audit_record
from sendwise.core.tasks.selectors import dead_after
from sendwise.exchange import selectors
from sendwise.exchange.models import ImportBatch
from sendwise.exchange.selectors import import_progress
from sendwise.exchange.services import ALREADY_APPLIED, NOT_WAITING

NOT_STALLED = (
    "This import is waiting for a worker to apply it, so it cannot be tried again yet: an import "
    "can be tried again once it has waited {minutes} minutes without starting"
)
STILL_RUNNING = "This import is still being applied, so it cannot be tried again: wait for it"
NOT_APPLYING = (
    "This import is not being applied: it is waiting for you to check it and apply it again"
)
DID_NOT_FINISH = (
    "The last attempt to apply this import did not finish, so nothing was changed. "
    "Check the import below, then apply it again."
)

logger = logging.getLogger(__name__)


def stalled_after() -> timedelta:
    """How long a claimed apply may wait for a worker to start it before it counts as stalled."""
    return timedelta(seconds=settings.IMPORT_STALLED_AFTER_SECONDS)


def last_sign_of_life(*, batch: ImportBatch, progress: dict | None = None) -> datetime:
    """When the apply last showed it was alive: its worker's last heartbeat, or, until a worker
    starts it, its claim. A batch left applying from before `apply_started_at` existed falls
    back to its upload time."""
    progress = progress if progress is not None else import_progress(batch=batch)
    if progress.get("beat_at") is not None:
        return progress["beat_at"]
    times = [t for t in (progress.get("queued_at"), batch.apply_started_at) if t is not None]
    return max(times) if times else batch.created_at


def import_is_stalled(
    *, batch: ImportBatch, progress: dict | None = None, now: datetime | None = None
) -> bool:
    """An import is stalled when it is being applied but its worker has gone silent (or, never
    started by a worker, it has waited too long)."""
    if batch.status != ImportBatch.Status.APPLYING:
        return False
    progress = progress if progress is not None else import_progress(batch=batch)
    quiet = (now or timezone.now()) - last_sign_of_life(batch=batch, progress=progress)
    started = progress.get("beat_at") is not None
    return quiet > (dead_after() if started else stalled_after())


def import_progress_state(*, batch: ImportBatch, now: datetime | None = None) -> dict:
    """What the import's page shows while it is applied: its progress, and whether it stalled.

    {"progress", "progress_max", "stalled", "last_activity"}: the progress page and partial use
    this, and so does benchmarks/kill_worker_import.py to time how soon a killed worker shows.
    """
    progress = import_progress(batch=batch)
    return {
        "progress": progress,
        "progress_max": max(progress["total"], 1),
        "stalled": import_is_stalled(batch=batch, progress=progress, now=now),
        "last_activity": last_sign_of_life(batch=batch, progress=progress),
    }


def import_retry(
    *, actor: Actor, batch: ImportBatch, request=None, now: datetime | None = None
) -> ImportBatch:
    """Put a stalled import back to waiting for confirmation; ValueError, nothing changed, if not.

    Checked once without a lock, so a refusal is quick and says why; then the row is locked and
    checked again, so two people pressing "Try again" together (or a double click) change it
    once, and the second is told it is waiting for confirmation.
    """
    batches = ImportBatch.objects.defer("content")
    _refuse_unless_stalled(batches.get(pk=batch.pk), now)
    try:
        with transaction.atomic():
            current = batches.select_for_update(nowait=True).get(pk=batch.pk)
            _refuse_unless_stalled(current, now)
            current.status = ImportBatch.Status.PREVIEW
            current.summary = {**current.summary, "error": DID_NOT_FINISH}
            current.save(update_fields=["status", "summary"])
            audit_record(
                actor=actor,
                action=AuditEntry.Action.UPDATE,
                object_type="import",
                object_id=current.pk,
                object_repr=current.filename,
                detail="Import did not finish (nothing changed): back to preview to try again",
                request=request,
                school=current.school,
            )
    except OperationalError as error:
        # The row (PostgreSQL) or the database (SQLite) is locked: an apply is still running.
        logger.info("Import %s not retried: locked (%s)", batch.pk, error)
        raise ValueError(STILL_RUNNING) from error
    return current


def _refuse_unless_stalled(batch: ImportBatch, now: datetime | None) -> None:
    if batch.status == ImportBatch.Status.APPLIED:
        raise ValueError(ALREADY_APPLIED)
    if batch.status == ImportBatch.Status.CANCELLED:
        raise ValueError(NOT_WAITING)
    if batch.status == ImportBatch.Status.PREVIEW:
        raise ValueError(NOT_APPLYING)
    _refuse_unless_stalled_now(batch, now)


def _refuse_unless_stalled_now(batch: ImportBatch, now: datetime | None) -> None:
    progress = import_progress(batch=batch)
    if import_is_stalled(batch=batch, progress=progress, now=now):
        return
    if progress["beat_at"] is not None:  # its worker is alive: wait for it
        raise ValueError(STILL_RUNNING)
    minutes = max(1, round(stalled_after().total_seconds() / 60))
    raise ValueError(NOT_STALLED.format(minutes=minutes))


@dataclass(frozen=True)
class Recovery:
    batch: ImportBatch
    retried: bool
    reason: str = ""


def import_recover_stalled(
    *, school: School | None = None, dry_run: bool = False, now: datetime | None = None
) -> list[Recovery]:
    """Every import being applied (in one school, or all): stalled ones go back to preview.

    For an administrator or a scheduled job. The audit entry names no user (nobody signed in);
    an apply still holding its lock is left alone whatever the clock says.
    """
    results = []
    for batch in selectors.import_batches_applying(school=school):
        try:
            _refuse_unless_stalled_now(batch, now)
        except ValueError as error:
            results.append(Recovery(batch, False, str(error)))
            continue
        if dry_run:
            results.append(Recovery(batch, False, "stalled (dry run: not changed)"))
            continue
        try:
            import_retry(actor=Actor(user=None, school=batch.school), batch=batch, now=now)
        except ValueError as error:
            results.append(Recovery(batch, False, str(error)))
        else:
            results.append(Recovery(batch, True))
    return results
