"""Writes for delivery: training, staff time, groups and their members, budget, costs and
adaptations. Each use case runs in one transaction, checks everything before writing anything
(so bad input changes nothing), keeps history and leaves an audit entry.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from sendwise.core import bounds
from sendwise.core.access import Actor
from sendwise.core.models import AuditEntry, User
from sendwise.core.services import audit_record, service
from sendwise.delivery import timetable
from sendwise.delivery.cost_services import pounds
from sendwise.delivery.models import (
    Adaptation,
    Budget,
    Cost,
    Group,
    GroupMember,
    Slot,
    StaffTime,
    Training,
)
from sendwise.delivery.selectors import placements_current, staff_members
from sendwise.evidence.models import Intervention
from sendwise.evidence.selectors import interventions_visible
from sendwise.planning.models import Placement
from sendwise.pupils.access_services import AccessGrant, pupil_access_end, pupil_access_grant_many
from sendwise.pupils.models import PupilAccess

GROUP_DELIVERER = PupilAccess.Basis.GROUP_DELIVERER

NOT_STAFF = "Choose a member of staff of this school"
INTERVENTION_UNKNOWN = "Choose an intervention from the catalogue"
STRATEGY_NOT_TIMETABLED = (
    "{name} is a classroom strategy used in lessons: it is not run as a timetabled group"
)
WINDOW_ORDER = "{day}: the end time must be after the start time"
WINDOW_INCOMPLETE = "Give a day, a start time and an end time, or leave the row empty"
NAME_REQUIRED = "Enter a name for the group"
NAME_TAKEN = "There is already a running group called {name}"
PLACES_REQUIRED = "Enter how many pupils the group can take, 1 or more"
#: A targeted intervention is for a small group; a whole class is a classroom strategy.
MAX_PLACES = 30
PLACES_TOO_MANY = "A group can take at most 30 pupils"
SLOT_INCOMPLETE = "Give a day, a time and a length in minutes, or leave the row empty"
SLOT_MINUTES = "A session must last between 1 and 240 minutes"
SLOT_CLASH = "{name} already runs {group} at {when}"
SLOT_SELF_CLASH = "Two of this group's sessions overlap on {day}"
GROUP_FULL = "The group has {places} places and {count} pupils would be in it"
MEMBER_WRONG = "Choose pupils whose current plan includes {name}"
MEMBER_ALREADY = "{pupil} is already in this group"
MEMBER_NOT_IN = "That pupil is not in this group"
JOINED_REQUIRED = "Enter the date the pupil joined"
LEFT_BEFORE_JOINED = "The date the pupil left cannot be before they joined"
AMOUNT_INVALID = "Enter an amount in pounds, 0 or more, such as 2500 or 120.50"
AMOUNT_TOO_LARGE = "Enter an amount under £10,000,000"
YEAR_INVALID = "Enter the year the academic year starts, such as 2026"
WHAT_REQUIRED = "Describe what you changed"
WHY_REQUIRED = "Say why you changed it"
KIND_REQUIRED = "Choose what you adapted"
RESULT_REQUIRED = "Choose what happened"
RECORDED_ON_FUTURE = "The date must be today or in the past"
GROUP_ARCHIVED = "This group has ended, so it cannot be changed"
DAY_INVALID = "Choose a day from Monday to Friday"
GROUP_WRONG = "Choose one of this school's running groups of {name}, or no group"
INTERVENTION_HAS_MEMBERS = (
    "Pupils in this group are on {name}: take them out of the group before changing what it runs"
)


def _check_school(actor: Actor, school_id: int) -> None:
    if actor.school is None or actor.school.pk != school_id:
        raise PermissionDenied


def _audit(actor, action, object_type, obj, text, request) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=obj.pk,
        object_repr=str(obj),
        detail=text,
        request=request,
    )


def _usable(actor: Actor, *interventions: Intervention) -> None:
    """Each intervention is one the school may use: the catalogue's own rule
    (``evidence.selectors.interventions_visible``), in one query."""
    wanted = {i.pk for i in interventions}
    usable = set(
        interventions_visible(actor=actor).filter(pk__in=wanted).values_list("pk", flat=True)
    )
    if wanted - usable:
        raise ValidationError({"intervention": INTERVENTION_UNKNOWN})


def _check_staff(actor: Actor, user: User, field: str = "staff") -> None:
    if not staff_members(actor=actor).filter(pk=user.pk).exists():
        raise ValidationError({field: NOT_STAFF})


# --- Training and time ------------------------------------------------------------------------
@dataclass(frozen=True)
class TimeWindow:
    weekday: int | None
    starts_at: time | None
    ends_at: time | None


@service
def staff_delivery_set(
    *,
    actor: Actor,
    staff: User,
    interventions: list[Intervention],
    windows: list[TimeWindow],
    request=None,
) -> None:
    """Set what a member of staff is trained to deliver and their weekly intervention time.
    Removed training and time stay in history (simple-history records the deletion)."""
    _check_staff(actor, staff)
    errors: dict[str, list[str]] = {}
    _usable(actor, *interventions)
    clean = []
    for n, w in enumerate(windows):
        given = [v is not None for v in (w.weekday, w.starts_at, w.ends_at)]
        if not any(given):
            continue
        if not all(given):
            errors.setdefault(f"window_{n}", []).append(WINDOW_INCOMPLETE)
        elif w.weekday not in range(len(timetable.DAYS)):
            errors.setdefault(f"window_{n}", []).append(DAY_INVALID)
        elif w.ends_at <= w.starts_at:
            day = timetable.DAYS[w.weekday]
            errors.setdefault(f"window_{n}", []).append(WINDOW_ORDER.format(day=day))
        else:
            clean.append(w)
    if errors:
        raise ValidationError(errors)
    school = actor.school
    wanted = {i.pk for i in interventions}
    current = {t.intervention_id: t for t in Training.objects.filter(school=school, staff=staff)}
    for intervention_id, training in current.items():
        if intervention_id not in wanted:
            training.delete()
    for intervention in interventions:
        if intervention.pk not in current:
            Training.objects.create(school=school, staff=staff, intervention=intervention)
    StaffTime.objects.filter(school=school, staff=staff).delete()
    for w in clean:
        StaffTime.objects.create(
            school=school, staff=staff, weekday=w.weekday, starts_at=w.starts_at, ends_at=w.ends_at
        )
    _audit(
        actor,
        AuditEntry.Action.UPDATE,
        "staff_delivery",
        staff,
        f"Training in {len(wanted)} interventions; {len(clean)} weekly windows",
        request,
    )


# --- Groups -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class SlotInput:
    weekday: int | None
    starts_at: time | None
    minutes: int | None


def _slot_windows(slots: list[SlotInput], errors) -> list[timetable.Window]:
    windows = []
    for n, s in enumerate(slots):
        given = [v is not None for v in (s.weekday, s.starts_at, s.minutes)]
        if not any(given):
            continue
        if not all(given):
            errors.setdefault(f"slot_{n}", []).append(SLOT_INCOMPLETE)
            continue
        if s.weekday not in range(len(timetable.DAYS)):
            errors.setdefault(f"slot_{n}", []).append(DAY_INVALID)
            continue
        if not 1 <= s.minutes <= 240:
            errors.setdefault(f"slot_{n}", []).append(SLOT_MINUTES)
            continue
        start = timetable.minutes_of(s.starts_at.hour, s.starts_at.minute)
        windows.append(timetable.Window(s.weekday, start, start + s.minutes))
    ordered = sorted(windows)
    clash_days = sorted(
        {
            a.weekday
            for a, b in itertools.pairwise(ordered)
            if a.weekday == b.weekday and b.start < a.end
        }
    )
    for day in clash_days:
        errors.setdefault("slots", []).append(SLOT_SELF_CLASH.format(day=timetable.DAYS[day]))
    return windows


def _clashes(actor, deliverer, windows, group_id) -> list[str]:
    """The deliverer's other running groups that meet at the same time as ``windows``."""
    others = Slot.objects.filter(
        school=actor.school, group__deliverer=deliverer, group__archived=False
    ).select_related("group")
    if group_id is not None:
        others = others.exclude(group_id=group_id)
    messages = []
    for slot in others:
        start = timetable.minutes_of(slot.starts_at.hour, slot.starts_at.minute)
        if any(
            w.weekday == slot.weekday and w.start < start + slot.minutes and start < w.end
            for w in windows
        ):
            messages.append(
                SLOT_CLASH.format(
                    name=deliverer.full_name,
                    group=slot.group.name,
                    when=f"{slot.get_weekday_display()} {slot.starts_at:%H:%M}",
                )
            )
    return messages


