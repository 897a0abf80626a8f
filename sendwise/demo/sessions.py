"""Demo sessions: a term of recorded sessions for the demo school's running groups, with some
absences and cancellations, so dose figures, group pages and plans have something real to show.

Today's sessions are left to record, and so is the demo specialist's latest session earlier
this week (to show backfilling). One group loses many sessions to staff absence, so its pupils'
dose falls below 80% and is flagged. Seeded: the same seed and day give the same sessions.
"""

import random
from datetime import date, datetime, timedelta

from django.utils import timezone

from sendwise.delivery.models import Attendance, Group, GroupMember, Session

CANCEL_REASONS = (("staff_absent", 5), ("school_event", 3), ("room", 1), ("other", 1))
ABSENCE_REASONS = (("ill", 6), ("appointment", 2), ("school_trip", 1), ("refused", 1))
NOTES = (
    "Good focus today.",
    "Rushed the last activity.",
    "Two pupils needed the instructions again.",
    "",
    "",
)
REINFORCE = ("Tricky words from today's book", "Counting on from the larger number", "")


def _pick(rng: random.Random, weighted) -> str:
    return rng.choices([k for k, _ in weighted], weights=[w for _, w in weighted])[0]


def sessions_build(rng: random.Random, groups: list[Group], today: date) -> int:
    """Record every timetabled session of ``groups`` from the day their first pupil joined
    until yesterday, by each group's deliverer; returns the number of sessions."""
    monday = today - timedelta(days=today.weekday())
    members: dict[int, list[GroupMember]] = {}
    for m in GroupMember.objects.filter(group__in=groups).order_by("id"):
        members.setdefault(m.group_id, []).append(m)
    sessions, registers = [], []
    for n, group in enumerate(groups):
        people = members.get(group.pk, [])
        if not people:
            continue
        cancel_rate = 0.35 if n == 2 else 0.05
        days = [
            min(m.joined_on for m in people) + timedelta(days=d)
            for d in range((today - min(m.joined_on for m in people)).days)
        ]
        slots = list(group.slots.all())
        due = [(day, slot) for day in days for slot in slots if slot.weekday == day.weekday()]
        if n == 0:  # the demo specialist's latest session this week is left to backfill
            this_week = [d for d in due if d[0] >= monday]
            if this_week:
                due.remove(this_week[-1])
        components = list(group.intervention.core_components or [])
        for day, slot in due:
            at = timezone.make_aware(datetime.combine(day, slot.starts_at))
            cancelled = rng.random() < cancel_rate
            session = Session(
                school_id=group.school_id,
                group=group,
                date=day,
                starts_at=slot.starts_at,
                slot_minutes=slot.minutes,
                status="cancelled" if cancelled else "delivered",
                cancel_reason=_pick(rng, CANCEL_REASONS) if cancelled else "",
                minutes=None if cancelled else slot.minutes - rng.choice((0, 0, 0, 5)),
                note=rng.choice(NOTES),
                reinforce_in_class="" if cancelled else rng.choice(REINFORCE),
                components_delivered=[]
                if cancelled
                else [c for c in components if rng.random() < 0.9],
                recorded_by_id=group.deliverer_id,
                recorded_at=at + timedelta(minutes=slot.minutes + 5),
            )
            sessions.append(session)
            if not cancelled:
                registers.append((session, [m for m in people if m.joined_on <= day]))
    Session.objects.bulk_create(sessions)
    rows = []
    for session, people in registers:
        for m in people:
            roll = rng.random()
            status = "absent" if roll < 0.08 else "late" if roll < 0.13 else "present"
            rows.append(
                Attendance(
                    school_id=session.school_id,
                    session=session,
                    member=m,
                    placement_id=m.placement_id,
                    status=status,
                    absence_reason=_pick(rng, ABSENCE_REASONS) if status == "absent" else "",
                    engagement=None if status == "absent" else rng.choice((2, 3, 3, 4)),
                )
            )
    Attendance.objects.bulk_create(rows)
    return len(sessions)
