"""The progress and heartbeat of background tasks that someone is waiting for.

These rows live on settings.TASK_DATABASE (core.tasks.router), not beside the work: a task's
own writes may sit in one long transaction that nobody else can see until it commits, while
its progress must be seen by every web process at once.
"""

from django.db import models


class TaskProgress(models.Model):
    """How far one run of a task has got, and when its worker last showed it was alive.

    One row per thing being worked on (`key`, such as "import:42"): queuing the work again
    resets it. `beat_at` is touched every TASK_HEARTBEAT_SECONDS while the worker runs it.
    """

    key = models.CharField(max_length=100, unique=True)
    #: The school the work is for (no foreign key: this table may be in another database).
    school_id = models.BigIntegerField(null=True, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    stage = models.CharField(max_length=100, blank=True)
    queued_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    beat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    #: Which worker runs it ("host:pid") and the id of its task result in the queue.
    worker = models.CharField(max_length=100, blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name_plural = "task progress"

    def __str__(self) -> str:
        return f"{self.key}: {self.done} of {self.total} ({self.stage})"
