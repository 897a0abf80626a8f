"""A whole-school pack of reports, made in the background (ADR 0005) and kept until downloaded.

Why stored in the database: the pack is made by a worker, possibly on another machine, minutes
after it was asked for, and downloaded by a later request to any web process; nothing is held in
any process's memory between the two. The ZIP is a copy of records that stay where they are, so
it carries the school and who asked for it, and every pupil in it was read through ``pupil_for``
(one read-audit entry each, with the pack as the purpose).
"""

from django.conf import settings
from django.db import models

from sendwise.core.models import School
from sendwise.pupils.models import ClassGroup

#: The largest number of pupils one pack may hold (a year group of a large secondary school):
#: past it the SENCO is asked to choose a class, so one task never runs for an hour.
MAX_PACK_PUPILS = 400


class ReportPack(models.Model):
    """Every parent report of one class or one year group, as one ZIP of PDFs."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being made"
        DONE = "done", "Ready to download"
        FAILED = "failed", "Could not be made"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: Which pupils: one class, or one NC year (exactly one of the two).
    class_group = models.ForeignKey(
        ClassGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    nc_year = models.PositiveSmallIntegerField(null=True, blank=True)
    label = models.CharField(max_length=100, help_text="Who is in it, as the page says it")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    pupils = models.PositiveIntegerField(default=0, help_text="Reports in the finished pack")
    content = models.BinaryField(null=True, blank=True, editable=False)
    filename = models.CharField(max_length=120, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["school", "-created_at"], name="report_pack_school")]
        constraints = [
            models.CheckConstraint(
                name="report_pack_class_or_year",
                condition=models.Q(class_group__isnull=False) | models.Q(nc_year__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"Parent reports: {self.label}"

    @property
    def progress_key(self) -> str:
        """The key of its row in core.tasks.TaskProgress."""
        return f"report-pack:{self.pk}"


# The subject-access export lives in the module of its use case.
from sendwise.reports.sar_models import SubjectAccessExport  # noqa: E402

__all__ = ["ReportPack", "SubjectAccessExport"]
