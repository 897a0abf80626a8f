"""Reads for the costed provision map: the school's groups, sessions, registers, costs and
funding in a period, turned into plain data for ``delivery.provision``, in a fixed number of
queries whatever the number of groups, pupils or sessions. Always scoped to the actor's school;
a pupil's own map takes a pupil the view already reached through ``pupil_for``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from sendwise.core.access import Actor
from sendwise.core.chart_cache import cached_svg
from sendwise.core.models import Membership
from sendwise.delivery import provision, provision_chart
from sendwise.delivery.calendar_selectors import closed_days
from sendwise.delivery.dose import Planned
from sendwise.delivery.models import (
    Attendance,
    Funding,
    FundingSource,
    Group,
    GroupMember,
    PayBand,
    RunningCost,
    Session,
    StaffBand,
    StaffRate,
)
from sendwise.delivery.selectors import staff_members
from sendwise.maths import stats_cost
from sendwise.maths.stats_cost import CostPerPupil
from sendwise.planning.models import Placement
from sendwise.pupils.census_checks import academic_year_start
from sendwise.pupils.models import Pupil

BANDS = dict(PayBand.choices)
SOURCES = {**dict(FundingSource.choices), "": "Not set"}


@dataclass(frozen=True)
class GroupShown:
    id: int
    name: str
    intervention: str
    deliverer: str
    band: str
    band_set_by: str  # "set by the school" or "from their role"
    hourly: Decimal | None
    funding: str


@dataclass(frozen=True)
class PlacementShown:
    """One of a pupil's places, with their share of the costs."""

    placement_id: int
    pupil_id: int
    intervention: str
    groups: str
    cost: provision.PupilCost
    funding: str  # the source's words
    funding_own: bool  # set on the placement (not inherited from the group)


@dataclass
class ProvisionMap:
    period: provision.Period
    result: provision.Map
    names: dict[int, str]  # intervention id -> name
    groups: list[GroupShown]
    placements: list[PlacementShown] = field(default_factory=list)
    #: Pay bands whose deliverers' time could not be costed (no hourly cost set).
    bands_missing: list[str] = field(default_factory=list)
    interventions_uncosted: list[str] = field(default_factory=list)
    #: The pupil of each place counted, by placement id (for the downloads' pupil rows).
    pupil_of: dict[int, Pupil] = field(default_factory=dict)

    def pupil_rows(self) -> list[tuple[Pupil, str, provision.PupilCost]]:
        """(pupil, intervention, cost) for every place counted, by pupil name."""
        rows = [
            (self.pupil_of[pid], self.names[cost.intervention_id], cost)
            for pid, cost in self.result.pupils.items()
        ]
        return sorted(rows, key=lambda r: (r[0].last_name, r[0].first_name, r[0].pk, r[1]))

    @property
    def rows(self):
        return sorted(self.result.interventions, key=lambda r: self.names[r.intervention_id])

    @property
    def named_rows(self) -> list[tuple[str, provision.InterventionCost]]:
        return [(self.names[r.intervention_id], r) for r in self.rows]

    @property
    def total(self) -> provision.InterventionCost:
        return self.result.total

    def chart_svg(self) -> str:
        bars = tuple(
            provision_chart.Bar(
                self.names[r.intervention_id],
                float(r.staff),
                float(r.materials),
                float(r.projected_staff),
            )
            for r in self.rows
        )
        return cached_svg(provision_chart.provision_chart_svg, bars, self.period.label)

    def funding_rows(self) -> list[tuple[str, Decimal, Decimal]]:
        """(source, to date, still to come) for each source with money, in the list's order."""
        total = self.total
        found = []
        for key, words in SOURCES.items():
            now = total.funding.get(key, Decimal(0))
            ahead = total.funding_projected.get(key, Decimal(0))
            if now or ahead:
                found.append((words, now, now + ahead))
        # To the penny so that each column adds up to its total (a tester found the sources
        # a penny over the total shown beside them).
        to_date = provision.pounds_adding_up([now for _, now, _ in found])
        by_end = provision.pounds_adding_up([end for _, _, end in found])
        return [(words, a, b) for (words, _, _), a, b in zip(found, to_date, by_end, strict=True)]


def period_for(*, year: int | None, term: str = "", today: date | None = None) -> provision.Period:
    """The school year starting in ``year`` (this one when None), or one of its terms."""
    year = year if year is not None else academic_year_start(today or timezone.localdate())
    return provision.term(year, term) if term else provision.school_year(year)


