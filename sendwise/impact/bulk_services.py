"""Writes that rebuild impact aggregates for many schools at once, set-based.

``aggregates_rebuild`` replaces every ``ImpactAggregate`` row of the given schools with the sums
of their ``PlacementResult`` rows, in one grouped query and one bulk insert (not a query per
cell): what the demo generator uses after writing a local authority's results, and what a
backfill or a repair after an import can use. The per-save upkeep (branch impact) works out one
cell at a time; both follow the model's rule (counts, Σgain and Σgain² per school ×
intervention × measure × academic year × term, counting placements, with the different pupils
among them; the full dose is a dose share of at least ``sums.FULL_DOSE``).
"""

from __future__ import annotations

from django.db.models import Count, F, Max, Q, Sum

from sendwise.core import stamps
from sendwise.core.models import School
from sendwise.core.services import service
from sendwise.delivery.models import GroupMember
from sendwise.impact import sums
from sendwise.impact.models import ImpactAggregate, PlacementResult, Reliable, ResponseAggregate
from sendwise.planning.models import Placement, Plan, Response

CELL = ("school_id", "intervention_id", "measure_id", "academic_year", "term")


def aggregate_sums(results):
    """The sums of ``results`` (a PlacementResult queryset) per cell, as dicts (one query)."""
    scored = Q(gain__isnull=False)
    full = Q(dose_share__gte=sums.FULL_DOSE)
    return (
        results.values(*CELL)
        .annotate(
            gain_kind_=Max("gain_kind"),
            placements_=Count("id"),
            distinct_pupils_=Count("pupil_id", distinct=True),
            distinct_scored_=Count("pupil_id", filter=scored, distinct=True),
            completed_=Count("id", filter=Q(completed=True)),
            scored_=Count("id", filter=scored),
            gain_sum_=Sum("gain", filter=scored, default=0.0),
            gain_sq_sum_=Sum(F("gain") * F("gain"), filter=scored, default=0.0),
            reliable_judged_=Count("id", filter=~Q(reliable=Reliable.UNKNOWN)),
            reliable_improved_=Count("id", filter=Q(reliable=Reliable.IMPROVED)),
            dose_n_=Count("id", filter=Q(dose_share__isnull=False)),
            dose_share_sum_=Sum("dose_share", default=0.0),
            full_dose_=Count("id", filter=full),
            full_dose_scored_=Count("id", filter=full & scored),
            full_dose_gain_sum_=Sum("gain", filter=full & scored, default=0.0),
            full_dose_gain_sq_sum_=Sum(F("gain") * F("gain"), filter=full & scored, default=0.0),
            minutes_attended_sum_=Sum("minutes_attended", default=0),
        )
        .order_by(*CELL)
    )


@service
def aggregates_rebuild(*, school_ids: list[int]) -> int:
    """Rebuild the aggregates of these schools from their results; returns the rows written."""
    ImpactAggregate.objects.filter(school_id__in=school_ids).delete()
    rows = [
        ImpactAggregate(
            **{key: row[key] for key in CELL},
            **{key[:-1]: value for key, value in row.items() if key.endswith("_") and key[:-1]},
        )
        for row in aggregate_sums(
            # Studies set aside as not representative count in no pooled figure.
            PlacementResult.objects.filter(school_id__in=school_ids).exclude(
                placement_id__in=GroupMember.objects.filter(
                    school_id__in=school_ids, group__study_note__not_representative=True
                ).values("placement_id")
            )
        )
    ]
    ImpactAggregate.objects.bulk_create(rows, batch_size=5000)
    response_aggregates_rebuild(school_ids=school_ids)
    return len(rows)


@service
def response_aggregates_rebuild(*, school_ids: list[int]) -> int:
    """Rebuild how pupils responded, by intervention and primary need, in these schools: one
    grouped query over their judged placements of reviewed plans, one bulk insert."""
    ResponseAggregate.objects.filter(school_id__in=school_ids).delete()
    judged = (
        Placement.objects.standing()
        .filter(
            school_id__in=school_ids,
            plan__status=Plan.Status.REVIEWED,
            response__in=(Response.RESPONDED, Response.NO_RESPONSE),
        )
        .exclude(plan__pupil__primary_need="")
        .values("school_id", "intervention_id", "plan__pupil__primary_need")
        .annotate(n=Count("id"), r=Count("id", filter=Q(response=Response.RESPONDED)))
        .order_by()
    )
    rows = [
        ResponseAggregate(
            school_id=row["school_id"],
            intervention_id=row["intervention_id"],
            primary_need=row["plan__pupil__primary_need"],
            judged=row["n"],
            responded=row["r"],
        )
        for row in judged
    ]
    ResponseAggregate.objects.bulk_create(rows, batch_size=5000)
    # The recommendations keep these sums in the cache under the schools' and trusts' stamps.
    trusts = School.objects.filter(pk__in=school_ids, trust__isnull=False).values_list(
        "trust_id", flat=True
    )
    stamps.renew(*map(stamps.school, school_ids), *map(stamps.trust, set(trusts)))
    return len(rows)
