"""Demo delivery for the main school: who is trained, their weekly intervention time, groups
running the interventions most plans use (with pupils in them), this year's budget, the
school's own costs, and a few adaptations practitioners wrote down.

Made-up data, so the SENCO sees recommendations that name staff and free places, and a
delivery page that is not empty. Runs after the demo plans; does nothing without them.
"""

import random
from collections import Counter
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils.text import Truncator

from sendwise.core.models import School, User
from sendwise.core.roles import Role
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
from sendwise.demo.plans import group_dose
from sendwise.demo.sessions import sessions_build
from sendwise.planning.models import Placement
from sendwise.pupils.access_services import AccessGrant, pupil_access_grant_many
from sendwise.pupils.census_checks import academic_year_start
from sendwise.pupils.models import PupilAccess

#: Teaching assistant time, per hour, used to cost a place (a round figure for the demo, not
#: a published rate).
TA_HOURLY = Decimal("16.50")
#: Weekly windows each intervention specialist has for interventions: registration time (no
#: lesson; ``demo.lessons.REGISTRATION``) and the afternoons' foundation lessons, never the
#: morning's English, maths, phonics or reading. A session too long for registration time goes
#: in the afternoon.
WINDOWS = ((time(8, 45), time(9, 15)), (time(13, 0), time(15, 15)))
GROUPS = 6
#: Pupils whose plans were made last wait for a place (the decisions list shows them).
WAITING = 5

ADAPTATIONS = (
    (
        Adaptation.Kind.DOSE,
        "Split each 30-minute session into two 15-minute sessions, morning and afternoon.",
        "Two pupils lost focus after about 15 minutes and the last activities were rushed.",
        Adaptation.Result.HELPED,
    ),
    (
        Adaptation.Kind.LANGUAGE,
        "Pre-taught the three key words of each session with pictures the day before.",
        "A pupil new to English could not follow the instructions in the first week.",
        Adaptation.Result.HELPED,
    ),
    (
        Adaptation.Kind.SETTING,
        "Moved the group from the corridor table to the library.",
        "Noise and people passing interrupted the sessions.",
        Adaptation.Result.TOO_EARLY,
    ),
    (
        Adaptation.Kind.GROUPING,
        "Tried a group of five instead of three.",
        "To take a pupil from the waiting list.",
        Adaptation.Result.WORSE,
    ),
)


def delivery_build(
    rng: random.Random,
    school: School,
    senco: User,
    today: date,
    patterns: dict[int, str] | None = None,
) -> int:
    """Set up delivery around the school's current plans (``patterns``: each pupil's designed
    response, from the demo plans); returns the number of groups."""
    current = list(
        Placement.objects.filter(school=school, intervention__kind="targeted_intervention")
        .current()
        .select_related("intervention", "plan")
        .order_by("id")
    )
    if not current:
        return 0
    staff = list(
        User.objects.filter(
            memberships__school=school, memberships__role=Role.INTERVENTION_SPECIALIST
        )
        .distinct()
        .order_by("id")
    )
    # The demo sign-in for an intervention specialist delivers first, so signing in as them
    # shows groups of their own.
    staff = sorted(staff, key=lambda u: not u.email.startswith("ta@"))[:6]
    used = Counter(p.intervention_id for p in current)
    interventions = {p.intervention_id: p.intervention for p in current}
    top = [interventions[i] for i, _n in used.most_common(GROUPS + 2)]
    # Every programme the plans use is timetabled, the most used first.
    every = [interventions[i] for i, _n in used.most_common()]
    StaffTime.objects.bulk_create(
        StaffTime(school=school, staff=person, weekday=day, starts_at=start, ends_at=end)
        for person in staff
        for day in range(5)
        for start, end in WINDOWS
    )
    trainings = []
    for n, intervention in enumerate(top):
        for person in {staff[n % len(staff)], staff[(n + 1) % len(staff)]}:
            trainings.append(
                Training(
                    school=school,
                    staff=person,
                    intervention=intervention,
                    trained_on=today - timedelta(days=rng.randrange(60, 700)),
                )
            )
    Training.objects.bulk_create(trainings)
    groups = _groups(school, staff, every, current, today)
    sessions_build(rng, groups, today, patterns)
    _money(school, top, today)
    Adaptation.objects.bulk_create(
        Adaptation(
            school=school,
            intervention=top[n % len(top)],
            group=groups[n % len(groups)] if groups else None,
            kind=kind,
            what=what,
            why=why,
            result=result,
            recorded_by=staff[n % len(staff)] if staff else senco,
            recorded_on=today - timedelta(days=rng.randrange(3, 40)),
        )
        for n, (kind, what, why, result) in enumerate(ADAPTATIONS)
    )
    return len(groups)


