"""Reads of pupil data, always scoped to the actor.

Rule: a SENCO, head or school administrator sees every current pupil of their school; a teacher
or teaching assistant sees the pupils of the classes they work with; a parent sees only their own
children; an adviser sees no individual pupil. Archived pupils are never shown. Missing and
forbidden look the same (404), so a record's existence is not revealed.
"""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from sendwise.core.access import Actor
from sendwise.core.codes import AREA_OF_NEED, Need, Provision
from sendwise.core.roles import WHOLE_SCHOOL_ROLES, Role
from sendwise.pupils.models import (
    ClassGroup,
    ClassStaff,
    Contact,
    Pupil,
    SenNeed,
    SenProvisionRecord,
    SkillNeed,
)

SEN_PROVISIONS = (Provision.SEN_SUPPORT, Provision.EHC_PLAN)


def pupils_visible(*, actor: Actor) -> QuerySet[Pupil]:
    """Every current pupil this actor may see, in their current school."""
    if actor.user is None or actor.school is None:
        return Pupil.objects.none()
    pupils = Pupil.objects.filter(school=actor.school, archived_at__isnull=True)
    if actor.roles & WHOLE_SCHOOL_ROLES:
        return pupils
    scope = Q(pk__in=[])
    if actor.has_role(Role.TEACHER, Role.INTERVENTION_SPECIALIST):
        classes = ClassStaff.objects.filter(school=actor.school, user=actor.user).values(
            "class_group_id"
        )
        scope |= Q(class_group_id__in=classes) | _pupils_delivered_to(actor)
    if actor.has_role(Role.PARENT):
        children = Contact.objects.filter(school=actor.school, user=actor.user).values("pupil_id")
        scope |= Q(pk__in=children)
    return pupils.filter(scope)


def _pupils_delivered_to(actor: Actor) -> Q:
    """Pupils this person works with outside their classes: in a running group they deliver,
    or on a current plan's intervention they are named to deliver (DESIGN.md: "a teaching
    assistant sees the pupils they work with")."""
    from sendwise.delivery.models import GroupMember  # delivery builds on pupils
    from sendwise.planning.models import Placement, Plan

    in_groups = GroupMember.objects.filter(
        school=actor.school,
        left_on__isnull=True,
        group__archived=False,
        group__deliverer=actor.user,
    ).values("placement__plan__pupil_id")
    named = (
        Placement.objects.filter(school=actor.school, deliverer=actor.user)
        .exclude(plan__status=Plan.Status.REVIEWED)
        .values("plan__pupil_id")
    )
    return Q(pk__in=in_groups.order_by()) | Q(pk__in=named.order_by())


@dataclass(frozen=True)
class RegisterFilters:
    """What the register is filtered by; empty means no filter. `provision` 'sen' = K or E."""

    q: str = ""
    year: int | None = None
    need: str = ""
    provision: str = "sen"
    class_id: int | None = None
    area: str = ""
    skill: str = ""
    eal: bool | None = None
    pupil_premium: bool | None = None
    no_support: bool = False
    sort: str = "name"


#: Register sort orders: key -> (label, ordering).
SORTS = {
    "name": ("Surname", ("last_name", "first_name", "id")),
    "year": ("Year group", ("nc_year", "last_name", "first_name", "id")),
    "provision": (
        "Provision (EHC plans first)",
        ("sen_provision", "last_name", "first_name", "id"),
    ),
    "need": ("Primary need", ("primary_need", "last_name", "first_name", "id")),
}


def pupil_list(*, actor: Actor, filters: RegisterFilters) -> QuerySet[Pupil]:
    """The SEND register for this actor: search by name or UPN, filter by year, need, provision."""
    pupils = pupils_visible(actor=actor)
    if filters.provision == "sen":
        pupils = pupils.filter(sen_provision__in=SEN_PROVISIONS)
    elif filters.provision in Provision.values:
        pupils = pupils.filter(sen_provision=filters.provision)
    if filters.year is not None:
        pupils = pupils.filter(nc_year=filters.year)
    if filters.need:
        pupils = pupils.filter(Q(primary_need=filters.need) | Q(secondary_need=filters.need))
    if filters.class_id is not None:
        pupils = pupils.filter(class_group_id=filters.class_id)
    if filters.area:
        codes = [code for code, area in AREA_OF_NEED.items() if area == filters.area]
        pupils = pupils.filter(Q(primary_need__in=codes) | Q(secondary_need__in=codes))
    if filters.skill:
        pupils = pupils.filter(
            pk__in=SkillNeed.objects.filter(school=actor.school, skill__slug=filters.skill).values(
                "pupil_id"
            )
        )
    if filters.eal is not None:
        pupils = pupils.filter(eal=filters.eal)
    if filters.pupil_premium is not None:
        pupils = pupils.filter(pupil_premium=filters.pupil_premium)
    if filters.no_support:
        # "plans" is the reverse relation from planning.Plan: a current plan with at least one
        # intervention or strategy in it counts as support in place.
        supported = Pupil.objects.filter(
            school=actor.school,
            plans__status__in=["draft", "active"],
            plans__placements__isnull=False,
        ).values("pk")
        pupils = pupils.exclude(pk__in=supported)
    for term in filters.q.split():
        pupils = pupils.filter(
            Q(first_name__icontains=term) | Q(last_name__icontains=term) | Q(upn__iexact=term)
        )
    ordering = SORTS.get(filters.sort, SORTS["name"])[1]
    return pupils.select_related("class_group").order_by(*ordering)


