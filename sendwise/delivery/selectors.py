"""Reads for delivery, always scoped to the actor's school.

``matcher_inputs`` turns the school's training, staff time, groups, costs and budget into what
``planning.matching`` needs for every catalogue entry at once, in a fixed number of queries
whatever the size of the school, so ranking the catalogue for every pupil stays cheap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Case, Count, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum, When
from django.http import Http404
from django.utils import timezone

from sendwise.core.access import Actor
from sendwise.core.models import User
from sendwise.core.roles import DELIVERER_ROLES
from sendwise.delivery import timetable
from sendwise.delivery.dose import timetable_short
from sendwise.delivery.lesson_selectors import group_slot_times
from sendwise.delivery.models import (
    Adaptation,
    Budget,
    Cost,
    Group,
    GroupMember,
    Slot,
    StaffTime,
    Training,
    Weekday,
)
from sendwise.evidence.codes import Kind
from sendwise.evidence.models import Intervention
from sendwise.evidence.selectors import interventions_visible
from sendwise.planning import matching
from sendwise.planning.models import Placement, Plan
from sendwise.pupils.census_checks import academic_year_start
from sendwise.pupils.selectors import PupilLabel, pupil_labels

#: Session length assumed when a catalogue entry does not give one.
DEFAULT_SESSION_MINUTES = 30


@dataclass
class MatcherInputs:
    """Per intervention id: who could deliver it and the groups running it; and money."""

    staff_known: bool
    staff: dict[int, tuple[matching.StaffOption, ...]] = field(default_factory=dict)
    groups: dict[int, tuple[matching.GroupOption, ...]] = field(default_factory=dict)
    costs: dict[int, float] = field(default_factory=dict)
    budget_left: float | None = None
    #: Each running group's weekly slots, by group id (``lessons.Slot``), so a page can work
    #: out per pupil which lessons joining a group would take them out of.
    group_slots: dict[int, tuple] = field(default_factory=dict)


def _school_id(actor: Actor) -> int | None:
    return actor.school.pk if actor.user is not None and actor.school is not None else None


def groups_active(*, actor: Actor) -> QuerySet[Group]:
    """The school's running groups with their slots, deliverer and pupils now in them."""
    school = _school_id(actor)
    if school is None:
        return Group.objects.none()
    return (
        Group.objects.filter(school=school, archived=False)
        .select_related("intervention", "deliverer")
        .prefetch_related(
            Prefetch("slots", queryset=Slot.objects.order_by("weekday", "starts_at")),
            Prefetch(
                "members",
                queryset=GroupMember.objects.filter(left_on__isnull=True).select_related(
                    "placement__plan__pupil__class_group"
                ),
                to_attr="current_members",
            ),
        )
        .annotate(taken=Count("members", filter=Q(members__left_on__isnull=True)))
    )


def groups_now(*, school_id: int, placement_ids: list[int]) -> dict[int, list[Group]]:
    """The running groups each placement is in now, with their slots and deliverer (two
    queries, none when there are no placements)."""
    if not placement_ids:
        return {}
    members = (
        GroupMember.objects.filter(
            school=school_id,
            placement__in=placement_ids,
            left_on__isnull=True,
            group__archived=False,
        )
        .select_related("group", "group__deliverer")
        .prefetch_related("group__slots")
    )
    found: dict[int, list[Group]] = {}
    for member in members:
        found.setdefault(member.placement_id, []).append(member.group)
    return found


def interventions_with_school_cost(
    *, actor: Actor, rows: QuerySet, has_cost: bool = False, max_cost=None
) -> QuerySet:
    """Catalogue rows annotated with the school's own cost per pupil (``school_cost``), and
    filtered to those with a cost known (a cost note or the school's own figure) or at most
    ``max_cost`` a pupil here."""
    if actor.school is None:
        return rows
    rows = rows.annotate(
        school_cost=Subquery(
            Cost.objects.filter(school=actor.school, intervention=OuterRef("pk")).values(
                "per_pupil"
            )[:1]
        )
    )
    if has_cost:
        rows = rows.filter(~Q(cost_note="") | Q(school_cost__isnull=False))
    if max_cost is not None:
        rows = rows.filter(school_cost__lte=max_cost)
    return rows


