"""The costed provision map's arithmetic: staff time and money per group, per pupil and per
intervention over a period (a school year or a term). Pure Python: no Django.

Rules, each checked by tests on hand-worked cases (tests/delivery/test_provision.py):

- **Staff cost of a session** = its minutes delivered ÷ 60 × the hourly cost of the pay band of
  the group's deliverer (the school's own figure, on-costs included). Cancelled sessions cost
  nothing here (the member of staff is paid anyway, but the time was not spent on the
  intervention; a school that wants to count it can see cancellations on the group's page).
- **A group's cost is shared among its members**: each session's staff cost is divided equally
  among the pupils on its register (present, late or absent: the place was kept for them). A
  session with nobody on its register (or the share of a place withdrawn as entered by
  mistake) is counted in the intervention's total, not in any pupil's.
- **Materials and licences**: the per-pupil sum once for each pupil who first joined a group of
  the intervention in the period (a pupil whose intervention goes on into their next plan has
  a second place, but keeps their materials: it is charged on their first place only, and not
  again in a later period); the yearly licence in full for a school year and a third of it for
  a term (the English school year has three terms); a sum bought once in the period it was
  bought. A pupil's share of materials is their per-pupil sum plus an equal share of the
  licence and the one-off sum among the intervention's pupils (not places) in the period.
- **Cost to date** counts sessions up to today; **projected to the end** adds the sessions still
  timetabled (the group's weekly slots on days the school is open) from tomorrow until the
  latest planned end of its current members' places (their weeks from the start, else their
  plan's review date), or the end of the period if sooner, shared among the current members.
- **Staff hours timetabled** are the group's weekly slots on open days in the period so far
  while it had pupils, beside the hours its sessions lasted (cancellations, sessions not
  recorded and shorter sessions make the difference).
- **Hours planned** are the pupils' planned dose in the period (``delivery.dose``: sessions
  owed in whole school weeks, times the planned minutes); **hours received** are the minutes of
  the sessions each pupil attended.

Terms follow calendar months, as schools' own dates differ: autumn September to December,
spring January to March, summer April to August.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from sendwise.delivery import dose as dose_rules

PENNY = Decimal("0.01")
ZERO = Decimal("0")
#: A term's share of a yearly licence.
TERMS_IN_YEAR = 3
TERMS = {
    "autumn": ("Autumn term", (9, 1), (12, 31)),
    "spring": ("Spring term", (1, 1), (3, 31)),
    "summer": ("Summer term", (4, 1), (8, 31)),
}

#: The pay band a member of staff is costed at when the school has not set one, by role: those
#: who teach at the teacher's rate, intervention specialists (mostly teaching assistants) at
#: the teaching assistant's.
DEFAULT_BAND = {
    "senco": "teacher",
    "head": "teacher",
    "teacher": "teacher",
    "intervention_specialist": "ta",
}


def pounds(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(PENNY, ROUND_HALF_UP)


def pounds_adding_up(values: list[Decimal]) -> list[Decimal]:
    """``values`` (each 0 or more) to the penny so that they add up to their own total to the
    penny, as a table with a total row must: each rounded down, then the pennies left over go
    to the largest remainders (the "largest remainder" method; ties to the earlier value).
    Rounding each on its own can leave the parts a penny off the total shown under them."""
    if any(v < 0 for v in values):
        raise ValueError("Amounts of money here are never negative")
    floors = [v.quantize(PENNY, ROUND_FLOOR) for v in values]
    left = int((pounds(sum(values, Decimal(0))) - sum(floors, Decimal(0))) / PENNY)
    by_remainder = sorted(range(len(values)), key=lambda i: (-(values[i] - floors[i]), i))
    for i in by_remainder[:left]:
        floors[i] += PENNY
    return floors


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # the last day, included
    label: str
    #: The part of a school year it covers (1 for a year, 1/3 for a term).
    year_share: Decimal

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end


def school_year(year: int) -> Period:
    """The school year starting in September of ``year`` (2026 for 2026/27)."""
    return Period(
        date(year, 9, 1), date(year + 1, 8, 31), f"{year}/{(year + 1) % 100:02d}", Decimal(1)
    )


def term(year: int, name: str) -> Period:
    """A term of the school year starting in ``year``."""
    label, (m1, d1), (m2, d2) = TERMS[name]
    calendar_year = year if name == "autumn" else year + 1
    return Period(
        date(calendar_year, m1, d1),
        date(calendar_year, m2, d2),
        f"{label} {year}/{(year + 1) % 100:02d}",
        Decimal(1) / TERMS_IN_YEAR,
    )


@dataclass(frozen=True)
class Member:
    """A pupil's place in a group."""

    placement_id: int
    joined: date
    left: date | None
    #: The placement's planned dose and its planned end (the last day support is owed).
    planned: dose_rules.Planned
    funding: str = ""
    #: The last day the place is planned to run when the dose gives no number of weeks (the
    #: plan's review date), for the projection.
    review_due: date | None = None
    #: The pupil (one pupil may hold two places on an intervention: one a plan, when the
    #: intervention goes on into their next plan); None: the place stands for its own pupil.
    pupil_id: int | None = None

    @property
    def pupil_key(self) -> tuple[str, int]:
        return (
            ("pupil", self.pupil_id) if self.pupil_id is not None else ("place", self.placement_id)
        )


