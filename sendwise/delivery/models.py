"""Who can deliver what, and when: staff training, weekly intervention time, groups with their
timetable slots and members, the school's costs and budget, and practitioners' adaptations;
and classes' weekly lessons with the school's rules for protecting them (``Lesson``,
``LessonRules``: which lessons a group takes pupils out of, ``delivery.lessons``).

These are what the matcher needs to say "Mrs Khan is trained and has Tuesday free", "a place is
free in the Tuesday group" and "costs £120 a pupil, within this year's budget"; and the
adaptations are the practice-based evidence the intervention page shows beside the research.

Every row carries its school (DESIGN.md, tenancy). Records people rely on keep history.
"""

from datetime import time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from sendwise.core.history import history_user
from sendwise.core.models import School
from sendwise.delivery import lessons
from sendwise.evidence.models import Intervention
from sendwise.planning.models import Placement
from sendwise.pupils.models import ClassGroup


class Weekday(models.IntegerChoices):
    """School days; interventions are timetabled Monday to Friday."""

    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"


class Training(models.Model):
    """A member of staff is trained to deliver an intervention in this school."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trainings"
    )
    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="+")
    trained_on = models.DateField("date trained", null=True, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["intervention__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "staff", "intervention"], name="training_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff} trained in {self.intervention}"


class StaffTime(models.Model):
    """A window in the week a member of staff has for interventions (e.g. Tuesday 13:15–14:45)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intervention_times"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts_at = models.TimeField("from")
    ends_at = models.TimeField("until")
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["weekday", "starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="staff_time_ends_after_start", condition=Q(ends_at__gt=F("starts_at"))
            )
        ]
        indexes = [models.Index(fields=["school", "staff"], name="staff_time_school_staff")]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}–{self.ends_at:%H:%M}"


class Group(models.Model):
    """A timetabled group (or one-to-one) running an intervention, with a number of places."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    intervention = models.ForeignKey(Intervention, on_delete=models.PROTECT, related_name="groups")
    name = models.CharField(max_length=100)
    deliverer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="delivery_groups",
    )
    room = models.CharField(max_length=100, blank=True)
    places = models.PositiveSmallIntegerField(help_text="How many pupils the group can take")
    archived = models.BooleanField(default=False)
    placements = models.ManyToManyField(
        Placement, through="GroupMember", related_name="delivery_groups"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["intervention__name", "name", "id"]
        constraints = [
            models.CheckConstraint(name="group_places_positive", condition=Q(places__gt=0)),
            models.UniqueConstraint(
                fields=["school", "name"], condition=Q(archived=False), name="group_name_unique"
            ),
        ]
        indexes = [models.Index(fields=["school", "archived"], name="group_school_archived")]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """The intervention and the group, for lists that mix groups of several interventions:
        "Lego therapy (Tuesday group)", or the group's name alone where it already names the
        intervention ("Lego therapy (A)"), so no name is read twice. Needs ``intervention``."""
        intervention = self.intervention.name
        if self.name.casefold().startswith(intervention.casefold()):
            return self.name
        return f"{intervention} ({self.name})"


class Slot(models.Model):
    """When a group meets each week."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="slots")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts_at = models.TimeField("time")
    minutes = models.PositiveSmallIntegerField()
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["weekday", "starts_at", "id"]
        constraints = [
            models.CheckConstraint(name="slot_minutes_positive", condition=Q(minutes__gt=0))
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M} ({self.minutes} min)"


class GroupMember(models.Model):
    """A pupil's placement in a group; leaving sets ``left_on`` and keeps the row."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="members")
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="+")
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["joined_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "placement"],
                condition=Q(left_on__isnull=True),
                name="group_member_one_open",
            ),
            models.CheckConstraint(
                name="group_member_left_after_joined",
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.placement_id} in {self.group_id}"


class Budget(models.Model):
    """What the school has to spend on interventions in one academic year (September start)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    year_starting = models.PositiveSmallIntegerField(help_text="2026 for 2026/27")
    amount = models.DecimalField("budget (£)", max_digits=9, decimal_places=2)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "year_starting"], name="budget_unique"),
            models.CheckConstraint(name="budget_not_negative", condition=Q(amount__gte=0)),
        ]

    def __str__(self) -> str:
        return f"£{self.amount} for {self.year_starting}/{(self.year_starting + 1) % 100:02d}"


