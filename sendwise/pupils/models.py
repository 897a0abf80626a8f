"""Pupils, the classes they belong to, and their parents and carers.

Every row carries its school, so selectors filter by school first. Records of children are never
deleted: history is kept (django-simple-history) and "delete" archives.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from sendwise.core.codes import (
    AREA_OF_NEED,
    NC_YEAR_CHOICES,
    Gender,
    Language,
    Need,
    Provision,
    language_label,
    nc_year_label,
)
from sendwise.core.history import history_user
from sendwise.core.models import School


class ClassGroup(models.Model):
    """A registration class or form; its staff are the teachers and assistants who work with it."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="classes")
    name = models.CharField(max_length=30)
    nc_year = models.PositiveSmallIntegerField("NC year", choices=NC_YEAR_CHOICES)
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="ClassStaff", related_name="class_groups"
    )

    class Meta:
        ordering = ["nc_year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "name"], name="class_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class ClassStaff(models.Model):
    """A member of staff who works with a class: its teacher or a teaching assistant."""

    class Kind(models.TextChoices):
        TEACHER = "teacher", "Class teacher"
        ASSISTANT = "assistant", "Teaching assistant"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    class_group = models.ForeignKey(ClassGroup, on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    kind = models.CharField(max_length=10, choices=Kind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["class_group", "user"], name="class_staff_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_kind_display()}, {self.class_group})"


class PupilHistory(HistoricalRecords):
    """A pupil's history, with the index the past-year roll needs (``roll_selectors.roll_on``):
    each pupil's latest version of one school saved before a day. For each of the school's
    versions the query asks whether a later one of the same pupil exists before the day; on
    (school, pupil, moment saved) SQLite answers that from the index alone (a covering index
    search) instead of reading every version of the pupil through the pupil index
    (benchmarks/roll_history.py: about half the CPU time on 2,000 pupils with 8 versions each).
    PostgreSQL's planner answers the same query with one hash anti-join over the school's
    versions and keeps it with this index present (it uses the index only when that join is
    turned off, and is then no faster); the index costs it one more entry a pupil save."""

    def get_meta_options(self, model):
        options = super().get_meta_options(model)
        options["indexes"] = (
            *options.get("indexes", ()),
            models.Index(fields=["school", "id", "history_date"], name="pupil_history_roll"),
        )
        return options


class Pupil(models.Model):
    """A pupil on roll, with the census fields the SEND register needs.

    There is no `Pupil.objects`. A default manager that returns every pupil of every school is
    the easiest way to show a child's record to someone who may not see it, so every query has
    to say which road it takes (as Democracy Club's `Election` does):

    - `pupils.selectors.pupils_visible(actor=...)` and `pupils.selectors.pupil_for(actor=...,
      pupil_id=..., purpose=...)`: the pupils this person may see, in their current school;
      `pupil_for` also writes the read (or the refusal) to the audit log.
    - `Pupil.unscoped`: every pupil, for code that acts for the school rather than for a person
      (imports, management commands, migrations, the demo generator) or that holds a pupil
      already checked by `pupil_for`. Naming it makes an unscoped read easy to find in review.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="pupils")
    upn = models.CharField("UPN", max_length=13)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    nc_year = models.PositiveSmallIntegerField("NC year", choices=NC_YEAR_CHOICES)
    class_group = models.ForeignKey(
        ClassGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pupils",
        verbose_name="class",
    )
    gender = models.CharField(max_length=1, choices=Gender.choices)
    home_language = models.CharField(
        max_length=4,
        default=Language.ENG,
        help_text="DfE language code (CS010), for example ENG, POL, PNJM",
    )
    eal = models.BooleanField("English as an additional language", default=False)
    pupil_premium = models.BooleanField(default=False)
    sen_provision = models.CharField(
        "SEN provision", max_length=1, choices=Provision.choices, default=Provision.NONE
    )
    primary_need = models.CharField(max_length=4, choices=Need.choices, blank=True)
    secondary_need = models.CharField(max_length=4, choices=Need.choices, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    history = PupilHistory(get_user=history_user)

    unscoped = models.Manager()

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["school", "upn"], name="pupil_unique_upn"),
            models.CheckConstraint(
                name="pupil_secondary_differs",
                condition=Q(secondary_need="") | ~Q(secondary_need=models.F("primary_need")),
            ),
            models.CheckConstraint(
                name="pupil_need_only_with_sen",
                condition=~Q(sen_provision=Provision.NONE) | Q(primary_need="", secondary_need=""),
            ),
        ]
        indexes = [
            models.Index(fields=["school", "sen_provision"], name="pupil_school_provision"),
            # The adviser's counts by school and provision (pupils.trust_selectors), read from
            # this index alone, without the pupils' rows.
            models.Index(
                fields=["school", "sen_provision"],
                condition=Q(archived_at__isnull=True),
                name="pupil_current_provision",
            ),
            models.Index(fields=["school", "nc_year"], name="pupil_school_year"),
            models.Index(fields=["school", "last_name", "first_name"], name="pupil_school_name"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def nc_year_label(self) -> str:
        return nc_year_label(self.nc_year)

    @property
    def home_language_label(self) -> str:
        return language_label(self.home_language)

    @property
    def area_of_need(self) -> str:
        area = AREA_OF_NEED.get(self.primary_need)
        return area.label if area else ""

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Contact(models.Model):
    """A parent or carer of a pupil; `user` links the account they sign in with, if any."""

    class Relationship(models.TextChoices):
        MOTHER = "mother", "Mother"
        FATHER = "father", "Father"
        CARER = "carer", "Carer"
        GRANDPARENT = "grandparent", "Grandparent"
        OTHER = "other", "Other"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="contacts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children_links",
    )
    name = models.CharField(max_length=150)
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    parental_responsibility = models.BooleanField(default=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["user", "pupil"], name="contact_user_pupil")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relationship_display()})"


class SenProvisionRecord(models.Model):
    """A period at SEN support (K) or with an EHC plan (E), as the census and CTF record it.

    At most one period is open (no end date) at a time; the pupil's `sen_provision` is the open
    period's provision, kept in step by `pupils.services`.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="provision_records")
    provision = models.CharField(
        max_length=1,
        choices=[(Provision.SEN_SUPPORT, "SEN support"), (Provision.EHC_PLAN, "EHC plan")],
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil"], condition=Q(end_date__isnull=True), name="provision_one_open"
            ),
            models.CheckConstraint(
                name="provision_dates_in_order",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_provision_display()} from {self.start_date}"


class SenNeed(models.Model):
    """A ranked type of need (1 primary, 2 secondary) held over a period."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="need_records")
    need_type = models.CharField(max_length=4, choices=Need.choices)
    rank = models.PositiveSmallIntegerField(choices=[(1, "Primary"), (2, "Secondary")])
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["rank", "-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pupil", "rank"],
                condition=Q(end_date__isnull=True),
                name="need_one_open_per_rank",
            ),
            models.CheckConstraint(
                name="need_dates_in_order",
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_rank_display()}: {self.need_type}"


class PupilAccessQuerySet(models.QuerySet):
    def open(self, at=None):
        """Rows in force at `at` (now): started, and not ended (no end, or an end to come)."""
        at = at or timezone.now()
        return self.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=at), starts_at__lte=at)


class PupilAccess(models.Model):
    """Why one person may see one pupil: the relationship that grants it, from when, until when.

    Written by the service that creates the relationship, in the same transaction, and ended
    (never deleted) by the service that ends it, so the history of who could see a child stays.
    `source_id` is the primary key of the row that grants it: a `ClassStaff`, a delivery
    `GroupMember`, a planning `Placement` or a `Contact` (not a foreign key: those rows belong
    to apps above this one, and the history outlives them). Whole-school roles (SENCO, head,
    administrator) need no rows. `manage.py access_check` recomputes the rows from the
    relationships and reports any drift.
    """

    class Basis(models.TextChoices):
        CLASS_STAFF = "class_staff", "teaches or supports their class"
        GROUP_DELIVERER = "group_deliverer", "runs a group they are in"
        NAMED_DELIVERER = "named_deliverer", "is named to deliver their support"
        PARENT = "parent", "parent or carer"
        PROFESSIONAL = "professional", "outside professional with consent"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+", db_index=False)
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="access")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pupil_access"
    )
    basis = models.CharField(max_length=20, choices=Basis.choices)
    source_id = models.PositiveBigIntegerField(
        help_text="The row that grants it: ClassStaff, GroupMember, Placement or Contact"
    )
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(
        null=True, blank=True, help_text="Empty while the relationship lasts"
    )

    objects = PupilAccessQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "pupil access"
        constraints = [
            # One open row per grant, so granting twice is harmless (bulk inserts ignore it).
            models.UniqueConstraint(
                fields=["basis", "source_id", "user", "pupil"],
                condition=Q(ends_at__isnull=True),
                name="pupil_access_one_open",
            ),
            models.CheckConstraint(
                name="pupil_access_ends_after_start",
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=models.F("starts_at")),
            ),
        ]
        indexes = [
            # "Which pupils may this person see in this school" and "may they see this one".
            models.Index(
                fields=["school", "user", "pupil"],
                condition=Q(ends_at__isnull=True),
                name="pupil_access_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} may see {self.pupil_id}: {self.get_basis_display()}"


from sendwise.pupils.profiles import (  # noqa: E402  (profile models live in their own module)
    NeedsProfile,
    OnePageProfile,
    Skill,
    SkillNeed,
    Voice,
)

__all__ = [
    "ClassGroup",
    "ClassStaff",
    "Contact",
    "NeedsProfile",
    "OnePageProfile",
    "Pupil",
    "PupilAccess",
    "SenNeed",
    "SenProvisionRecord",
    "Skill",
    "SkillNeed",
    "Voice",
]
