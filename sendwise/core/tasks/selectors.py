"""Reads of task progress, and whether the worker running a task is still alive."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from sendwise.core.tasks.models import TaskProgress


def task_progress_get(*, key: str) -> TaskProgress | None:
    """The progress of the work for `key`, or None if it was never queued. One query."""
    return TaskProgress.objects.filter(key=key).first()


def dead_after() -> timedelta:
    """How long a running task may go without a heartbeat before its worker counts as dead."""
    return timedelta(seconds=settings.TASK_DEAD_AFTER_SECONDS)


def task_is_dead(progress: TaskProgress | None, *, now: datetime | None = None) -> bool:
    """A worker took the task and its heartbeat has stopped: the process died (or was killed).

    A task still waiting for a worker is not dead: nothing has started to beat yet.
    """
    if progress is None or progress.beat_at is None:
        return False
    return (now or timezone.now()) - progress.beat_at > dead_after()
