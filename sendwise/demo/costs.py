"""The demo school's costs of provision: an hourly cost for each pay band, the materials and
licences of each intervention its groups run, and who pays for each group (and, for pupils with
an EHC plan, their own place), so the costed provision map has figures from the first sign-in.

The figures are round, made-up amounts of a plausible size for an English primary school with
on-costs included; they are not published rates.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from simple_history.utils import bulk_create_with_history

from sendwise.core.models import School
from sendwise.delivery.models import Funding, Group, GroupMember, RunningCost, StaffRate
from sendwise.pupils.census_checks import academic_year_start

HOURLY = {
    "ta": Decimal("19.00"),
    "hlta": Decimal("23.00"),
    "teacher": Decimal("48.00"),
    "specialist": Decimal("65.00"),
}
#: (per pupil, per school year, bought once) by the order the interventions come in, repeated.
MATERIALS = (
    (Decimal("12.50"), Decimal("0"), Decimal("350.00"), "Workbooks and a starter kit"),
    (Decimal("0"), Decimal("295.00"), Decimal("0"), "Online licence for the school"),
    (Decimal("8.00"), Decimal("0"), Decimal("180.00"), "Activity cards and a resource pack"),
    (Decimal("18.00"), Decimal("120.00"), Decimal("0"), "Pupil books and an annual subscription"),
)
SOURCES = ("notional_sen", "notional_sen", "pupil_premium", "notional_sen", "other")


def costs_build(school: School, today: date) -> None:
    """Hourly costs, materials and licences, and funding for the school's running groups."""
    bulk_create_with_history(
        [StaffRate(school=school, band=b, hourly=h) for b, h in HOURLY.items()],
        StaffRate,
        default_change_reason="Demo school",
    )
    groups = list(Group.objects.filter(school=school).order_by("id"))
    interventions = sorted({g.intervention_id for g in groups})
    # Kits were bought in the first week of this school year (or today, if that is sooner).
    bought = min(date(academic_year_start(today), 9, 5), today)
    running = []
    for n, intervention_id in enumerate(interventions):
        per_pupil, per_year, one_off, note = MATERIALS[n % len(MATERIALS)]
        running.append(
            RunningCost(
                school=school,
                intervention_id=intervention_id,
                per_pupil=per_pupil,
                per_year=per_year,
                one_off=one_off,
                one_off_on=bought if one_off else None,
                note=note,
            )
        )
    bulk_create_with_history(running, RunningCost, default_change_reason="Demo school")
    funding = [
        Funding(school=school, group=group, source=SOURCES[n % len(SOURCES)])
        for n, group in enumerate(groups)
    ]
    # A pupil with an EHC plan has their places paid from the plan's top-up.
    ehc = (
        GroupMember.objects.filter(school=school, placement__plan__pupil__sen_provision="E")
        .values_list("placement_id", flat=True)
        .distinct()
    )
    funding += [
        Funding(school=school, placement_id=pk, source="ehc_top_up", note="Section F provision")
        for pk in ehc
    ]
    bulk_create_with_history(funding, Funding, default_change_reason="Demo school")