@dataclass(frozen=True)
class Delivered:
    """A session that happened: its date, minutes, who was on the register, who attended."""

    on: date
    minutes: int
    register: tuple[int, ...]  # placement ids, present, late or absent
    attended: tuple[int, ...] = ()


@dataclass(frozen=True)
class GroupIn:
    id: int
    name: str
    intervention_id: int
    hourly: Decimal | None  # None when the deliverer's band has no cost set
    weekly: tuple[tuple[int, int], ...]  # (weekday 0-4, minutes) of each slot
    members: tuple[Member, ...]
    sessions: tuple[Delivered, ...]
    funding: str = ""


@dataclass(frozen=True)
class Running:
    one_off: Decimal = ZERO
    one_off_on: date | None = None
    per_pupil: Decimal = ZERO
    per_year: Decimal = ZERO


@dataclass
class PupilCost:
    """One pupil's place on one intervention (through one or more groups) in the period."""

    placement_id: int
    intervention_id: int
    funding: str = ""
    planned_minutes: int = 0
    received_minutes: int = 0
    staff: Decimal = ZERO
    projected_staff: Decimal = ZERO
    materials: Decimal = ZERO
    staff_known: bool = True
    started_in_period: bool = False
    #: The pupil's key (``Member.pupil_key``) and the first day the place joined a group.
    pupil_key: tuple[str, int] = ("place", 0)
    joined: date | None = None

    @property
    def to_date(self) -> Decimal:
        return self.staff + self.materials

    @property
    def projected(self) -> Decimal:
        return self.to_date + self.projected_staff


@dataclass
class InterventionCost:
    intervention_id: int
    pupils: int = 0
    groups: int = 0
    planned_minutes: int = 0
    received_minutes: int = 0
    staff_minutes: int = 0
    #: Staff minutes the group's timetable set in the period up to today (see ``timetabled``).
    timetabled_minutes: int = 0
    staff: Decimal = ZERO
    projected_staff: Decimal = ZERO
    materials: Decimal = ZERO
    staff_known: bool = True
    #: Money to date and still to come, by funding source ("" when none is set).
    funding: dict[str, Decimal] = field(default_factory=dict)
    funding_projected: dict[str, Decimal] = field(default_factory=dict)

    @property
    def to_date(self) -> Decimal:
        return self.staff + self.materials

    @property
    def projected(self) -> Decimal:
        return self.to_date + self.projected_staff


@dataclass
class Map:
    period: Period
    interventions: list[InterventionCost]
    pupils: dict[int, PupilCost]  # by placement id

    @property
    def total(self) -> InterventionCost:
        total = InterventionCost(intervention_id=0)
        for row in self.interventions:
            total.pupils += row.pupils
            total.groups += row.groups
            total.planned_minutes += row.planned_minutes
            total.received_minutes += row.received_minutes
            total.staff_minutes += row.staff_minutes
            total.timetabled_minutes += row.timetabled_minutes
            total.staff += row.staff
            total.projected_staff += row.projected_staff
            total.materials += row.materials
            total.staff_known &= row.staff_known
            for source, amount in row.funding.items():
                _fund(total.funding, source, amount)
            for source, amount in row.funding_projected.items():
                _fund(total.funding_projected, source, amount)
        return total


