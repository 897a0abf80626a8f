"""Demo delivery for the main school: who is trained, their weekly intervention time, groups
running the interventions most plans use (with pupils in them), this year's budget, the
school's own costs, and a few adaptations practitioners wrote down.

Made-up data, so the SENCO sees recommendations that name staff and free places, and a
delivery page that is not empty. Runs after the demo plans; does nothing without them.
"""

import random
from collections import Counter
from datetime import date, time, timedelta
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
#: Weekly windows each intervention specialist has for interventions: mornings and early afternoons.
WINDOWS = ((time(9, 0), time(10, 30)), (time(13, 15), time(14, 45)))
GROUPS = 6

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
    groups = _groups(school, staff, top[:GROUPS], current, today)
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


def _groups(school, staff, interventions, current, today) -> list[Group]:
    """One group per intervention, each with its own deliverer and times that do not clash."""
    groups, slots, members = [], [], []
    for n, intervention in enumerate(interventions):
        # The demo specialist (staff[0]) runs two groups, the second in the afternoon windows.
        deliverer = (staff[0] if n % 3 == 0 else staff[n % len(staff)]) if staff else None
        afternoon = n >= len(staff) or (n > 0 and deliverer == staff[0])
        places = 1 if intervention.format == "one_to_one" else (intervention.group_size or 4)
        group = Group.objects.create(
            school=school,
            intervention=intervention,
            # Within the group name's 100 characters (a few catalogue names are longer).
            name=f"{Truncator(intervention.name).chars(95)} ({'ABCDEFGH'[n]})",
            deliverer=deliverer,
            room="Library" if n % 2 == 0 else "Room 12",
            places=places,
        )
        groups.append(group)
        per_week, minutes = group_dose(intervention)
        # The demo specialist's group (the first) meets today on a school day, so signing in
        # as them shows a session to record.
        first_day = today.weekday() if n == 0 and today.weekday() < 5 else n
        for k in range(per_week):
            slots.append(
                Slot(
                    school=school,
                    group=group,
                    weekday=(first_day + 2 * k) % 5,
                    starts_at=time(13, 15) if afternoon else time(9, 0),
                    minutes=minutes,
                )
            )
        pupils = [p for p in current if p.intervention_id == intervention.pk][: max(places - 1, 1)]
        members += [
            GroupMember(
                school=school,
                group=group,
                placement=p,
                joined_on=min(p.plan.start_date, today),
            )
            for p in pupils
        ]
    Slot.objects.bulk_create(slots)
    GroupMember.objects.bulk_create(members)
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
