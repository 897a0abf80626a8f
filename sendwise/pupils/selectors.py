"""Reads of pupil data, always scoped to the actor.

Rule: a SENCO, head or school administrator sees every current pupil of their school; anyone
else sees the pupils they have an open `PupilAccess` row for, on a basis their role allows (a
teacher or intervention specialist: their classes, the groups they run, the support they are
named to deliver; a parent: their own children); an adviser sees no individual pupil. Archived
pupils are never shown. Missing and forbidden look the same (404), so a record's existence is
not revealed. `pupil_for` is the one road to a single pupil: it also writes the read, or the
refusal, to the audit log.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Value
from django.http import Http404
from django.utils import timezone

from sendwise.core.access import Actor
from sendwise.core.codes import AREA_OF_NEED, Need, Provision
from sendwise.core.models import AuditEntry
from sendwise.core.roles import CLASS_WEEK_ROLES, WHOLE_SCHOOL_ROLES, Role
from sendwise.core.services import audit_record
from sendwise.pupils.models import (
    ClassGroup,
    ClassStaff,
    Contact,
    Pupil,
    PupilAccess,
    SenNeed,
    SenProvisionRecord,
    SkillNeed,
)

SEN_PROVISIONS = (Provision.SEN_SUPPORT, Provision.EHC_PLAN)
Basis = PupilAccess.Basis
_WORKS_WITH = (Basis.CLASS_STAFF, Basis.GROUP_DELIVERER, Basis.NAMED_DELIVERER)
#: Which access rows count for each role that is not whole-school. An outside professional's
#: rows (basis "professional") count for no role yet: that role comes with its consent service.
BASES_BY_ROLE = {
    Role.TEACHER: _WORKS_WITH,
    Role.INTERVENTION_SPECIALIST: _WORKS_WITH,
    Role.PARENT: (Basis.PARENT,),
}
#: What a refused attempt records in place of the pupil's name (which it must not reveal).
REFUSED_REPR = "Pupil no. {pupil_id}"
REFUSED_DETAIL = "{purpose}: no such pupil here, or not theirs to see"


def _bases(actor: Actor) -> set[str]:
    return {basis for role in actor.roles for basis in BASES_BY_ROLE.get(role, ())}


def pupils_visible(*, actor: Actor) -> QuerySet[Pupil]:
    """Every current pupil this actor may see, in their current school."""
    if actor.user is None or actor.school is None:
        return Pupil.unscoped.none()
    pupils = Pupil.unscoped.filter(school=actor.school, archived_at__isnull=True)
    if actor.roles & WHOLE_SCHOOL_ROLES:
        return pupils
    bases = _bases(actor)
    if not bases:
        return pupils.none()
    # Rows of these bases end when their relationship ends (at that moment, never in advance),
    # so "in force" is "no end yet", which the partial index `pupil_access_open` serves. An
    # outside professional's row carries its consent's end date ahead of time: that role will
    # read its rows with `PupilAccess.objects.open()`.
    granted = PupilAccess.objects.filter(
        school=actor.school,
        user=actor.user,
        basis__in=sorted(bases),
        ends_at__isnull=True,
        starts_at__lte=timezone.now(),
    ).values("pupil_id")
    return pupils.filter(pk__in=granted)


#: Shown in place of the name of a pupil the reader may not see: a place is taken, not by whom.
PUPIL_NOT_SHOWN = "A pupil in another class"


@dataclass(frozen=True)
class PupilLabel:
    """A pupil inside another record (a group's member, a concern) as this reader may see them:
    their name and id (for a link), or a neutral label and no id."""

    pupil_id: int | None
    name: str


def pupil_labels(*, actor: Actor, pupils: Iterable[Pupil]) -> dict[int, PupilLabel]:
    """Labels by pupil id: the name where the actor may see the pupil (`pupils_visible`), the
    neutral label elsewhere. Selectors that show pupils inside other records use it, so no page
    can print a name its reader may not see. One query."""
    pupils = list(pupils)
    visible = set(
        pupils_visible(actor=actor)
        .filter(pk__in=[p.pk for p in pupils])
        .values_list("pk", flat=True)
    )
    return {
        p.pk: PupilLabel(p.pk, p.full_name)
        if p.pk in visible
        else PupilLabel(None, PUPIL_NOT_SHOWN)
        for p in pupils
    }


def pupil_for(*, actor: Actor, pupil_id: int, purpose: str) -> Pupil:
    """The one road to a pupil: the pupil if this actor may see them, with the read written to
    the audit log with its `purpose` ("record", "add score" ...); otherwise 404, the same for a
    missing, archived or forbidden pupil, with the refused attempt written to the audit log of
    the actor's school (who, which id, when, from where), so the SENCO can see probing.
    One query to find the pupil, one to write the audit entry."""
    pupil = (
        pupils_visible(actor=actor)
        .select_related("class_group", "school")
        .filter(pk=pupil_id)
        .first()
    )
    if pupil is None:
        if actor.user is not None and actor.school is not None:
            audit_record(
                actor=actor,
                action=AuditEntry.Action.REFUSED,
                object_type="pupil",
                object_id=str(pupil_id)[:50],
                object_repr=REFUSED_REPR.format(pupil_id=pupil_id),
                detail=REFUSED_DETAIL.format(purpose=_sentence(purpose)),
            )
        raise Http404("No such pupil")
    pupil_read_audit(actor=actor, pupil=pupil, purpose=purpose)
    return pupil


def pupil_on_file_for(*, actor: Actor, pupil_id: int, purpose: str) -> Pupil:
    """The road to a pupil's file for the school's record-keeping duties that reach archived
    pupils too (subject access, retention): whole-school roles (SENCO, head, administrator)
    only, in their own school; anyone else, a missing pupil and another school's pupil get the
    same 404. Audited as `pupil_for` is: the read with its purpose, or the refusal."""
    pupil = None
    if actor.user is not None and actor.school is not None and actor.roles & WHOLE_SCHOOL_ROLES:
        pupil = (
            Pupil.unscoped.filter(school=actor.school, pk=pupil_id)
            .select_related("class_group", "school")
            .first()
        )
    if pupil is None:
        if actor.user is not None and actor.school is not None:
            audit_record(
                actor=actor,
                action=AuditEntry.Action.REFUSED,
                object_type="pupil",
                object_id=str(pupil_id)[:50],
                object_repr=REFUSED_REPR.format(pupil_id=pupil_id),
                detail=REFUSED_DETAIL.format(purpose=purpose.capitalize()),
            )
        raise Http404("No such pupil")
    pupil_read_audit(actor=actor, pupil=pupil, purpose=purpose)
    return pupil


def pupil_read_audit(*, actor: Actor, pupil: Pupil, purpose: str) -> None:
    """Write a read of a pupil's record to the audit log. `pupil_for` calls it; so does a
    selector that shows a pupil reached through another record the actor was given (the
    observation request a SENCO sent them), never a view."""
    audit_record(
        actor=actor,
        action=AuditEntry.Action.VIEW,
        object_type="pupil",
        object_id=pupil.pk,
        object_repr=pupil.full_name,
        detail=_sentence(purpose),
    )


def _sentence(purpose: str) -> str:
    """The purpose with a capital first letter and the rest as written ("EHC evidence pack",
    not str.capitalize's "Ehc evidence pack")."""
    return purpose[:1].upper() + purpose[1:]


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
        supported = Pupil.unscoped.filter(
            school=actor.school,
            plans__status__in=["draft", "active"],
            plans__placements__isnull=False,
            plans__placements__withdrawn_at__isnull=True,
        ).values("pk")
        pupils = pupils.exclude(pk__in=supported)
    for term in filters.q.split():
        pupils = pupils.filter(
            Q(first_name__icontains=term) | Q(last_name__icontains=term) | Q(upn__iexact=term)
        )
    ordering = SORTS.get(filters.sort, SORTS["name"])[1]
    return pupils.select_related("class_group").order_by(*ordering)


def pupil_contacts(*, actor: Actor, pupil: Pupil) -> list[Contact]:
    """Parents and carers of a pupil already checked with `pupil_for`; a parent sees only themself."""
    contacts = Contact.objects.filter(school=pupil.school_id, pupil=pupil)
    if not actor.is_staff_member:
        contacts = contacts.filter(user=actor.user)
    return list(contacts)


def children_of(*, actor: Actor) -> QuerySet[Pupil]:
    """A parent's own children in the current school."""
    if not actor.has_role(Role.PARENT):
        return Pupil.unscoped.none()
    return (
        pupils_visible(actor=actor)
        .filter(
            pk__in=Contact.objects.filter(school=actor.school, user=actor.user).values("pupil_id")
        )
        .select_related("class_group")
    )


def class_choices(*, actor: Actor) -> QuerySet[ClassGroup]:
    """The classes of the actor's school, for filter lists (ids and names only)."""
    if actor.school is None:
        return ClassGroup.objects.none()
    return ClassGroup.objects.filter(school=actor.school).only("id", "name")


def classes_for_actor(*, actor: Actor) -> QuerySet[ClassGroup]:
    """Classes of the actor's school, with pupils on roll and pupils with SEN counted, and
    ``week_open``: whether the actor may open the class's week of support (the SENCO and the
    head every class's; teachers and intervention specialists the classes they work with)."""
    if actor.school is None:
        return ClassGroup.objects.none()
    current = Q(pupils__archived_at__isnull=True)
    week_roles = actor.roles & CLASS_WEEK_ROLES
    if week_roles & WHOLE_SCHOOL_ROLES:
        week_open = Value(True)
    elif week_roles and actor.user is not None:
        week_open = Exists(
            ClassStaff.objects.filter(
                school=actor.school, user=actor.user, class_group=OuterRef("pk")
            )
        )
    else:
        week_open = Value(False)
    return ClassGroup.objects.filter(school=actor.school).annotate(
        on_roll=Count("pupils", filter=current),
        with_sen=Count("pupils", filter=current & Q(pupils__sen_provision__in=SEN_PROVISIONS)),
        week_open=week_open,
    )


def register_summary(*, actor: Actor) -> dict:
    """Counts by provision and by primary need for the pupils this actor sees: one query (the
    count of each provision and need together), summed here both ways. It is on the home page
    and the register, the most used pages."""
    cells = (
        pupils_visible(actor=actor)
        .order_by()
        .values_list("sen_provision", "primary_need")
        .annotate(n=Count("id"))
        .values_list("sen_provision", "primary_need", "n")
    )
    by_provision: dict[str, int] = {}
    by_need: dict[str, int] = {}
    for provision, need, n in cells:
        by_provision[provision] = by_provision.get(provision, 0) + n
        if provision in SEN_PROVISIONS:
            by_need[need] = by_need.get(need, 0) + n
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
