"""Writes that rebuild impact aggregates for many schools at once, set-based.

``aggregates_rebuild`` replaces every ``ImpactAggregate`` row of the given schools with the sums
of their ``PlacementResult`` rows, in one grouped query and one bulk insert (not a query per
cell): what the demo generator uses after writing a local authority's results, and what a
backfill or a repair after an import can use. It builds the rows with the per-save upkeep's own
rule (``result_services.aggregate_rows``: placed pupils in the figures, waiting ones counted
apart, the full dose a dose share of at least 0.8), so the two can never disagree.
"""

from __future__ import annotations

from django.db.models import Count, Q

from sendwise.core import stamps
from sendwise.core.models import School
from sendwise.core.services import service
from sendwise.delivery.models import GroupMember
from sendwise.impact.models import ImpactAggregate, PlacementResult, ResponseAggregate
from sendwise.impact.result_services import aggregate_rows
from sendwise.planning.models import Placement, Plan, Response


@service
def aggregates_rebuild(*, school_ids: list[int]) -> int:
    """Rebuild the aggregates of these schools from their results; returns the rows written."""
    ImpactAggregate.objects.filter(school_id__in=school_ids).delete()
    rows = aggregate_rows(
        # Studies set aside as not representative count in no pooled figure.
        PlacementResult.objects.filter(school_id__in=school_ids).exclude(
            placement_id__in=GroupMember.objects.filter(
                school_id__in=school_ids, group__study_note__not_representative=True
            ).values("placement_id")
        )
    )
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
