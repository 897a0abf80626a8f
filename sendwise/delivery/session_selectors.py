"""Reads for the session register, always scoped to the actor: which sessions are due today and
this week, one session's register, a group's recorded and missed sessions, and the dose each
pupil has received against the dose planned.

A group's register is seen by the person who runs the group, the SENCO and (read-only) the
head; pupils' names only where ``pupil_labels`` allows.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import FilteredRelation, Min, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from sendwise.core.access import Actor
from sendwise.core.roles import Role
from sendwise.delivery import dose as dose_rules
from sendwise.delivery.calendar_selectors import closed_days
from sendwise.delivery.models import Attendance, Group, GroupMember, Session, Slot
from sendwise.delivery.session_services import (
    BACKFILL_WEEKS,
    last_changed_by,
    may_record,
    members_on,
)
from sendwise.planning.models import Placement
from sendwise.pupils.selectors import pupil_labels

#: Roles that see every group's register in their school (the head only reads it).
WHOLE_REGISTER_ROLES = frozenset({Role.SENCO, Role.HEAD})


def registers_visible(*, actor: Actor) -> QuerySet[Group]:
    """Groups whose registers the actor may see: every group of the school for the SENCO and
    the head; for anyone else, the groups they run."""
    if actor.user is None or actor.school is None:
        return Group.objects.none()
    groups = Group.objects.filter(school=actor.school)
    if actor.roles & WHOLE_REGISTER_ROLES:
        return groups
    if actor.has_role(Role.INTERVENTION_SPECIALIST, Role.TEACHER):
        return groups.filter(deliverer=actor.user)
    return Group.objects.none()


def may_see_register(actor: Actor, group: Group) -> bool:
    """``registers_visible`` for one group of the actor's school already read (no query)."""
    if actor.user is None or actor.school is None or group.school_id != actor.school.pk:
        return False
    if actor.roles & WHOLE_REGISTER_ROLES:
        return True
    if actor.has_role(Role.INTERVENTION_SPECIALIST, Role.TEACHER):
        return group.deliverer_id == actor.user.pk
    return False


def register_group_get(*, actor: Actor, group_id: int) -> Group:
    """A group whose register the actor may see, or 404 (missing and forbidden alike)."""
    group = (
        registers_visible(actor=actor)
        .select_related("intervention", "deliverer")
        .prefetch_related(Prefetch("slots", queryset=Slot.objects.order_by("weekday", "starts_at")))
        .filter(pk=group_id)
        .first()
    )
    if group is None:
        raise Http404("No such group")
    return group


def parse_time(value: str) -> time | None:
    try:
        return datetime.strptime(value, "%H:%M").time()  # noqa: DTZ007 - a time of day
    except (TypeError, ValueError):
        return None


@dataclass
class RegisterRow:
    member: GroupMember
    name: str  # the pupil's name, or the neutral label where it may not be shown (pupil_labels)
    attendance: Attendance | None


@dataclass
class Register:
    group: Group
    on: date
    slot: Slot
    session: Session | None
    rows: list[RegisterRow]
    can_record: bool

    @property
    def attendance_recorded(self) -> str:
        """How many pupils the saved session has present, late and absent, in words ("3
        present, 1 absent"); "" for a session not recorded, or recorded with no attendance
        (cancelled)."""
        if self.session is None:
            return ""
        counts = Counter(row.attendance.status for row in self.rows if row.attendance)
        return ", ".join(
            f"{counts[status]} {label.lower()}"
            for status, label in Attendance.Status.choices
            if counts[status]
        )

    @property
    def components_ticked(self) -> list[str]:
        """The session's ticks that are on the intervention's session checklist now."""
        known = set(self.group.intervention.core_components or [])
        ticked = self.session.components_delivered if self.session else []
        return [c for c in ticked or [] if c in known]

    @property
    def ticks_off_the_checklist(self) -> list[str]:
        """Ticks saved when the session was recorded for items no longer on the checklist (a
        programme condition moved off it, evidence migration 0003): kept as recorded and shown
        apart, so nobody reads them as something this session delivered."""
        known = set(self.group.intervention.core_components or [])
        ticked = self.session.components_delivered if self.session else []
        return [c for c in ticked or [] if c not in known]


def session_slot(*, group: Group, on: date, at: time | None) -> tuple[Slot, Session | None]:
    """The group's slot on ``on`` (at ``at`` when it meets twice that day) and the session
    recorded for it; a session recorded at a time the group no longer meets keeps its own
    time and length. 404 when the group does not meet then."""
    sessions = {s.starts_at: s for s in Session.objects.filter(group=group, date=on)}
    slots = [s for s in group.slots.all() if s.weekday == on.weekday()]
    if at is not None:
        slots = [s for s in slots if s.starts_at == at]
    if slots:
        return slots[0], sessions.get(slots[0].starts_at)
    recorded = sessions.get(at) if at is not None else next(iter(sessions.values()), None)
    if recorded is None:
        raise Http404("The group does not meet then")
    slot = Slot(
        school_id=group.school_id,
        group=group,
        weekday=on.weekday(),
        starts_at=recorded.starts_at,
        minutes=recorded.slot_minutes,
    )
    return slot, recorded


