"""Scores: what a pupil scored on a named measure on a given day (baselines and progress checks).

Every row carries its school, so selectors filter by school first. Scores keep history
(django-simple-history): a corrected score leaves the earlier value on record, with the reason
as the history's change reason. A score entered by mistake is withdrawn with a reason, never
deleted: it stays on the pupil's scores page under "Withdrawn" and counts nowhere else, so every
reader starts from ``Score.objects.current()``.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from sendwise.core.history import history_user
from sendwise.core.models import School
from sendwise.evidence.models import Measure
from sendwise.pupils.models import Pupil


class ScoreQuerySet(models.QuerySet):
    def current(self):
        """Scores that count: every score not withdrawn."""
        return self.filter(withdrawn_at__isnull=True)

    def withdrawn(self):
        return self.filter(withdrawn_at__isnull=False)


class Score(models.Model):
    """One result on one measure, taken on one day, and who entered it."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="scores")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="+")
    value = models.FloatField("score")
    taken_on = models.DateField("date taken")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    #: Raised by every correction and withdrawal: a form carries the version it showed, so a
    #: second person changing the same score at once is told, not silently overwritten.
    version = models.PositiveIntegerField(default=1)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_reason = models.CharField("why it was withdrawn", max_length=300, blank=True)
    history = HistoricalRecords(get_user=history_user)

    objects = ScoreQuerySet.as_manager()

    class Meta:
        ordering = ["-taken_on", "-id"]
        indexes = [
            models.Index(
                fields=["school", "pupil", "measure", "taken_on"], name="score_pupil_measure"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.value:g} on {self.measure_id} ({self.taken_on})"
