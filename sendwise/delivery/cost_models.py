"""What provision costs the school: an hourly cost per staff pay band, which band each member of
staff is paid on, each intervention's materials and licences, and who pays for a group's or a
pupil's place (the funding source). The costed provision map (``delivery.provision``) reads
them with the groups, sessions and registers.

Money is in pounds with pence (two decimal places), never negative, and bounded by a plausible
maximum so a slip of the keyboard (an extra zero or two) is refused with a message saying why.
Every row keeps history: a school can say what it believed a TA's hour cost last spring.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from sendwise.core.history import history_user
from sendwise.core.models import School
from sendwise.evidence.models import Intervention
from sendwise.planning.models import Placement

#: The highest hourly staff cost accepted. The most a school pays an hour for an outside
#: specialist is well under this (on-costs included), so more is a typing slip.
MAX_HOURLY = 250
#: The highest materials or licence sum accepted for one intervention (per pupil, per year or
#: bought once): a school-wide licence can run to thousands, not to six figures.
MAX_MATERIALS = 50_000


class PayBand(models.TextChoices):
    """Pay bands a school costs intervention time by (its own figures, on-costs included)."""

    TEACHING_ASSISTANT = "ta", "Teaching assistant"
    HLTA = "hlta", "Higher level teaching assistant (HLTA)"
    TEACHER = "teacher", "Teacher"
    SPECIALIST = "specialist", "Specialist (e.g. speech and language therapist)"


class FundingSource(models.TextChoices):
    """Where the money for a place comes from (the notional SEN budget is the part of a
    school's budget identified for SEN support; the first £6,000 of additional support for a
    pupil comes from it, and EHC plan top-up funding from the local authority pays for more,
    Department for Education, "SEND code of practice: 0 to 25 years", 2015, 6.96–6.99)."""

    NOTIONAL_SEN = "notional_sen", "Notional SEN budget"
    PUPIL_PREMIUM = "pupil_premium", "Pupil premium"
    EHC_TOP_UP = "ehc_top_up", "EHC plan top-up"
    OTHER = "other", "Other"


class StaffRate(models.Model):
    """What an hour of a pay band's time costs the school, on-costs included (employer's
    National Insurance and pension contributions), as the school works it out."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    band = models.CharField(max_length=12, choices=PayBand.choices)
    hourly = models.DecimalField("cost of an hour (£)", max_digits=6, decimal_places=2)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["band"]
        constraints = [
            models.UniqueConstraint(fields=["school", "band"], name="staff_rate_unique"),
            models.CheckConstraint(
                name="staff_rate_hourly_bounded",
                condition=Q(hourly__gte=0, hourly__lte=MAX_HOURLY),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_band_display()}: £{self.hourly} an hour"


class StaffBand(models.Model):
    """The pay band a member of staff's intervention time is costed at. Without a row, the band
    follows their role (``delivery.provision.DEFAULT_BAND``)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    band = models.CharField(max_length=12, choices=PayBand.choices)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "staff"], name="staff_band_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.staff} on {self.get_band_display()}"


class RunningCost(models.Model):
    """Materials and licences of one intervention in this school: bought once (a kit), per
    pupil (a workbook each) and per school year (a licence or subscription)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="+")
    one_off = models.DecimalField("bought once (£)", max_digits=8, decimal_places=2, default=0)
    one_off_on = models.DateField("date bought", null=True, blank=True)
    per_pupil = models.DecimalField("per pupil (£)", max_digits=8, decimal_places=2, default=0)
    per_year = models.DecimalField("per school year (£)", max_digits=8, decimal_places=2, default=0)
    note = models.CharField("what they are", max_length=300, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "intervention"], name="running_cost_unique"),
            models.CheckConstraint(
                name="running_cost_bounded",
                condition=Q(one_off__gte=0, one_off__lte=MAX_MATERIALS)
                & Q(per_pupil__gte=0, per_pupil__lte=MAX_MATERIALS)
                & Q(per_year__gte=0, per_year__lte=MAX_MATERIALS),
            ),
            models.CheckConstraint(
                name="running_cost_one_off_dated",
                condition=Q(one_off=0) | Q(one_off_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Materials and licences of {self.intervention}"


class Funding(models.Model):
    """Who pays for a group (every pupil in it) or for one pupil's place (which overrides their
    group's). Changing it keeps the earlier source in the history."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    group = models.OneToOneField(
        "delivery.Group", null=True, blank=True, on_delete=models.CASCADE, related_name="funding"
    )
    placement = models.OneToOneField(
        Placement, null=True, blank=True, on_delete=models.CASCADE, related_name="funding"
    )
    source = models.CharField(max_length=14, choices=FundingSource.choices)
    note = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="funding_group_xor_placement",
                condition=Q(group__isnull=False, placement__isnull=True)
                | Q(group__isnull=True, placement__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["school"], name="funding_school")]

    def __str__(self) -> str:
        return self.get_source_display()
