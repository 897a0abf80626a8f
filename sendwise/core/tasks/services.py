"""Writes of task progress: queued when the work is asked for, then kept alive while it runs.

Every write here goes to settings.TASK_DATABASE (core.tasks.router), outside the work's own
transaction, and is one statement in autocommit: a page in another process sees it at once.
Progress rows are bookkeeping, not records of children, so they have no history or audit.
"""

import logging
import os
import socket
import threading
from datetime import datetime

from django.conf import settings
from django.db import connections
from django.utils import timezone

from sendwise.core.tasks.models import TaskProgress

logger = logging.getLogger(__name__)

WAITING = "waiting for a worker"
STARTING = "starting"


def task_progress_queue(*, key: str, school_id: int | None = None) -> TaskProgress:
    """The work for `key` has been asked for: its progress starts again, waiting for a worker."""
    progress, _created = TaskProgress.objects.update_or_create(
        key=key,
        defaults={
            "school_id": school_id,
            "done": 0,
            "total": 0,
            "stage": WAITING,
            "queued_at": timezone.now(),
            "started_at": None,
            "beat_at": None,
            "finished_at": None,
            "worker": "",
            "task_id": "",
        },
    )
    return progress


def this_worker() -> str:
    """Names the process running a task, for whoever looks at the progress table."""
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


class Heartbeat:
    """Shows that a task is alive while it runs: `with Heartbeat(key) as beat: ... beat.report()`.

    On entering, the row is marked started. `report(done, total, stage)` writes the progress and
    touches `beat_at`; a daemon thread also touches `beat_at` every TASK_HEARTBEAT_SECONDS, so a
    long step with no report still shows the worker alive. On leaving (success or failure) the
    thread is stopped and the row marked finished. If the process is killed, nothing touches the
    row again: after TASK_DEAD_AFTER_SECONDS readers know the worker died (selectors).

    With TASK_HEARTBEAT_SECONDS = 0 there is no thread (the test settings: the immediate backend
    runs the task inside the test's transaction, which a second thread's connection cannot see).
    """

    def __init__(self, key: str, *, task_id: str = "", interval: float | None = None) -> None:
        self.key = key
        self.task_id = str(task_id)[:64]
        self.interval = settings.TASK_HEARTBEAT_SECONDS if interval is None else interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> "Heartbeat":
        now = timezone.now()
        self._update(started_at=now, beat_at=now, stage=STARTING, worker=this_worker())
        if self.interval > 0:
            self._thread = threading.Thread(
                target=self._beat, name=f"heartbeat {self.key}", daemon=True
            )
            self._thread.start()
        return self

    def report(self, done: int, total: int, stage: str) -> None:
        """`done` of `total` are done and `stage` is under way (the progress callback)."""
        self._update(done=done, total=total, stage=stage[:100], beat_at=timezone.now())

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self._update(finished_at=timezone.now())

    def _beat(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                try:
                    self._update(beat_at=timezone.now())
                except Exception:  # a missed beat must not stop the next one
                    logger.exception("Heartbeat of %s not recorded", self.key)
        finally:
            # This thread's own connection; Django closes only request threads' connections.
            connections[settings.TASK_DATABASE].close()

    def _update(self, **fields: datetime | int | str) -> None:
        if self.task_id and "started_at" in fields:
            fields["task_id"] = self.task_id
        TaskProgress.objects.filter(key=self.key).update(**fields)
