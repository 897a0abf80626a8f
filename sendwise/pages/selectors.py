"""Reads that join what two apps own, for pages composed here (plain data down, no upward
imports in the apps themselves)."""

from sendwise.delivery.selectors import groups_now
from sendwise.planning.models import Plan
from sendwise.planning.selectors import plans_for_pupil
from sendwise.pupils.models import Pupil


def plans_with_groups(*, pupil: Pupil) -> list[Plan]:
    """All the pupil's cycles, newest first; each placement carries ``groups_now``, the
    timetabled groups the pupil is in for it (5 queries whatever the number of placements)."""
    plans = plans_for_pupil(pupil=pupil)
    placements = [p for plan in plans for p in plan.placements.all()]
    groups = groups_now(school_id=pupil.school_id, placement_ids=[p.pk for p in placements])
    for placement in placements:
        placement.groups_now = groups.get(placement.pk, [])
    return plans