def pupil_get(*, actor: Actor, pupil_id: int) -> Pupil:
    """One pupil the actor may see, or 404 (the same for missing, archived and not yours)."""
    pupil = (
        pupils_visible(actor=actor)
        .select_related("class_group", "school")
        .filter(pk=pupil_id)
        .first()
    )
    if pupil is None:
        raise Http404("No such pupil")
    return pupil


def pupil_contacts(*, actor: Actor, pupil: Pupil) -> list[Contact]:
    """Parents and carers of a pupil already checked with `pupil_get`; a parent sees only themself."""
    contacts = Contact.objects.filter(school=pupil.school_id, pupil=pupil)
    if not actor.is_staff_member:
        contacts = contacts.filter(user=actor.user)
    return list(contacts)


def children_of(*, actor: Actor) -> QuerySet[Pupil]:
    """A parent's own children in the current school."""
    if not actor.has_role(Role.PARENT):
        return Pupil.objects.none()
    return Pupil.objects.filter(
        school=actor.school,
        archived_at__isnull=True,
        pk__in=Contact.objects.filter(school=actor.school, user=actor.user).values("pupil_id"),
    ).select_related("class_group")


def class_choices(*, actor: Actor) -> QuerySet[ClassGroup]:
    """The classes of the actor's school, for filter lists (ids and names only)."""
    if actor.school is None:
        return ClassGroup.objects.none()
    return ClassGroup.objects.filter(school=actor.school).only("id", "name")


def classes_for_actor(*, actor: Actor) -> QuerySet[ClassGroup]:
    """Classes of the actor's school, with pupils on roll and pupils with SEN counted."""
    if actor.school is None:
        return ClassGroup.objects.none()
    current = Q(pupils__archived_at__isnull=True)
    return ClassGroup.objects.filter(school=actor.school).annotate(
        on_roll=Count("pupils", filter=current),
        with_sen=Count("pupils", filter=current & Q(pupils__sen_provision__in=SEN_PROVISIONS)),
    )


def register_summary(*, actor: Actor) -> dict:
    """Counts by provision and by primary need for the pupils this actor sees (one query each)."""
    pupils = pupils_visible(actor=actor)
    by_provision = dict(
        pupils.values_list("sen_provision")
        .annotate(n=Count("id"))
        .values_list("sen_provision", "n")
    )
    by_need = dict(
        pupils.filter(sen_provision__in=SEN_PROVISIONS)
        .values_list("primary_need")
        .annotate(n=Count("id"))
        .values_list("primary_need", "n")
    )
    total = sum(by_provision.values())
    return {
        "total": total,
        "sen_support": by_provision.get(Provision.SEN_SUPPORT, 0),
        "ehc_plan": by_provision.get(Provision.EHC_PLAN, 0),
        "sen_count": sum(by_need.values()),
        "by_need": [
            (code, Need(code).label, count)
            for code, count in sorted(by_need.items(), key=lambda item: (-item[1], item[0]))
            if code
        ],
    }


def census_readiness(*, actor: Actor) -> list[dict]:
    """Every current pupil who would fail the next census return, with the problems and fixes.

    Three queries whatever the size of the school: pupils, provision records, need records.
    """
    from sendwise.pupils.census_checks import Period, census_problems

    pupils = list(
        pupils_visible(actor=actor)
        .select_related("class_group")
        .order_by("last_name", "first_name")
    )
    provisions: dict[int, list] = {}
    for r in SenProvisionRecord.objects.filter(school=actor.school).values_list(
        "pupil_id", "provision", "start_date", "end_date"
    ):
        provisions.setdefault(r[0], []).append(Period(r[1], r[2], r[3]))
    needs: dict[int, list] = {}
    for r in SenNeed.objects.filter(school=actor.school).values_list(
        "pupil_id", "need_type", "start_date", "end_date", "rank"
    ):
        needs.setdefault(r[0], []).append(Period(r[1], r[2], r[3], r[4]))
    failing = []
    for pupil in pupils:
        if pupil.sen_provision == "N" and pupil.pk not in provisions:
            continue
        problems = census_problems(
            pupil.sen_provision,
            pupil.primary_need,
            pupil.secondary_need,
            provisions.get(pupil.pk, []),
            needs.get(pupil.pk, []),
        )
        if problems:
            failing.append({"pupil": pupil, "problems": problems})
    return failing
