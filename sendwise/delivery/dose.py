"""Dose delivered against dose planned, for one pupil's placement. Pure Python: no Django.

A plan sets a dose: sessions a week, minutes a session, for a number of weeks. What a pupil
actually receives is less when sessions are cancelled, when the pupil is absent, when sessions
are shorter than planned, or when sessions the timetable promised were never held or recorded.
Dose is one of the first things to check when a pupil is not responding (the EEF's guidance on
making the best use of teaching assistants: interventions work when delivered as designed,
"Making Best Use of Teaching Assistants", recommendation 5), so the figure comes with the main
reason it is short, in a school's words.

Rules, each checked by tests on hand-worked cases:

- Planned to date: ``sessions_per_week`` for every whole week since the start, up to ``weeks``
  weeks (a partly-run week is not yet owed). Planned minutes are planned sessions times
  ``minutes_per_session``.
- Days the school is closed (holidays, INSET days, closures: ``closed``, from the school's
  calendar) are not school days, so nothing is owed on them: a week counts as a fifth of a
  school week for each weekday it is open, and the plan's ``weeks`` are school weeks. A six-week
  block with a half-term week inside has run five school weeks after six calendar weeks, and
  owes one more. Sessions owed are the school weeks times ``sessions_per_week``, rounded to the
  nearest whole session (a half up): a week with one INSET day owes 4 of 5 daily sessions,
  2.4 of 3 (so 2 in one such week, 5 in two). A cancelled session on a closed day is not a loss
  (it was never owed); a session held on one still counts as delivered.
- Delivered: sessions held that the pupil attended (present or late), and their minutes.
- The percentage is delivered minutes over planned minutes when the plan gives minutes,
  otherwise delivered sessions over planned sessions. None when nothing is planned yet.
- Below 80% is flagged, with the largest source of lost minutes as the reason: cancellations
  (by their most common reason), absences (likewise), shorter sessions, or sessions neither
  held nor cancelled (not recorded, or the group meets less often than planned).
- A group's timetable can fall short of a plan before a single session is held: the group
  meets fewer times a week than the plan asks, or for fewer minutes a week in all (the figure
  the percentage above compares). :func:`timetable_short` says so in a school's words. More,
  shorter sessions that add up to the planned minutes are not a shortfall.
- A placement never put in a group (``placed`` False) has had no session timetabled for the
  pupil, so no share of the dose can be worked out: the percentage is None (it is not "0%
  delivered", and it is left out of any mean dose) and the reason is :data:`NOT_PLACED` once
  sessions were owed. What is owed is still counted, to say how much the pupil is missing.
- Since when: a dose below 80% carries the first day of the unbroken run of school weeks it
  has been below (checked at the start of each week, when more becomes owed); a pupil waiting
  for a place carries the day sessions were first owed. The SENCO's list of decisions counts
  the wait from that day, not from the day a check first noticed it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

#: A dose below this percentage of the planned one is flagged.
THRESHOLD = 80

NOT_RECORDED = "sessions not held or not recorded"
SHORTER = "shorter sessions than planned"
NOT_PLACED = "not started: not in a group yet"


@dataclass(frozen=True)
class Planned:
    """The dose a placement sets, from the day the pupil's support started."""

    start: date
    sessions_per_week: int | None
    minutes_per_session: int | None
    weeks: int | None
    #: The day the cycle ended (the plan's review), after which nothing more is owed.
    end: date | None = None


@dataclass(frozen=True)
class Held:
    """One timetabled session of a group while the pupil was in it."""

    on: date
    cancelled: bool
    minutes: int = 0
    #: Whether the pupil came (present or late); None when no attendance was taken for them.
    attended: bool | None = True
    #: Words for why the session was cancelled, or why the pupil was absent ("Staff absent").
    reason: str = ""


@dataclass(frozen=True)
class Dose:
    planned_sessions: int
    planned_minutes: int | None
    delivered_sessions: int
    delivered_minutes: int
    held: int
    cancelled: int
    absences: int
    percent: int | None
    reason: str
    #: Whether the pupil was ever in a group for this placement (see the module's rules).
    placed: bool = True
    #: Below the threshold: the first day of the weeks it has been below without a break
    #: (``short_since``). Waiting for a place: the day sessions were first owed. Else None.
    since: date | None = None

    @property
    def waiting(self) -> bool:
        """Sessions were owed, but the pupil was never put in a group to receive them."""
        return not self.placed and self.planned_sessions > 0

    @property
    def attendance_percent(self) -> int | None:
        """Sessions attended out of sessions held (cancellations are not absences)."""
        if self.held == 0:
            return None
        return round(100 * self.delivered_sessions / self.held)

    @property
    def below(self) -> bool:
        return percent_below(self.percent)


#: Weekdays in a school week (Monday to Friday).
WEEKDAYS = 5