def provision_map(
    *,
    actor: Actor,
    period: provision.Period,
    nc_year: int | None = None,
    pupil: Pupil | None = None,
    today: date | None = None,
) -> ProvisionMap:
    """Every group that ran or had pupils in the period, costed (``delivery.provision``); for
    one year group, or for one pupil (reached through ``pupil_for`` by the caller), whose
    shares are those of the whole school's map. Eleven queries whatever the size of the school."""
    school = actor.school
    today = today or timezone.localdate()
    overlapping = Q(joined_on__lte=period.end) & (
        Q(left_on__isnull=True) | Q(left_on__gte=period.start)
    )
    # Every group's members, even for one pupil's or one year group's map: a group's and a
    # licence's cost are shared among all the pupils in them.
    members = list(
        GroupMember.objects.filter(
            overlapping, school=school, placement__withdrawn_at__isnull=True
        ).select_related("placement__plan__pupil", "placement__funding")
    )
    group_ids = sorted({m.group_id for m in members})
    groups = list(
        Group.objects.filter(school=school, pk__in=group_ids)
        .select_related("intervention", "deliverer", "funding")
        .prefetch_related("slots")
    )
    sessions = list(
        Session.objects.filter(
            school=school,
            group__in=group_ids,
            status=Session.Status.DELIVERED,
            date__gte=period.start,
            date__lte=min(today, period.end),
        ).only("id", "group_id", "date", "minutes")
    )
    registers: dict[int, list[tuple[int, bool]]] = {}
    for session_id, placement_id, status in Attendance.objects.filter(
        school=school, session__in=[s.pk for s in sessions]
    ).values_list("session_id", "placement_id", "status"):
        registers.setdefault(session_id, []).append(
            (placement_id, status != Attendance.Status.ABSENT)
        )
    rates = dict(StaffRate.objects.filter(school=school).values_list("band", "hourly"))
    deliverers = {g.deliverer_id for g in groups if g.deliverer_id}
    bands = dict(
        StaffBand.objects.filter(school=school, staff__in=deliverers).values_list(
            "staff_id", "band"
        )
    )
    roles: dict[int, str] = {}
    for user_id, role in Membership.objects.filter(school=school, user__in=deliverers).values_list(
        "user_id", "role"
    ):
        # A person with several roles is costed at the first with a default band (teacher).
        if role in provision.DEFAULT_BAND and roles.get(user_id) != "teacher":
            roles[user_id] = provision.DEFAULT_BAND[role]
    running = {
        r.intervention_id: provision.Running(r.one_off, r.one_off_on, r.per_pupil, r.per_year)
        for r in RunningCost.objects.filter(school=school)
    }
    closed = closed_days(school_id=school.pk, start=period.start, end=period.end)
    # Pupils already in a group of the intervention before the period (their support went on
    # into a later plan): their per-pupil materials were counted then, not again now.
    joined_before = set(
        GroupMember.objects.filter(
            school=school,
            group__intervention__in={g.intervention_id for g in groups},
            joined_on__lt=period.start,
            placement__withdrawn_at__isnull=True,
        )
        .values_list("placement__plan__pupil_id", "group__intervention_id")
        .distinct()
    )

    first_joined: dict[int, date] = {}
    for m in members:
        first_joined[m.placement_id] = min(
            m.joined_on, first_joined.get(m.placement_id, m.joined_on)
        )
    by_group: dict[int, list[GroupMember]] = {}
    for m in members:
        by_group.setdefault(m.group_id, []).append(m)
    by_group_sessions: dict[int, list[Session]] = {}
    for s in sessions:
        by_group_sessions.setdefault(s.group_id, []).append(s)

    plain, shown, missing = [], [], set()
    for g in groups:
        band = bands.get(g.deliverer_id) or roles.get(g.deliverer_id, "")
        hourly = rates.get(band)
        if g.deliverer_id and band and hourly is None:
            missing.add(BANDS[band])
        funding = _source(g, "funding")
        plain.append(
            provision.GroupIn(
                id=g.pk,
                name=g.name,
                intervention_id=g.intervention_id,
                hourly=hourly,
                weekly=tuple((s.weekday, s.minutes) for s in g.slots.all()),
                members=tuple(_member(m, first_joined) for m in by_group.get(g.pk, [])),
                sessions=tuple(
                    provision.Delivered(
                        s.date,
                        s.minutes or 0,
                        tuple(p for p, _came in registers.get(s.pk, [])),
                        tuple(p for p, came in registers.get(s.pk, []) if came),
                    )
                    for s in by_group_sessions.get(g.pk, [])
                ),
                funding=funding,
            )
        )
        shown.append(
            GroupShown(
                id=g.pk,
                name=g.name,
                intervention=g.intervention.name,
                deliverer=g.deliverer.full_name if g.deliverer else "No one named",
                band=BANDS.get(band, "No band"),
                band_set_by="set by the school" if g.deliverer_id in bands else "from their role",
                hourly=hourly,
                funding=SOURCES[funding],
            )
        )
    placements = None
    if nc_year is not None:
        placements = {m.placement_id for m in members if m.placement.plan.pupil.nc_year == nc_year}
    if pupil is not None:
        placements = {m.placement_id for m in members if m.placement.plan.pupil_id == pupil.pk}
    result = provision.provision_map(
        groups=plain,
        running=running,
        period=period,
        today=today,
        closed=closed,
        placements=placements,
        joined_before=joined_before,
    )
    names = {g.intervention_id: g.intervention.name for g in groups}
    view = ProvisionMap(
        period=period,
        result=result,
        names=names,
        groups=shown,
        bands_missing=sorted(missing),
        pupil_of={
            m.placement_id: m.placement.plan.pupil
            for m in members
            if m.placement_id in result.pupils
        },
        interventions_uncosted=sorted(
            names[r.intervention_id]
            for r in result.interventions
            if r.intervention_id not in running
        ),
    )
    if pupil is not None:
        group_names: dict[int, list[str]] = {}
        placement_of = {}
        for m in members:
            if m.placement_id not in placements:
                continue
            group_names.setdefault(m.placement_id, []).append(
                next(g.name for g in groups if g.pk == m.group_id)
            )
            placement_of[m.placement_id] = m.placement
        for placement_id, cost in sorted(result.pupils.items()):
            placement = placement_of[placement_id]
            view.placements.append(
                PlacementShown(
                    placement_id=placement_id,
                    pupil_id=pupil.pk,
                    intervention=names[cost.intervention_id],
                    groups=", ".join(sorted(set(group_names[placement_id]))),
                    cost=cost,
                    funding=SOURCES[cost.funding],
                    funding_own=_source(placement, "funding") != "",
                )
            )
    return view


