"""Writes to pupils' records. Each keeps history and leaves an audit entry; none deletes."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from sendwise.core.access import Actor
from sendwise.core.models import AuditEntry
from sendwise.core.services import audit_record, only_fields, service
from sendwise.pupils import census_checks
from sendwise.pupils.access_services import pupil_access_classes_sync
from sendwise.pupils.models import Pupil, SenNeed, SenProvisionRecord

ARCHIVE_REASON_REQUIRED = "Enter why this pupil's record is being archived"
UPN_TAKEN = "Another pupil in this school already has this UPN"

EDITABLE_FIELDS = (
    "upn",
    "first_name",
    "last_name",
    "date_of_birth",
    "nc_year",
    "class_group",
    "gender",
    "home_language",
    "eal",
    "pupil_premium",
    "sen_provision",
    "primary_need",
    "secondary_need",
)


def pupil_audit(actor: Actor, pupil: Pupil, action: str, detail: str, request=None) -> None:
    """Write an audit entry about a pupil's record (every app's writes to a pupil's plans,
    scores and reviews are audited against the pupil, so the SENCO reads them in one place)."""
    audit_record(
        actor=actor,
        action=action,
        object_type="pupil",
        object_id=pupil.pk,
        object_repr=pupil.full_name,
        detail=detail,
        request=request,
    )


def pupil_validate(*, pupil: Pupil, today: date | None = None) -> None:
    """Raise ValidationError (by field) for census rules the record breaks."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    try:
        pupil.upn = census_checks.clean_upn(pupil.upn or "")
    except ValueError as error:
        errors.setdefault("upn", []).append(str(error))
    else:
        clash = Pupil.unscoped.filter(school=pupil.school_id, upn=pupil.upn).exclude(pk=pupil.pk)
        if clash.exists():
            errors.setdefault("upn", []).append(UPN_TAKEN)
    checks = census_checks.check_sen(pupil.sen_provision, pupil.primary_need, pupil.secondary_need)
    if pupil.date_of_birth and pupil.nc_year is not None:
        checks += census_checks.check_date_of_birth(pupil.date_of_birth, pupil.nc_year, today)
    for field, message in checks:
        errors.setdefault(field, []).append(message)
    if pupil.class_group_id and pupil.class_group.school_id != pupil.school_id:
        errors.setdefault("class_group", []).append("Choose a class in this school")
    if errors:
        raise ValidationError(errors)


@service
def pupil_update(*, actor: Actor, pupil: Pupil, request=None, **changes) -> Pupil:
    """Change a pupil's details and SEN record; history keeps the previous version. Each
    change is a keyword named after an editable field (`EDITABLE_FIELDS`); others are refused."""
    only_fields(changes, EDITABLE_FIELDS, "pupil_update")
    before = {name: getattr(pupil, name) for name in EDITABLE_FIELDS}
    for name, value in changes.items():
        setattr(pupil, name, value)
    pupil_validate(pupil=pupil)
    pupil.full_clean(validate_unique=False, validate_constraints=False)
    changed = [name for name in EDITABLE_FIELDS if getattr(pupil, name) != before[name]]
    if not changed:
        return pupil
    pupil._change_reason = "Changed " + ", ".join(changed)
    pupil._history_user = actor.user  # who, also when called outside a request
    pupil.save()
    sen_records_sync(pupil=pupil, on=timezone.localdate(), user=actor.user)
    if "class_group" in changed:
        # The new class's staff may see the pupil from now; the old class's no longer may.
        pupil_access_classes_sync(pupil_ids=[pupil.pk])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="pupil",
        object_id=pupil.pk,
        object_repr=pupil.full_name,
        detail="Changed " + ", ".join(changed),
        request=request,
    )
    return pupil


@service
def pupil_archive(*, actor: Actor, pupil: Pupil, reason: str, request=None) -> Pupil:
    """Take a pupil off roll without deleting anything: the record and its history stay.

    Their `PupilAccess` rows stay open too: every selector leaves archived pupils out, and a
    pupil restored to the roll is seen again by the same people, as before."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [ARCHIVE_REASON_REQUIRED]})
    pupil.archived_at = timezone.now()
    pupil._change_reason = f"Archived: {reason}"[:100]
    pupil._history_user = actor.user
    pupil.save(update_fields=["archived_at"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.ARCHIVE,
        object_type="pupil",
        object_id=pupil.pk,
        object_repr=pupil.full_name,
        detail=reason,
        request=request,
    )
    return pupil


def sen_records_sync(*, pupil: Pupil, on: date, user=None) -> None:
    """Keep the dated SEN provision and need records in step with the pupil's current fields.

    A change of provision closes the open period (ending `on`) and opens a new one from `on`;
    likewise for each rank of need. Earlier periods are never changed, so the register can
    show when a pupil went on to SEN support, moved to an EHC plan, or came off the register.
    """
    open_provision = SenProvisionRecord.objects.filter(pupil=pupil, end_date__isnull=True).first()
    current = pupil.sen_provision if pupil.sen_provision != "N" else None
    if open_provision and open_provision.provision != current:
        open_provision.end_date = max(on, open_provision.start_date)
        open_provision._history_user = user
        open_provision.save(update_fields=["end_date"])
        open_provision = None
    if current and open_provision is None:
        record = SenProvisionRecord(
            school_id=pupil.school_id, pupil=pupil, provision=current, start_date=on
        )
        record._history_user = user
        record.save()
    wanted = {1: pupil.primary_need, 2: pupil.secondary_need}
    for record in SenNeed.objects.filter(pupil=pupil, end_date__isnull=True):
        if wanted.get(record.rank) != record.need_type:
            record.end_date = max(on, record.start_date)
            record._history_user = user
            record.save(update_fields=["end_date"])
        else:
            wanted.pop(record.rank)
    for rank, need in wanted.items():
        if need:
            opened = SenNeed(
                school_id=pupil.school_id, pupil=pupil, need_type=need, rank=rank, start_date=on
            )
            opened._history_user = user
            opened.save()
