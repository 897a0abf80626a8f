"""Reads for the school's impact pages: every intervention run in the actor's school with its
figures, and one intervention's full figures. Read from the stored sums (``ImpactAggregate``)
and per-placement results (``PlacementResult``), never from scores: a fixed number of queries
whatever the number of pupils.

Rule: only the actor's school's rows; figures on different measures are never added together
(the measure is part of every sum); a figure from fewer than ``MIN_PUPILS`` pupils is not shown.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from math import fsum

from django.http import Http404

from sendwise.core.access import Actor
from sendwise.core.chart_cache import cached_svg
from sendwise.core.suppression import protect_parts
from sendwise.evidence import pooling
from sendwise.evidence.selectors import interventions_visible
from sendwise.impact import charts, practice, results
from sendwise.impact.models import ImpactAggregate, PlacementResult, Term
from sendwise.impact.practice import MIN_PUPILS
from sendwise.maths.reliability import change_reliability

SORTS = {"name": "Name", "pupils": "Placements", "dose": "Mean dose", "effect": "Effect"}


@dataclass
class Sums:
    """Counts and sums over some cells of one measure (or of everyone, for counts). Counts are
    of placements: a pupil who had the programme in two terms counts in each. Every figure
    counts placed pupils only; ``waiting`` counts the placements of pupils not yet put in a
    group for it, who received nothing and are in no other figure."""

    placements: int = 0
    waiting: int = 0
    completed: int = 0
    scored: int = 0
    gain_sum: float = 0.0
    gain_sq_sum: float = 0.0
    reliable_judged: int = 0
    reliable_improved: int = 0
    dose_n: int = 0
    dose_share_sum: float = 0.0
    full_dose: int = 0
    full_dose_scored: int = 0
    full_dose_gain_sum: float = 0.0
    full_dose_gain_sq_sum: float = 0.0
    dosed_scored: int = 0
    dosed_gain_sum: float = 0.0
    dosed_gain_sq_sum: float = 0.0
    minutes: int = 0

    def add(self, row: dict) -> None:
        """Add one row of ``_cells`` (the sums of some aggregate rows, by field name)."""
        for name in _SUMMED:
            setattr(self, name, getattr(self, name) + (row[name] or 0))
        self.minutes += row["minutes_attended_sum"] or 0

    @property
    def dose_percent(self) -> int | None:
        return round(100 * self.dose_share_sum / self.dose_n) if self.dose_n else None

    @property
    def completed_percent(self) -> int | None:
        return round(100 * self.completed / self.placements) if self.placements else None


@dataclass
class MeasureFigures:
    name: str
    kind: str  # results.STANDARDISED / RATIO / RAW / ""
    sums: Sums
    estimate: results.GroupEstimate | None = None
    #: True when higher scores are better, False when lower are (SDQ), None when not recorded.
    higher_is_better: bool | None = None
    #: Why reliable change could not be judged on this measure ("" when it could).
    not_judged_reason: str = ""
    #: The coefficient reliable change used, named ("test–retest reliability 0.62").
    reliability_used: str = ""

    # Worked out when asked for (the intervention's page shows them; the school's list,
    # a dozen interventions with a few measures each, does not).
    @cached_property
    def full_dose(self) -> results.GroupEstimate | None:
        """The gain of the placements that received at least 80% of their dose."""
        s = self.sums
        return results.from_sums(
            s.full_dose_scored, s.full_dose_gain_sum, s.full_dose_gain_sq_sum, kind=self.kind
        )

    @cached_property
    def less_dose(self) -> results.GroupEstimate | None:
        """The gain of the placements with sessions recorded that received less than 80%: those
        with a dose share, less those with the full dose. A placement with no session recorded
        has no dose to judge, so it is in neither group (it still counts in the mean gain)."""
        s = self.sums
        return results.from_sums(
            self.less_dose_scored,
            s.dosed_gain_sum - s.full_dose_gain_sum,
            s.dosed_gain_sq_sum - s.full_dose_gain_sq_sum,
            kind=self.kind,
        )

    @property
    def less_dose_scored(self) -> int:
        return self.sums.dosed_scored - self.sums.full_dose_scored

    @property
    def undosed_scored(self) -> int:
        """Scored placements with no session recorded: in neither dose group."""
        return self.sums.scored - self.sums.dosed_scored

    @cached_property
    def _dose_withheld(self) -> frozenset[int]:
        """Which of (full dose, less, no session recorded) is not shown: the three add up to
        every scored pupil, whose mean and n the page shows, so a group of 1 to 4 could be
        worked out from the others (``core.suppression.protect_parts``)."""
        return protect_parts(
            [self.sums.full_dose_scored, self.less_dose_scored, self.undosed_scored], MIN_PUPILS
        )

    @property
    def undosed_shown(self) -> bool:
        """Whether the number of scored pupils with no session recorded may be given."""
        return 2 not in self._dose_withheld

    @property
    def reliable_percent(self) -> int | None:
        judged = self.sums.reliable_judged
        return round(100 * self.sums.reliable_improved / judged) if judged else None

    @property
    def reliable_shown(self) -> bool:
        return self.sums.reliable_judged >= MIN_PUPILS

    @property
    def effect_line(self) -> str:
        """The mean gain with its interval and n, or why it is not shown."""
        return _line(self.estimate, self.kind, self.sums.scored, self.higher_is_better)

    @property
    def full_dose_line(self) -> str:
        n = self.sums.full_dose_scored
        if 0 in self._dose_withheld and n >= MIN_PUPILS:
            return WITHHELD_LINE
        return _line(self.full_dose, self.kind, n, self.higher_is_better)

    @property
    def less_dose_line(self) -> str:
        n = self.less_dose_scored
        if 1 in self._dose_withheld and n >= MIN_PUPILS:
            return WITHHELD_LINE
        return _line(self.less_dose, self.kind, n, self.higher_is_better)

    @property
    def reliable_line(self) -> str:
        judged = self.sums.reliable_judged
        if not judged:
            return (
                "Reliable change not judged: "
                f"{self.not_judged_reason or 'no pupil had a starting and a later score'}."
            )
        if judged < MIN_PUPILS:
            return f"Reliable change: fewer than {MIN_PUPILS} pupils judged, not shown."
        using = f"; judged with the {self.reliability_used}" if self.reliability_used else ""
        return (
            f"{self.reliable_percent}% made a reliable improvement "
            f"({self.sums.reliable_improved} of {judged} pupils{using})."
        )


WITHHELD_LINE = (
    f"Not shown: with the figures beside it, it would give away a group of fewer than "
    f"{MIN_PUPILS} pupils."
)


def _line(
    estimate: results.GroupEstimate | None, kind: str, n: int, higher_is_better: bool | None = None
) -> str:
    if estimate is not None:
        return estimate.effect_text(kind, higher_is_better)
    if n < MIN_PUPILS:
        return f"{n} pupil{'s' if n != 1 else ''} with scores before and after: fewer than {MIN_PUPILS}, so no figure is shown."
    return f"All {n} pupils' gains were the same, so no interval can be given."


@dataclass
class InterventionImpact:
    intervention_id: int
    name: str
    everyone: Sums = field(default_factory=Sums)
    measures: list[MeasureFigures] = field(default_factory=list)

    @property
    def scored_measures(self) -> list[MeasureFigures]:
        """The measures some pupil has a starting and a later score on (a line each)."""
        return [m for m in self.measures if m.sums.scored]

    @property
    def unscored_names(self) -> list[str]:
        """The measures of goals nobody has a later score on yet (named once, together)."""
        return sorted({m.name for m in self.measures if not m.sums.scored})

    @property
    def main(self) -> MeasureFigures | None:
        """The standardised measure with most scored pupils (for sorting and the chart)."""
        standardised = [m for m in self.measures if m.kind == results.STANDARDISED]
        return max(standardised, key=lambda m: m.sums.scored, default=None)


def impact_years(*, actor: Actor) -> list[int]:
    """The academic years the school has results in, newest first (one query)."""
    years = (
        ImpactAggregate.objects.filter(school=actor.school)
        .values_list("academic_year", flat=True)
        .distinct()
        .order_by()  # a handful of years: sorted here, cheaper than compiling an ORDER BY
    )
    return sorted(years, reverse=True)


#: The aggregate fields summed over terms by ``_cells`` (each a field of ``Sums`` too).
_SUMMED = (
    "placements", "waiting", "completed", "scored", "gain_sum", "gain_sq_sum", "reliable_judged",
    "reliable_improved", "dose_n", "dose_share_sum", "full_dose", "full_dose_scored",
    "full_dose_gain_sum", "full_dose_gain_sq_sum", "dosed_scored", "dosed_gain_sum",
    "dosed_gain_sq_sum",
)  # fmt: skip


#: The columns ``_cells`` reads: the cell's intervention and measure, then what it sums.
_KEY = (
    "intervention_id",
    "intervention__name",
    "measure_id",
    "measure__name",
    # The measure's own facts (one value per measure, so keying by them changes nothing):
    # which way is better, and what reliable change needs.
    "measure__higher_is_better",
    "measure__sd",
    "measure__reliability",
    "measure__reliability_detail",
)
_COLUMNS = (*_KEY, "gain_kind", "minutes_attended_sum", *_SUMMED)
_KIND = len(_KEY)  # the column of the gain's kind; those after it are summed over terms
_CELL = 4  # a cell is an intervention and a measure (the measure's facts come with it)
#: The summed columns that hold floats: added with ``math.fsum`` (below).
_FLOATS = frozenset(
    i
    for i, name in enumerate(_COLUMNS)
    if i > _KIND and ImpactAggregate._meta.get_field(name).get_internal_type() == "FloatField"
)


def _cells(
    actor: Actor, year: int | None, term: str | None, intervention_id: int | None = None
) -> list[dict]:
    """The school's aggregate rows summed over the terms asked for, per intervention and
    measure: one row per intervention and measure, as plain values (the page reads these sums
    only, so building a model object per stored row would be wasted work).

    The stored rows are read as they are (a school's year is a few dozen: interventions ×
    measures × three terms), added up here and put in order here (by intervention and measure
    name): an ``ORDER BY`` on the joined names cost Django more to compile than sorting a dozen
    cells (ADR 0027). The sums do not depend on the rows' order: whole numbers, and floats
    through ``fsum``. Asking the database for the sums (``values().annotate()`` with
    fifteen ``Sum`` annotations) sent one query just the same, but building and compiling it took several
    times as long as running it: most of the page's own time (``benchmarks/impact.py``, part 2;
    ADR 0024). Sums of floats are ``math.fsum``: correctly rounded whatever the order of the
    terms (SQL's SUM added them in the order of its plan, so a mean of exactly 0.225 could be
    shown as 0.22 in one plan and 0.23 in another)."""
    rows = ImpactAggregate.objects.filter(school=actor.school)
    if year is not None:
        rows = rows.filter(academic_year=year)
    if term:
        rows = rows.filter(term=term)
    if intervention_id is not None:
        rows = rows.filter(intervention_id=intervention_id)
    rows = rows.values_list(*_COLUMNS).order_by()
    cells: dict[tuple, list] = {}
    for row in rows:
        cell = cells.get(row[:_CELL])
        if cell is None:
            cells[row[:_CELL]] = [*row[: _KIND + 1], *([value] for value in row[_KIND + 1 :])]
            continue
        # The measure's kind of gain: the largest, as SQL's MAX had it ("" where none is known).
        cell[_KIND] = max(cell[_KIND], row[_KIND])
        for i in range(_KIND + 1, len(_COLUMNS)):
            cell[i].append(row[i])
    return [
        dict(
            zip(
                _COLUMNS,
                [
                    *cell[: _KIND + 1],
                    *(
                        fsum(cell[i]) if i in _FLOATS else sum(cell[i])
                        for i in range(_KIND + 1, len(_COLUMNS))
                    ),
                ],
                strict=True,
            )
        )
        for cell in sorted(cells.values(), key=_cell_order)
    ]


def _cell_order(cell: list) -> tuple:
    """By intervention name, then measure name (ids break ties; a count with no measure first)."""
    intervention_id, intervention_name, measure_id, measure_name = cell[:_CELL]
    return (intervention_name, intervention_id, measure_name or "", measure_id or 0)


def _figures(by_measure: dict, facts: dict) -> list[MeasureFigures]:
    found = []
    for (name, kind), sums in sorted(by_measure.items(), key=lambda kv: kv[0][0]):
        row = facts[name]
        reliability = change_reliability(
            row["measure__reliability_detail"], row["measure__reliability"]
        )
        figures = MeasureFigures(
            name,
            kind,
            sums,
            higher_is_better=row["measure__higher_is_better"],
            not_judged_reason=results.reliable_change_missing(
                sd=row["measure__sd"],
                higher_is_better=row["measure__higher_is_better"],
                reliability=reliability,
            ),
            reliability_used=reliability.label if reliability is not None else "",
        )
        figures.estimate = results.from_sums(
            sums.scored, sums.gain_sum, sums.gain_sq_sum, kind=kind
        )
        found.append(figures)
    return found


def school_impact(
    *,
    actor: Actor,
    year: int | None = None,
    term: str | None = None,
    sort: str = "name",
    intervention_id: int | None = None,
) -> list[InterventionImpact]:
    """Every intervention with results in the school (in the year and term, when given; or
    only one), with counts, dose and each measure's figures: one query."""
    if actor.school is None:
        return []
    by_intervention: dict[int, InterventionImpact] = {}
    measures: dict[int, dict] = defaultdict(lambda: defaultdict(Sums))
    facts: dict[str, dict] = {}
    for row in _cells(actor, year, term, intervention_id):
        key = row["intervention_id"]
        item = by_intervention.setdefault(key, InterventionImpact(key, row["intervention__name"]))
        item.everyone.add(row)
        if row["measure_id"] is not None:
            measures[key][(row["measure__name"], row["gain_kind"])].add(row)
            facts[row["measure__name"]] = row
    items = list(by_intervention.values())
    for item in items:
        item.measures = _figures(measures[item.intervention_id], facts)
    keys = {
        "name": lambda i: i.name.lower(),
        "pupils": lambda i: -i.everyone.placements,
        "dose": lambda i: -(i.everyone.dose_percent or -1),
        "effect": lambda i: -(i.main.estimate.mean if i.main and i.main.estimate else -99),
    }
    return sorted(items, key=keys.get(sort, keys["name"]))