def _source(obj, name: str) -> str:
    try:
        funding = getattr(obj, name)
    except Funding.DoesNotExist:
        return ""
    return funding.source if funding else ""


def _member(m: GroupMember, first_joined: dict[int, date]) -> provision.Member:
    placement = m.placement
    return provision.Member(
        placement_id=m.placement_id,
        joined=m.joined_on,
        left=m.left_on,
        planned=Planned(
            start=first_joined[m.placement_id],
            sessions_per_week=placement.sessions_per_week,
            minutes_per_session=placement.minutes_per_session,
            weeks=placement.weeks,
            end=placement.plan.reviewed_on,
        ),
        funding=_source(placement, "funding"),
        review_due=placement.plan.review_date,
        pupil_id=placement.plan.pupil_id,
    )


@dataclass(frozen=True)
class CostSettings:
    rates: dict[str, Decimal | None]
    staff: list[tuple]  # (user, band set or "", band from their role)
    running: list[RunningCost]
    groups: list[Group]

    @property
    def rates_shown(self) -> list[tuple[str, Decimal | None]]:
        return [(BANDS[band], hourly) for band, hourly in self.rates.items()]


def cost_settings(*, actor: Actor) -> CostSettings:
    """The school's hourly costs by pay band, each deliverer's band (set, or following their
    role), each intervention's materials and licences, and each running group's funding. Six
    queries."""
    school = actor.school
    rates = dict(StaffRate.objects.filter(school=school).values_list("band", "hourly"))
    bands = dict(StaffBand.objects.filter(school=school).values_list("staff_id", "band"))
    people = list(staff_members(actor=actor))
    from_role: dict[int, str] = {}
    for user_id, role in Membership.objects.filter(
        school=school, user__in=[u.pk for u in people]
    ).values_list("user_id", "role"):
        if role in provision.DEFAULT_BAND and from_role.get(user_id) != "teacher":
            from_role[user_id] = provision.DEFAULT_BAND[role]
    staff = [
        (user, BANDS.get(bands.get(user.pk, ""), ""), BANDS.get(from_role.get(user.pk, ""), "None"))
        for user in people
    ]
    groups = list(
        Group.objects.filter(school=school, archived=False)
        .select_related("intervention", "funding")
        .order_by("intervention__name", "name")
    )
    for group in groups:
        group.funding_words = SOURCES[_source(group, "funding")]
    return CostSettings(
        rates={band: rates.get(band) for band in BANDS},
        staff=staff,
        running=list(
            RunningCost.objects.filter(school=school)
            .select_related("intervention")
            .order_by("intervention__name")
        ),
        groups=groups,
    )


def running_groups(*, actor: Actor):
    """The school's running groups, for choosing which one's funding to set."""
    return Group.objects.filter(school=actor.school, archived=False).order_by("name", "id")


def placement_of(*, pupil: Pupil, placement_id: int) -> Placement:
    """One of this pupil's places (the pupil already reached through ``pupil_for``); 404
    otherwise."""
    return get_object_or_404(
        Placement.objects.standing(), pk=placement_id, plan__pupil=pupil, school=pupil.school_id
    )


def cost_per_pupil(*, actor: Actor, period: provision.Period) -> dict[int, CostPerPupil]:
    """Each intervention's cost to date in the period shared among its pupils there, by
    intervention id: what ``maths.stats_cost.cost_per_month`` divides by the months of progress
    (the impact page shows it). Interventions whose staff time could not all be costed (a pay
    band without an hourly cost) are left out rather than shown too cheap."""
    view = provision_map(actor=actor, period=period)
    return {
        row.intervention_id: stats_cost.cost_per_pupil(row.to_date, row.pupils)
        for row in view.result.interventions
        if row.staff_known and row.pupils
    }
