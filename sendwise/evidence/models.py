"""The evidence catalogue: interventions and classroom strategies, the studies behind them, key
research messages, and the measures (instruments) progress is tracked on.

Shared catalogue rows have ``school`` NULL and are loaded from sendwise/evidence/seed/ by
``services.catalogue_seed``; a school's own practice-based interventions carry their school and
are added by its SENCO. Schools never edit shared rows.

Why JSON lists for areas, need codes and skills rather than many-to-many tables: they are short
lists from fixed vocabularies, always shown with the entry (no extra query or join on the list
page), edited with it, and kept in its history: django-simple-history snapshots a row's own
columns but not its many-to-many links. Filtering on them uses the ``has_item`` lookup below,
which works on SQLite and PostgreSQL alike.
"""

import json

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from sendwise.core.codes import NC_YEAR_CHOICES, Area, nc_year_label
from sendwise.core.history import history_user
from sendwise.core.models import School
from sendwise.evidence import measure_range, pooling
from sendwise.evidence.codes import (
    DeliveredBy,
    Format,
    Kind,
    MeasureKind,
    Strength,
    Theme,
    skill_label,
)
from sendwise.maths import stats

UK_COUNTRIES = frozenset(
    {"uk", "united kingdom", "england", "scotland", "wales", "northern ireland"}
)


def is_uk_country(country: str) -> bool:
    """True for a trial run in the UK or one of its nations ("UK (England)" counts)."""
    head = country.split("(")[0].strip().lower()
    return head in UK_COUNTRIES


class HasItem(models.Lookup):
    """``field__has_item="decoding"``: a JSON list of short strings contains this item.

    Matches the item with its JSON quotes in the stored text (``"decoding"``), so "MLD" does not
    match "PMLD", and works on SQLite, where JSONField's ``contains`` is unsupported. It is an
    ``icontains`` on the column's text (PostgreSQL casts jsonb to text, which keeps the quotes;
    ``_`` and ``%`` are escaped). The items are slugs and census codes (no quotes or
    backslashes inside), so the match is exact.
    """

    lookup_name = "has_item"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        quoted = json.dumps(str(self.rhs))
        return models.lookups.IContains(self.lhs, quoted).as_sql(compiler, connection)


class TagList(models.JSONField):
    """A JSON list of slugs or codes, filterable with ``__has_item``."""


TagList.register_lookup(HasItem)


