"""Writes for the costs of provision: the hourly cost of each pay band, each member of staff's
band, each intervention's materials and licences, and who pays for a group or a pupil's place.
Each checks everything before writing (bad input changes nothing), keeps history and leaves an
audit entry. Money is pounds and pence, 0 or more, under a plausible maximum.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone

from sendwise.core.access import Actor
from sendwise.core.models import AuditEntry, User
from sendwise.core.services import audit_record, service
from sendwise.delivery.cost_models import (
    MAX_HOURLY,
    MAX_MATERIALS,
    Funding,
    FundingSource,
    PayBand,
    RunningCost,
    StaffBand,
    StaffRate,
)
from sendwise.delivery.models import Group
from sendwise.delivery.selectors import staff_members
from sendwise.evidence.models import Intervention
from sendwise.evidence.selectors import interventions_visible
from sendwise.planning.models import Placement

MONEY_INVALID = "Enter an amount in pounds, such as 18 or 18.50"
MONEY_NEGATIVE = "Enter an amount of £0 or more"
MONEY_PENCE = "Enter an amount in pounds and pence, with at most 2 decimal places"
HOURLY_TOO_LARGE = (
    f"Enter an hourly cost of at most £{MAX_HOURLY}: an hour of anyone's time costs less, "
    "so this is probably a typing slip"
)
MATERIALS_TOO_LARGE = (
    f"Enter at most £{MAX_MATERIALS:,}: materials or a licence for one intervention cost less, "
    "so this is probably a typing slip"
)
HOURLY_ZERO = (
    "Enter an hourly cost of more than £0: an hour of staff time always costs the school "
    "something. Leave the box empty if you do not know it, and the time is shown as not costed"
)
BAND_INVALID = "Choose a pay band from the list"
SOURCE_INVALID = "Choose where the money comes from"
NOT_STAFF = "Choose a member of staff of this school who delivers support"
INTERVENTION_UNKNOWN = "Choose an intervention from the catalogue"
GROUP_WRONG = "Choose one of this school's running groups"
PLACEMENT_WRONG = "Choose one of this pupil's places"
ONE_OFF_DATE_REQUIRED = "Enter the date the one-off cost was paid, so it is counted in its term"
ONE_OFF_DATE_FUTURE = "The date bought must be today or in the past"
#: A one-off cost older than this was paid before the school's records here began to matter.
ONE_OFF_OLDEST_YEARS = 10
ONE_OFF_DATE_OLD = f"The date bought must be within the last {ONE_OFF_OLDEST_YEARS} years"
NOTE_MAX = 300
NOTE_TOO_LONG = f"Describe them in {NOTE_MAX} characters or fewer"
FUNDING_NOTE_MAX = 200
FUNDING_NOTE_TOO_LONG = f"Write the note in {FUNDING_NOTE_MAX} characters or fewer"
#: The placement form's choice for "no source of its own: as its group".
AS_GROUP = "as_group"


#: An amount as a person types it once "£", commas and spaces are gone: digits with at most one
#: decimal point (a minus is let through so that a negative amount gets its own message).
#: Python's Decimal also reads "1e2" (100), "Infinity" and "NaN"; the forms' number fields refuse
#: those (core.bounded_forms), and every service that saves money reads it through ``pounds``.
PLAIN_POUNDS = re.compile(r"-?(\d+(\.\d*)?|\.\d+)")
WITH_EXPONENT = re.compile(r"-?(\d+(\.\d*)?|\.\d+)[eE][-+]?\d+")
MONEY_EXPONENT = (
    "Enter an amount as an ordinary number, such as 18 or 18.50: a number with an e in it "
    "(such as 1e2) is not accepted"
)


def pounds(value, *, invalid: str) -> Decimal:
    """The amount typed (or a Decimal or whole number passed by code), read by the one rule for
    money in this app; ``ValueError`` with the message to show when it is not an ordinary
    number (``invalid``, or ``MONEY_EXPONENT`` for "1e2"). Empty text is £0."""
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        if isinstance(value, Decimal) and not value.is_finite():
            raise ValueError(invalid)
        return Decimal(value)
    text = str(value if value is not None else "").replace(",", "").replace("£", "").strip()
    if WITH_EXPONENT.fullmatch(text):
        raise ValueError(MONEY_EXPONENT)
    if text and not PLAIN_POUNDS.fullmatch(text):
        raise ValueError(invalid)
    return Decimal(text or "0")


def money(value, field: str, errors: dict, most: int) -> Decimal | None:
    """Pounds and pence, 0 to ``most``; a clear message in ``errors[field]`` otherwise."""
    try:
        amount = pounds(value, invalid=MONEY_INVALID)
    except (InvalidOperation, ValueError) as error:
        errors.setdefault(field, []).append(str(error))
        return None
    if not amount.is_finite():
        errors.setdefault(field, []).append(MONEY_INVALID)
    elif amount < 0:
        errors.setdefault(field, []).append(MONEY_NEGATIVE)
    elif amount > most:
        errors.setdefault(field, []).append(
            HOURLY_TOO_LARGE if most == MAX_HOURLY else MATERIALS_TOO_LARGE
        )
    elif amount != amount.quantize(Decimal("0.01")):
        errors.setdefault(field, []).append(MONEY_PENCE)
    else:
        return amount.quantize(Decimal("0.01"))
    return None


def hourly_cost(value, field: str, errors: dict) -> Decimal | None:
    """An hourly cost: money, more than £0 (a band with no cost is left empty, never free)."""
    amount = money(value, field, errors, MAX_HOURLY)
    if amount is not None and amount == 0:
        errors.setdefault(field, []).append(HOURLY_ZERO)
        return None
    return amount


def _audit(actor, obj, text, request) -> None:
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type=type(obj).__name__.lower(),
        object_id=obj.pk,
        object_repr=str(obj)[:200],
        detail=text[:300],
        request=request,
    )


@service
def staff_rate_set(*, actor: Actor, band: str, hourly, request=None) -> StaffRate:
    """What an hour of one pay band's time costs the school, on-costs included."""
    errors: dict[str, list[str]] = {}
    if band not in PayBand.values:
        errors["band"] = [BAND_INVALID]
    value = hourly_cost(hourly, "hourly", errors)
    if errors:
        raise ValidationError(errors)
    rate, _ = StaffRate.objects.select_for_update().get_or_create(
        school=actor.school, band=band, defaults={"hourly": value}
    )
    if rate.hourly != value:
        rate.hourly = value
        rate.save(update_fields=["hourly"])
    _audit(actor, rate, f"£{value} an hour", request)
    return rate