@service
def group_save(
    *,
    actor: Actor,
    group: Group | None,
    intervention: Intervention,
    name: str,
    deliverer: User | None,
    room: str,
    places: int | None,
    slots: list[SlotInput],
    request=None,
) -> Group:
    """Create a group (``group`` None) or change one: its intervention, name, deliverer, room,
    places and weekly slots. The deliverer's other groups must not meet at the same time."""
    if group is not None:
        _check_school(actor, group.school_id)
        group = Group.objects.select_for_update().get(pk=group.pk)
        if group.archived:
            raise ValidationError(GROUP_ARCHIVED)
    errors: dict[str, list[str]] = {}
    try:
        _usable(actor, intervention)
    except ValidationError as e:
        errors.update(e.message_dict)
    if intervention.kind == "classroom_strategy":
        errors.setdefault("intervention", []).append(
            STRATEGY_NOT_TIMETABLED.format(name=intervention.name)
        )
    if (
        group is not None
        and group.intervention_id != intervention.pk
        and group.members.filter(left_on__isnull=True).exists()
    ):
        # Members joined for the group's intervention: their plans say so.
        errors.setdefault("intervention", []).append(
            INTERVENTION_HAS_MEMBERS.format(name=group.intervention.name)
        )
    name = (name or "").strip()
    if not name:
        errors.setdefault("name", []).append(NAME_REQUIRED)
    elif (
        Group.objects.filter(school=actor.school, archived=False, name__iexact=name)
        .exclude(pk=getattr(group, "pk", None))
        .exists()
    ):
        errors.setdefault("name", []).append(NAME_TAKEN.format(name=name))
    if deliverer is not None:
        try:
            _check_staff(actor, deliverer, "deliverer")
        except ValidationError as e:
            errors.update(e.message_dict)
    if places is None or places < 1:
        errors.setdefault("places", []).append(PLACES_REQUIRED)
    elif places > MAX_PLACES:
        errors.setdefault("places", []).append(PLACES_TOO_MANY)
    elif group is not None:
        count = group.members.filter(left_on__isnull=True).count()
        if count > places:
            errors.setdefault("places", []).append(GROUP_FULL.format(places=places, count=count))
    windows = _slot_windows(slots, errors)
    if deliverer is not None and "deliverer" not in errors:
        clashes = _clashes(actor, deliverer, windows, getattr(group, "pk", None))
        if clashes:
            errors.setdefault("slots", []).extend(clashes)
    if errors:
        raise ValidationError(errors)
    created = group is None
    group = group or Group(school=actor.school)
    old_deliverer_id = group.deliverer_id
    group.intervention = intervention
    group.name = name
    group.deliverer = deliverer
    group.room = (room or "").strip()
    group.places = places
    try:
        with transaction.atomic():  # a savepoint: two groups named at the same moment
            group.save()
    except IntegrityError:
        raise ValidationError({"name": [NAME_TAKEN.format(name=name)]}) from None
    if not created and group.deliverer_id != old_deliverer_id:
        _deliverer_changed(group, old_deliverer_id)
    Slot.objects.filter(group=group).delete()
    Slot.objects.bulk_create(
        Slot(
            school=actor.school,
            group=group,
            weekday=w.weekday,
            starts_at=time(w.start // 60, w.start % 60),
            minutes=w.end - w.start,
        )
        for w in windows
    )
    action = AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE
    _audit(actor, action, "group", group, "Set up the group" if created else "Changed", request)
    return group


def _members_access(group: Group, members) -> list[AccessGrant]:
    """The group's deliverer may see each member's pupil (``placement__plan__pupil_id``)."""
    if group.deliverer_id is None:
        return []
    return [
        AccessGrant(group.school_id, pupil_id, group.deliverer_id, GROUP_DELIVERER, member_id)
        for member_id, pupil_id in members
    ]


def _deliverer_changed(group: Group, old_deliverer_id: int | None) -> None:
    """A new deliverer may see the pupils in the group from now; the previous one no longer
    may (on this basis: their class or a plan may still let them)."""
    members = list(
        GroupMember.objects.filter(group=group, left_on__isnull=True).values_list(
            "pk", "placement__plan__pupil_id"
        )
    )
    ids = [member_id for member_id, _pupil in members]
    if old_deliverer_id is not None:
        pupil_access_end(basis=GROUP_DELIVERER, source_ids=ids, user_id=old_deliverer_id)
    pupil_access_grant_many(grants=_members_access(group, members))


@service
def group_add_member(
    *, actor: Actor, group: Group, placement_id: int | None, joined_on: date | None, request=None
) -> GroupMember:
    """Put a pupil whose current plan includes the group's intervention into the group."""
    _check_school(actor, group.school_id)
    group = Group.objects.select_for_update().get(pk=group.pk)
    if group.archived:
        raise ValidationError(GROUP_ARCHIVED)
    errors: dict[str, list[str]] = {}
    placement = (
        placements_current(actor=actor, intervention_id=group.intervention_id)
        .select_related("plan__pupil")
        .filter(pk=placement_id)
        .first()
    )
    if placement is None:
        errors["placement"] = [MEMBER_WRONG.format(name=group.intervention.name)]
    if joined_on is None:
        errors["joined_on"] = [JOINED_REQUIRED]
    elif joined_on > timezone.localdate():
        errors["joined_on"] = [RECORDED_ON_FUTURE]
    if errors:
        raise ValidationError(errors)
    members = GroupMember.objects.filter(group=group, left_on__isnull=True)
    if members.filter(placement=placement).exists():
        raise ValidationError(
            {"placement": [MEMBER_ALREADY.format(pupil=placement.plan.pupil.full_name)]}
        )
    count = members.count()
    if count + 1 > group.places:
        raise ValidationError(
            {"placement": [GROUP_FULL.format(places=group.places, count=count + 1)]}
        )
    member = GroupMember.objects.create(
        school=actor.school, group=group, placement=placement, joined_on=joined_on
    )
    pupil_access_grant_many(grants=_members_access(group, [(member.pk, placement.plan.pupil_id)]))
    _audit(
        actor,
        AuditEntry.Action.UPDATE,
        "group",
        group,
        f"Added {placement.plan.pupil.full_name}",
        request,
    )
    return member


@service
def group_remove_member(
    *, actor: Actor, group: Group, member_id: int, left_on: date | None, request=None
) -> GroupMember:
    """A pupil leaves the group: the row stays, with the date they left."""
    _check_school(actor, group.school_id)
    member = (
        GroupMember.objects.select_for_update()
        .select_related("placement__plan__pupil")
        .filter(group=group, pk=member_id, left_on__isnull=True)
        .first()
    )
    if member is None:
        raise ValidationError({"member": [MEMBER_NOT_IN]})
    left_on = left_on or timezone.localdate()
    if left_on < member.joined_on:
        raise ValidationError({"left_on": [LEFT_BEFORE_JOINED]})
    if left_on > timezone.localdate():
        raise ValidationError({"left_on": [RECORDED_ON_FUTURE]})
    member.left_on = left_on
    member.save(update_fields=["left_on"])
    pupil_access_end(basis=GROUP_DELIVERER, source_ids=[member.pk])
    pupil = member.placement.plan.pupil.full_name
    _audit(actor, AuditEntry.Action.UPDATE, "group", group, f"{pupil} left", request)
    return member


@service
def group_end(*, actor: Actor, group: Group, request=None) -> Group:
    """The group stops running: it is archived (kept, with its members' dates), not deleted."""
    _check_school(actor, group.school_id)
    group = Group.objects.select_for_update().get(pk=group.pk)
    if group.archived:
        return group
    today = timezone.localdate()
    members = list(GroupMember.objects.filter(group=group, left_on__isnull=True))
    for member in members:
        member.left_on = max(today, member.joined_on)
        member.save(update_fields=["left_on"])
    pupil_access_end(basis=GROUP_DELIVERER, source_ids=[m.pk for m in members])
    group.archived = True
    group.save(update_fields=["archived"])
    _audit(actor, AuditEntry.Action.UPDATE, "group", group, "Ended the group", request)
    return group


def group_members_leave_for_plan(*, plan, on: date) -> list[GroupMember]:
    """A reviewed plan's pupils leave the groups they were in for it, freeing the places; when
    the next cycle's plan is put in place, the support that goes on takes them back in
    (``group_members_carry``). Called inside the plan review
    (`monitoring.review_services.review_save`), so both happen or neither does. Their groups'
    deliverers no longer see them through those groups. Returns the rows that left."""
    members = list(
        GroupMember.objects.filter(
            school=plan.school_id, placement__plan=plan, left_on__isnull=True
        )
    )
    for member in members:
        member.left_on = max(on, member.joined_on)
        member._change_reason = "Plan reviewed"
        member.save(update_fields=["left_on"])
    pupil_access_end(basis=GROUP_DELIVERER, source_ids=[m.pk for m in members])
    return members


def group_members_carry(
    *, left: list[GroupMember], carried: dict[int, Placement], on: date
) -> tuple[list[GroupMember], list[GroupMember]]:
    """Pupils whose intervention goes on into the next cycle get their seat back once that plan
    is in place: for each row in ``left`` whose placement was carried (old placement id -> the
    next plan's placement), the pupil rejoins the same group on ``on`` with the new placement,
    if the group still runs and has a free place (the review freed the seat, and someone else
    may have taken it since). Returns the rows that joined, and the rows of ``left`` that could
    not rejoin (their group full or ended), for the SENCO to place."""
    groups = {
        g.pk: g
        for g in Group.objects.select_for_update().filter(
            pk__in={m.group_id for m in left}, archived=False
        )
    }
    taken = {
        row["group"]: row["n"]
        for row in GroupMember.objects.filter(group__in=list(groups), left_on__isnull=True)
        .values("group")
        .annotate(n=Count("id"))
    }
    already = set(
        GroupMember.objects.filter(
            group__in=list(groups),
            placement__in=[p.pk for p in carried.values()],
            left_on__isnull=True,
        ).values_list("group_id", "placement_id")
    )
    joined, missed = [], []
    for member in left:
        placement = carried.get(member.placement_id)
        if placement is None or (member.group_id, placement.pk) in already:
            continue
        group = groups.get(member.group_id)
        if group is None or taken.get(group.pk, 0) >= group.places:
            missed.append(member)
            continue
        new = GroupMember(
            school_id=member.school_id, group=group, placement=placement, joined_on=on
        )
        new._change_reason = "Continued from the last plan, now in place"
        new.save()
        taken[group.pk] = taken.get(group.pk, 0) + 1
        joined.append((group, new, placement.plan.pupil_id))
    for group, new, pupil_id in joined:
        pupil_access_grant_many(grants=_members_access(group, [(new.pk, pupil_id)]))
    return [new for _group, new, _pupil in joined], missed


# --- Money ------------------------------------------------------------------------------------
MAX_AMOUNT = Decimal(bounds.MONEY)  # the one limit on money (core.bounds)


def _amount(value, field: str, errors) -> Decimal | None:
    """Pounds read by the app's one rule for typed money (``cost_services.pounds``); here an
    amount must be given (a budget or a cost of nothing is not what an empty box means)."""
    if value is None or not str(value).strip():
        errors.setdefault(field, []).append(AMOUNT_INVALID)
        return None
    try:
        amount = pounds(value, invalid=AMOUNT_INVALID)
    except (ArithmeticError, ValueError) as error:
        errors.setdefault(field, []).append(str(error))
        return None
    if not amount.is_finite() or amount < 0:
        errors.setdefault(field, []).append(AMOUNT_INVALID)
        return None
    if amount >= MAX_AMOUNT:
        errors.setdefault(field, []).append(AMOUNT_TOO_LARGE)
        return None
    return amount.quantize(Decimal("0.01"))


@service
def budget_set(*, actor: Actor, year_starting: int | None, amount, request=None) -> Budget:
    """This school's intervention budget for one academic year (history keeps earlier sums)."""
    errors: dict[str, list[str]] = {}
    if year_starting is None or not 2000 <= year_starting <= 2100:
        errors["year_starting"] = [YEAR_INVALID]
    value = _amount(amount, "amount", errors)
    if errors:
        raise ValidationError(errors)
    budget, _ = Budget.objects.select_for_update().get_or_create(
        school=actor.school, year_starting=year_starting, defaults={"amount": value}
    )
    if budget.amount != value:
        budget.amount = value
        budget.save(update_fields=["amount"])
    _audit(actor, AuditEntry.Action.UPDATE, "budget", budget, f"Budget £{value}", request)
    return budget


@service
def cost_set(
    *, actor: Actor, intervention: Intervention, per_pupil, note: str = "", request=None
) -> Cost:
    """What one pupil's place on ``intervention`` costs this school."""
    errors: dict[str, list[str]] = {}
    try:
        _usable(actor, intervention)
    except ValidationError as e:
        errors.update(e.message_dict)
    value = _amount(per_pupil, "per_pupil", errors)
    if errors:
        raise ValidationError(errors)
    cost, _ = Cost.objects.select_for_update().get_or_create(
        school=actor.school, intervention=intervention, defaults={"per_pupil": value}
    )
    cost.per_pupil = value
    cost.note = (note or "").strip()[:300]
    cost.save()
    _audit(actor, AuditEntry.Action.UPDATE, "cost", cost, f"{intervention.name}: £{value}", request)
    return cost


# --- Adaptations ------------------------------------------------------------------------------
@service
def adaptation_add(
    *,
    actor: Actor,
    intervention: Intervention,
    kind: str,
    what: str,
    why: str,
    result: str,
    recorded_on: date | None = None,
    group: Group | None = None,
    request=None,
) -> Adaptation:
    """A practitioner records a change they made to an intervention and what happened."""
    errors: dict[str, list[str]] = {}
    try:
        _usable(actor, intervention)
    except ValidationError as e:
        errors.update(e.message_dict)
    if kind not in Adaptation.Kind.values:
        errors["kind"] = [KIND_REQUIRED]
    if result not in Adaptation.Result.values:
        errors["result"] = [RESULT_REQUIRED]
    what, why = (what or "").strip(), (why or "").strip()
    if not what:
        errors["what"] = [WHAT_REQUIRED]
    if not why:
        errors["why"] = [WHY_REQUIRED]
    recorded_on = recorded_on or timezone.localdate()
    if recorded_on > timezone.localdate():
        errors["recorded_on"] = [RECORDED_ON_FUTURE]
    if group is not None and (
        group.school_id != actor.school.pk
        or group.intervention_id != intervention.pk
        or group.archived
    ):
        errors["group"] = [GROUP_WRONG.format(name=intervention.name)]
    if errors:
        raise ValidationError(errors)
    adaptation = Adaptation.objects.create(
        school=actor.school,
        intervention=intervention,
        group=group,
        kind=kind,
        what=what,
        why=why,
        result=result,
        recorded_by=actor.user,
        recorded_on=recorded_on,
    )
    _audit(
        actor,
        AuditEntry.Action.CREATE,
        "adaptation",
        adaptation,
        f"Adaptation to {intervention.name}",
        request,
    )
    return adaptation