def group_get(*, actor: Actor, group_id: int) -> Group:
    try:
        return groups_active(actor=actor).get(pk=group_id)
    except Group.DoesNotExist:
        raise Http404 from None


@dataclass(frozen=True)
class MemberShown:
    """A pupil in a group as the reader may see them (``pupil``: name and id, or a neutral
    label and no id, so a place is seen to be taken, not by whom)."""

    member_id: int
    joined_on: date
    pupil: PupilLabel
    #: The dose delivered against planned (``session_selectors.dose_for_placements``), if shown.
    dose: object = None
    #: Plain words when the group's timetable cannot deliver the dose the pupil's plan sets
    #: (``dose.timetable_short``), else "".
    timetable_short: str = ""


def member_labels(*, actor: Actor, group: Group) -> dict[int, PupilLabel]:
    """``pupil_labels`` of the pupils now in a group from ``group_get``. One query."""
    return pupil_labels(actor=actor, pupils=[m.placement.plan.pupil for m in group.current_members])


def group_members_shown(
    *, actor: Actor, group: Group, doses=None, labels: dict[int, PupilLabel] | None = None
) -> list[MemberShown]:
    """The pupils now in a group from ``group_get``, named only where the reader may see them
    (an intervention specialist who neither runs the group nor works in a member's class sees
    that the place is taken), with each one's dose from ``doses`` (by placement). One query,
    none when ``labels`` (``member_labels``) are given."""
    members = group.current_members
    if labels is None:
        labels = member_labels(actor=actor, group=group)
    doses = doses or {}
    slot_minutes = [slot.minutes for slot in group.slots.all()]
    shown = []
    for m in members:
        label = labels[m.placement.plan.pupil_id]
        short = timetable_short(
            slot_minutes,
            sessions_per_week=m.placement.sessions_per_week,
            minutes_per_session=m.placement.minutes_per_session,
            who=label.name if label.pupil_id else "a pupil",
        )
        shown.append(MemberShown(m.pk, m.joined_on, label, doses.get(m.placement_id), short))
    return shown


def slot_label(slots) -> str:
    """ "Tuesday 09:10 and Thursday 09:10" (or "no time set")."""
    labels = [f"{s.get_weekday_display()} {s.starts_at:%H:%M}" for s in slots]
    return matching.w.and_list(labels) if labels else "no time set"


def staff_members(*, actor: Actor) -> QuerySet[User]:
    """Staff of the school who could deliver support (the deliverer roles, as on plans)."""
    school = _school_id(actor)
    if school is None:
        return User.objects.none()
    return (
        User.objects.filter(
            memberships__school=school, memberships__role__in=DELIVERER_ROLES, is_active=True
        )
        .distinct()
        .order_by("full_name", "id")
    )


def staff_get(*, actor: Actor, user_id: int) -> User:
    try:
        return staff_members(actor=actor).get(pk=user_id)
    except User.DoesNotExist:
        raise Http404 from None


def _school_day(weekday: int) -> bool:
    """Monday to Friday. The services refuse anything else, but a row written another way (an
    import, the admin, a test) must not turn the staff page into an error: free time is counted
    on school days only, so such a row is left out of it."""
    return weekday in Weekday.values


def _windows(times) -> list[timetable.Window]:
    return [
        timetable.Window(
            t.weekday,
            timetable.minutes_of(t.starts_at.hour, t.starts_at.minute),
            timetable.minutes_of(t.ends_at.hour, t.ends_at.minute),
        )
        for t in times
        if _school_day(t.weekday)
    ]


def _booked(slots) -> list[timetable.Window]:
    booked = []
    for s in slots:
        if not _school_day(s.weekday):
            continue
        start = timetable.minutes_of(s.starts_at.hour, s.starts_at.minute)
        booked.append(timetable.Window(s.weekday, start, start + s.minutes))
    return booked


