"""Reads for a class teacher: when the pupils of their class are out for support this week, and
what the sessions ask the class to reinforce.

Rule: the SENCO and the head see any class of their school; a teacher or an intervention
specialist sees the classes they teach or support (their `ClassStaff` rows). Pupils are those of
the class the reader may see (`pupils_visible`): no name appears that the reader may not see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from sendwise.core.access import Actor
from sendwise.core.roles import WHOLE_SCHOOL_ROLES
from sendwise.delivery.calendar_selectors import closed_days
from sendwise.delivery.models import Group, GroupMember, Session, Slot
from sendwise.pupils.models import ClassGroup, ClassStaff
from sendwise.pupils.selectors import pupils_visible


def classes_taught(*, actor: Actor) -> QuerySet[ClassGroup]:
    """The classes the actor teaches or supports in their current school (for their home page)."""
    if actor.user is None or actor.school is None:
        return ClassGroup.objects.none()
    return ClassGroup.objects.filter(
        school=actor.school,
        pk__in=ClassStaff.objects.filter(school=actor.school, user=actor.user).values(
            "class_group_id"
        ),
    ).order_by("name")


def class_get(*, actor: Actor, class_id: int) -> ClassGroup:
    """A class the actor may see the week of, or 404 (missing and forbidden alike). One query."""
    if actor.school is None:
        raise Http404("No such class")
    classes = (
        ClassGroup.objects.filter(school=actor.school)
        if actor.roles & WHOLE_SCHOOL_ROLES
        else classes_taught(actor=actor)
    )
    found = classes.filter(pk=class_id).first()
    if found is None:
        raise Http404("No such class")
    return found


def school_week(today: date) -> tuple[date, date]:
    """Monday and Friday of this school week; at the weekend, of the week ahead."""
    monday = today - timedelta(days=today.weekday())
    if today.weekday() >= 5:
        monday += timedelta(weeks=1)
    return monday, monday + timedelta(days=4)


@dataclass
class Sitting:
    """One timetabled session this week of a group some of the class are in."""

    on: date
    starts_at: time
    ends_at: time
    group: Group
    pupils: list[str]
    cancelled: bool = False


@dataclass
class ToReinforce:
    """A group's latest "what to reinforce in class", for the pupils of the class in it."""

    group: Group
    pupils: list[str]
    text: str
    on: date | None


@dataclass
class ClassWeek:
    class_group: ClassGroup
    monday: date
    friday: date
    pupils_in_groups: int
    sittings: list[Sitting] = field(default_factory=list)
    reinforce: list[ToReinforce] = field(default_factory=list)
    #: Days of the week the school is closed (the school calendar): nobody is out on them.
    closed: frozenset[date] = frozenset()

    @property
    def days(self) -> list[tuple[date, list[Sitting]]]:
        """Monday to Friday, each with its sittings in time order (empty days included)."""
        return [
            (day, [s for s in self.sittings if s.on == day])
            for day in (self.monday + timedelta(days=n) for n in range(5))
        ]


def _latest_reinforce(field_name: str):
    latest = (
        Session.objects.filter(group=OuterRef("group"), status=Session.Status.DELIVERED)
        .exclude(reinforce_in_class="")
        .order_by("-date", "-starts_at", "-id")
    )
    return Subquery(latest.values(field_name)[:1])


def _end(start: time, minutes: int) -> time:
    return (datetime.combine(date.min, start) + timedelta(minutes=minutes)).time()


def _names(members: list[GroupMember], pupils: dict[int, str], on: date | None) -> list[str]:
    """The names of the members in the group on day ``on`` (any day this week if None)."""
    return sorted(
        {
            pupils[m.placement.plan.pupil_id]
            for m in members
            if on is None or (m.joined_on <= on and (m.left_on is None or m.left_on >= on))
        }
    )


def class_week(*, actor: Actor, class_group: ClassGroup, today: date | None = None) -> ClassWeek:
    """For a class checked with `class_get`: this week's group sessions of its pupils (day,
    time, group, intervention, room; cancelled ones marked) and each group's latest "what to
    reinforce in class". None on days the school is closed (the school calendar). Five queries
    whatever the number of pupils and groups."""
    monday, friday = school_week(today or timezone.localdate())
    pupils = {
        p.pk: p.full_name
        for p in pupils_visible(actor=actor)
        .filter(class_group=class_group)
        .only("id", "first_name", "last_name")
    }
    members = list(
        GroupMember.objects.filter(
            school=class_group.school_id,
            placement__plan__pupil_id__in=list(pupils),
            group__archived=False,
            joined_on__lte=friday,
        )
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=monday))
        .select_related("group__intervention", "placement__plan")
        .prefetch_related(
            Prefetch("group__slots", queryset=Slot.objects.order_by("weekday", "starts_at"))
        )
        .annotate(
            reinforce_text=_latest_reinforce("reinforce_in_class"),
            reinforce_on=_latest_reinforce("date"),
        )
        .order_by("group__name", "group_id")
    )
    groups: dict[int, Group] = {}
    by_group: dict[int, list[GroupMember]] = {}
    notes: dict[int, tuple[str, date | None]] = {}
    for member in members:
        group = groups.setdefault(member.group_id, member.group)
        by_group.setdefault(group.pk, []).append(member)
        notes[group.pk] = (member.reinforce_text or "", member.reinforce_on)
    cancelled = set(
        Session.objects.filter(
            school=class_group.school_id,
            group_id__in=list(groups),
            date__range=(monday, friday),
            status=Session.Status.CANCELLED,
        ).values_list("group_id", "date", "starts_at")
    )
    closed = closed_days(school_id=class_group.school_id, start=monday, end=friday)
    week = ClassWeek(
        class_group,
        monday,
        friday,
        pupils_in_groups=len({m.placement.plan.pupil_id for m in members}),
        closed=closed,
    )
    for group in groups.values():
        in_group = by_group[group.pk]
        for slot in group.slots.all():
            on = monday + timedelta(days=slot.weekday)
            who = _names(in_group, pupils, on)
            if not who or on in closed:
                continue
            ends_at = _end(slot.starts_at, slot.minutes)
            missed = (group.pk, on, slot.starts_at) in cancelled
            week.sittings.append(Sitting(on, slot.starts_at, ends_at, group, who, missed))
        text, on = notes[group.pk]
        week.reinforce.append(ToReinforce(group, _names(in_group, pupils, None), text, on))
    week.sittings.sort(key=lambda s: (s.on, s.starts_at, s.group.name))
    return week
