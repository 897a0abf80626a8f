"""Making a subject-access export in the background (core.tasks says how tasks work).

A long record takes WeasyPrint a minute or more (measured on the demo trust with 3,000 audit
entries: about two minutes before the audit was summarised in the PDF, six seconds after; a
1,000-row table alone takes about 25 seconds on this busy 2-core machine), too long for a web
request. The SENCO asks, the task makes the ZIP inside a Heartbeat, the page shows how far it
has got and offers the download when it is ready.
"""

import logging

from django_tasks import TaskContext, TaskResult, task

from sendwise.core.access import actor_for
from sendwise.core.models import User
from sendwise.core.tasks.services import Heartbeat
from sendwise.reports import sar_services
from sendwise.reports.sar_models import SubjectAccessExport

logger = logging.getLogger(__name__)
FAILED = "The export could not be made. Nothing was sent anywhere; try again."


def subject_access_in_background(*, export: SubjectAccessExport) -> TaskResult:
    """Queue the making of an export asked for (and committed). With the immediate backend
    (the tests) it is ready when this returns."""
    return subject_access_task.enqueue(
        export_id=export.pk, user_id=export.requested_by_id, school_id=export.school_id
    )


@task(takes_context=True)
def subject_access_task(context: TaskContext, *, export_id: int, user_id: int, school_id: int):
    export = SubjectAccessExport.objects.defer("content").get(pk=export_id)
    if export.status != SubjectAccessExport.Status.QUEUED:
        return {"skipped": export.status}
    try:
        actor = actor_for(User.objects.get(pk=user_id), school_id)
        with Heartbeat(export.progress_key, task_id=context.task_result.id) as beat:
            sar_services.subject_access_build(actor=actor, export=export, progress=beat.report)
    except Exception:
        logger.exception("Subject access export %s failed", export_id)
        sar_services.subject_access_failed(export_id=export_id, error=FAILED)
        raise
    return {"export_id": export_id}