@service
def staff_rates_set(*, actor: Actor, rates: dict[str, object], request=None) -> list[StaffRate]:
    """The hourly cost of several pay bands at once (all or none); a band left empty keeps no
    cost (its deliverers' time is shown as not costed)."""
    errors: dict[str, list[str]] = {}
    values = {}
    for band, hourly in rates.items():
        if band not in PayBand.values:
            errors[band] = [BAND_INVALID]
        elif str(hourly or "").strip():
            values[band] = hourly_cost(hourly, band, errors)
    if errors:
        raise ValidationError(errors)
    return [
        staff_rate_set(actor=actor, band=band, hourly=value, request=request)
        for band, value in values.items()
    ]


@service
def staff_band_set(*, actor: Actor, staff: User, band: str, request=None) -> StaffBand | None:
    """The pay band a member of staff's intervention time is costed at; ``""`` goes back to the
    band that follows their role (the row goes; its history stays)."""
    errors: dict[str, list[str]] = {}
    if not staff_members(actor=actor).filter(pk=staff.pk).exists():
        errors["staff"] = [NOT_STAFF]
    if band and band not in PayBand.values:
        errors["band"] = [BAND_INVALID]
    if errors:
        raise ValidationError(errors)
    row = StaffBand.objects.select_for_update().filter(school=actor.school, staff=staff).first()
    if not band:
        if row is not None:
            row.delete()
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            object_type="staffband",
            object_id=staff.pk,
            object_repr=str(staff),
            detail="Pay band follows their role",
            request=request,
        )
        return None
    if row is None:
        row = StaffBand.objects.create(school=actor.school, staff=staff, band=band)
    elif row.band != band:
        row.band = band
        row.save(update_fields=["band"])
    _audit(actor, row, row.get_band_display(), request)
    return row