class Cost(models.Model):
    """What one pupil's place on an intervention costs this school (staff time, materials,
    licences), as the school works it out. Published costs are rare and vary, so the school's
    own figure is the one the matcher and the budget use."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="+")
    per_pupil = models.DecimalField("cost per pupil (£)", max_digits=8, decimal_places=2)
    note = models.CharField("how it is worked out", max_length=300, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "intervention"], name="cost_unique"),
            models.CheckConstraint(name="cost_not_negative", condition=Q(per_pupil__gte=0)),
        ]

    def __str__(self) -> str:
        return f"£{self.per_pupil} a pupil"


class Adaptation(models.Model):
    """A change a practitioner made to an intervention, why, and whether it helped: the
    practice-based evidence shown beside the research on the intervention's page."""

    class Kind(models.TextChoices):
        DOSE = "dose", "Session length or frequency"
        GROUPING = "grouping", "Group size or who is grouped together"
        MATERIALS = "materials", "Materials or resources"
        LANGUAGE = "language", "Language, vocabulary or instructions"
        PACE = "pace", "Pace or order of activities"
        SETTING = "setting", "Room, time of day or setting"
        ACCESS = "access", "Sensory, physical or access needs"
        OTHER = "other", "Something else"

    class Result(models.TextChoices):
        HELPED = "helped", "It helped"
        NO_DIFFERENCE = "no_difference", "No clear difference"
        WORSE = "worse", "It made things worse"
        TOO_EARLY = "too_early", "Too early to tell"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="adaptations"
    )
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="adaptations"
    )
    kind = models.CharField("what was adapted", max_length=12, choices=Kind.choices)
    what = models.TextField("what you changed")
    why = models.TextField("why you changed it")
    result = models.CharField("what happened", max_length=14, choices=Result.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_on = models.DateField()
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["-recorded_on", "-id"]
        indexes = [models.Index(fields=["school", "intervention"], name="adaptation_school_interv")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.what[:40]}"


class Session(models.Model):
    """One timetabled meeting of a group on a date: delivered (with minutes, a note, what to
    reinforce in class and which core components happened) or cancelled with a reason.

    A group meets once per date and start time, so a register submitted twice is recorded
    once (the unique constraint is the last line of defence behind the service's check).
    """

    class Status(models.TextChoices):
        DELIVERED = "delivered", "It happened"
        CANCELLED = "cancelled", "It was cancelled"

    class CancelReason(models.TextChoices):
        STAFF_ABSENT = "staff_absent", "Staff absent"
        ROOM = "room", "No room"
        SCHOOL_EVENT = "school_event", "School event"
        OTHER = "other", "Something else"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField()
    #: The slot's start time and length when the session was recorded (slots are replaced
    #: when a group's times change, so the session keeps its own copy).
    starts_at = models.TimeField("time")
    slot_minutes = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices)
    cancel_reason = models.CharField(max_length=12, choices=CancelReason.choices, blank=True)
    minutes = models.PositiveSmallIntegerField("minutes delivered", null=True, blank=True)
    note = models.TextField(blank=True)
    reinforce_in_class = models.TextField("what to reinforce in class", blank=True)
    components_delivered = models.JSONField(default=list, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField()
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["-date", "-starts_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "date", "starts_at"], name="session_once_per_slot"
            ),
            models.CheckConstraint(
                name="session_delivered_or_cancelled",
                condition=(
                    Q(status="delivered", minutes__gte=1, minutes__lte=240, cancel_reason="")
                    | Q(status="cancelled", minutes__isnull=True) & ~Q(cancel_reason="")
                ),
            ),
        ]
        indexes = [models.Index(fields=["school", "date"], name="session_school_date")]

    def __str__(self) -> str:
        return f"{self.group_id} on {self.date:%d %b %Y} {self.starts_at:%H:%M}"


class Attendance(models.Model):
    """One pupil at one delivered session: present, late or absent (with why), and how engaged."""

    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        LATE = "late", "Late"
        ABSENT = "absent", "Absent"

    class AbsenceReason(models.TextChoices):
        ILL = "ill", "Ill"
        APPOINTMENT = "appointment", "Appointment"
        SCHOOL_TRIP = "school_trip", "School trip"
        EXCLUDED = "excluded", "Excluded"
        REFUSED = "refused", "Refused to come"
        OTHER = "other", "Other reason"

    class Engagement(models.IntegerChoices):
        NOT = 1, "Not engaged"
        SOME = 2, "Partly engaged"
        MOSTLY = 3, "Mostly engaged"
        FULLY = 4, "Fully engaged"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(
        GroupMember, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=8, choices=Status.choices)
    absence_reason = models.CharField(max_length=12, choices=AbsenceReason.choices, blank=True)
    engagement = models.PositiveSmallIntegerField(choices=Engagement.choices, null=True, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["session", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "placement"], name="attendance_once_per_session"
            ),
            models.CheckConstraint(
                name="attendance_reason_only_when_absent",
                condition=Q(status="absent") | Q(absence_reason=""),
            ),
            models.CheckConstraint(
                name="attendance_engagement_1_to_4",
                condition=Q(engagement__isnull=True) | Q(engagement__gte=1, engagement__lte=4),
            ),
        ]
        indexes = [models.Index(fields=["school", "placement"], name="attendance_school_placement")]

    def __str__(self) -> str:
        return f"{self.placement_id} {self.status} at {self.session_id}"