def school_days_run(planned: Planned, today: date, closed: Collection[date] = ()) -> int:
    """Weekdays the school was open in the whole weeks since the start (up to ``today`` or the
    plan's end), at most ``weeks`` school weeks of them."""
    last = min(today, planned.end) if planned.end else today
    weeks = max((last - planned.start).days, 0) // 7
    end = planned.start + timedelta(weeks=weeks)  # the first day not yet in a whole week
    shut = sum(1 for day in closed if planned.start <= day < end and day.weekday() < WEEKDAYS)
    days = weeks * WEEKDAYS - shut
    if planned.weeks:
        days = min(days, planned.weeks * WEEKDAYS)
    return days


def planned_sessions(planned: Planned, today: date, closed: Collection[date] = ()) -> int:
    """Sessions owed by ``today``: ``sessions_per_week`` for each whole school week since the
    start (closed weekdays are not school days), at most ``weeks`` school weeks; none before the
    start or without a weekly number."""
    if not planned.sessions_per_week:
        return 0
    return _sessions_in(planned, school_days_run(planned, today, closed))


def _sessions_in(planned: Planned, days: int) -> int:
    """Sessions owed over ``days`` open school days: ``sessions_per_week`` a five-day week,
    rounded half up in whole numbers (days * per week / 5, no floating point)."""
    return (2 * days * planned.sessions_per_week + WEEKDAYS) // (2 * WEEKDAYS)


def dose(
    planned: Planned,
    held: Iterable[Held],
    today: date,
    closed: Collection[date] = (),
    *,
    placed: bool = True,
) -> Dose:
    """What the pupil received against what was planned by ``today``, the school being closed
    on the ``closed`` days; ``placed`` False for a placement never put in a group (see the
    module's rules)."""
    closed = closed if isinstance(closed, (set, frozenset)) else frozenset(closed)
    held = list(held)  # read twice: here, and for when a shortfall began
    owed = planned_sessions(planned, today, closed)
    per = planned.minutes_per_session
    owed_minutes = owed * per if per else None
    if not placed:
        return Dose(
            planned_sessions=owed,
            planned_minutes=owed_minutes,
            delivered_sessions=0,
            delivered_minutes=0,
            held=0,
            cancelled=0,
            absences=0,
            percent=None,
            reason=NOT_PLACED if owed else "",
            placed=False,
            since=owed_since(planned, today, closed) if owed else None,
        )
    delivered = delivered_minutes = held_count = cancelled = absences = 0
    lost: Counter[str] = Counter()  # minutes lost, by "cancellations: staff absent" etc.
    for h in held:
        if planned.end and h.on > planned.end:
            continue
        share = per or 1  # lost minutes when the plan gives minutes, else lost sessions
        if h.cancelled:
            if h.on in closed:
                continue  # never owed: the school was closed
            cancelled += 1
            lost[f"cancellations: {h.reason.lower()}" if h.reason else "cancellations"] += share
            continue
        held_count += 1
        if h.attended:
            delivered += 1
            delivered_minutes += h.minutes
            if per and h.minutes < per:
                lost[SHORTER] += per - h.minutes
        else:
            absences += 1
            lost[f"absences: {h.reason.lower()}" if h.reason else "absences"] += share
    percent = _percent(planned, owed, delivered, delivered_minutes)
    if owed_minutes is not None:
        unaccounted = owed_minutes - delivered_minutes - sum(lost.values())
    else:
        unaccounted = owed - delivered - cancelled - absences
    if unaccounted > 0:
        lost[NOT_RECORDED] += unaccounted
    reason = ""
    if percent is not None and percent < THRESHOLD and lost:
        reason = _main_reason(lost)
    return Dose(
        planned_sessions=owed,
        planned_minutes=owed_minutes,
        delivered_sessions=delivered,
        delivered_minutes=delivered_minutes,
        held=held_count,
        cancelled=cancelled,
        absences=absences,
        percent=percent,
        reason=reason,
        since=short_since(planned, held, today, closed) if percent_below(percent) else None,
    )


def percent_below(percent: int | None) -> bool:
    return percent is not None and percent < THRESHOLD


def _percent(planned: Planned, owed: int, delivered: int, delivered_minutes: int) -> int | None:
    """The share of the dose owed that was delivered, in whole per cent: by minutes when the
    plan gives minutes a session, else by sessions; None when nothing is owed."""
    per = planned.minutes_per_session
    if per:
        return round(100 * delivered_minutes / (owed * per)) if owed else None
    return round(100 * delivered / owed) if owed else None