def session_cost(minutes: int, hourly: Decimal) -> Decimal:
    return Decimal(minutes) * hourly / 60


def sessions_ahead(
    weekly: Iterable[tuple[int, int]], start: date, end: date, closed: Collection[date] = ()
) -> int:
    """Minutes of the weekly slots from ``start`` to ``end`` (both included) on open days."""
    minutes = 0
    by_day: dict[int, int] = {}
    for weekday, length in weekly:
        by_day[weekday] = by_day.get(weekday, 0) + length
    day = start
    while day <= end:
        if day.weekday() in by_day and day not in closed:
            minutes += by_day[day.weekday()]
        day += timedelta(days=1)
    return minutes


def planned_end(member: Member) -> date | None:
    """The last day a place is planned to run: its weeks from the start (else the plan's review
    date), and never after the day its cycle was reviewed."""
    planned = member.planned
    ends = []
    if planned.weeks:
        ends.append(planned.start + timedelta(weeks=planned.weeks, days=-1))
    elif member.review_due:
        ends.append(member.review_due)
    if planned.end:
        ends.append(planned.end)
    return min(ends) if ends else None


def timetabled(group: GroupIn, period: Period, until: date, closed: Collection[date]) -> int:
    """Staff minutes the group's weekly slots set on open days in the period up to ``until``,
    while it had pupils (from the first joining to the last leaving, or ``until`` while anyone
    is still in it). By its current timetable: a group whose times changed is counted at its
    new times throughout."""
    if not group.members:
        return 0
    first = max(period.start, min(m.joined for m in group.members))
    if any(m.left is None for m in group.members):
        last = until
    else:
        last = min(until, max(m.left for m in group.members))
    return sessions_ahead(group.weekly, first, last, closed) if first <= last else 0


def planned_minutes_in(planned: dose_rules.Planned, period: Period, today: date, closed) -> int:
    """Planned minutes owed inside the period up to today (the dose owed by the period's end,
    or today, less the dose owed by its start)."""
    if not planned.minutes_per_session:
        return 0
    until = min(today, period.end + timedelta(days=1))
    owed = dose_rules.planned_sessions(planned, until, closed)
    before = dose_rules.planned_sessions(planned, period.start, closed)
    return max(owed - before, 0) * planned.minutes_per_session


