"""Applying a confirmed import in the background, as a task (core.tasks says how tasks work).

Confirming claims the batch (`services.import_apply_claim`) and queues `import_apply_task` with
ids only; a worker, in any process on any machine, rebuilds the actor and applies the batch in
one transaction (`services.import_apply`) inside a Heartbeat, so the progress page in every web
process sees how far it has got and whether its worker is still alive (exchange.recovery).
"""

import logging
from datetime import datetime

from django_tasks import TaskContext, TaskResult, task

from sendwise.core.access import actor_for
from sendwise.core.models import User
from sendwise.core.tasks.services import Heartbeat
from sendwise.exchange import services
from sendwise.exchange.models import ImportBatch

NOT_A_MEMBER = "the person who confirmed it no longer works in this school"

logger = logging.getLogger(__name__)


def import_apply_in_background(*, actor, batch: ImportBatch) -> TaskResult:
    """Claim the batch and queue its apply; ValueError, nothing changed, if it cannot start.

    With the immediate backend (the tests) the apply has finished when this returns.
    """
    claimed = services.import_apply_claim(actor=actor, batch=batch)
    return import_apply_task.enqueue(
        batch_id=claimed.pk,
        user_id=actor.user.pk,
        school_id=claimed.school_id,
        claimed_at=claimed.apply_started_at.isoformat(),
    )


@task(takes_context=True)
def import_apply_task(
    context: TaskContext, *, batch_id: int, user_id: int, school_id: int, claimed_at: str
) -> dict:
    """Apply one claimed import all or nothing; returns the counts (or why it was skipped).

    A claim that was replaced (the import was tried again since) is skipped, writing nothing.
    Any failure rolls the apply back, puts the batch back to preview with the error for the
    SENCO, and is raised again so the queue keeps the traceback.
    """
    claim = datetime.fromisoformat(claimed_at)
    batch = ImportBatch.objects.defer("content").get(pk=batch_id)
    if batch.status != ImportBatch.Status.APPLYING or batch.apply_started_at != claim:
        return {"skipped": services.SUPERSEDED}  # its progress row belongs to the newer claim
    try:
        actor = actor_for(User.objects.get(pk=user_id), school_id)
        if actor.school is None or actor.school.pk != batch.school_id:
            raise ValueError(NOT_A_MEMBER)
        with Heartbeat(batch.progress_key, task_id=context.task_result.id) as beat:
            return services.import_apply(
                actor=actor, batch=batch, progress=beat.report, claimed_at=claim
            )
    except Exception as error:  # any failure must free the batch and be shown
        logger.exception("Import %s could not be applied", batch_id)
        services.import_apply_failed(batch_id=batch_id, error=error, claimed_at=claim)
        raise