@service
def running_cost_set(
    *,
    actor: Actor,
    intervention: Intervention,
    one_off,
    one_off_on: date | None,
    per_pupil,
    per_year,
    note: str = "",
    today: date | None = None,
    request=None,
) -> RunningCost:
    """The materials and licences of one intervention in this school."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if not interventions_visible(actor=actor).filter(pk=intervention.pk).exists():
        errors["intervention"] = [INTERVENTION_UNKNOWN]
    values = {
        name: money(value, name, errors, MAX_MATERIALS)
        for name, value in (("one_off", one_off), ("per_pupil", per_pupil), ("per_year", per_year))
    }
    if values["one_off"] and one_off_on is None:
        errors["one_off_on"] = [ONE_OFF_DATE_REQUIRED]
    if one_off_on is not None:
        if one_off_on > today:
            errors["one_off_on"] = [ONE_OFF_DATE_FUTURE]
        elif one_off_on < today - timedelta(days=366 * ONE_OFF_OLDEST_YEARS):
            errors["one_off_on"] = [ONE_OFF_DATE_OLD]
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = [NOTE_TOO_LONG]
    if errors:
        raise ValidationError(errors)
    row, _ = RunningCost.objects.select_for_update().get_or_create(
        school=actor.school, intervention=intervention
    )
    row.one_off = values["one_off"]
    row.one_off_on = one_off_on if values["one_off"] else None
    row.per_pupil = values["per_pupil"]
    row.per_year = values["per_year"]
    row.note = note
    row.full_clean()
    row.save()
    _audit(
        actor,
        row,
        f"{intervention.name}: once £{row.one_off}, per pupil £{row.per_pupil}, "
        f"per year £{row.per_year}",
        request,
    )
    return row


def _funding_checks(source: str, note: str, errors: dict, allowed: set[str]) -> str:
    if source not in allowed:
        errors["source"] = [SOURCE_INVALID]
    note = (note or "").strip()
    if len(note) > FUNDING_NOTE_MAX:
        errors["note"] = [FUNDING_NOTE_TOO_LONG]
    return note


@service
def group_funding_set(
    *, actor: Actor, group: Group, source: str, note: str = "", request=None
) -> Funding:
    """Who pays for a group's places (a pupil's own source, when set, overrides it)."""
    errors: dict[str, list[str]] = {}
    if group.school_id != actor.school.pk or group.archived:
        errors["group"] = [GROUP_WRONG]
    note = _funding_checks(source, note, errors, set(FundingSource.values))
    if errors:
        raise ValidationError(errors)
    row, _ = Funding.objects.select_for_update().get_or_create(
        school=actor.school, group=group, defaults={"source": source}
    )
    row.source, row.note = source, note
    row.save()
    _audit(actor, row, f"{group.name}: {row.get_source_display()}", request)
    return row


@service
def placement_funding_set(
    *, actor: Actor, placement: Placement, source: str, note: str = "", request=None
) -> Funding | None:
    """Who pays for one pupil's place (an EHC plan top-up, say), overriding their group's;
    ``AS_GROUP`` goes back to the group's source (the row goes; its history stays)."""
    errors: dict[str, list[str]] = {}
    if placement.school_id != actor.school.pk or placement.withdrawn:
        errors["placement"] = [PLACEMENT_WRONG]
    note = _funding_checks(source, note, errors, set(FundingSource.values) | {AS_GROUP})
    if errors:
        raise ValidationError(errors)
    row = Funding.objects.select_for_update().filter(placement=placement).first()
    if source == AS_GROUP:
        if row is not None:
            row.delete()
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            object_type="funding",
            object_id=placement.pk,
            object_repr=f"Place no. {placement.pk}",
            detail="Funding as its group",
            request=request,
        )
        return None
    if row is None:
        row = Funding(school=actor.school, placement=placement)
    row.source, row.note = source, note
    row.save()
    _audit(actor, row, f"Place no. {placement.pk}: {row.get_source_display()}", request)
    return row