def provision_map(
    *,
    groups: Iterable[GroupIn],
    running: dict[int, Running],
    period: Period,
    today: date,
    closed: Collection[date] = (),
    placements: Collection[int] | None = None,
    joined_before: Collection[tuple[int, int]] = (),
) -> Map:
    """Costs of every group's sessions, pupils and materials in ``period`` (see the rules
    above). ``placements`` limits the pupils counted (a year group, one pupil), when given:
    their shares are the same as on the whole school's map. ``joined_before`` holds (pupil id,
    intervention id) of pupils already in a group of the intervention before the period: their
    per-pupil materials were counted then."""
    closed = closed if isinstance(closed, (set, frozenset)) else frozenset(closed)
    pupils: dict[int, PupilCost] = {}
    rows: dict[int, InterventionCost] = {}
    # Every place on each intervention in the period, whether counted or not: a year group's or
    # a pupil's share of a licence is the same as on the whole school's map.
    everyone: dict[int, set[tuple[str, int]]] = {}
    until = min(today, period.end)
    for group in groups:
        row = rows.setdefault(group.intervention_id, InterventionCost(group.intervention_id))
        counted = False

        def pupil(member: Member, group: GroupIn = group) -> PupilCost | None:
            if placements is not None and member.placement_id not in placements:
                return None
            cost = pupils.get(member.placement_id)
            if cost is None:
                cost = pupils[member.placement_id] = PupilCost(
                    member.placement_id,
                    group.intervention_id,
                    funding=member.funding or group.funding,
                    planned_minutes=planned_minutes_in(member.planned, period, today, closed),
                    pupil_key=member.pupil_key,
                )
            cost.staff_known &= group.hourly is not None
            if member.joined in period:
                cost.started_in_period = True
            if cost.joined is None or member.joined < cost.joined:
                cost.joined = member.joined
            return cost

        members = {m.placement_id: m for m in group.members}
        for member in group.members:
            overlaps = member.joined <= period.end and (
                member.left is None or member.left >= period.start
            )
            if overlaps:
                everyone.setdefault(group.intervention_id, set()).add(member.pupil_key)
            if overlaps and pupil(member) is not None:
                counted = True
        for session in group.sessions:
            if not period.start <= session.on <= until:
                continue
            shared = [pupil(members[p]) for p in session.register if p in members]
            mine = [c for c in shared if c is not None]
            if placements is None or mine:
                row.staff_minutes += session.minutes
                counted = True
            for p in session.attended:
                cost = pupils.get(p)
                if cost is not None and p in members:
                    cost.received_minutes += session.minutes
            if group.hourly is None:
                row.staff_known = False
                continue
            price = session_cost(session.minutes, group.hourly)
            each = price / len(session.register) if session.register else ZERO
            for cost in mine:
                cost.staff += each
                row.staff += each
                _fund(row.funding, cost.funding, each)
            if placements is None:
                # The whole school's map counts every session in full: the part of nobody on
                # the map (an empty register, a place withdrawn as entered by mistake) goes to
                # the intervention and the group's funding source.
                rest = price - each * len(mine)
                row.staff += rest
                _fund(row.funding, group.funding, rest)
        # Sessions still to come, shared among current members.
        current = [m for m in group.members if m.left is None]
        ends = [planned_end(m) for m in current]
        end = max((e for e in ends if e), default=None)
        if current and end and group.hourly is not None:
            last = min(end, period.end)
            first = max(today + timedelta(days=1), period.start)
            minutes = sessions_ahead(group.weekly, first, last, closed) if first <= last else 0
            if minutes:
                each = session_cost(minutes, group.hourly) / len(current)
                for member in current:
                    cost = pupil(member)
                    if cost is not None:
                        cost.projected_staff += each
                        row.projected_staff += each
                        _fund(row.funding_projected, cost.funding, each)
        if counted:
            row.groups += 1
            row.staff_known &= group.hourly is not None
            row.timetabled_minutes += timetabled(group, period, until, closed)
    # Materials and licences, per intervention, then each pupil's share.
    for intervention_id, row in rows.items():
        mine = [c for c in pupils.values() if c.intervention_id == intervention_id]
        # A pupil's first place on the intervention in the period carries their materials.
        first: dict[tuple[str, int], PupilCost] = {}
        for cost in sorted(mine, key=lambda c: (c.joined or period.start, c.placement_id)):
            first.setdefault(cost.pupil_key, cost)
        row.pupils = len(first)
        row.planned_minutes = sum(c.planned_minutes for c in mine)
        row.received_minutes = sum(c.received_minutes for c in mine)
        run = running.get(intervention_id)
        if run is None or not mine:
            continue
        shared = run.per_year * period.year_share
        if run.one_off_on is not None and run.one_off_on in period:
            shared += run.one_off
        sharing = len(everyone.get(intervention_id, ())) or len(first)
        started = {c.pupil_key for c in mine if c.started_in_period}
        for key, cost in first.items():
            new_here = key in started
            before = key[0] == "pupil" and (key[1], intervention_id) in joined_before
            cost.materials = shared / sharing + (run.per_pupil if new_here and not before else 0)
            row.materials += cost.materials
            _fund(row.funding, cost.funding, cost.materials)
    kept = [r for r in rows.values() if r.pupils or r.staff_minutes]
    return Map(period=period, interventions=kept, pupils=pupils)


def _fund(sums: dict[str, Decimal], source: str, amount: Decimal) -> None:
    """Add money to a funding source's sum ("" when no source is set)."""
    sums[source] = sums.get(source, ZERO) + amount
