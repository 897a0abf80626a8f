"""What each placement achieved, and the sums per school × intervention × measure × term that the
school, trust and local-authority views read.

Why stored, not worked out per request: a local authority asks about 200,000 placements and a
million scores; working each result out from raw scores on every page would scan them all (about
7 minutes and 39,000 queries at that scale, issue 12). A result is worked out again when one of
the rows it reads changes (a score, a session, an outcome, the placement, the plan's review), by
``sendwise.impact.result_services``; the aggregates are rebuilt for the (school, intervention,
year, term) cells those results fall in.

**Sufficient statistics, not averages.** An aggregate row keeps counts, sums and sums of squares,
never a mean: a trust or local-authority figure is the sum of its schools' rows, and the mean,
the standard deviation and the interval follow from n, Σx and Σx² (the usual identity
var = (Σx² − (Σx)²/n)/(n − 1); e.g. Welford 1962 discusses why it is computed in floating point
with care). Different measures are never added together: the measure is part of the key.

Nothing here is typed by a person: every field is computed, so no form bounds are needed; the
computing code bounds what it writes (a share is 0–1, counts are non-negative).
"""

from __future__ import annotations

from django.db import models

from sendwise.core.models import School
from sendwise.evidence.models import Intervention, Measure
from sendwise.planning.models import Outcome, Placement
from sendwise.pupils.models import Pupil


class Term(models.TextChoices):
    """The English school year's three terms; a placement counts in the term it started."""

    AUTUMN = "autumn", "Autumn"
    SPRING = "spring", "Spring"
    SUMMER = "summer", "Summer"


class GainKind(models.TextChoices):
    """The gain that fits the measure (issue 12, point 1)."""

    STANDARDISED = "standardised", "Standardised gain (in the norm group's SDs)"
    RATIO = "ratio", "Ratio gain (months gained per month elapsed)"
    RAW = "raw", "Raw change on the measure's own scale"


class Reliable(models.TextChoices):
    """Jacobson & Truax (1991) reliable change, where the measure has a reliability."""

    IMPROVED = "improved", "Reliable improvement"
    NO_CHANGE = "no_change", "No reliable change"
    WORSE = "worse", "Reliable deterioration"
    UNKNOWN = "", "Not judged"


