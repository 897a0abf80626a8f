"""Scores: what a pupil scored on a named measure on a given day (baselines and progress checks).

Every row carries its school, so selectors filter by school first. Scores keep history
(django-simple-history): a corrected score leaves the earlier value on record.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from sendwise.core.history import history_user
from sendwise.core.models import School
from sendwise.evidence.models import Measure
from sendwise.pupils.models import Pupil


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
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["-taken_on", "-id"]
        indexes = [
            models.Index(
                fields=["school", "pupil", "measure", "taken_on"], name="score_pupil_measure"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.value:g} on {self.measure_id} ({self.taken_on})"


class Flag(models.Model):
    """The current state of one decision rule for one subject: an outcome's progress (and
    whether it has gone too long without a score), a plan's review, a placement's dose.

    One row per subject and kind, changed in place when the state changes (history keeps every
    earlier state, so "since when" and "what it said before" can be read back). Written only by
    ``flag_services``; the SENCO's dashboard reads the rows that need a decision.
    """

    class Kind(models.TextChoices):
        PROGRESS = "progress", "Progress against the goal"
        NO_SCORE = "no_score", "No recent score"
        REVIEW_OVERDUE = "review_overdue", "Review overdue"
        LOW_DOSE = "low_dose", "Dose below 80%"

    class Verdict(models.TextChoices):
        ON_TRACK = "on_track", "On track"
        AHEAD = "ahead", "Ahead"
        NOT_RESPONDING = "not_responding", "Not responding"
        TOO_FEW_POINTS = "too_few_points", "Too few points to tell"
        RAISED = "raised", "Needs attention"
        CLEAR = "clear", "Clear"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="flags")
    plan = models.ForeignKey("planning.Plan", on_delete=models.CASCADE, related_name="+")
    outcome = models.ForeignKey(
        "planning.Outcome", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    placement = models.ForeignKey(
        "planning.Placement", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    #: The intervention the flag is about (the outcome's or the placement's), for filtering.
    intervention = models.ForeignKey(
        "evidence.Intervention", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    #: What the flag is about, e.g. "outcome:12", "plan:3", "placement:9".
    subject = models.CharField(max_length=40)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    verdict = models.CharField(max_length=20, choices=Verdict.choices)
    #: The rule that decided ("four_point", "trend", "reliable_change", "gap", or the concern).
    rule = models.CharField(max_length=20, blank=True)
    needs_decision = models.BooleanField(default=False)
    reason = models.CharField("reason (staff)", max_length=300)
    reason_for_parent = models.CharField(max_length=300, blank=True)
    figures = models.JSONField(default=dict, blank=True)
    #: When this state was written (the latest change).
    evaluated_at = models.DateTimeField()
    #: Since when the flag has needed a decision (kept while it does; empty when it does not).
    decision_since = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "kind"], name="flag_one_per_subject_kind"),
            models.CheckConstraint(
                name="flag_decision_has_since",
                condition=models.Q(needs_decision=False) | models.Q(decision_since__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["school", "needs_decision", "pupil"], name="flag_school_decision"),
            models.Index(fields=["school", "pupil"], name="flag_school_pupil"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.kind}: {self.verdict}"