class Intervention(models.Model):
    """A targeted intervention or a classroom strategy, shared or a school's own."""

    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="interventions"
    )
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=25, choices=Kind.choices)
    provider = models.CharField(max_length=200, blank=True)
    broad_areas = TagList("broad areas of need", default=list, blank=True)
    need_codes = TagList("census need codes", default=list, blank=True)
    skills = TagList(default=list, blank=True)
    nc_year_min = models.PositiveSmallIntegerField("youngest year", choices=NC_YEAR_CHOICES)
    nc_year_max = models.PositiveSmallIntegerField("oldest year", choices=NC_YEAR_CHOICES)
    format = models.CharField(max_length=15, choices=Format.choices, blank=True)
    group_size = models.PositiveSmallIntegerField(null=True, blank=True)
    sessions_per_week = models.PositiveSmallIntegerField(null=True, blank=True)
    minutes_per_session = models.PositiveSmallIntegerField(null=True, blank=True)
    weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    delivered_by = models.CharField(max_length=20, choices=DeliveredBy.choices, blank=True)
    training = models.TextField(blank=True)
    cost_note = models.TextField("cost", blank=True)
    guidance = models.TextField("implementation guidance", blank=True)
    #: What must happen in a session for it to be the evaluated programme: the fidelity
    #: checklist of the session register (seed key ``core_components``). Only what one
    #: session can do goes here, so a deliverer can tick it honestly.
    core_components = models.JSONField(default=list, blank=True)
    #: What must be true of the programme as a whole, which no single session can do: who is
    #: chosen and how, the dose and length of the block, who delivers it and their training or
    #: supervision, assessment before and after (seed key ``programme_conditions``). The SENCO
    #: checks these on the intervention's page and on each group's page; the register leaves
    #: them out (docs/adr/0025-programme-conditions-apart-from-session-components.md).
    programme_conditions = models.JSONField(default=list, blank=True)
    #: Common changes practitioners make that keep the core components intact.
    fidelity_adaptations = models.JSONField(
        "adaptations that keep fidelity", default=list, blank=True
    )
    eef_strand = models.CharField("EEF Toolkit strand", max_length=200, blank=True)
    eef_months = models.SmallIntegerField("EEF Toolkit months", null=True, blank=True)
    eef_padlocks = models.PositiveSmallIntegerField("EEF evidence strength", null=True, blank=True)
    eef_url = models.URLField("EEF Toolkit page", max_length=500, blank=True)
    eef_check_note = models.TextField(blank=True)
    sources = models.JSONField(default=list, blank=True)
    single_trial = models.BooleanField(default=False)
    archived = models.BooleanField(default=False)
    # Summary of the published evidence, worked out by pooling.synthesise whenever the studies
    # change (services), so the list page can filter and show it without reading studies.
    evidence_strength = models.CharField(
        max_length=20, choices=Strength.choices, default=Strength.NONE
    )
    pooled_k = models.PositiveSmallIntegerField(default=0)
    pooled_n = models.PositiveIntegerField(null=True, blank=True)
    pooled_estimate = models.FloatField(null=True, blank=True)
    pooled_ci_low = models.FloatField(null=True, blank=True)
    pooled_ci_high = models.FloatField(null=True, blank=True)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["school", "slug"], name="intervention_school_slug"),
            models.UniqueConstraint(
                fields=["slug"],
                condition=Q(school__isnull=True),
                name="intervention_shared_slug",
            ),
            models.CheckConstraint(
                name="intervention_year_order",
                condition=Q(nc_year_min__lte=models.F("nc_year_max")),
            ),
            models.CheckConstraint(
                name="intervention_dose_positive",
                condition=(Q(sessions_per_week__isnull=True) | Q(sessions_per_week__gt=0))
                & (Q(minutes_per_session__isnull=True) | Q(minutes_per_session__gt=0))
                & (Q(weeks__isnull=True) | Q(weeks__gt=0)),
            ),
        ]
        indexes = [
            models.Index(fields=["school", "archived", "name"], name="intervention_scope_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_shared(self) -> bool:
        return self.school_id is None

    @property
    def area_labels(self) -> list[str]:
        return [Area(code).label for code in self.broad_areas if code in Area.values]

    @property
    def skill_labels(self) -> list[str]:
        return [skill_label(slug) for slug in self.skills]

    @property
    def pooled_months_label(self) -> str:
        """The stored pooled estimate in EEF months, e.g. "+4 months" ('' when none)."""
        if self.pooled_estimate is None:
            return ""
        return pooling.signed_months(stats.eef_months(self.pooled_estimate))

    @property
    def pooled_interval_label(self) -> str:
        """The stored 95% interval in EEF months, e.g. "+2 to +6 months" ('' when none)."""
        if self.pooled_ci_low is None or self.pooled_ci_high is None:
            return ""
        low = pooling.signed_months(stats.eef_months(self.pooled_ci_low))
        high = pooling.signed_months(stats.eef_months(self.pooled_ci_high))
        return f"{low.removesuffix(' months').removesuffix(' month')} to {high}"

    @property
    def years_label(self) -> str:
        if self.nc_year_min == self.nc_year_max:
            return nc_year_label(self.nc_year_min)
        return f"{nc_year_label(self.nc_year_min)} to {nc_year_label(self.nc_year_max)}"


class Study(models.Model):
    """One report of one trial of an intervention, with every figure's source (``url``)."""

    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="studies")
    position = models.PositiveSmallIntegerField()
    citation = models.TextField()
    trial = models.CharField(max_length=100, blank=True)
    primary = models.BooleanField(null=True, blank=True)
    design = models.TextField(blank=True)
    n = models.PositiveIntegerField(null=True, blank=True)
    n_treatment = models.PositiveIntegerField(null=True, blank=True)
    n_control = models.PositiveIntegerField(null=True, blank=True)
    effect_size = models.FloatField(null=True, blank=True)
    effect_size_type = models.CharField(max_length=300, blank=True)
    ci_low = models.FloatField(null=True, blank=True)
    ci_high = models.FloatField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    months_progress = models.SmallIntegerField(null=True, blank=True)
    security = models.PositiveSmallIntegerField("EEF padlocks", null=True, blank=True)
    url = models.URLField(max_length=500, blank=True)
    checked = models.BooleanField(null=True, blank=True)
    check_note = models.TextField(blank=True)
    shares_control_with = models.TextField(blank=True)
    scaled_up = models.BooleanField(default=False)
    #: Where the trial ran ("England", "UK", "USA" ...), so UK evidence can be shown first.
    country = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["intervention", "position"]
        constraints = [
            models.UniqueConstraint(fields=["intervention", "position"], name="study_position"),
        ]

    def __str__(self) -> str:
        return self.citation[:80]

    @property
    def is_uk(self) -> bool:
        return is_uk_country(self.country)


class KeyMessage(models.Model):
    """A short research or practice message about an intervention, in our own words."""

    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="key_messages"
    )
    #: The intervention's school (NULL for the shared catalogue), so selectors filter in one hop.
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveSmallIntegerField()
    text = models.TextField()
    sources = models.JSONField(default=list, blank=True)
    #: The theme it is listed under on the key messages page (blank for a school's own).
    theme = models.CharField(max_length=30, choices=Theme.choices, blank=True)
    archived = models.BooleanField(default=False)
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        ordering = ["intervention", "position", "id"]
        indexes = [models.Index(fields=["intervention", "archived"], name="keymessage_live")]

    def __str__(self) -> str:
        return self.text[:80]


