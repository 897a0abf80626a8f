"""Concerns about pupils who are not (yet) on the SEND register, and the observations gathered.

The SEND Code of Practice (2015, 6.14 to 6.17 and 6.45) describes how a school identifies a
pupil who may have SEN: a teacher notices that a pupil is not making the progress expected, the
SENCO gathers what the pupil's teachers see and talks with the parents, and the school decides
whether to make special educational provision. A `Concern` records that journey from the first
worry to its outcome; `ObservationRequest` and `Observation` hold what other teachers were asked
and what they saw, area by area.

Every row carries its school (tenancy); history is kept (django-simple-history) and nothing is
deleted.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from sendwise.core.codes import Need
from sendwise.core.history import history_user
from sendwise.core.models import School
from sendwise.pupils.models import Pupil


class Area(models.TextChoices):
    """What a teacher can see in class, grouped so observations from several staff line up."""

    COGNITION = "cognition", "Cognition and learning"
    MEMORY = "memory", "Memory"
    ATTENTION = "attention", "Attention"
    SELF_MANAGEMENT = "self_management", "Self-management"
    COMMUNICATION = "communication", "Communication"
    SOCIAL = "social", "Social interaction"
    EMOTIONAL = "emotional", "Emotional wellbeing"
    PHYSICAL = "physical", "Physical and sensory"


class Rating(models.TextChoices):
    NO_CONCERN = "none", "No concern"
    SOME = "some", "Some concern"
    SIGNIFICANT = "significant", "Significant concern"
    NOT_OBSERVED = "not_observed", "Not observed"


#: Ratings that need an example of what was seen.
RATINGS_NEEDING_EXAMPLE = frozenset({Rating.SOME, Rating.SIGNIFICANT})


class Concern(models.Model):
    """A worry about a pupil, raised by a member of staff and taken forward by the SENCO."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class Outcome(models.TextChoices):
        SEN_SUPPORT = "sen_support", "Add to the SEND register at SEN support"
        MONITOR = "monitor", "Monitor and review"
        NO_FURTHER_ACTION = "no_further_action", "No further action"

    class ParentContact(models.TextChoices):
        MEETING = "meeting", "Meeting in person"
        PHONE = "phone", "Phone call"
        VIDEO = "video", "Video call"
        LETTER = "letter", "Letter"
        EMAIL = "email", "Email"
        OTHER = "other", "Other"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.PROTECT, related_name="concerns")
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="concerns_raised"
    )
    raised_on = models.DateField("date noticed")
    areas = models.JSONField("areas of concern", default=list)
    what_seen = models.TextField("what has been seen")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)

    parents_informed_on = models.DateField("date parents were told", null=True, blank=True)
    parents_informed_how = models.CharField(
        "how parents were told", max_length=10, choices=ParentContact.choices, blank=True
    )
    parents_response = models.TextField("parents' response", blank=True)

    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    outcome_reasons = models.TextField("reasons", blank=True)
    review_on = models.DateField("review date", null=True, blank=True)
    primary_need = models.CharField(max_length=4, choices=Need.choices, blank=True)
    secondary_need = models.CharField(max_length=4, choices=Need.choices, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="concerns_closed",
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["-raised_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="concern_closed_has_outcome",
                condition=Q(status="open", outcome="", closed_at__isnull=True)
                | (Q(status="closed", closed_at__isnull=False) & ~Q(outcome="")),
            ),
            models.CheckConstraint(
                name="concern_monitor_has_review_date",
                condition=~Q(outcome="monitor") | Q(review_on__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["school", "status", "-raised_on"], name="concern_school_status"),
        ]

    def __str__(self) -> str:
        return f"Concern about {self.pupil} raised {self.raised_on:%d %b %Y}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def area_labels(self) -> list[str]:
        """The areas of concern in the order of `Area`, as words."""
        return [area.label for area in Area if area.value in self.areas]

    @property
    def parents_informed(self) -> bool:
        return self.parents_informed_on is not None


class ObservationRequest(models.Model):
    """The SENCO asking one member of staff to observe the pupil and rate each area."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="requests")
    teacher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="observation_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    message = models.TextField("message to staff", blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["concern", "teacher"], name="obs_request_unique"),
        ]
        indexes = [
            models.Index(fields=["school", "teacher", "submitted_at"], name="obs_request_teacher"),
        ]

    def __str__(self) -> str:
        return f"Observations of {self.concern.pupil} asked of {self.teacher}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Observation(models.Model):
    """One area of one teacher's observations: a rating and an example of what they saw."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(
        ObservationRequest, on_delete=models.PROTECT, related_name="observations"
    )
    area = models.CharField(max_length=20, choices=Area.choices)
    rating = models.CharField(max_length=15, choices=Rating.choices)
    example = models.TextField(blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "area"], name="observation_unique_area"),
        ]

    def __str__(self) -> str:
        return f"{self.get_area_display()}: {self.get_rating_display()}"
