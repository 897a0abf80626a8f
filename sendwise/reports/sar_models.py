"""A subject-access export being made, or made: the ZIP is built by a background task (it can
take a minute for a long record: WeasyPrint lays out about 40 table rows a second on a busy
2-core machine) and kept for a week for the SENCO to download, then emptied."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from sendwise.core.models import School
from sendwise.pupils.models import Pupil

#: How long a finished ZIP is kept: it is a copy of a child's whole file, so only long enough
#: to download it and check it before sending.
EXPORT_KEPT = timedelta(days=7)


class SubjectAccessExport(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Being made"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.QUEUED)
    finished_at = models.DateTimeField(null=True, blank=True)
    filename = models.CharField(max_length=100, blank=True)
    #: The ZIP, emptied (set to null) once EXPORT_KEPT has passed.
    content = models.BinaryField(null=True, blank=True, editable=False)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["school", "pupil"], name="sar_export_pupil")]

    def __str__(self) -> str:
        return f"Subject access export {self.pk} ({self.get_status_display()})"

    @property
    def progress_key(self) -> str:
        return f"subject-access:{self.pk}"

    @property
    def expires_at(self):
        return (self.finished_at or self.requested_at) + EXPORT_KEPT

    @property
    def downloadable(self) -> bool:
        return (
            self.status == self.Status.READY
            and self.content is not None
            and timezone.now() < self.expires_at
        )