class GuidanceMessage(models.Model):
    """A key research message that spans entries, such as a recommendation of the EEF's
    guidance reports, in our own words, with its sources and the entries it bears on.

    Shared only (seeded from seed/key_messages.yaml); schools never edit these.
    """

    slug = models.SlugField(max_length=80, unique=True)
    theme = models.CharField(max_length=30, choices=Theme.choices)
    position = models.PositiveSmallIntegerField()
    text = models.TextField()
    sources = models.JSONField(default=list)
    interventions = models.ManyToManyField(
        Intervention, related_name="guidance_messages", blank=True
    )
    archived = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["archived", "theme"], name="guidance_live_theme")]

    def __str__(self) -> str:
        return self.text[:80]


class Measure(models.Model):
    """An instrument progress can be measured on: its range, norms, direction and reliability."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    publisher = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=20, choices=MeasureKind.choices)
    domain = models.CharField(max_length=300, blank=True)
    scale_min = models.FloatField(null=True, blank=True)
    scale_max = models.FloatField(null=True, blank=True)
    mean = models.FloatField(null=True, blank=True)
    sd = models.FloatField("standard deviation", null=True, blank=True)
    higher_is_better = models.BooleanField(null=True, blank=True)
    #: The lowest numeric reliability coefficient the sources give (used for reliable change:
    #: the cautious choice where sources disagree; seed README).
    reliability = models.FloatField(null=True, blank=True)
    reliability_detail = models.JSONField(default=list, blank=True)
    ages = models.TextField(blank=True)
    bands = models.JSONField(null=True, blank=True)
    expected_weekly_growth = models.JSONField(null=True, blank=True)
    verified = models.CharField(max_length=10, blank=True)
    notes = models.TextField(blank=True)
    sources = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def bounds(self) -> measure_range.Bounds:
        """The values a score, baseline or target on this measure may take (``measure_range``)."""
        return measure_range.bounds(
            kind=self.kind,
            scale_min=self.scale_min,
            scale_max=self.scale_max,
            mean=self.mean,
            sd=self.sd,
        )

    def value_problem(self, value, *, what: str = "score") -> str | None:
        """Why ``value`` cannot be a {what} on this measure, or None: the one range check for
        scores, baselines and targets."""
        return measure_range.problem(
            value, self.bounds, what=what, measure=self.name, kind=self.kind
        )

    def score_problem(self, value) -> str | None:
        """Why ``value`` cannot be a score on this measure, or None: within its range
        (``value_problem``) and, on a measure reported in whole numbers, a whole number. The one
        rule for a score however it is entered (a form, a group's page, a service)."""
        return self.value_problem(value) or measure_range.whole_problem(
            value, what="score", measure=self.name, kind=self.kind
        )

    @property
    def name_with_range(self) -> str:
        """ "BPVS3 (from 70 to 130)": the range beside the name in a list of measures, so it is
        known before a number is typed."""
        hint = self.range_hint
        return f"{self.name} ({hint.lower()})" if hint else self.name

    @property
    def range_hint(self) -> str:
        """The allowed values in words, for forms ("From 70 to 130"; "" when unbounded)."""
        return measure_range.hint(self.bounds)
