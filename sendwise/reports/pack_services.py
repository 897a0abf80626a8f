"""Writes of whole-school report packs: asked for, started, finished or failed.

The pack is made by a task (``reports.tasks``); these are its only writes, each a short
transaction, so making thirty PDFs never holds the database's write lock for the whole run.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from sendwise.core.access import Actor
from sendwise.core.codes import Provision
from sendwise.core.models import AuditEntry
from sendwise.core.services import audit_record, service
from sendwise.core.tasks.services import task_progress_queue
from sendwise.planning.models import Plan
from sendwise.pupils.models import ClassGroup
from sendwise.pupils.selectors import pupils_visible
from sendwise.reports.models import MAX_PACK_PUPILS, ReportPack

CHOOSE_ONE = "Choose a class or a year group (one of the two)."
NO_SUCH_CLASS = "Choose one of the school's classes."
NO_PUPILS = (
    "No pupil in {label} is on the SEN register or has a support plan: choose another class or "
    "year group."
)
TOO_MANY = (
    "{label} has {n} pupils on roll; a pack holds at most {max}, so that it is ready in minutes: "
    "choose a class instead."
)
YEAR_LABEL = "Year {year}"
RECEPTION = "Reception"


def pack_pupils(*, actor: Actor, pack: ReportPack):
    """The pupils a pack is for, as this actor may see them, in register order: those on the SEN
    register or with a support plan (a report for any other pupil would be an empty page)."""
    pupils = pupils_visible(actor=actor).filter(
        ~Q(sen_provision=Provision.NONE) | Exists(Plan.objects.filter(pupil=OuterRef("pk")))
    )
    if pack.class_group_id is not None:
        pupils = pupils.filter(class_group_id=pack.class_group_id)
    else:
        pupils = pupils.filter(nc_year=pack.nc_year)
    return pupils.order_by("last_name", "first_name", "id")


@service
def report_pack_request(
    *, actor: Actor, class_id: int | None = None, nc_year: int | None = None
) -> ReportPack:
    """Ask for every parent report of one class or one year group; the pack waits for a worker.
    ValidationError (field ``class_id`` or ``nc_year``), nothing saved, if the choice is not one
    of the school's classes or years, or holds no pupils or too many."""
    if (class_id is None) == (nc_year is None):
        raise ValidationError({"class_id": CHOOSE_ONE})
    pack = ReportPack(school=actor.school, requested_by=actor.user)
    field = "class_id"
    if class_id is not None:
        group = ClassGroup.objects.filter(school=actor.school, pk=class_id).first()
        if group is None:
            raise ValidationError({"class_id": NO_SUCH_CLASS})
        pack.class_group, pack.label = group, group.name
    else:
        field = "nc_year"
        pack.nc_year = nc_year
        pack.label = RECEPTION if nc_year == 0 else YEAR_LABEL.format(year=nc_year)
    n = pack_pupils(actor=actor, pack=pack).count()
    if n == 0:
        raise ValidationError({field: NO_PUPILS.format(label=pack.label)})
    if n > MAX_PACK_PUPILS:
        raise ValidationError({field: TOO_MANY.format(label=pack.label, n=n, max=MAX_PACK_PUPILS)})
    pack.full_clean()
    pack.save()
    task_progress_queue(key=pack.progress_key, school_id=pack.school_id)
    return pack


@service
def report_pack_started(*, pack: ReportPack) -> bool:
    """A worker takes the pack: False (nothing changed) if another already took it."""
    return bool(
        ReportPack.objects.filter(pk=pack.pk, status=ReportPack.Status.QUEUED).update(
            status=ReportPack.Status.RUNNING
        )
    )


@service
def report_pack_finish(*, pack: ReportPack, content: bytes, pupils: int, filename: str) -> None:
    ReportPack.objects.filter(pk=pack.pk).update(
        status=ReportPack.Status.DONE,
        content=content,
        pupils=pupils,
        filename=filename[:120],
        finished_at=timezone.now(),
    )


@service
def report_pack_failed(*, pack_id: int, error: str) -> None:
    ReportPack.objects.filter(pk=pack_id).exclude(status=ReportPack.Status.DONE).update(
        status=ReportPack.Status.FAILED, error=error[:300], finished_at=timezone.now()
    )


def report_pack_downloaded(*, actor: Actor, pack: ReportPack, request=None) -> None:
    """The ZIP leaves SENDwise: recorded in the audit log (the pupils' reads were recorded, one
    each, when the pack was made)."""
    audit_record(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        object_type="report pack",
        object_id=pack.pk,
        object_repr=str(pack),
        detail=f"{pack.pupils} parent reports",
        request=request,
    )


def report_exported(*, actor: Actor, what: str, detail: str = "", request=None) -> None:
    """A school-level report (no pupil named in it) left SENDwise as a file: recorded."""
    audit_record(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        object_type="report",
        object_id="-",
        object_repr=what,
        detail=detail,
        request=request,
    )
