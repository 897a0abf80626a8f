"""Writes for the session register: recording that a group's timetabled session happened (who
came, for how long, what was done) or was cancelled, once, in one transaction.

Two people recording the same session at once: the group row is locked first, so the second
waits, then finds the first one's session and is told so (nothing is overwritten silently).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from sendwise.core.access import Actor
from sendwise.core.history import versions
from sendwise.core.models import AuditEntry
from sendwise.core.roles import Role
from sendwise.core.services import audit_record, service
from sendwise.delivery import services as delivery_services
from sendwise.delivery import signals
from sendwise.delivery.calendar_selectors import closure_on
from sendwise.delivery.models import (
    Adaptation,
    Attendance,
    Group,
    GroupMember,
    Session,
    Slot,
)

#: How far back a missed session may be recorded: about a term.
BACKFILL_WEEKS = 14

DATE_FUTURE = "You cannot record a session in the future: choose today or an earlier date"
DATE_TOO_OLD = "Sessions can be recorded up to 14 weeks back (about a term); this date is earlier"
NOBODY_IN_GROUP = (
    "No pupil was in the group on {day}: the group started when its first pupil joined, on {first}"
)
SCHOOL_CLOSED = (
    "The school is closed on {day} ({closure}), so no session is due: choose another date, or "
    "change the school calendar if the school was open"
)
NOBODY_EVER = "No pupil has joined this group yet, so there is no session to record"
NO_SLOT = "The group does not meet on {weekday} at that time: choose one of its sessions"
NOT_A_MEETING_DAY = "This group meets on {days}, and {day} was a {weekday}: choose one of its days"
NO_MEETING_DAYS = (
    "This group has no times set, so it has no sessions to record: set its times first"
)
STATUS_REQUIRED = "Say whether the session happened or was cancelled"
CANCEL_REASON_REQUIRED = "Choose why the session was cancelled"
MINUTES_REQUIRED = "Enter how many minutes the session lasted"
MINUTES_RANGE = "Minutes must be between 1 and {most}, the length of the session"
ATTENDANCE_STATUS = "{pupil}: choose present, late or absent"
ABSENCE_REASON_REQUIRED = "{pupil}: choose why they were absent"
REASON_ONLY_IF_ABSENT = "{pupil}: a reason is only for a pupil who was absent"
ENGAGEMENT_RANGE = "{pupil}: choose engagement from 1 to 4"
ENGAGEMENT_ONLY_IF_THERE = (
    "{pupil}: engagement is only for a pupil who came to the session: leave it as 'Not "
    "recorded' for a pupil who was absent"
)
NOT_A_MEMBER = "A pupil in the register is not in this group on that date"
COMPONENT_UNKNOWN = "Choose components from the intervention's own list"
ALREADY_RECORDED = (
    "{who} recorded this session at {at}. What they saved is shown below; change it only if "
    "it is wrong"
)
CHANGED_SINCE = (
    "{who} changed this session at {at}, after you opened it. What they saved is shown below"
)
NOT_YOUR_GROUP = "Only the person who runs the group or the SENCO can record its sessions"
TEXT_TOO_LONG = "Keep the note and what to reinforce under 2,000 characters each"
MAX_TEXT = 2000


class SessionConflict(ValidationError):
    """Someone else recorded or changed the session first; ``session`` is what they saved."""

    def __init__(self, message: str, session: Session):
        super().__init__(message)
        self.session = session


@dataclass(frozen=True)
class AttendanceInput:
    member_id: int
    status: str
    absence_reason: str = ""
    engagement: int | None = None


@dataclass(frozen=True)
class AdaptationInput:
    kind: str
    what: str
    why: str
    result: str = Adaptation.Result.TOO_EARLY


@dataclass(frozen=True)
class SessionInput:
    status: str
    cancel_reason: str = ""
    minutes: int | None = None
    note: str = ""
    reinforce_in_class: str = ""
    components: list[str] = field(default_factory=list)
    attendance: list[AttendanceInput] = field(default_factory=list)
    adaptation: AdaptationInput | None = None


def may_record(actor: Actor, group: Group) -> bool:
    """The person who runs the group, or the SENCO, records its sessions."""
    return actor.user is not None and (
        actor.has_role(Role.SENCO)
        or (
            group.deliverer_id == actor.user.pk
            and actor.has_role(Role.INTERVENTION_SPECIALIST, Role.TEACHER)
        )
    )


def members_on(group: Group, on: date) -> list[GroupMember]:
    """The group's members on a date (joined by then and not yet left), with their pupils."""
    return list(
        GroupMember.objects.filter(group=group, joined_on__lte=on)
        .exclude(left_on__lt=on)
        .select_related("placement__plan__pupil")
        .order_by("placement__plan__pupil__last_name", "placement__plan__pupil__first_name", "id")
    )


