"""Delivery test data: pupils on a current plan for an intervention, and timetabled groups,
kept inside one school. A member added to a group with a deliverer gets the deliverer's
`PupilAccess` row, as `delivery.services.group_add_member` writes it."""

from datetime import date, time, timedelta

from django.urls import reverse
from django.utils import timezone

from sendwise.delivery.models import Closure, Group, GroupMember, Slot
from sendwise.planning.models import Placement, Plan
from sendwise.pupils.access_services import pupil_access_grant
from sendwise.pupils.models import PupilAccess
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
    member = GroupMember.objects.create(
        school=group.school,
        group=group,
        placement=placement,
        joined_on=joined_on or timezone.localdate() - timedelta(days=1),
    )
    pupil_access_grant(
        school_id=group.school_id,
        basis=PupilAccess.Basis.GROUP_DELIVERER,
        source_id=member.pk,
        user_id=group.deliverer_id,
        pupil_ids=[placement.plan.pupil_id],
    )
    return member


def make_closure(
    school, first_day: date, last_day: date | None = None, *, name="Half-term", kind="holiday"
) -> Closure:
    """A closure on the school's calendar, written directly (services are tested apart)."""
    return Closure.objects.create(
        school=school, first_day=first_day, last_day=last_day or first_day, kind=kind, name=name
    )


def closure_of(school) -> Closure:
    """A closure of the school well after today (so it closes no day other tests use), made
    once."""
    found = Closure.objects.filter(school=school, name="Polling day").first()
    day = timezone.localdate() + timedelta(days=300)
    return found or make_closure(school, day, name="Polling day", kind="closed")


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
    if name == "delivery:class_week":
        return reverse(name, kwargs={"class_id": world.pupil_in_class.class_group_id})
    if name == "delivery:sessions":
        return reverse(name)
    if name == "delivery:register":
        # The last school day, today on a weekday: the world is shared by every page of the
        # matrix, and a group meeting on a Saturday or Sunday is one the timetable refuses.
        day = timezone.localdate()
        day -= timedelta(days=max(0, day.weekday() - 4))
        group, _ = running_group(world, pupils=1, meets_on=day)
        return reverse(name, kwargs={"group_id": group.pk, "on": day.isoformat()})
    if name == "delivery:staff_edit":
        return reverse(name, kwargs={"user_id": world.users["teacher"].pk})
    if name in ("delivery:lesson_classes", "delivery:lesson_rules", "delivery:withdrawals"):
        return reverse(name)
    if name in ("delivery:calendar", "delivery:costs", "delivery:provision_map"):
        return reverse(name)
    if name == "delivery:pupil_provision":
        return reverse(name, kwargs={"pupil_id": world.pupil_in_class.pk})
    if name in ("delivery:closure_edit", "delivery:closure_remove"):
        # A closure of the first school, made once for the world.
        return reverse(name, kwargs={"closure_id": closure_of(world.school).pk})
    if name in ("delivery:class_lessons", "delivery:lesson_edit", "delivery:lesson_remove"):
        # The teacher's class; a lesson in it, made once for the world.
        from sendwise.delivery.models import Lesson

        class_group = world.pupil_in_class.class_group
        if name == "delivery:class_lessons":
            return reverse(name, kwargs={"class_id": class_group.pk})
        lesson = (
            Lesson.objects.filter(class_group=class_group).first()
            or add_lessons(class_group, [(0, "09:00", "10:00", "maths")])[0]
        )
        return reverse(name, kwargs={"class_id": class_group.pk, "lesson_id": lesson.pk})
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


COMPONENTS = ["Reread a familiar book", "Word work with magnetic letters", "Write a sentence"]


def running_group(
    world,
    pupils: int = 3,
    *,
    joined_days_ago: int = 60,
    deliverer=None,
    name="Reading group",
    meets_on: date | None = None,
):
    """A group run by the intervention specialist that meets today (whatever day it is), or on
    the weekday of ``meets_on``, at 09:10 for 30 minutes, with ``pupils`` members who joined
    ``joined_days_ago`` days ago; the first member is the pupil in the teacher's class.
    Returns (group, members)."""
    from tests.factories import PupilFactory as Pupils

    today = timezone.localdate()
    intervention = InterventionFactory(
        name="Reading recovery",
        core_components=COMPONENTS,
        sessions_per_week=1,
        minutes_per_session=30,
        weeks=20,
    )
    group = make_group(
        world.school,
        intervention,
        name=name,
        deliverer=deliverer or world.users["intervention_specialist"],
        places=30,
        slots=(((meets_on or today).weekday(), time(9, 10), 30),),
    )
    joined = today - timedelta(days=joined_days_ago)
    members = []
    for n in range(pupils):
        pupil = (
            world.pupil_in_class if n == 0 else Pupils(school=world.school, last_name=f"P{n:02d}")
        )
        placement = on_plan(pupil, intervention, start=joined)
        placement.sessions_per_week, placement.minutes_per_session, placement.weeks = 1, 30, 20
        placement.save()
        members.append(add_member(group, placement, joined_on=joined))
    return group, members


def add_lessons(class_group, week) -> list:
    """A class's weekly lessons, written directly: ``week`` is (weekday, "09:00", "10:00",
    subject code[, other subject's name]) rows (services are tested apart)."""
    from sendwise.delivery.models import Lesson

    def clock(text: str) -> time:
        hours, minutes = text.split(":")
        return time(int(hours), int(minutes))

    return Lesson.objects.bulk_create(
        Lesson(
            school=class_group.school,
            class_group=class_group,
            weekday=day,
            starts_at=clock(start),
            ends_at=clock(end),
            subject=subject,
            other_subject=other[0] if other else "",
        )
        for day, start, end, subject, *other in week
    )


#: A Year 4 morning, Monday to Friday: Maths 09:00–10:00, English 10:15–11:15.
Y4_WEEK = [
    row
    for day in range(5)
    for row in ((day, "09:00", "10:00", "maths"), (day, "10:15", "11:15", "english"))
]