def register_get(*, actor: Actor, group: Group, on: date, at: time | None) -> Register:
    """One session's register: the pupils in the group that day, what was recorded for each,
    and whether this person may record it. A fixed number of queries whatever the group size."""
    slot, session = session_slot(group=group, on=on, at=at)
    members = members_on(group, on)
    recorded = {}
    if session is not None:
        session = Session.objects.select_related("recorded_by").get(pk=session.pk)
        session.last_changed_by = last_changed_by(session)
        recorded = {a.placement_id: a for a in Attendance.objects.filter(session=session)}
    labels = pupil_labels(actor=actor, pupils=[m.placement.plan.pupil for m in members])
    rows = [
        RegisterRow(
            member=m,
            name=labels[m.placement.plan.pupil_id].name,
            attendance=recorded.get(m.placement_id),
        )
        for m in members
    ]
    return Register(group, on, slot, session, rows, may_record(actor, group))


@dataclass(frozen=True)
class Due:
    group: Group
    on: date
    slot: Slot
    session: Session | None

    @property
    def is_today(self) -> bool:
        return self.on == timezone.localdate()


def _due(
    groups, sessions, days: list[date], closed: frozenset = frozenset(), first_joined=None
) -> list[Due]:
    """The groups' timetabled sessions on ``days``, with the session recorded for each; none is
    due on a day the school is closed (``closed``), unless one was recorded then all the same.
    Each group's sessions are due from the day its first pupil joined: ``first_joined`` by
    group id, or else the earliest of its ``current_members``."""
    recorded = {(s.group_id, s.date, s.starts_at): s for s in sessions}
    found = []
    for group in groups:
        if first_joined is not None:
            first = first_joined.get(group.pk)
        else:
            first = min((m.joined_on for m in group.current_members), default=None)
        if first is None:
            continue
        for day in days:
            if day < first:
                continue
            for slot in group.slots.all():
                if slot.weekday != day.weekday():
                    continue
                session = recorded.get((group.pk, day, slot.starts_at))
                if session is not None or day not in closed:
                    found.append(Due(group, day, slot, session))
    return sorted(found, key=lambda d: (d.on, d.slot.starts_at, d.group.name))


def _running(groups: QuerySet[Group]) -> QuerySet[Group]:
    return (
        groups.filter(archived=False)
        .select_related("intervention")
        .prefetch_related(
            Prefetch("slots", queryset=Slot.objects.order_by("weekday", "starts_at")),
            Prefetch(
                "members",
                queryset=GroupMember.objects.filter(left_on__isnull=True),
                to_attr="current_members",
            ),
        )
        .order_by("name", "id")
    )


#: How many school weeks back (this one included) the Sessions page lists sessions not yet
#: recorded: a session missed last Wednesday must be there on Monday, so backfilling starts
#: from the page people open (older ones: the group's page, up to ``BACKFILL_WEEKS``).
RECENT_WEEKS = 4


def sessions_due(
    *, actor: Actor, today: date | None = None, everyone: bool = False, weeks: int = 1
) -> tuple[list[Due], list[Due]]:
    """Today's sessions of the groups the actor runs (recorded or not), and the earlier
    sessions not yet recorded, oldest first, of this week and the ``weeks`` - 1 before it.
    ``everyone``: every group whose register the actor sees (the SENCO's view); none on days
    the school is closed. Five queries whatever the number of groups or weeks."""
    today = today or timezone.localdate()
    if actor.user is None or actor.school is None:
        return [], []
    groups = registers_visible(actor=actor)
    if not everyone:
        groups = groups.filter(deliverer=actor.user)
    groups = list(_running(groups))
    monday = today - timedelta(days=today.weekday(), weeks=max(weeks, 1) - 1)
    sessions = Session.objects.filter(
        school=actor.school, group__in=[g.pk for g in groups], date__gte=monday, date__lte=today
    )
    days = [monday + timedelta(days=n) for n in range((today - monday).days + 1)]
    closed = closed_days(school_id=actor.school.pk, start=monday, end=today)
    due = _due(groups, sessions, days, closed)
    return [d for d in due if d.on == today], [d for d in due if d.on < today and d.session is None]


