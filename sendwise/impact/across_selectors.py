"""Reads for impact across a trust's or a local authority's schools.

Rule: only ``ImpactAggregate`` rows are read (sums of placements per school × intervention ×
measure × term, with each row's number of different pupils),
never a pupil, a score or a placement, and only of the schools in the actor's trust or authority
(the adviser's membership names it; a head's school belongs to it). Small numbers are suppressed
by the pure ``impact.across`` before anything leaves this module. Five queries whatever the
number of schools, interventions or pupils.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Max, Sum

from sendwise.core.access import Actor
from sendwise.core.models import School
from sendwise.evidence.models import Intervention, Measure
from sendwise.impact import across
from sendwise.impact.models import ImpactAggregate


@dataclass(frozen=True)
class AcrossSchools:
    figures: across.Across
    years: list[int]  # school years with results, newest first (2026 for 2026/27)
    year: int | None  # the one shown
    chosen: int | None  # the intervention whose schools are compared, if it has results
    schools: int  # how many schools are in the trust or authority


def across_schools(
    *,
    actor: Actor,
    academic_year: int | None = None,
    intervention_id: int | None = None,
    every_school: bool = False,
) -> AcrossSchools:
    """The trust's or authority's results for one school year (the newest unless another with
    results is asked for), suppressed; with ``intervention_id``, its schools compared."""
    if actor.trust is None:
        return AcrossSchools(across.Across(), [], None, None, 0)
    schools = list(
        School.objects.filter(trust=actor.trust).order_by("name", "id").values_list("id", "name")
    )
    ids = [s for s, _ in schools]
    years = list(
        ImpactAggregate.objects.filter(school_id__in=ids)
        .values_list("academic_year", flat=True)
        .distinct()
        .order_by("-academic_year")
    )
    year = academic_year if academic_year in years else (years[0] if years else None)
    if year is None:
        return AcrossSchools(across.Across(), years, None, None, len(schools))
    summed = {f"{name}_": Sum(name) for name in across.SUMMED}
    rows = [
        {key.rstrip("_"): value for key, value in row.items()}
        for row in ImpactAggregate.objects.filter(school_id__in=ids, academic_year=year)
        .values("school_id", "intervention_id", "measure_id")
        # Different pupils do not add up across terms: the most in any one term is the floor.
        .annotate(gain_kind_=Max("gain_kind"), **{f"{f}_": Max(f) for f in across.FLOORS}, **summed)
        .order_by()
    ]
    intervention_ids = {r["intervention_id"] for r in rows}
    measure_ids = {r["measure_id"] for r in rows if r["measure_id"] is not None}
    names = dict(Intervention.objects.filter(pk__in=intervention_ids).values_list("id", "name"))
    measures = {
        m: (name, kind, higher_is_better)
        for m, name, kind, higher_is_better in Measure.objects.filter(
            pk__in=measure_ids
        ).values_list("id", "name", "kind", "higher_is_better")
    }
    chosen = intervention_id if intervention_id in intervention_ids else None
    figures = across.across(
        rows=rows,
        schools=schools,
        interventions=names,
        measures=measures,
        chosen=chosen,
        every_school=every_school,
    )
    return AcrossSchools(figures, years, year, chosen, len(schools))