def check_date(group: Group, on: date, today: date) -> None:
    """The date rules, with a message saying why a date cannot be recorded."""
    if on > today:
        raise ValidationError({"date": [DATE_FUTURE]})
    if on < today - timedelta(weeks=BACKFILL_WEEKS):
        raise ValidationError({"date": [DATE_TOO_OLD]})
    closure = closure_on(school_id=group.school_id, day=on)
    if closure is not None:
        day = f"{on:%A %-d %B %Y}"
        raise ValidationError({"date": [SCHOOL_CLOSED.format(day=day, closure=closure.name)]})
    first = (
        GroupMember.objects.filter(group=group)
        .order_by("joined_on")
        .values_list("joined_on", flat=True)
        .first()
    )
    if first is None:
        raise ValidationError({"date": [NOBODY_EVER]})
    if on < first:
        raise ValidationError(
            {"date": [NOBODY_IN_GROUP.format(day=f"{on:%-d %B %Y}", first=f"{first:%-d %B %Y}")]}
        )


def backfill_check(group: Group, on: date, today: date) -> None:
    """A missed session asked for by group and date: the date rules (``check_date``), and the
    group must meet on that weekday. Raises a ValidationError on ``date`` saying why, so the
    form can say it instead of sending the person to a page that is not there."""
    check_date(group, on, today)
    weekdays = sorted({s.weekday for s in group.slots.all()})
    if not weekdays:
        raise ValidationError({"date": [NO_MEETING_DAYS]})
    if on.weekday() not in weekdays:
        names = [f"{calendar.day_name[d]}s" for d in weekdays]
        days = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        raise ValidationError(
            {
                "date": [
                    NOT_A_MEETING_DAY.format(days=days, day=f"{on:%-d %B %Y}", weekday=f"{on:%A}")
                ]
            }
        )


def last_changed_by(session: Session):
    """Who saved the session last (its latest history row's user; ``recorded_by`` is who
    recorded it first), or None when not known. One query."""
    last = (
        versions(Session)
        .filter(id=session.pk)
        .select_related("history_user")
        .order_by("-history_id")
        .first()
    )
    return last.history_user if last is not None else None


def _who(session: Session) -> tuple[str, str]:
    """Who saved the session last (its history's latest user: ``recorded_by`` is who recorded
    it first), and when (``recorded_at``, the time of the latest save)."""
    last = last_changed_by(session) or session.recorded_by
    who = last.full_name if last else "Someone"
    at = timezone.localtime(session.recorded_at)
    return who, f"{at:%H:%M} on {at:%-d %B}"


def _check(data: SessionInput, slot: Slot, intervention, members, errors) -> None:
    if data.status not in Session.Status.values:
        errors.setdefault("status", []).append(STATUS_REQUIRED)
        return
    if len(data.note or "") > MAX_TEXT or len(data.reinforce_in_class or "") > MAX_TEXT:
        errors.setdefault("note", []).append(TEXT_TOO_LONG)
    if data.status == Session.Status.CANCELLED:
        if data.cancel_reason not in Session.CancelReason.values:
            errors.setdefault("cancel_reason", []).append(CANCEL_REASON_REQUIRED)
        return
    if data.minutes is None:
        errors.setdefault("minutes", []).append(MINUTES_REQUIRED)
    elif not 1 <= data.minutes <= slot.minutes:
        errors.setdefault("minutes", []).append(MINUTES_RANGE.format(most=slot.minutes))
    known = set(intervention.core_components or [])
    if any(c not in known for c in data.components):
        errors.setdefault("components", []).append(COMPONENT_UNKNOWN)
    by_id = {m.pk: m for m in members}
    if {a.member_id for a in data.attendance} - set(by_id) or len(data.attendance) != len(
        {a.member_id for a in data.attendance}
    ):
        errors.setdefault("attendance", []).append(NOT_A_MEMBER)
        return
    for a in data.attendance:
        pupil = by_id[a.member_id].placement.plan.pupil.full_name
        key = f"member_{a.member_id}"
        if a.status not in Attendance.Status.values:
            errors.setdefault(key, []).append(ATTENDANCE_STATUS.format(pupil=pupil))
        elif a.status == Attendance.Status.ABSENT:
            if a.absence_reason not in Attendance.AbsenceReason.values:
                errors.setdefault(key, []).append(ABSENCE_REASON_REQUIRED.format(pupil=pupil))
            if a.engagement is not None:
                errors.setdefault(key, []).append(ENGAGEMENT_ONLY_IF_THERE.format(pupil=pupil))
        elif a.absence_reason:
            errors.setdefault(key, []).append(REASON_ONLY_IF_ABSENT.format(pupil=pupil))
        if a.engagement is not None and a.engagement not in Attendance.Engagement.values:
            errors.setdefault(key, []).append(ENGAGEMENT_RANGE.format(pupil=pupil))