def group_sessions(
    *, actor: Actor, group: Group, today: date | None = None, closed: frozenset | None = None
) -> tuple[list[Session], list[Due]]:
    """A group's recorded sessions, newest first, and the timetabled sessions of the last 14
    weeks (about a term) not recorded yet, for backfilling (none on days the school was
    closed: ``closed``, the school's closed days, when the caller has them). Four queries, three
    with ``closed``."""
    today = today or timezone.localdate()
    recorded = list(
        Session.objects.filter(school=actor.school, group=group).select_related("recorded_by")
    )
    # The first day anyone joined, those who have left since included (they were owed the
    # sessions of their time): read apart, so the caller's group keeps its current members.
    first = GroupMember.objects.filter(group=group).aggregate(first=Min("joined_on"))["first"]
    if first is None:
        return recorded, []
    start = max(first, today - timedelta(weeks=BACKFILL_WEEKS))
    days = [start + timedelta(days=n) for n in range((today - start).days)]  # before today
    if closed is None:
        closed = closed_days(school_id=group.school_id, start=start, end=today)
    due = _due([group], recorded, days, closed, first_joined={group.pk: first})
    missed = [d for d in due if d.session is None]
    return recorded, list(reversed(missed))


# --- Dose ---------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Held:
    """A session as the dose reads it (no model instance: the dose reads a year of them)."""

    pk: int
    group_id: int
    date: date
    status: str
    cancel_reason: str
    minutes: int | None


@dataclass(frozen=True, slots=True)
class _Mark:
    """A placement's row on a session's register: came or not, and why not."""

    status: str
    absence_reason: str


def dose_for_placements(
    *,
    school_id: int,
    placements: list[Placement],
    today: date | None = None,
    closed: frozenset | None = None,
) -> dict[int, dose_rules.Dose]:
    """Dose delivered against dose planned for each placement (with its plan loaded), counted
    from the day the pupil first joined a group for it, or the plan's start when they have not
    (then no share is worked out: ``Dose.placed`` is False, the pupil is waiting for a place);
    days the school is closed (``closed``, read here unless the caller has them) are not owed:
    three queries whatever the number of placements, two with ``closed`` (one fewer when no
    placement is in a group)."""
    today = today or timezone.localdate()
    if not placements:
        return {}
    ids = [p.pk for p in placements]
    members = list(GroupMember.objects.filter(school=school_id, placement__in=ids))
    group_ids = {m.group_id for m in members}
    # The sessions of those groups, each with these placements' register rows beside it (one
    # query, not two: a session appears once per row, or once with none).
    read: dict[int, _Held] = {}
    attendance: dict[tuple[int, int], _Mark] = {}
    if group_ids:
        rows = (
            Session.objects.filter(school=school_id, group__in=group_ids)
            .annotate(
                mine=FilteredRelation(
                    "attendances",
                    condition=Q(attendances__school=school_id, attendances__placement__in=ids),
                )
            )
            .values_list(
                "id",
                "group_id",
                "date",
                "status",
                "cancel_reason",
                "minutes",
                "mine__placement_id",
                "mine__status",
                "mine__absence_reason",
            )
        )
        for pk, group_id, day, status, cancel_reason, minutes, placement_id, came, why in rows:
            if pk not in read:
                read[pk] = _Held(pk, group_id, day, status, cancel_reason, minutes)
            if placement_id is not None:
                attendance[(pk, placement_id)] = _Mark(came, why)
    sessions = list(read.values())
    if closed is None:
        closed = closed_days(school_id=school_id)
    cancel_words = dict(Session.CancelReason.choices)
    absence_words = dict(Attendance.AbsenceReason.choices)
    result = {}
    position = {s.pk: n for n, s in enumerate(sessions)}
    by_group: dict[int, list[_Held]] = {}
    for s in sessions:
        by_group.setdefault(s.group_id, []).append(s)
    by_placement: dict[int, list[GroupMember]] = {}
    for m in members:
        by_placement.setdefault(m.placement_id, []).append(m)
    for placement in placements:
        mine = by_placement.get(placement.pk, [])
        held = []
        # Only the sessions of the placement's own groups (not every session of every group),
        # in the order they were read, while the pupil was a member.
        own = sorted(
            {s.pk: s for m in mine for s in by_group.get(m.group_id, [])}.values(),
            key=lambda s: position[s.pk],
        )
        for s in own:
            if not any(
                m.group_id == s.group_id
                and m.joined_on <= s.date
                and (m.left_on is None or s.date <= m.left_on)
                for m in mine
            ):
                continue
            if s.status == Session.Status.CANCELLED:
                held.append(
                    dose_rules.Held(s.date, True, reason=cancel_words.get(s.cancel_reason, ""))
                )
                continue
            a = attendance.get((s.pk, placement.pk))
            came = a is not None and a.status != Attendance.Status.ABSENT
            reason = (
                absence_words.get(a.absence_reason, "") if a is not None else "not on the register"
            )
            held.append(
                dose_rules.Held(s.date, False, s.minutes or 0, came, "" if came else reason)
            )
        plan = placement.plan
        start = min((m.joined_on for m in mine), default=plan.start_date)
        planned = dose_rules.Planned(
            start=start,
            sessions_per_week=placement.sessions_per_week,
            minutes_per_session=placement.minutes_per_session,
            weeks=placement.weeks,
            end=plan.reviewed_on,
        )
        result[placement.pk] = dose_rules.dose(planned, held, today, closed, placed=bool(mine))
    return result
