"""Checking `PupilAccess` against the relationships it is written from.

Each app computes the rows its own relationships call for (`expected_class_staff` and
`expected_parents` here, `planning.access` for named deliverers, `delivery.access` for groups),
as plain `AccessGrant` values; `access_drift` compares them with the open rows and
`access_drift_fix` repairs the difference. The `access_check` command (in `delivery`, the
highest app whose relationships count) puts them together, so `pupils` never imports upwards.

Outside professionals' rows have no relationship to be computed from (consent is the record),
so they are counted but never called drift.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction

from sendwise.pupils.access_services import (
    AccessGrant,
    pupil_access_end_rows,
    pupil_access_grant_many,
)
from sendwise.pupils.models import ClassStaff, Contact, Pupil, PupilAccess

Basis = PupilAccess.Basis
#: The bases computed from relationships (and so checked).
CHECKED = (Basis.CLASS_STAFF, Basis.GROUP_DELIVERER, Basis.NAMED_DELIVERER, Basis.PARENT)


def expected_class_staff(*, school_id: int | None = None) -> set[AccessGrant]:
    """Every pupil (archived too) may be seen by the staff of their class. Two queries."""
    links = ClassStaff.objects.all()
    pupils = Pupil.unscoped.filter(class_group__isnull=False)
    if school_id is not None:
        links, pupils = links.filter(school_id=school_id), pupils.filter(school_id=school_id)
    by_class: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for link_id, school, class_id, user_id in links.values_list(
        "pk", "school_id", "class_group_id", "user_id"
    ):
        by_class.setdefault((school, class_id), []).append((link_id, user_id))
    return {
        AccessGrant(school, pupil_id, user_id, Basis.CLASS_STAFF, link_id)
        for pupil_id, school, class_id in pupils.values_list("pk", "school_id", "class_group_id")
        for link_id, user_id in by_class.get((school, class_id), [])
    }


def expected_parents(*, school_id: int | None = None) -> set[AccessGrant]:
    """Parents and carers whose contact record is linked to a sign-in account. One query."""
    contacts = Contact.objects.filter(user__isnull=False)
    if school_id is not None:
        contacts = contacts.filter(school_id=school_id)
    return {
        AccessGrant(school, pupil_id, user_id, Basis.PARENT, contact_id)
        for contact_id, school, pupil_id, user_id in contacts.values_list(
            "pk", "school_id", "pupil_id", "user_id"
        )
    }


def open_rows(*, school_id: int | None = None) -> dict[AccessGrant, int]:
    """The open rows (no end) of the checked bases, by grant, with their primary keys."""
    rows = PupilAccess.objects.filter(ends_at__isnull=True, basis__in=CHECKED)
    if school_id is not None:
        rows = rows.filter(school_id=school_id)
    return {
        AccessGrant(school, pupil_id, user_id, basis, source_id): pk
        for pk, school, pupil_id, user_id, basis, source_id in rows.values_list(
            "pk", "school_id", "pupil_id", "user_id", "basis", "source_id"
        ).iterator(chunk_size=5000)
    }


@dataclass
class Drift:
    """What the rows lack (`missing`) and hold beyond the relationships (`extra`)."""

    expected: Counter = field(default_factory=Counter)
    found: Counter = field(default_factory=Counter)
    missing: set[AccessGrant] = field(default_factory=set)
    extra: dict[AccessGrant, int] = field(default_factory=dict)
    professional: int = 0

    @property
    def ok(self) -> bool:
        return not self.missing and not self.extra


def access_drift(*, expected: Iterable[AccessGrant], school_id: int | None = None) -> Drift:
    """Compare the rows the relationships call for with the open rows (of one school, or all)."""
    expected = set(expected)
    found = open_rows(school_id=school_id)
    professional = PupilAccess.objects.open().filter(basis=Basis.PROFESSIONAL)
    if school_id is not None:
        professional = professional.filter(school_id=school_id)
    return Drift(
        expected=Counter(g.basis for g in expected),
        found=Counter(g.basis for g in found),
        missing=expected - set(found),
        extra={g: pk for g, pk in found.items() if g not in expected},
        professional=professional.count(),
    )


@transaction.atomic
def access_drift_fix(*, drift: Drift) -> None:
    """Open the missing rows and end the extra ones (ended rows stay as history)."""
    pupil_access_grant_many(grants=drift.missing)
    pupil_access_end_rows(row_ids=drift.extra.values())