def owed_at_week_starts(
    planned: Planned, today: date, closed: Collection[date]
) -> list[tuple[date, int]]:
    """Each day a new school week of the placement began, after the first, up to ``today``
    (the days more becomes owed), with the sessions owed by then: ``planned_sessions`` on each
    day, worked out in one pass over the closed days (sorted once, then counted by bisection)
    rather than a pass over them for every week."""
    last = min(today, planned.end) if planned.end else today
    weeks = max((last - planned.start).days, 0) // 7
    if not planned.sessions_per_week:
        return [(planned.start + timedelta(weeks=k), 0) for k in range(1, weeks + 1)]
    shut = sorted(day for day in closed if planned.start <= day and day.weekday() < WEEKDAYS)
    found = []
    for k in range(1, weeks + 1):
        day = planned.start + timedelta(weeks=k)
        days = k * WEEKDAYS - bisect_left(shut, day)
        if planned.weeks:
            days = min(days, planned.weeks * WEEKDAYS)
        found.append((day, _sessions_in(planned, days)))
    return found


def owed_since(planned: Planned, today: date, closed: Collection[date] = ()) -> date | None:
    """The first day any session was owed (the end of the first school week with an open
    day), or None if none is owed by ``today``."""
    return next((day for day, owed in owed_at_week_starts(planned, today, closed) if owed), None)


def short_since(
    planned: Planned, held: Iterable[Held], today: date, closed: Collection[date] = ()
) -> date | None:
    """The day the dose fell below the threshold and stayed there: the first of the unbroken
    run of week starts, ending today, at which the share delivered of what was owed by then was
    below it (counting the sessions before that day; sessions on it belong to the new week).
    The share drops only when a week starts (more becomes owed) and rises only with a session,
    so a week start is where a fall shows first. None when it is not below today.

    A flag raised on the day the check first ran would say a pupil waited for a decision from
    that day; this says from when the shortfall began (the SENCO's list sorts by it)."""
    closed = closed if isinstance(closed, (set, frozenset)) else frozenset(closed)
    counted = sorted(
        (h.on, h.minutes)
        for h in held
        if not h.cancelled and h.attended and not (planned.end and h.on > planned.end)
    )
    run_from: date | None = None
    n = delivered = minutes = 0
    for day, owed in owed_at_week_starts(planned, today, closed):
        while n < len(counted) and counted[n][0] < day:
            delivered, minutes, n = delivered + 1, minutes + counted[n][1], n + 1
        if percent_below(_percent(planned, owed, delivered, minutes)):
            run_from = run_from or day
        else:
            run_from = None
    delivered, minutes = len(counted), sum(m for _, m in counted)
    owed = planned_sessions(planned, today, closed)
    if not percent_below(_percent(planned, owed, delivered, minutes)):
        return None
    return run_from or today


def _main_reason(lost: Counter[str]) -> str:
    """'mostly cancellations: staff absent': the kind of loss with most minutes (cancellations
    and absences summed over their reasons first), then its most common reason."""
    kinds: Counter[str] = Counter()
    for key, minutes in lost.items():
        kinds[key.split(":")[0]] += minutes
    # Ties go to the first in this order: what the school can act on first.
    order = ["cancellations", "absences", NOT_RECORDED, SHORTER]
    top = max(kinds, key=lambda k: (kinds[k], -order.index(k) if k in order else -99))
    detailed = [(m, k) for k, m in lost.items() if k.split(":")[0] == top and ":" in k]
    if detailed:
        minutes, key = max(detailed, key=lambda mk: (mk[0], mk[1]))
        return f"mostly {key}"
    return f"mostly {top}"


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


def _minutes(slot_minutes: list[int]) -> str:
    lengths = sorted(set(slot_minutes))
    if len(lengths) == 1:
        return f"{lengths[0]} minutes"
    return f"{', '.join(str(m) for m in lengths[:-1])} or {lengths[-1]} minutes"


def timetable_short(
    slot_minutes: Iterable[int],
    *,
    sessions_per_week: int | None,
    minutes_per_session: int | None,
    who: str,
    group: str = "This group",
) -> str:
    """Plain words when a group's weekly slots (their lengths in minutes) cannot deliver the
    dose ``who``'s plan sets, else "": fewer sessions a week than planned, or fewer minutes a
    week than planned sessions times minutes. ``group`` names the group in the sentence."""
    slots = list(slot_minutes)
    if not sessions_per_week:
        return ""
    planned = sessions_per_week * minutes_per_session if minutes_per_session else None
    if len(slots) >= sessions_per_week and (planned is None or sum(slots) >= planned):
        return ""
    sessions = "1 session" if sessions_per_week == 1 else f"{sessions_per_week} sessions"
    asks = f"{sessions} of {minutes_per_session} minutes" if minutes_per_session else sessions
    if not slots:
        meets = f"{group} has no times in the timetable yet"
    else:
        meets = f"{group} meets {_times(len(slots))} a week for {_minutes(slots)}"
    return f"{meets}; {who}'s plan asks for {asks} a week."