@dataclass(frozen=True)
class StaffRow:
    """One member of staff on the delivery page: what they are trained in, their time, and
    what is still free."""

    user: User
    trainings: list
    times: list
    groups: list
    free: list[timetable.Window]


def staff_overview(*, actor: Actor) -> list[StaffRow]:
    """Every member of staff with intervention time or training, with their free time left
    (in pieces of at least a default session). Four queries."""
    school = _school_id(actor)
    if school is None:
        return []
    trainings = Training.objects.filter(school=school).select_related("intervention", "staff")
    times = StaffTime.objects.filter(school=school).select_related("staff")
    slots = Slot.objects.filter(school=school, group__archived=False)
    people: dict[int, dict] = {}

    def person(user):
        return people.setdefault(
            user.pk, {"user": user, "trainings": [], "times": [], "slots": [], "groups": {}}
        )

    for t in trainings:
        person(t.staff)["trainings"].append(t)
    for t in times:
        person(t.staff)["times"].append(t)
    deliverers = {
        g.pk: g
        for g in Group.objects.filter(school=school, archived=False, deliverer__isnull=False)
        .select_related("deliverer", "intervention")
        .order_by("name", "id")
    }
    # A deliverer's groups are listed even before their slots are set; slots book their time.
    for group in deliverers.values():
        person(group.deliverer)["groups"][group.pk] = group
    for s in slots:
        group = deliverers.get(s.group_id)
        if group is not None:
            person(group.deliverer)["slots"].append(s)
    rows = []
    for entry in sorted(people.values(), key=lambda e: (e["user"].full_name, e["user"].pk)):
        free = timetable.free_windows(
            _windows(entry["times"]),
            _booked(entry["slots"]),
            session_minutes=DEFAULT_SESSION_MINUTES,
        )
        rows.append(
            StaffRow(
                user=entry["user"],
                trainings=entry["trainings"],
                times=entry["times"],
                groups=list(entry["groups"].values()),
                free=free,
            )
        )
    return rows


def matcher_inputs(*, actor: Actor, interventions) -> MatcherInputs:
    """Staff options, groups with places, costs and the budget left, for ``interventions``
    (catalogue rows with ``sessions_per_week`` and ``minutes_per_session``). Nine queries.

    A trained member of staff is "ready" only with free time on as many different days as the
    intervention has sessions a week, each long enough for one session.
    """
    school = _school_id(actor)
    if school is None:
        return MatcherInputs(staff_known=False)
    trainings = list(
        Training.objects.filter(school=school).select_related("staff").order_by("staff__full_name")
    )
    times = list(StaffTime.objects.filter(school=school))
    groups = list(groups_active(actor=actor))
    staff_known = bool(trainings or times)
    available: dict[int, list] = {}
    for t in times:
        available.setdefault(t.staff_id, []).append(t)
    booked: dict[int, list] = {}
    for g in groups:
        if g.deliverer_id is not None:
            booked.setdefault(g.deliverer_id, []).extend(g.slots.all())
    dose = {i.pk: (i.sessions_per_week or 1, i.minutes_per_session) for i in interventions}
    inputs = MatcherInputs(staff_known=staff_known)
    for t in trainings:
        if t.intervention_id not in dose:
            continue
        sessions, minutes = dose[t.intervention_id]
        days = timetable.free_days(
            _windows(available.get(t.staff_id, [])),
            _booked(booked.get(t.staff_id, [])),
            session_minutes=minutes or DEFAULT_SESSION_MINUTES,
        )
        free = tuple(d.label for d in days[:sessions]) if len(days) >= sessions else ()
        option = matching.StaffOption(name=t.staff.full_name, trained=True, free_slots=free)
        inputs.staff[t.intervention_id] = inputs.staff.get(t.intervention_id, ()) + (option,)
    for g in groups:
        option = matching.GroupOption(
            name=g.name, when=slot_label(g.slots.all()), taken=g.taken, places=g.places, key=g.pk
        )
        inputs.groups[g.intervention_id] = inputs.groups.get(g.intervention_id, ()) + (option,)
    inputs.group_slots = group_slot_times(groups)
    inputs.costs = {
        c.intervention_id: float(c.per_pupil) for c in Cost.objects.filter(school=school)
    }
    inputs.budget_left = budget_left(actor=actor)
    return inputs