@dataclass
class Subgroup:
    label: str
    n: int
    estimate: results.GroupEstimate | None
    #: Not shown although it has ``MIN_PUPILS`` or more: with the figure for every pupil and
    #: the other groups, it would give away a smaller group's (``core.suppression.protect_parts``).
    withheld: bool = False


@dataclass
class InterventionDetail:
    impact: InterventionImpact
    research: pooling.Synthesis | None
    combined: practice.Combined | None
    chart: str
    subgroups: dict[str, list[Subgroup]]
    subgroup_measure: str
    #: Cost per pupil and per month of progress: built by the costs work in ``delivery`` and
    #: passed in by the page; None until then (the template has a block for it).
    cost: object = None


SUBGROUPS = {
    "nc_year": "Year group",
    "primary_need": "Primary need",
    "eal": "English as an additional language",
    "pupil_premium": "Pupil premium",
    "gender": "Sex",
}


def _subgroup_label(dimension: str, value) -> str:
    if dimension == "nc_year":
        return "Reception" if value == 0 else f"Year {value}" if value is not None else "Not known"
    if dimension in ("eal", "pupil_premium"):
        return "Yes" if value else "No"
    if dimension == "gender":
        return {"F": "Female", "M": "Male"}.get(value, "Not known")
    return value or "Not recorded"


