"""What a pupil needs and what helps: the needs profile, skills, one-page profile and voice.

Imported by `pupils.models` so Django finds the models. Every row carries its school; every
change is kept in history.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from sendwise.core.codes import Area
from sendwise.core.history import history_user
from sendwise.core.models import School


class Skill(models.Model):
    """A specific skill that can need work (decoding, emotional regulation ...).

    The shared vocabulary has no school; a SENCO may add skills for their own school. Slugs
    match the `skills` of the evidence catalogue so profiles can be matched to interventions.
    """

    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    slug = models.SlugField(max_length=50)
    name = models.CharField(max_length=80)
    area = models.CharField(max_length=30, choices=Area.choices)
    description = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["area", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"], condition=Q(school__isnull=True), name="skill_shared_slug"
            ),
            models.UniqueConstraint(fields=["school", "slug"], name="skill_school_slug"),
        ]

    def __str__(self) -> str:
        return self.name


class SkillNeed(models.Model):
    """A skill that needs work for one pupil, with how much it affects their learning."""

    class Severity(models.IntegerChoices):
        MILD = 1, "Mild"
        MODERATE = 2, "Moderate"
        SEVERE = 3, "Severe"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey("pupils.Pupil", on_delete=models.CASCADE, related_name="skill_needs")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="+")
    severity = models.PositiveSmallIntegerField(choices=Severity.choices)
    notes = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["-severity", "skill__name"]
        constraints = [
            models.UniqueConstraint(fields=["pupil", "skill"], name="skill_need_unique"),
        ]
        indexes = [models.Index(fields=["school", "skill"], name="skill_need_school_skill")]

    def __str__(self) -> str:
        return f"{self.skill} ({self.get_severity_display()})"


class NeedsProfile(models.Model):
    """Strengths, interests, what helps and what does not, and background that matters for the plan."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.OneToOneField(
        "pupils.Pupil", on_delete=models.CASCADE, related_name="needs_profile"
    )
    strengths = models.TextField(blank=True)
    interests = models.TextField(blank=True)
    what_helps = models.TextField("what helps", blank=True)
    what_does_not_help = models.TextField("what does not help", blank=True)
    background = models.TextField(
        "home language and background notes",
        blank=True,
        help_text="Only what matters for planning support, for example languages spoken at home.",
    )
    attendance_percent = models.DecimalField(
        "attendance this year (%)", max_digits=4, decimal_places=1, null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(get_user=history_user)

    def __str__(self) -> str:
        return f"Needs profile of {self.pupil}"


class OnePageProfile(models.Model):
    """A one-page profile written with the pupil and their parents, in the pupil's own words."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.OneToOneField(
        "pupils.Pupil", on_delete=models.CASCADE, related_name="one_page_profile"
    )
    appreciation = models.TextField("what people like and admire about me", blank=True)
    important_to_me = models.TextField("what is important to me", blank=True)
    how_to_support = models.TextField("how best to support me", blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(get_user=history_user)

    def __str__(self) -> str:
        return f"One-page profile of {self.pupil}"


class Voice(models.Model):
    """The pupil's or a parent's view, in their words, with when and by whom it was gathered."""

    class Kind(models.TextChoices):
        PUPIL = "pupil", "Pupil's view"
        PARENT = "parent", "Parent's or carer's view"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey("pupils.Pupil", on_delete=models.CASCADE, related_name="voices")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField()
    gathered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    gathered_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["-gathered_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.gathered_on})"