@service
def session_record(
    *,
    actor: Actor,
    group: Group,
    on: date,
    slot: Slot,
    data: SessionInput,
    editing: Session | None = None,
    seen_at=None,
    request=None,
) -> Session:
    """Record one timetabled session of a group: delivered, with each pupil's attendance, or
    cancelled with a reason. ``editing`` is the session the form was showing (None for a new
    one) and ``seen_at`` its ``recorded_at`` then: if someone recorded or changed it since,
    ``SessionConflict`` carries what they saved and nothing is written."""
    if actor.school is None or group.school_id != actor.school.pk or slot.group_id != group.pk:
        raise PermissionDenied
    if not may_record(actor, group):
        raise PermissionDenied(NOT_YOUR_GROUP)
    # Lock the group row only (not the shared catalogue row): recordings of one group queue.
    intervention = group.intervention
    group = Group.objects.select_for_update().get(pk=group.pk)
    group.intervention = intervention
    if on.weekday() != slot.weekday:
        raise ValidationError({"date": [NO_SLOT.format(weekday=f"{on:%A}")]})
    check_date(group, on, timezone.localdate())
    existing = (
        Session.objects.select_for_update()
        .filter(group=group, date=on, starts_at=slot.starts_at)
        .first()
    )
    if existing is not None and (editing is None or editing.pk != existing.pk):
        who, at = _who(existing)
        raise SessionConflict(ALREADY_RECORDED.format(who=who, at=at), existing)
    if existing is not None and seen_at is not None and existing.recorded_at != seen_at:
        who, at = _who(existing)
        raise SessionConflict(CHANGED_SINCE.format(who=who, at=at), existing)
    members = members_on(group, on)
    errors: dict[str, list[str]] = {}
    _check(data, slot, group.intervention, members, errors)
    if errors:
        raise ValidationError(errors)
    delivered = data.status == Session.Status.DELIVERED
    session = existing or Session(
        school=actor.school, group=group, date=on, starts_at=slot.starts_at
    )
    session.slot_minutes = slot.minutes
    session.status = data.status
    session.cancel_reason = "" if delivered else data.cancel_reason
    session.minutes = data.minutes if delivered else None
    session.note = (data.note or "").strip()
    session.reinforce_in_class = (data.reinforce_in_class or "").strip()
    # A tick saved before its item left the checklist (evidence migration 0003) cannot be
    # changed on the form any more; it is kept as it was recorded rather than dropped.
    known = set(group.intervention.core_components or [])
    earlier = [c for c in (existing.components_delivered if existing else []) if c not in known]
    session.components_delivered = list(data.components) + earlier if delivered else []
    if existing is None:  # who recorded it stays the first recorder; history has who changed it
        session.recorded_by = actor.user
    session.recorded_at = timezone.now()
    session.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():  # a savepoint: the same session saved at the same moment
            session.save()
    except IntegrityError:
        saved = Session.objects.select_related("recorded_by").get(
            group=group, date=on, starts_at=slot.starts_at
        )
        who, at = _who(saved)
        raise SessionConflict(ALREADY_RECORDED.format(who=who, at=at), saved) from None
    _attendance_save(session, members, data.attendance if delivered else [])
    if delivered and data.adaptation is not None:
        delivery_services.adaptation_add(
            actor=actor,
            intervention=group.intervention,
            kind=data.adaptation.kind,
            what=data.adaptation.what,
            why=data.adaptation.why,
            result=data.adaptation.result,
            recorded_on=on,
            group=group,
            request=request,
        )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE if existing else AuditEntry.Action.CREATE,
        object_type="session",
        object_id=session.pk,
        object_repr=f"{group.name} on {on:%-d %B %Y}",
        detail=session.get_status_display(),
        request=request,
    )
    # Apps above delivery (monitoring's dose flags) hear of it once it is committed; a failing
    # listener is logged, never undoes or fails the recording (robust).
    transaction.on_commit(
        partial(
            signals.session_recorded.send,
            sender=Session,
            school_id=session.school_id,
            session_id=session.pk,
            placement_ids=sorted({m.placement_id for m in members}),
        ),
        robust=True,
    )
    return session


def _attendance_save(session: Session, members, rows: list[AttendanceInput]) -> None:
    """Each pupil's row for this session, changed in place (history keeps the earlier one);
    rows of a session now cancelled are deleted (history keeps those too)."""
    current = {a.placement_id: a for a in Attendance.objects.filter(session=session)}
    by_id = {m.pk: m for m in members}
    wanted = set()
    for row in rows:
        member = by_id[row.member_id]
        wanted.add(member.placement_id)
        attendance = current.get(member.placement_id) or Attendance(
            school_id=session.school_id, session=session, placement_id=member.placement_id
        )
        values = (member.pk, row.status, row.absence_reason or "", row.engagement)
        if attendance.pk and values == (
            attendance.member_id,
            attendance.status,
            attendance.absence_reason,
            attendance.engagement,
        ):
            continue
        (
            attendance.member_id,
            attendance.status,
            attendance.absence_reason,
            attendance.engagement,
        ) = values
        attendance.save()
    for placement_id, attendance in current.items():
        if placement_id not in wanted:
            attendance.delete()
