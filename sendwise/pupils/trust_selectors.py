"""Counts of pupils across a trust's or a local authority's schools, for the adviser's home:
totals only, with small numbers suppressed here, in the selector, so no page, export or API
built on it can show a count that identifies a child.

Rule: the schools of the adviser's trust or authority; pupils on roll (not archived), counted by
SEN provision. Two queries whatever the number of schools or pupils: the schools, then one
count of current pupils grouped by school and provision. That count reads the partial index
``pupil_current_provision`` (school and SEN provision of the pupils not archived) and never the
pupils' rows: at 100,000 pupils it costs a fraction of the scan of every pupil joined to its
school that the page ran before (``benchmarks/impact.py``, "the adviser's home").
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

from sendwise.core.access import Actor
from sendwise.core.codes import Provision
from sendwise.core.disclosure import suppress
from sendwise.core.models import School
from sendwise.pupils.models import Pupil


@dataclass(frozen=True)
class SchoolTotals:
    """One school's totals as an adviser may see them: counts of 1 to 4 already suppressed."""

    name: str
    phase: str
    on_roll: str
    sen_support: str
    ehc_plan: str


def trust_schools(*, actor: Actor) -> list[SchoolTotals]:
    """Schools in the adviser's trust or authority, with their pupils on roll, at SEN support
    and with an EHC plan (two queries)."""
    if actor.trust is None:
        return []
    schools = list(School.objects.filter(trust=actor.trust).order_by("name", "id"))
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for school_id, provision, n in (
        Pupil.unscoped.filter(school__in=[s.pk for s in schools], archived_at__isnull=True)
        .values_list("school_id", "sen_provision")
        .annotate(n=Count("*"))
        .order_by()
    ):
        counts[school_id][provision] = n
    return [
        SchoolTotals(
            s.name,
            s.get_phase_display(),
            suppress(sum(counts[s.pk].values())),
            suppress(counts[s.pk].get(Provision.SEN_SUPPORT, 0)),
            suppress(counts[s.pk].get(Provision.EHC_PLAN, 0)),
        )
        for s in schools
    ]