def _subgroups(actor, intervention_id, year, term, measure_name) -> dict[str, list[Subgroup]]:
    """Each subgroup's mean gain on the main measure, from the stored results (one query)."""
    found = PlacementResult.objects.filter(
        school=actor.school,
        intervention_id=intervention_id,
        measure__name=measure_name,
        gain__isnull=False,
        placed=True,  # a pupil still waiting for a place received nothing of it
    )
    if year is not None:
        found = found.filter(academic_year=year)
    if term:
        found = found.filter(term=term)
    gains: dict[str, dict] = {d: defaultdict(list) for d in SUBGROUPS}
    for row in found.values("gain", *SUBGROUPS):
        for dimension in SUBGROUPS:
            gains[dimension][row[dimension]].append(row["gain"])
    groups = {}
    for dimension, by_value in gains.items():
        ordered = sorted(by_value.items(), key=lambda kv: (kv[0] is None, kv[0]))
        hidden = protect_parts([len(values) for _, values in ordered], MIN_PUPILS)
        groups[dimension] = [
            Subgroup(
                _subgroup_label(dimension, value),
                len(values),
                None
                if n in hidden
                else results.from_sums(
                    len(values), sum(values), sum(v * v for v in values), kind=results.STANDARDISED
                ),
                withheld=n in hidden and len(values) >= MIN_PUPILS,
            )
            for n, (value, values) in enumerate(ordered)
        ]
    return groups


