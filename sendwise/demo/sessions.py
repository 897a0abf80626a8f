"""Demo sessions: the school year so far of recorded sessions for the demo school's running
groups, on school days only (`term_dates`: no weekends, holidays, half-terms or INSET days), so
dose figures, group pages and plans have something real to show.

What gets in the way, as in a real school:

* cancellations: the deliverer off ill for a day to a few days now and then (all their groups
  cancelled), whole-school events (a day each half-term, and the last days before Christmas), a
  room taken now and then; one group loses many sessions to staff absence, so its pupils' dose
  falls below 80% and is flagged;
* absences: short runs of illness, appointments, a class trip once a term (the whole class
  out), refusals (more often for pupils who are not responding), the odd late arrival;
* engagement (four levels) that follows the pupil's designed response pattern.

Today's sessions are left to record, and so is the demo specialist's latest session before
today (to show backfilling). Seeded: the same seed and day give the same sessions.
"""

import itertools
import random
from datetime import date, datetime, timedelta

from django.utils import timezone

from sendwise.delivery.models import Attendance, Group, GroupMember, Session
from sendwise.demo import scores as demo_scores
from sendwise.demo import term_dates

NOTES = (
    "Good focus today.",
    "Rushed the last activity.",
    "Two pupils needed the instructions again.",
    "Used the visual timetable; settled quickly.",
    "",
    "",
)
REINFORCE = (
    "Tricky words from today's book",
    "Counting on from the larger number",
    "Asking for help with the help card",
    "",
)
#: Engagement levels (1 not engaged to 4 fully) drawn for each response pattern.
ENGAGEMENT = {
    demo_scores.AHEAD: (3, 4, 4, 4),
    demo_scores.ON_TRACK: (2, 3, 3, 4),
    demo_scores.TOO_FEW: (2, 3, 3, 4),
    demo_scores.NOT_RESPONDING: (1, 2, 2, 3),
}
#: Days a term when whole-school events stop interventions, and the chance of a room clash.
EVENTS_PER_TERM = 1
ROOM_TAKEN = 0.01


def _terms(days: list[date]) -> list[list[date]]:
    """``days`` split by term (a gap of over a week between school days ends a term)."""
    terms = [[days[0]]] if days else []
    for a, b in itertools.pairwise(days):
        if (b - a).days > 9:
            terms.append([])
        terms[-1].append(b)
    return terms


def _school_events(rng: random.Random, days: list[date]) -> set[date]:
    """An event day each half-term (sports day, harvest festival, assessments) and the last two
    days before the Christmas holiday (performances and parties)."""
    events = set()
    for in_term in _terms(days):
        events |= set(rng.sample(in_term, min(EVENTS_PER_TERM, len(in_term))))
    for a, b in itertools.pairwise(days):
        if a.month == 12 and (b - a).days > 10:  # the last day of the autumn term
            events |= {a, days[days.index(a) - 1]}
    return events


def _spells(rng: random.Random, days: list[date], per_day: float, longest: int) -> set[date]:
    """Runs of consecutive school days (illness), starting on any day with chance ``per_day``."""
    out, i = set(), 0
    while i < len(days):
        if rng.random() < per_day:
            length = rng.randint(1, longest)
            out |= set(days[i : i + length])
            i += length
        i += 1
    return out


def sessions_build(
    rng: random.Random, groups: list[Group], today: date, patterns: dict[int, str] | None = None
) -> int:
    """Record every timetabled session of ``groups`` on school days from the day their first
    pupil joined until yesterday, by each group's deliverer; returns the number of sessions."""
    patterns = patterns or {}
    _first, days = term_dates.demo_year(today)
    members: dict[int, list[GroupMember]] = {}
    pupil_of, class_of = {}, {}
    for m, pupil_id, class_id in (
        GroupMember.objects.filter(group__in=groups)
        .order_by("id")
        .values_list("pk", "placement__plan__pupil_id", "placement__plan__pupil__class_group_id")
        .iterator()
    ):
        pupil_of[m], class_of[m] = pupil_id, class_id
    for m in GroupMember.objects.filter(group__in=groups).order_by("id"):
        members.setdefault(m.group_id, []).append(m)
    events = _school_events(rng, days)
    staff_off = {g.deliverer_id: _spells(rng, days, 0.006, 3) for g in groups}
    trips: dict[int, set[date]] = {}
    ill: dict[int, set[date]] = {}
    # The group whose dose is flagged: the first after the demo specialist's with a planned dose.
    flagged = next((g for g in groups[1:] if g.intervention.sessions_per_week), None)
    sessions, registers = [], []
    for n, group in enumerate(groups):
        people = members.get(group.pk, [])
        if not people:
            continue
        begin = min(m.joined_on for m in people)
        slots = list(group.slots.all())
        due = [(d, s) for d in days if d >= begin for s in slots if s.weekday == d.weekday()]
        if n == 0 and due:  # the demo specialist's latest session is left to backfill
            due.pop()
        components = list(group.intervention.core_components or [])
        extra_off = 0.3 if group == flagged else 0.0
        for day, slot in due:
            at = timezone.make_aware(datetime.combine(day, slot.starts_at))
            if day in events:
                reason = "school_event"
            elif day in staff_off.get(group.deliverer_id, ()) or rng.random() < extra_off:
                reason = "staff_absent"
            elif rng.random() < ROOM_TAKEN:
                reason = "room"
            else:
                reason = ""
            session = Session(
                school_id=group.school_id,
                group=group,
                date=day,
                starts_at=slot.starts_at,
                slot_minutes=slot.minutes,
                status="cancelled" if reason else "delivered",
                cancel_reason=reason,
                minutes=None if reason else slot.minutes - rng.choice((0, 0, 0, 0, 0, 5)),
                note="" if reason else rng.choice(NOTES),
                reinforce_in_class="" if reason else rng.choice(REINFORCE),
                components_delivered=[]
                if reason
                else [c for c in components if rng.random() < 0.9],
                recorded_by_id=group.deliverer_id,
                recorded_at=at + timedelta(minutes=slot.minutes + 5),
            )
            sessions.append(session)
            if not reason:
                registers.append((session, [m for m in people if m.joined_on <= day]))
        for m in people:
            class_days = trips.setdefault(class_of[m.pk], set())
            if not class_days:  # a trip in about every other half-term for each class
                class_days |= {rng.choice(t) for t in _terms(days) if rng.random() < 0.5}
                class_days.add(date.min)  # drawn once per class, even if no trip was drawn
            ill[m.pk] = _spells(rng, days, 0.01, 3)
    Session.objects.bulk_create(sessions, batch_size=1000)
    rows = []
    for session, people in registers:
        for m in people:
            pattern = patterns.get(pupil_of[m.pk], demo_scores.ON_TRACK)
            refuses = 0.06 if pattern == demo_scores.NOT_RESPONDING else 0.01
            reason = ""
            if session.date in ill[m.pk]:
                reason = "ill"
            elif session.date in trips.get(class_of[m.pk], ()):
                reason = "school_trip"
            else:
                roll = rng.random()
                if roll < 0.02:
                    reason = "appointment"
                elif roll < 0.02 + refuses:
                    reason = "refused"
            late = not reason and rng.random() < 0.05
            rows.append(
                Attendance(
                    school_id=session.school_id,
                    session=session,
                    member=m,
                    placement_id=m.placement_id,
                    status="absent" if reason else "late" if late else "present",
                    absence_reason=reason,
                    engagement=None if reason else rng.choice(ENGAGEMENT[pattern]),
                )
            )
    Attendance.objects.bulk_create(rows, batch_size=2000)
    return len(sessions)