def _label(n: int) -> str:
    """A, B, ... Z, AA, AB, ...: the letter that tells a school's groups apart."""
    letters = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


class _Timetable:
    """Each specialist's weekly intervention windows (``WINDOWS``, every weekday), booked from
    the start of a window on, so no one runs two groups at once."""

    def __init__(self, staff: list[User]):
        self.next_free = {
            (person.pk, day, w): start.hour * 60 + start.minute
            for person in staff
            for day in range(5)
            for w, (start, _end) in enumerate(WINDOWS)
        }
        self.ends = [end.hour * 60 + end.minute for _start, end in WINDOWS]

    def book(self, person: User, days: list[int], minutes: int, afternoon: bool):
        """Times for a session of ``minutes`` on each of ``days`` in one of the person's
        windows (afternoons first when ``afternoon``), booked; None if a day has no room."""
        order = (1, 0) if afternoon else (0, 1)
        found = []
        for day in days:
            free = [
                (w, self.next_free[person.pk, day, w])
                for w in order
                if self.next_free[person.pk, day, w] + minutes <= self.ends[w]
            ]
            if not free:
                return None
            found.append((day, *free[0]))
        for day, w, start in found:
            self.next_free[person.pk, day, w] = start + minutes
        return [(day, time(start // 60, start % 60)) for day, _w, start in found]


#: When the one group the demo SENCO could only fit in a morning meets: across the maths lesson
#: (``demo.lessons.PRIMARY_MORNING``), the morning its deliverer is free.
MATHS_TIME = time(10, 30)


def _one_group_in_maths(school, staff, slots: list[Slot], members: list[GroupMember]) -> None:
    """One group, of two or more pupils and not the demo specialist's, meets across the maths
    lesson instead of the afternoon: its deliverer has that morning free for interventions
    (their staff time says so). Its pupils are the few the lesson warnings name, for a reason
    the SENCO can act on: move the group to registration time or an afternoon."""
    size = Counter(m.group_id for m in members)
    chosen = next(
        (
            s.group
            for s in slots
            if size[s.group_id] >= 2
            and s.minutes <= 30
            and s.group.deliverer is not None
            and s.group.deliverer != (staff[0] if staff else None)
        ),
        None,
    )
    if chosen is None:
        return
    mine = [s for s in slots if s.group_id == chosen.pk]
    for slot in mine:
        slot.starts_at = MATHS_TIME
    longest = max(s.minutes for s in mine)
    end = (datetime.combine(date.min, MATHS_TIME) + timedelta(minutes=longest)).time()
    StaffTime.objects.bulk_create(
        StaffTime(
            school=school, staff=chosen.deliverer, weekday=day, starts_at=MATHS_TIME, ends_at=end
        )
        for day in sorted({s.weekday for s in mine})
    )


def _waiting(current: list[Placement]) -> set[int]:
    """The placements left waiting for a place: those of the plans started last (the school
    has not timetabled them yet), ``WAITING`` of them."""
    latest = sorted(current, key=lambda p: (p.plan.start_date, p.pk), reverse=True)
    return {p.pk for p in latest[:WAITING]}


def _groups(school, staff, interventions, current, today) -> list[Group]:
    """Groups for the interventions the current plans use, most used first: a group a pupil
    for one-to-one programmes, and as many groups as the pupils need for the others (the
    first of the most used ``GROUPS`` programmes keeping a place free), each with a deliverer
    whose times do not clash; a few pupils planned last wait for a place."""
    waiting = _waiting(current)
    pupils_of: dict[int, list[Placement]] = {}
    for p in current:
        if p.pk not in waiting:
            pupils_of.setdefault(p.intervention_id, []).append(p)
    timetable = _Timetable(staff)
    booked = Counter()
    groups, slots, members = [], [], []
    planned = []  # (intervention, places, pupils), the first group of each top programme first
    for n, intervention in enumerate(interventions):
        pupils = pupils_of.pop(intervention.pk, [])
        one_to_one = intervention.format == "one_to_one"
        places = 1 if one_to_one else (intervention.group_size or 4)
        first = pupils[: max(places - 1, 1)] if n < GROUPS else pupils[:places]
        planned.append((intervention, places, first))
        rest = pupils[len(first) :]
        pupils_of[intervention.pk] = rest
    for intervention in interventions:
        rest = pupils_of.pop(intervention.pk, [])
        places = 1 if intervention.format == "one_to_one" else (intervention.group_size or 4)
        planned += [
            (intervention, places, rest[k : k + places]) for k in range(0, len(rest), places)
        ]
    for n, (intervention, places, pupils) in enumerate(planned):
        if not pupils:
            continue
        per_week, minutes = group_dose(intervention)
        if n < GROUPS:
            # The demo specialist (staff[0]) runs two of the first groups, the second in the
            # afternoon; their first group meets today on a school day, so signing in as them
            # shows a session to record.
            deliverer = (staff[0] if n % 3 == 0 else staff[n % len(staff)]) if staff else None
            afternoon = n >= len(staff) or (n > 0 and deliverer == staff[0])
            first_day = today.weekday() if n == 0 and today.weekday() < 5 else n
            people = [deliverer] if deliverer else []
        else:
            # The others share the groups left, the least busy first.
            others = staff[1:] or staff
            people = sorted(others, key=lambda u: (booked[u.pk], staff.index(u)))
            afternoon, first_day = n % 2 == 1, n
        times, deliverer = None, None
        for person in people:
            for shift in range(5):
                days = [(first_day + shift + 2 * k) % 5 for k in range(per_week)]
                times = timetable.book(person, days, minutes, afternoon)
                if times:
                    deliverer = person
                    break
            if times:
                break
        if staff and times is None:
            continue  # no one has the time: these pupils wait for a place
        booked[deliverer.pk if deliverer else 0] += per_week * minutes
        group = Group.objects.create(
            school=school,
            intervention=intervention,
            # Within the group name's 100 characters (a few catalogue names are longer).
            name=f"{Truncator(intervention.name).chars(92)} ({_label(len(groups))})",
            deliverer=deliverer,
            room="Library" if len(groups) % 2 == 0 else "Room 12",
            places=places,
        )
        groups.append(group)
        times = times or [((first_day + 2 * k) % 5, time(13, 0)) for k in range(per_week)]
        slots += [
            Slot(school=school, group=group, weekday=day, starts_at=at, minutes=minutes)
            for day, at in times
        ]
        members += [
            GroupMember(
                school=school,
                group=group,
                placement=p,
                joined_on=min(p.plan.start_date, today),
            )
            for p in pupils
        ]
    _one_group_in_maths(school, staff, slots, members)
    Slot.objects.bulk_create(slots)
    GroupMember.objects.bulk_create(members)
    _trained_to_deliver(school, groups, today)
    # Each group's deliverer may see the pupils in it, as `delivery.services` would grant.
    pupil_access_grant_many(
        grants=(
            AccessGrant(school.pk, pupil_id, deliverer_id, PupilAccess.Basis.GROUP_DELIVERER, pk)
            for pk, pupil_id, deliverer_id in GroupMember.objects.filter(
                school=school, left_on__isnull=True, group__deliverer__isnull=False
            ).values_list("pk", "placement__plan__pupil_id", "group__deliverer_id")
        )
    )
    return groups


def _trained_to_deliver(school, groups: list[Group], today: date) -> None:
    """Whoever runs a group is trained in its programme (a school trains before it timetables)."""
    have = set(Training.objects.filter(school=school).values_list("staff_id", "intervention_id"))
    need = {
        (g.deliverer_id, g.intervention_id): g
        for g in groups
        if g.deliverer_id and (g.deliverer_id, g.intervention_id) not in have
    }
    Training.objects.bulk_create(
        Training(
            school=school,
            staff_id=staff_id,
            intervention_id=intervention_id,
            trained_on=today - timedelta(days=90),
        )
        for staff_id, intervention_id in need
    )


def _money(school, interventions, today) -> None:
    """This year's budget, and a cost per place worked out from the dose and TA time."""
    Budget.objects.create(
        school=school, year_starting=academic_year_start(today), amount=Decimal("18000")
    )
    costs = []
    for intervention in interventions:
        sessions = (intervention.sessions_per_week or 2) * (intervention.weeks or 10)
        minutes = intervention.minutes_per_session or 30
        size = 1 if intervention.format == "one_to_one" else (intervention.group_size or 4)
        per_pupil = (TA_HOURLY * sessions * minutes / 60 / size).quantize(Decimal("1"))
        note = (
            f"TA time at £{TA_HOURLY} an hour for {sessions} sessions of {minutes} minutes, "
            f"shared by {size} pupil{'s' if size > 1 else ''}"
        )
        costs.append(Cost(school=school, intervention=intervention, per_pupil=per_pupil, note=note))
    Cost.objects.bulk_create(costs)
