"""Writes to `PupilAccess`: who may see which pupil, and why.

Every service that starts or ends a relationship with a pupil (a class's staff, a pupil joining
or leaving a class, a parent's account, a group's members and deliverer, a named deliverer)
calls these in its own transaction, so the rows never lag behind the relationships. Apps above
`pupils` (planning, delivery, exchange) call `pupil_access_grant` and `pupil_access_end` with the
ids of their own rows; the relationships that live in `pupils` (class staff, classes, contacts)
are kept here. Everything is bulk: an import of 2,000 pupils costs a few queries, not 2,000.

Ending a row sets `ends_at`; nothing here deletes, so "who could see this child last spring" can
be answered later. Granting an open row twice is harmless (the second insert is ignored).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from sendwise.core.access import Actor
from sendwise.core.models import AuditEntry, Membership, User
from sendwise.core.roles import STAFF_ROLES, Role
from sendwise.core.services import audit_record, service
from sendwise.pupils.models import ClassGroup, ClassStaff, Contact, Pupil, PupilAccess

Basis = PupilAccess.Basis
BATCH = 1000

NOT_STAFF_HERE = "Choose a member of staff of this school"
CLASS_NOT_HERE = "Choose a class in this school"
ALREADY_CLASS_STAFF = "{name} already works with {group}"
NOT_PARENT_HERE = "Choose a parent or carer who has an account at this school"


@dataclass(frozen=True, order=True)
class AccessGrant:
    """One person may see one pupil, on one basis, because of one relationship row."""

    school_id: int
    pupil_id: int
    user_id: int
    basis: str
    source_id: int


@transaction.atomic
def pupil_access_grant_many(*, grants: Iterable[AccessGrant]) -> int:
    """Open a row for each grant (already open ones are left as they are); returns how many
    were asked for. One insert per thousand rows."""
    rows = [
        PupilAccess(
            school_id=g.school_id,
            pupil_id=g.pupil_id,
            user_id=g.user_id,
            basis=g.basis,
            source_id=g.source_id,
        )
        for g in sorted(set(grants))  # one order, so concurrent grants do not deadlock
    ]
    PupilAccess.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    return len(rows)


def pupil_access_grant(
    *, school_id: int, basis: str, source_id: int, user_id: int | None, pupil_ids: Iterable[int]
) -> int:
    """`user_id` may see each of `pupil_ids` because of the row `source_id` (nothing for no user)."""
    if user_id is None:
        return 0
    return pupil_access_grant_many(
        grants=(
            AccessGrant(school_id, pupil_id, user_id, basis, source_id) for pupil_id in pupil_ids
        )
    )


@transaction.atomic
def pupil_access_end(
    *,
    basis: str,
    source_ids: Iterable[int],
    pupil_ids: Iterable[int] | None = None,
    user_id: int | None = None,
) -> int:
    """End the open rows granted by `source_ids` (only for `pupil_ids`, or only for `user_id`,
    when given); returns how many ended. The rows stay, with the time they ended."""
    source_ids = list(source_ids)
    if not source_ids:
        return 0
    rows = PupilAccess.objects.filter(basis=basis, source_id__in=source_ids, ends_at__isnull=True)
    if pupil_ids is not None:
        rows = rows.filter(pupil_id__in=list(pupil_ids))
    if user_id is not None:
        rows = rows.filter(user_id=user_id)
    return _end(rows)


def _end(rows) -> int:
    # A row that has not started yet ends when it would have started (the dates stay in order).
    return rows.update(ends_at=Greatest(Value(timezone.now()), F("starts_at")))


@transaction.atomic
def pupil_access_end_rows(*, row_ids: Iterable[int]) -> int:
    """End these open rows, by primary key (a class move, `access_check --fix`)."""
    row_ids = list(row_ids)
    return sum(
        _end(PupilAccess.objects.filter(pk__in=row_ids[n : n + BATCH * 10], ends_at__isnull=True))
        for n in range(0, len(row_ids), BATCH * 10)
    )


# --- Relationships kept in `pupils` ----------------------------------------------------------
@transaction.atomic
def class_staff_access_grant(*, class_staff: Iterable[ClassStaff]) -> int:
    """The staff of a class may see its pupils (archived ones too: the register hides those).
    One query for the pupils, then bulk inserts."""
    links = list(class_staff)
    if not links:
        return 0
    by_class: dict[int, list[ClassStaff]] = {}
    for link in links:
        by_class.setdefault(link.class_group_id, []).append(link)
    pupils = Pupil.unscoped.filter(class_group_id__in=list(by_class)).values_list(
        "pk", "school_id", "class_group_id"
    )
    return pupil_access_grant_many(
        grants=(
            AccessGrant(school_id, pupil_id, link.user_id, Basis.CLASS_STAFF, link.pk)
            for pupil_id, school_id, class_id in pupils
            for link in by_class[class_id]
            if link.school_id == school_id
        )
    )


@transaction.atomic
def pupil_access_classes_sync(*, pupil_ids: Iterable[int]) -> None:
    """After pupils join, leave or change class (a register edit, an import): the staff of
    each pupil's class now may see them, and the staff of a class they left no longer may.
    Three queries and two bulk writes whatever the number of pupils."""
    pupil_ids = list(pupil_ids)
    if not pupil_ids:
        return
    pupils = {
        pk: (school_id, class_id)
        for pk, school_id, class_id in Pupil.unscoped.filter(pk__in=pupil_ids).values_list(
            "pk", "school_id", "class_group_id"
        )
    }
    class_ids = {class_id for _school, class_id in pupils.values() if class_id is not None}
    staff: dict[int, list[tuple[int, int, int]]] = {}
    for link_id, class_id, user_id, school_id in ClassStaff.objects.filter(
        class_group_id__in=class_ids
    ).values_list("pk", "class_group_id", "user_id", "school_id"):
        staff.setdefault(class_id, []).append((link_id, user_id, school_id))
    wanted = {
        AccessGrant(school_id, pupil_id, user_id, Basis.CLASS_STAFF, link_id)
        for pupil_id, (school_id, class_id) in pupils.items()
        for link_id, user_id, link_school in staff.get(class_id, [])
        if link_school == school_id
    }
    current = PupilAccess.objects.filter(
        basis=Basis.CLASS_STAFF, pupil_id__in=pupil_ids, ends_at__isnull=True
    )
    have = {
        AccessGrant(school_id, pupil_id, user_id, Basis.CLASS_STAFF, source_id): pk
        for pk, school_id, pupil_id, user_id, source_id in current.values_list(
            "pk", "school_id", "pupil_id", "user_id", "source_id"
        )
    }
    stale = [pk for grant, pk in have.items() if grant not in wanted]
    pupil_access_end_rows(row_ids=stale)
    pupil_access_grant_many(grants=wanted - set(have))


@transaction.atomic
def contact_access_grant(*, contacts: Iterable[Contact]) -> int:
    """Parents and carers with an account may see their own child."""
    return pupil_access_grant_many(
        grants=(
            AccessGrant(c.school_id, c.pupil_id, c.user_id, Basis.PARENT, c.pk)
            for c in contacts
            if c.user_id is not None
        )
    )


# --- Use cases ---------------------------------------------------------------------------------
def _check_school(actor: Actor, school_id: int) -> None:
    if actor.school is None or actor.school.pk != school_id:
        raise ValidationError({"class_group": [CLASS_NOT_HERE]})


@service
def class_staff_add(
    *, actor: Actor, class_group: ClassGroup, user: User, kind: str = ClassStaff.Kind.TEACHER
) -> ClassStaff:
    """A teacher or assistant starts working with a class: they may see its pupils from now."""
    _check_school(actor, class_group.school_id)
    if not Membership.objects.filter(
        user=user, school_id=class_group.school_id, role__in=STAFF_ROLES
    ).exists():
        raise ValidationError({"user": [NOT_STAFF_HERE]})
    if ClassStaff.objects.filter(class_group=class_group, user=user).exists():
        raise ValidationError({"user": [ALREADY_CLASS_STAFF.format(name=user, group=class_group)]})
    link = ClassStaff(
        school_id=class_group.school_id, class_group=class_group, user=user, kind=kind
    )
    link.full_clean()
    link.save()
    class_staff_access_grant(class_staff=[link])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="class",
        object_id=class_group.pk,
        object_repr=class_group.name,
        detail=f"{user} works with the class ({link.get_kind_display().lower()})",
    )
    return link


@service
def class_staff_remove(*, actor: Actor, class_staff: ClassStaff) -> None:
    """A teacher or assistant stops working with a class: their sight of its pupils ends now
    (the access rows stay, ended, as history)."""
    _check_school(actor, class_staff.school_id)
    pupil_access_end(basis=Basis.CLASS_STAFF, source_ids=[class_staff.pk])
    group, user = class_staff.class_group, class_staff.user
    class_staff.delete()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="class",
        object_id=group.pk,
        object_repr=group.name,
        detail=f"{user} no longer works with the class",
    )


@service
def contact_user_link(*, actor: Actor, contact: Contact, user: User | None) -> Contact:
    """Link a parent's or carer's sign-in account to their contact record (None unlinks it):
    the account may see the child from now, and a previous account no longer may."""
    if actor.school is None or actor.school.pk != contact.school_id:
        raise ValidationError({"user": [NOT_PARENT_HERE]})
    if (
        user is not None
        and not Membership.objects.filter(
            user=user, school_id=contact.school_id, role=Role.PARENT
        ).exists()
    ):
        raise ValidationError({"user": [NOT_PARENT_HERE]})
    if contact.user_id == (user.pk if user else None):
        return contact
    if contact.user_id is not None:
        pupil_access_end(basis=Basis.PARENT, source_ids=[contact.pk])
    contact.user = user
    contact._change_reason = "Account linked" if user else "Account unlinked"
    contact.save(update_fields=["user"])
    contact_access_grant(contacts=[contact])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="pupil",
        object_id=contact.pupil_id,
        object_repr=str(contact.pupil),
        detail=f"{contact.name}: sign-in account {'linked' if user else 'unlinked'}",
    )
    return contact