def intervention_impact(
    *, actor: Actor, intervention_id: int, year: int | None = None, term: str | None = None
) -> InterventionDetail:
    """One intervention's full figures in the actor's school, or 404 if the actor may not see
    the entry: three queries, and the research's studies."""
    intervention = interventions_visible(actor=actor).filter(pk=intervention_id).first()
    if intervention is None or actor.school is None:
        raise Http404("No such intervention")
    items = school_impact(actor=actor, year=year, term=term, intervention_id=intervention.pk)
    impact = next(
        (i for i in items if i.intervention_id == intervention.pk),
        InterventionImpact(intervention.pk, intervention.name),
    )
    research = None
    if intervention.is_shared:
        research = pooling.synthesise(
            list(intervention.studies.order_by("position")),
            single_trial=intervention.single_trial,
        )
    main = impact.main
    combined, chart = None, ""
    rows: list[charts.Row] = []
    if research is not None and research.pooled is not None:
        p = research.pooled
        rows.append(charts.Row("Research", p.estimate, p.ci_low, p.ci_high))
    if main is not None and main.estimate is not None:
        e = main.estimate
        rows.append(charts.Row("Our school", e.mean, e.ci_low, e.ci_high))
        if research is not None and research.pooled is not None:
            school = practice.SchoolEstimate(
                e.n, e.mean, e.sd, e.sd / e.n**0.5, e.ci_low, e.ci_high, e.months or 0,
                e.months_low, e.months_high,
            )  # fmt: skip
            combined = practice.combine(school, research.pooled)
            c = combined.estimate
            rows.append(charts.Row("Combined", c.value, c.ci_low, c.ci_high))
    if len(rows) > 1 or (rows and main is not None):
        chart = cached_svg(
            charts.draw_three_estimates, tuple(rows), f"{intervention.name}: research and school"
        )
    subgroups = (
        _subgroups(actor, intervention.pk, year, term, main.name) if main is not None else {}
    )
    return InterventionDetail(
        impact=impact,
        research=research,
        combined=combined,
        chart=chart,
        subgroups=subgroups,
        subgroup_measure=main.name if main is not None else "",
    )


TERMS = Term.choices