@dataclass(frozen=True)
class BudgetSummary:
    year_starting: int
    budget: Decimal | None
    committed: Decimal
    placements_costed: int
    placements_uncosted: int

    @property
    def left(self) -> Decimal | None:
        return None if self.budget is None else self.budget - self.committed


def budget_summary(
    *, actor: Actor, today: date | None = None, only_with_budget: bool = False
) -> BudgetSummary | None:
    """This academic year's budget and what the placements started this year commit of it:
    each placement of a targeted intervention, in a plan in place or reviewed (a draft commits
    nothing yet), at the school's own cost per pupil for it. Classroom strategies are part of
    lessons and have no cost per pupil. Three queries; with ``only_with_budget``, None after
    one where the school has set no budget for the year (nothing to take the placements from)."""
    school = _school_id(actor)
    if school is None:
        return None
    today = today or timezone.localdate()
    year = academic_year_start(today)
    budget = Budget.objects.filter(school=school, year_starting=year).first()
    if budget is None and only_with_budget:
        return None
    placements = (
        Placement.objects.standing()
        .filter(
            school=school,
            intervention__kind="targeted_intervention",
            plan__start_date__gte=date(year, 9, 1),
            plan__start_date__lt=date(year + 1, 9, 1),
        )
        .exclude(plan__status=Plan.Status.DRAFT)
    )
    costs = Cost.objects.filter(school=school)
    costed = placements.filter(intervention__in=costs.values("intervention"))
    totals = costed.aggregate(n=Count("id"), committed=Sum(_cost_of_placement(school)))
    return BudgetSummary(
        year_starting=year,
        budget=budget.amount if budget else None,
        committed=Decimal(totals["committed"] or 0).quantize(Decimal("0.01")),
        placements_costed=totals["n"] or 0,
        placements_uncosted=placements.count() - (totals["n"] or 0),
    )


def _cost_of_placement(school: int):
    return Subquery(
        Cost.objects.filter(school=school, intervention=OuterRef("intervention")).values(
            "per_pupil"
        )[:1]
    )


def budget_left(*, actor: Actor, today: date | None = None) -> float | None:
    """What is left of this year's budget, or None where there is none: then no placement is
    counted (the recommendations ask for each pupil; counting a secondary school's placements
    of the year cost more than the rest of a recommendation, benchmarks/impact.py)."""
    summary = budget_summary(actor=actor, today=today, only_with_budget=True)
    if summary is None or summary.left is None:
        return None
    return float(summary.left)


def costs_list(*, actor: Actor) -> QuerySet[Cost]:
    school = _school_id(actor)
    if school is None:
        return Cost.objects.none()
    return (
        Cost.objects.filter(school=school)
        .select_related("intervention")
        .order_by("intervention__name")
    )


def adaptations_for(*, actor: Actor, intervention) -> QuerySet[Adaptation]:
    """Adaptations practitioners in the actor's school recorded for this intervention."""
    school = _school_id(actor)
    if school is None:
        return Adaptation.objects.none()
    return Adaptation.objects.filter(school=school, intervention=intervention).select_related(
        "recorded_by", "group"
    )


# --- Pages ------------------------------------------------------------------------------------
def targeted_interventions(*, actor: Actor) -> QuerySet:
    """Targeted interventions the school can run (shared and its own), by name: the ones that
    are timetabled, trained for and costed. Classroom strategies are used in lessons instead."""
    return interventions_visible(actor=actor).filter(kind=Kind.TARGETED).order_by("name", "id")


def group_list(*, actor: Actor, intervention_id: int | None = None, q: str = "") -> QuerySet[Group]:
    """Running groups, optionally of one intervention, searched by group or intervention name."""
    rows = groups_active(actor=actor)
    if intervention_id is not None:
        rows = rows.filter(intervention_id=intervention_id)
    for term in q.split():
        rows = rows.filter(Q(name__icontains=term) | Q(intervention__name__icontains=term))
    return rows.order_by("intervention__name", "name", "id")