SUBJECT_CHOICES = [(code, name) for code, name in lessons.SUBJECTS]


class Lesson(models.Model):
    """One lesson in a class's weekly timetable (Monday to Friday): what a pupil in the class
    misses when a group's slot takes them out at that time (``delivery.lessons``).

    Removing a lesson deletes the row; its history (who removed it, when) is kept.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    class_group = models.ForeignKey(ClassGroup, on_delete=models.CASCADE, related_name="lessons")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts_at = models.TimeField("start")
    ends_at = models.TimeField("end")
    subject = models.CharField(max_length=12, choices=SUBJECT_CHOICES)
    #: The subject's name when it is not on the list ("Forest school").
    other_subject = models.CharField("subject name", max_length=lessons.OTHER_NAME_MAX, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["weekday", "starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                name="lesson_ends_after_start", condition=Q(ends_at__gt=F("starts_at"))
            ),
            models.CheckConstraint(
                name="lesson_school_day", condition=Q(weekday__gte=0, weekday__lte=4)
            ),
            models.CheckConstraint(
                name="lesson_other_named",
                condition=Q(subject="other", other_subject__gt="") | ~Q(subject="other"),
            ),
        ]
        indexes = [models.Index(fields=["school", "class_group"], name="lesson_school_class")]

    def __str__(self) -> str:
        return (
            f"{self.subject_name}, {self.get_weekday_display()} "
            f"{self.starts_at:%H:%M}–{self.ends_at:%H:%M}"
        )

    @property
    def subject_name(self) -> str:
        return lessons.subject_name(self.subject, self.other_subject)


class LessonRules(models.Model):
    """A school's rules for protecting lessons: its school day (lessons fall inside it), how
    many weeks it counts in a half-term, and the most times a pupil may miss the same subject
    in a half-term to go to interventions. One row a school; a school without one has the
    defaults (``DEFAULTS``)."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="lesson_rules")
    most_missed = models.PositiveSmallIntegerField(
        "most times a pupil may miss the same subject in a half-term", default=2
    )
    weeks_per_half_term = models.PositiveSmallIntegerField(default=6)
    day_starts = models.TimeField("school day starts", default=time(8, 0))
    day_ends = models.TimeField("school day ends", default=time(16, 0))
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        verbose_name_plural = "lesson rules"
        constraints = [
            models.CheckConstraint(
                name="lesson_rules_most_missed_0_20", condition=Q(most_missed__lte=20)
            ),
            models.CheckConstraint(
                name="lesson_rules_weeks_1_10",
                condition=Q(weeks_per_half_term__gte=1, weeks_per_half_term__lte=10),
            ),
            models.CheckConstraint(
                name="lesson_rules_day_order", condition=Q(day_ends__gt=F("day_starts"))
            ),
        ]

    def __str__(self) -> str:
        return f"At most {self.most_missed} a half-term"


class Closure(models.Model):
    """Days the school is closed to pupils: a holiday, INSET (staff training) days, a day the
    school had to close (snow, a polling station), or another closure. No session is due on
    them and the planned dose does not count them (``delivery.dose``).

    Removing a closure deletes the row; its history (who removed it, when) is kept.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "Holiday"
        INSET = "inset", "INSET day (staff training, no pupils)"
        CLOSED = "closed", "School closed"
        OTHER = "other", "Other closure"

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    first_day = models.DateField("first day")
    last_day = models.DateField("last day")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    name = models.CharField(max_length=80)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["first_day", "id"]
        constraints = [
            models.CheckConstraint(
                name="closure_last_on_or_after_first", condition=Q(last_day__gte=F("first_day"))
            ),
        ]
        indexes = [models.Index(fields=["school", "first_day"], name="closure_school_first")]

    def __str__(self) -> str:
        if self.first_day == self.last_day:
            return f"{self.name}, {self.first_day:%-d %B %Y}"
        return f"{self.name}, {self.first_day:%-d %B %Y} to {self.last_day:%-d %B %Y}"

    @property
    def weekdays(self) -> int:
        """How many weekdays (Monday to Friday) the closure covers."""
        days = (self.last_day - self.first_day).days + 1
        return sum(1 for n in range(days) if (self.first_day + timedelta(days=n)).weekday() < 5)


# The costs of provision live in their own module (this one is long enough); importing them here
# is how Django finds them.
from sendwise.delivery.cost_models import (  # noqa: E402, F401
    Funding,
    FundingSource,
    PayBand,
    RunningCost,
    StaffBand,
    StaffRate,
)
