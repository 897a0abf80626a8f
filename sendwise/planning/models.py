"""Support plans: one Assess-Plan-Do-Review cycle per plan, with SMART outcomes on a named
measure (the aimline), the interventions and strategies chosen, and who delivers them.

Every row carries its school. Plans keep history; a review closes a cycle and the next plan
opens the next one, so a pupil's page shows the current plan and past cycles as a timeline.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from sendwise.core.history import history_user
from sendwise.core.models import School
from sendwise.evidence.models import Intervention, Measure
from sendwise.pupils.models import Pupil

#: The status of a cycle that has been reviewed and closed; every other status is current.
REVIEWED = "reviewed"
#: The status of the cycle in place (the one whose support is given now).
ACTIVE = "active"


class PlanQuerySet(models.QuerySet):
    def current(self):
        """The cycles not yet reviewed: a pupil's draft or active plan (at most one each)."""
        return self.exclude(status=REVIEWED)


class OutcomeQuerySet(models.QuerySet):
    def current(self):
        """Outcomes that count: every one not withdrawn (entered by mistake)."""
        return self.filter(withdrawn_at__isnull=True)

    def withdrawn(self):
        return self.filter(withdrawn_at__isnull=False)


class PlacementQuerySet(models.QuerySet):
    def standing(self):
        """Placements that count, in any cycle: every one not withdrawn (entered by mistake)."""
        return self.filter(withdrawn_at__isnull=True)

    def withdrawn(self):
        return self.filter(withdrawn_at__isnull=False)

    def current(self):
        """Interventions and strategies of the plan in place, not withdrawn: support given now
        (a draft plan's are not yet: no group place, not shown as the pupil's support)."""
        return self.standing().filter(plan__status=ACTIVE)


class Withdrawable(models.Model):
    """A record of a child entered by mistake is withdrawn with a reason, never deleted: it
    stays in its history and counts nowhere (``objects.current()`` leaves it out)."""

    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_reason = models.CharField("why it was withdrawn", max_length=300, blank=True)
    #: Raised by every correction (``correction_services``): a form carries the version it
    #: showed, so a second person saving over a copy that is out of date is told what changed.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = ACTIVE, "In place"
        REVIEWED = REVIEWED, "Reviewed"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="plans")
    cycle = models.PositiveSmallIntegerField(help_text="1 for the first plan, then 2, 3 ...")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    start_date = models.DateField()
    review_date = models.DateField("review due")
    pupil_contribution = models.TextField("what the pupil said", blank=True)
    parent_contribution = models.TextField("what parents or carers said", blank=True)
    review_summary = models.TextField("review: what happened and what next", blank=True)
    reviewed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    #: Raised when the review date is moved (``correction_services.plan_review_date_change``).
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(get_user=history_user)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-cycle"]
        constraints = [
            models.UniqueConstraint(fields=["pupil", "cycle"], name="plan_cycle_unique"),
            models.UniqueConstraint(
                fields=["pupil"], condition=~Q(status=REVIEWED), name="plan_one_open_per_pupil"
            ),
            models.CheckConstraint(
                name="plan_review_after_start", condition=Q(review_date__gt=F("start_date"))
            ),
        ]
        indexes = [
            models.Index(
                fields=["school", "status", "review_date"], name="plan_school_status_review"
            )
        ]

    def __str__(self) -> str:
        return f"Plan {self.cycle} for {self.pupil}"


class Outcome(Withdrawable):
    """A SMART outcome with its goal on a named measure: from baseline to target by a date."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="outcomes")
    text = models.TextField("outcome")
    measure = models.ForeignKey(
        Measure, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    baseline = models.FloatField(null=True, blank=True)
    baseline_date = models.DateField(null=True, blank=True)
    target = models.FloatField(null=True, blank=True)
    target_date = models.DateField(null=True, blank=True)
    #: The intervention this is the goal of, so the school's results for that intervention
    #: count this outcome's scores and no other's. Empty: the plan as a whole.
    placement = models.ForeignKey(
        "Placement",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outcomes",
        verbose_name="the goal of",
    )
    history = HistoricalRecords(get_user=history_user)

    objects = OutcomeQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                name="outcome_target_after_baseline",
                condition=Q(target_date__isnull=True)
                | Q(baseline_date__isnull=True)
                | Q(target_date__gt=F("baseline_date")),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def has_aimline(self) -> bool:
        return None not in (
            self.measure_id,
            self.baseline,
            self.target,
            self.baseline_date,
            self.target_date,
        )


class Response(models.TextChoices):
    """How the pupil responded to a placement, judged at the plan's review. Feeds the next
    cycle's recommendations: support that did not work is ranked lower, with the reason."""

    RESPONDED = "responded", "Made good progress"
    NO_RESPONSE = "no_response", "Made little or no progress"
    TOO_EARLY = "too_early", "Too early to tell"


class Placement(Withdrawable):
    """An intervention or strategy chosen for the plan, with its dose and who delivers it."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="placements")
    intervention = models.ForeignKey(
        Intervention, on_delete=models.PROTECT, related_name="placements"
    )
    sessions_per_week = models.PositiveSmallIntegerField(null=True, blank=True)
    minutes_per_session = models.PositiveSmallIntegerField(null=True, blank=True)
    weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    deliverer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="placements",
    )
    why_chosen = models.TextField("why this was chosen", blank=True)
    recommendation_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    outside_age_reason = models.TextField("why it is used outside its age range", blank=True)
    response = models.CharField(
        "how the pupil responded (at review)", max_length=12, choices=Response.choices, blank=True
    )
    history = HistoricalRecords(get_user=history_user)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [
            # "This school's placements of this intervention": the impact and practice selectors.
            models.Index(fields=["school", "intervention"], name="placement_school_intervention")
        ]
        constraints = [
            # Once in a plan, unless withdrawn (entered by mistake): then it can be added again.
            models.UniqueConstraint(
                fields=["plan", "intervention"],
                condition=Q(withdrawn_at__isnull=True),
                name="placement_unique",
            ),
            models.CheckConstraint(
                name="placement_dose_positive",
                condition=(Q(sessions_per_week__isnull=True) | Q(sessions_per_week__gt=0))
                & (Q(minutes_per_session__isnull=True) | Q(minutes_per_session__gt=0))
                & (Q(weeks__isnull=True) | Q(weeks__gt=0)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.intervention} in {self.plan}"