def group_interventions(*, actor: Actor) -> QuerySet:
    """The interventions the school's running groups deliver, for the groups filter."""
    school = _school_id(actor)
    if school is None:
        return Intervention.objects.none()
    return (
        Intervention.objects.filter(groups__school=school, groups__archived=False)
        .distinct()
        .order_by("name", "id")
    )


def groups_for_intervention(*, actor: Actor, intervention) -> QuerySet[Group]:
    """The school's running groups of one intervention (to say which group an adaptation was)."""
    school = _school_id(actor)
    if school is None:
        return Group.objects.none()
    return Group.objects.filter(school=school, archived=False, intervention=intervention).order_by(
        "name", "id"
    )


def placements_current(*, actor: Actor, intervention_id: int) -> QuerySet[Placement]:
    """Placements on ``intervention_id`` in the plans in place (not drafts, not reviewed): the
    pupils who may join a group running it."""
    school = _school_id(actor)
    if school is None:
        return Placement.objects.none()
    return Placement.objects.filter(
        school=school,
        intervention_id=intervention_id,
        plan__pupil__archived_at__isnull=True,
    ).current()


def placements_to_add(*, actor: Actor, group: Group) -> QuerySet[Placement]:
    """Pupils who could join ``group``: on its intervention now and not already in it."""
    in_group = GroupMember.objects.filter(group=group, left_on__isnull=True).values("placement")
    return (
        placements_current(actor=actor, intervention_id=group.intervention_id)
        .exclude(pk__in=in_group)
        .select_related("plan__pupil")
        .order_by("plan__pupil__last_name", "plan__pupil__first_name", "id")
    )


def staff_delivery_get(*, actor: Actor, staff: User) -> tuple[list[Training], list[StaffTime]]:
    """One member of staff's training and weekly windows in the actor's school."""
    school = _school_id(actor)
    if school is None:
        return [], []
    trainings = list(Training.objects.filter(school=school, staff=staff))
    times = list(StaffTime.objects.filter(school=school, staff=staff))
    return trainings, times


@dataclass(frozen=True)
class AdaptationFilters:
    intervention_id: int | None = None
    result: str = ""


def adaptation_list(*, actor: Actor, filters: AdaptationFilters) -> QuerySet[Adaptation]:
    """The school's adaptations, newest first, optionally of one intervention or one result."""
    school = _school_id(actor)
    if school is None:
        return Adaptation.objects.none()
    rows = Adaptation.objects.filter(school=school)
    if filters.intervention_id is not None:
        rows = rows.filter(intervention_id=filters.intervention_id)
    if filters.result:
        rows = rows.filter(result=filters.result)
    return rows.select_related("intervention", "group", "recorded_by").order_by(
        "-recorded_on", "-id"
    )


def adaptation_interventions(*, actor: Actor) -> QuerySet:
    """Interventions the school has recorded adaptations of, for the list's filter."""
    school = _school_id(actor)
    if school is None:
        return Intervention.objects.none()
    return Intervention.objects.filter(adaptations__school=school).distinct().order_by("name", "id")


def group_adaptations(*, actor: Actor, group: Group) -> QuerySet[Adaptation]:
    """Adaptations recorded for one of the school's groups, newest first."""
    school = _school_id(actor)
    if school is None:
        return Adaptation.objects.none()
    return Adaptation.objects.filter(school=school, group=group).select_related("recorded_by")


#: How many adaptations the intervention page lists (the delivery page lists them all).
ADAPTATIONS_ON_PAGE = 10


def adaptations_worked_first(*, actor: Actor, intervention) -> list[Adaptation]:
    """This school's adaptations to ``intervention`` for its page: those that helped first,
    then the newest. One query."""
    order = Case(
        When(result=Adaptation.Result.HELPED, then=0),
        When(result=Adaptation.Result.TOO_EARLY, then=2),
        default=1,
    )
    return list(
        adaptations_for(actor=actor, intervention=intervention).order_by(
            order, "-recorded_on", "-id"
        )[:ADAPTATIONS_ON_PAGE]
    )
