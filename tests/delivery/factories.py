"""Delivery test data: pupils on a current plan for an intervention, and timetabled groups,
kept inside one school."""

from datetime import date, time, timedelta

from django.urls import reverse
from django.utils import timezone

from sendwise.delivery.models import Group, GroupMember, Slot
from sendwise.planning.models import Placement, Plan
from tests.evidence.factories import InterventionFactory, own_intervention
from tests.factories import PupilFactory


def on_plan(pupil, intervention, *, start: date | None = None, status=Plan.Status.ACTIVE):
    """A placement of ``intervention`` in the pupil's plan (made if the pupil has none open)."""
    start = start or timezone.localdate() - timedelta(days=7)
    plan = Plan.objects.filter(pupil=pupil).exclude(status=Plan.Status.REVIEWED).first()
    if plan is None or status == Plan.Status.REVIEWED:
        cycle = Plan.objects.filter(pupil=pupil).count() + 1
        plan = Plan.objects.create(
            school=pupil.school,
            pupil=pupil,
            cycle=cycle,
            status=status,
            start_date=start,
            review_date=start + timedelta(weeks=12),
        )
    return Placement.objects.create(school=pupil.school, plan=plan, intervention=intervention)


def pupil_on_plan(school, intervention, **pupil_fields):
    return on_plan(PupilFactory(school=school, **pupil_fields), intervention)


def make_group(
    school,
    intervention,
    *,
    name: str = "Tuesday group",
    deliverer=None,
    places: int = 4,
    slots=((1, time(9, 10), 30),),
) -> Group:
    """A running group with its weekly slots, written directly (services are tested apart)."""
    group = Group.objects.create(
        school=school,
        intervention=intervention,
        name=name,
        deliverer=deliverer,
        places=places,
    )
    Slot.objects.bulk_create(
        Slot(school=school, group=group, weekday=d, starts_at=t, minutes=m) for d, t, m in slots
    )
    return group


def add_member(group, placement, joined_on: date | None = None) -> GroupMember:
    return GroupMember.objects.create(
        school=group.school,
        group=group,
        placement=placement,
        joined_on=joined_on or timezone.localdate() - timedelta(days=1),
    )


def delivery_url(name: str, world) -> str:
    """The URL of a ``delivery:`` page for the authorization matrix: a group of the first
    school with the pupil in the teacher's class in it; the teacher's training page; an
    adaptation of the first school's own intervention (another school's SENCO gets 404). The
    group is made once for the world, so the addresses of all its pages can be taken together."""
    if name in ("delivery:overview", "delivery:group_new", "delivery:staff_choose"):
        return reverse(name)
    if name in ("delivery:budget", "delivery:adaptations"):
        return reverse(name)
    if name == "delivery:adaptation_new":
        return f"{reverse(name)}?intervention={own_intervention(world).slug}"
    if name == "delivery:staff_edit":
        return reverse(name, kwargs={"user_id": world.users["teacher"].pk})
    member = (
        GroupMember.objects.filter(group__school=world.school, group__name="Tuesday group")
        .select_related("group")
        .first()
    )
    if member is None:
        intervention = InterventionFactory()
        group = make_group(
            world.school, intervention, deliverer=world.users["intervention_specialist"]
        )
        member = add_member(group, on_plan(world.pupil_in_class, intervention))
    group = member.group
    if name == "delivery:member_leave":
        return reverse(name, kwargs={"group_id": group.pk, "member_id": member.pk})
    return reverse(name, kwargs={"group_id": group.pk})
