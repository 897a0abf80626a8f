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


# --- Review meetings ----------------------------------------------------------------------------
#: Bounds on what a review records, each with the reason in the form's message.
MAX_ATTENDEES = 12
MAX_NAME = 100
MAX_ROLE = 60
MAX_VIEWS = 2000
MAX_SUMMARY = 4000
MAX_NOTE = 1000
MAX_ACTION_NOTE = 300


class Review(models.Model):
    """The meeting that closes a plan's cycle: who came, what the pupil and the parents said,
    how each outcome went, what happens to each intervention, and a summary.

    One per plan (a database constraint), so a review submitted twice is recorded once. A draft
    can be edited; completing it closes the plan and opens the next cycle. The parents see it
    only once the SENCO marks it ready to share."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        COMPLETE = "complete", "Complete"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey("planning.Plan", on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField("date of the meeting")
    #: Who came: a list of {"name": ..., "role": ...}, at most MAX_ATTENDEES.
    attendees = models.JSONField(default=list, blank=True)
    pupil_views = models.TextField("what the pupil said", blank=True, max_length=MAX_VIEWS)
    parent_views = models.TextField("what parents or carers said", blank=True, max_length=MAX_VIEWS)
    summary = models.TextField("summary", blank=True, max_length=MAX_SUMMARY)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    completed_at = models.DateTimeField(null=True, blank=True)
    shared_with_parent_at = models.DateTimeField(null=True, blank=True)
    #: The draft plan of the next cycle, opened from this review's decisions.
    next_plan = models.ForeignKey(
        "planning.Plan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    #: Raised by every save: the review form carries the version it showed (0 when there was
    #: no draft yet), so a second person saving the same review is shown what the first saved
    #: instead of overwriting it (``review_services.ReviewChanged``).
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["plan"], name="review_one_per_plan"),
            models.CheckConstraint(
                name="review_shared_only_when_complete",
                condition=models.Q(shared_with_parent_at__isnull=True)
                | models.Q(status="complete"),
            ),
        ]

    def __str__(self) -> str:
        return f"Review of plan {self.plan_id} on {self.held_on}"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class OutcomeReview(models.Model):
    """How one outcome of the plan went, judged at the review."""

    class Result(models.TextChoices):
        ACHIEVED = "achieved", "Achieved"
        PARTLY = "partly", "Partly achieved"
        NOT = "not", "Not achieved yet"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="outcome_reviews")
    outcome = models.ForeignKey("planning.Outcome", on_delete=models.CASCADE, related_name="+")
    result = models.CharField(max_length=10, choices=Result.choices, blank=True)
    note = models.TextField(blank=True, max_length=MAX_NOTE)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["outcome_id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "outcome"], name="outcome_review_unique")
        ]

    def __str__(self) -> str:
        return f"Outcome {self.outcome_id}: {self.result or 'not judged'}"


class PlacementDecision(models.Model):
    """What happens next to one intervention or strategy of the plan."""

    class Decision(models.TextChoices):
        CONTINUE = "continue", "Continue as it is"
        CHANGE_DOSE = "change_dose", "Continue with a different dose"
        CHANGE_INTERVENTION = "change_intervention", "Change to a different intervention"
        STOP = "stop", "Stop: no longer needed"
        ESCALATE_EHC = "escalate_ehc", "Escalate: request an EHC needs assessment"
        ESCALATE_ADVICE = "escalate_advice", "Escalate: seek advice from outside the school"

    #: Decisions that are listed for the SENCO to act on.
    ESCALATIONS = (Decision.ESCALATE_EHC, Decision.ESCALATE_ADVICE)

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="decisions")
    placement = models.ForeignKey("planning.Placement", on_delete=models.CASCADE, related_name="+")
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    #: How the pupil responded (planning.Response), which feeds the next recommendations.
    response = models.CharField(max_length=12, blank=True)
    note = models.TextField(blank=True, max_length=MAX_NOTE)
    sessions_per_week = models.PositiveSmallIntegerField(null=True, blank=True)
    minutes_per_session = models.PositiveSmallIntegerField(null=True, blank=True)
    weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    #: An escalation is done when the SENCO has acted on it (the request sent, the advice
    #: sought): the day, what was done, and who recorded it. Empty while it waits.
    actioned_on = models.DateField("date it was done", null=True, blank=True)
    actioned_note = models.CharField("what was done", max_length=MAX_ACTION_NOTE, blank=True)
    actioned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["placement_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "placement"], name="placement_decision_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Placement {self.placement_id}: {self.decision or 'not decided'}"

    @property
    def is_escalation(self) -> bool:
        return self.decision in self.ESCALATIONS


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
