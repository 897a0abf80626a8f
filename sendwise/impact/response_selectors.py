"""Reads for the recommendations' "what worked for similar pupils": how pupils with one primary
need responded to each intervention, in the actor's school and in its trust's other schools.

Rule: only ``ResponseAggregate`` sums are read (one query, a row per school and intervention for
one need), never the trust's placements. From other schools only counts leave this function,
never pupils, and only from ``THRESHOLD`` pupils up; the school's own pupils are never mixed in
(with them, or with 1 to 4 others, a SENCO could work out how another school's pupils did).
"""

from __future__ import annotations

from django.db.models import Q, Sum

from sendwise.core.access import Actor
from sendwise.core.disclosure import THRESHOLD
from sendwise.impact.models import ResponseAggregate


def similar_pupils(*, actor: Actor, primary_need: str) -> tuple[dict, dict]:
    """``({intervention id: (judged, responded)} here, the same for the trust's other schools)``
    for pupils whose primary need is ``primary_need`` (one query; none without a need)."""
    if actor.user is None or actor.school is None or not primary_need:
        return {}, {}
    school = actor.school
    scope = Q(school=school)
    if school.trust_id:
        scope |= Q(school__trust_id=school.trust_id)
    own, other = Q(school=school), ~Q(school=school)
    rows = (
        ResponseAggregate.objects.filter(scope, primary_need=primary_need)
        .values("intervention_id")
        .annotate(
            own_n=Sum("judged", filter=own, default=0),
            own_r=Sum("responded", filter=own, default=0),
            other_n=Sum("judged", filter=other, default=0),
            other_r=Sum("responded", filter=other, default=0),
        )
        .order_by()
    )
    here, trust = {}, {}
    for row in rows:
        if row["own_n"]:
            here[row["intervention_id"]] = (row["own_n"], row["own_r"])
        if row["other_n"] >= THRESHOLD:
            trust[row["intervention_id"]] = (row["other_n"], row["other_r"])
    return here, trust
