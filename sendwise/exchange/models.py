"""An uploaded import file, kept from preview to confirmation (and afterwards, as a record)."""

from django.conf import settings
from django.db import models

from sendwise.core.models import School


class ImportBatch(models.Model):
    """One uploaded file. Its content is kept so that what is applied is exactly what was previewed."""

    class Status(models.TextChoices):
        PREVIEW = "preview", "Waiting for confirmation"
        APPLYING = "applying", "Being applied"
        APPLIED = "applied", "Applied"
        CANCELLED = "cancelled", "Cancelled"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField(
        max_length=3, choices=[("csv", "MIS CSV export"), ("ctf", "Common Transfer File")]
    )
    filename = models.CharField(max_length=200)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    created_at = models.DateTimeField(auto_now_add=True)
    #: When the batch last went to "applying": names that claim (a background apply carries it)
    #: and, until a worker starts it, is the last sign that the apply is alive (exchange.recovery).
    apply_started_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["school", "-created_at"], name="import_school_created")]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def progress_key(self) -> str:
        """Names the progress row of this batch's apply (core.tasks)."""
        return f"import:{self.pk}"


class LessonImport(models.Model):
    """One uploaded file of classes' lesson timetables, kept from preview to confirmation (and
    afterwards, as a record of what replaced the timetables). Its content is kept so that what
    is applied is exactly what was previewed."""

    class Status(models.TextChoices):
        PREVIEW = "preview", "Waiting for confirmation"
        APPLIED = "applied", "Applied"
        CANCELLED = "cancelled", "Cancelled"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(max_length=200)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["school", "-created_at"], name="lesson_import_school_created")
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"