class PlacementResult(models.Model):
    """One row per placement: pre and post on the outcome's measure, the gain that fits it, the
    dose received and the pupil's characteristics for subgroups (copied, so a trust view never
    joins pupils). Withdrawn placements have no row."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    placement = models.OneToOneField(Placement, on_delete=models.CASCADE, related_name="result")
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="+")
    intervention = models.ForeignKey(Intervention, on_delete=models.PROTECT, related_name="+")
    academic_year = models.PositiveSmallIntegerField(help_text="2026 for the year 2026/27")
    term = models.CharField(max_length=6, choices=Term.choices)
    # Pre and post: the outcome whose measure judged this placement (see the selectors' rule).
    outcome = models.ForeignKey(
        Outcome, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    measure = models.ForeignKey(
        Measure, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    pre = models.FloatField(null=True, blank=True)
    pre_on = models.DateField(null=True, blank=True)
    post = models.FloatField(null=True, blank=True)
    post_on = models.DateField(null=True, blank=True)
    gain_kind = models.CharField(max_length=12, choices=GainKind.choices, blank=True)
    gain = models.FloatField(
        null=True, blank=True, help_text="In the gain kind's units, signed so that + is better"
    )
    reliable = models.CharField(max_length=9, choices=Reliable.choices, blank=True)
    # Dose (delivery.dose): sessions planned to date, held, attended; minutes attended.
    sessions_planned = models.PositiveIntegerField(default=0)
    sessions_held = models.PositiveIntegerField(default=0)
    sessions_attended = models.PositiveIntegerField(default=0)
    minutes_attended = models.PositiveIntegerField(default=0)
    dose_share = models.FloatField(
        null=True,
        blank=True,
        help_text="Dose received / planned to date, 0–1, by delivery.dose's rule: minutes when "
        "the plan gives minutes a session, else sessions (the review shows the same figure)",
    )
    completed = models.BooleanField(default=False, help_text="The plan was reviewed")
    placed = models.BooleanField(
        default=True,
        help_text="The pupil was put in a group for this placement at some time. False: still "
        "waiting for a place, so they received nothing of it, and the result counts in no "
        "figure of the intervention, only in its number waiting",
    )
    response = models.CharField(max_length=20, blank=True)
    # The pupil when the result was worked out, for subgroups (issue 12, point 2).
    nc_year = models.PositiveSmallIntegerField(null=True, blank=True)
    primary_need = models.CharField(max_length=4, blank=True)
    eal = models.BooleanField(default=False)
    pupil_premium = models.BooleanField(default=False)
    gender = models.CharField(max_length=1, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["school", "intervention", "academic_year", "term"],
                name="impact_result_cell",
            ),
            models.Index(fields=["pupil"], name="impact_result_pupil"),
        ]

    def __str__(self):
        return f"Result of placement {self.placement_id}"


class ImpactAggregate(models.Model):
    """Sums over one school's results for one intervention, one measure, one term.

    Every count and sum is of placed pupils' results only (``PlacementResult.placed``): a pupil
    still waiting for a place has received nothing of the intervention, so they are not among
    its pupils, its completion, its dose or its effect; they are counted in ``waiting`` alone.
    ``measure`` is null for the row that counts placements without a usable pre and post (so
    completion and dose still count everyone placed), and for every waiting placement (their
    scores judge nothing of it). Each result falls in exactly one row (its measure's, or the
    row without one), so summing a cell's rows counts every placement once.
    ``gain_sum``/``gain_sq_sum`` hold the gains of ``gain_kind``: one measure's gains are all
    of one kind (``impact.results``), so standardised gains (effect sizes), ratio gains and
    raw changes are never mixed."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    intervention = models.ForeignKey(Intervention, on_delete=models.PROTECT, related_name="+")
    measure = models.ForeignKey(
        Measure, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    academic_year = models.PositiveSmallIntegerField()
    term = models.CharField(max_length=6, choices=Term.choices)
    gain_kind = models.CharField(max_length=12, choices=GainKind.choices, blank=True)
    # Every count below but the two "distinct" ones counts placed pupils' placements, so it adds
    # up exactly across terms, measures, schools: a pupil who had the programme twice counts
    # twice. The distinct counts are this row's own and do not add up; the trust and authority
    # views use them only as a floor under the pupils a summed cell covers (``impact.across``).
    placements = models.PositiveIntegerField(default=0)
    distinct_pupils = models.PositiveIntegerField(
        default=0, help_text="Different pupils among this row's placements"
    )
    distinct_scored = models.PositiveIntegerField(
        default=0, help_text="Different pupils among this row's scored placements"
    )
    waiting = models.PositiveIntegerField(
        default=0,
        help_text="Placements whose pupil has not yet been put in a group for it (counted in no "
        "other field)",
    )
    completed = models.PositiveIntegerField(default=0)
    scored = models.PositiveIntegerField(
        default=0, help_text="Placements with a pre, a post and a gain worked out (in gain_sum)"
    )
    gain_sum = models.FloatField(default=0.0)
    gain_sq_sum = models.FloatField(default=0.0)
    reliable_judged = models.PositiveIntegerField(default=0)
    reliable_improved = models.PositiveIntegerField(default=0)
    dose_n = models.PositiveIntegerField(default=0, help_text="Placements with a planned dose")
    dose_share_sum = models.FloatField(default=0.0)
    full_dose = models.PositiveIntegerField(default=0, help_text="Dose share at least 0.8")
    full_dose_scored = models.PositiveIntegerField(default=0)
    full_dose_gain_sum = models.FloatField(default=0.0)
    full_dose_gain_sq_sum = models.FloatField(default=0.0)
    dosed_scored = models.PositiveIntegerField(
        default=0,
        help_text="Scored placements with sessions recorded (a dose share): the full-dose "
        "figures' whole, so that the pupils below 80% are these less those with the full dose",
    )
    dosed_gain_sum = models.FloatField(default=0.0)
    dosed_gain_sq_sum = models.FloatField(default=0.0)
    minutes_attended_sum = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "intervention", "measure", "academic_year", "term"],
                name="impact_aggregate_one_cell",
            ),
            # NULLs are distinct in a unique index, so the row without a measure needs its own.
            models.UniqueConstraint(
                fields=["school", "intervention", "academic_year", "term"],
                condition=models.Q(measure__isnull=True),
                name="impact_aggregate_one_unmeasured_cell",
            ),
        ]
        indexes = [
            models.Index(fields=["intervention", "academic_year"], name="impact_agg_intervention"),
        ]

    def __str__(self):
        return f"{self.school_id} × {self.intervention_id} × {self.measure_id} {self.academic_year} {self.term}"


class ResponseAggregate(models.Model):
    """How pupils with one primary need responded to one intervention in one school, as judged
    at their plans' reviews: the recommendations' "what worked for similar pupils" reads these
    rows (a handful per school and need), never the trust's placements.

    ``judged`` counts placements of reviewed plans judged "made good progress" or "little or no
    progress" ("too early to tell" is no result); ``responded`` the first of those. The need is
    the pupil's primary need now. Rebuilt for a school, set-based, by
    ``impact.bulk_services.response_aggregates_rebuild`` whenever one of its plans is reviewed
    or a judged placement is saved (``impact.response_signals``)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="+")
    primary_need = models.CharField(max_length=4)
    judged = models.PositiveIntegerField(default=0)
    responded = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["school", "intervention", "primary_need"], name="impact_response_one_cell"
            )
        ]
        indexes = [models.Index(fields=["primary_need", "school"], name="impact_response_need")]

    def __str__(self):
        return f"{self.school_id} × {self.intervention_id} × {self.primary_need}"


# The SENCO's notes on local studies live in their own module (a person's decisions, with
# history), kept apart from the computed rows above.
from sendwise.impact.study_models import LocalStudyNote  # noqa: E402, F401
