"""Checks on a pupil's census fields that a school relies on. Pure: no Django import.

Sources:
- UPN structure and check letter: DfE "Unique pupil numbers (UPN): guidance for schools",
  validated with python-stdnum's `stdnum.gb.upn` (not re-implemented here).
- NC year from age: a pupil's normal year group is their age on 31 August before the school year
  starts, minus 4 (Reception holds children who are 4 on that date). DfE school census guide,
  "national curriculum year group" (pupils may be taught out of their chronological year group,
  so one year either side is accepted).
- SEN rules: School Census guide, SEN provision and type of need: a primary need is required at K
  and E; NSA ("no specialist assessment") is used only with SEN support (K); the secondary need
  must differ from the primary; pupils at N have no type of need.
"""

from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.gb import upn as stdnum_upn

#: School Census type-of-need codes (DfE school census guide, "SEN type of need").
NEED_CODES = frozenset(
    {"SPLD", "MLD", "SLD", "PMLD", "SEMH", "SLCN", "HI", "VI", "MSI", "PD", "ASD", "OTH", "NSA"}
)
#: SEN provision codes: N no SEN, K SEN support, E education, health and care plan.
PROVISION_CODES = frozenset({"N", "K", "E"})

UPN_INVALID_FORMAT = (
    "Enter a UPN of 13 characters: a check letter, then 12 digits or 11 digits and a letter"
)
UPN_INVALID_CHECK = (
    "The UPN's check letter does not match the rest of the number: check it was copied correctly"
)
UPN_UNKNOWN_LA = "The UPN does not start with a known local authority number"
DOB_IN_FUTURE = "Date of birth must be in the past"
DOB_WRONG_YEAR = "Date of birth does not fit {year_label}: a pupil born on {dob} would normally be in {expected_label}"
NEED_REQUIRED = "Choose the primary type of need for a pupil at SEN support or with an EHC plan"
NEED_WITHOUT_SEN = "Remove the type of need, or choose SEN support or EHC plan: a pupil with no SEN has no type of need"
NSA_ONLY_WITH_K = "NSA (no specialist assessment) can only be used for a pupil at SEN support"
SECONDARY_SAME_AS_PRIMARY = "The secondary need must be different from the primary need"
SECONDARY_WITHOUT_PRIMARY = "Choose a primary need before a secondary need"


def clean_upn(value: str) -> str:
    """Return the UPN in its compact upper-case form, or raise ValueError with a clear message."""
    try:
        return stdnum_upn.validate(value)
    except StdnumError as error:
        name = type(error).__name__
        if name == "InvalidChecksum":
            raise ValueError(UPN_INVALID_CHECK) from None
        if name == "InvalidComponent":
            raise ValueError(UPN_UNKNOWN_LA) from None
        raise ValueError(UPN_INVALID_FORMAT) from None


def academic_year_start(today: date) -> int:
    """The calendar year in which the current school year began (it starts on 1 September)."""
    return today.year if today.month >= 9 else today.year - 1


def expected_nc_year(date_of_birth: date, today: date) -> int:
    """The year group a pupil born on `date_of_birth` would normally be in during this school year."""
    cutoff = date(academic_year_start(today), 8, 31)
    age = cutoff.year - date_of_birth.year
    if (date_of_birth.month, date_of_birth.day) > (cutoff.month, cutoff.day):
        age -= 1
    return age - 4


def _year_label(year: int) -> str:
    return "Reception" if year == 0 else f"Year {year}"


def check_date_of_birth(date_of_birth: date, nc_year: int, today: date) -> list[tuple[str, str]]:
    """Errors as (field, message): future dates, and ages more than a year out of the NC year."""
    if date_of_birth >= today:
        return [("date_of_birth", DOB_IN_FUTURE)]
    expected = expected_nc_year(date_of_birth, today)
    if abs(expected - nc_year) > 1:
        return [
            (
                "date_of_birth",
                DOB_WRONG_YEAR.format(
                    year_label=_year_label(nc_year),
                    dob=date_of_birth.strftime("%-d %B %Y"),
                    expected_label=_year_label(expected) if expected >= 0 else "nursery",
                ),
            )
        ]
    return []


def check_sen(provision: str, primary: str, secondary: str) -> list[tuple[str, str]]:
    """Errors as (field, message) for the census rules on SEN provision and type of need."""
    errors = []
    if provision == "N":
        if primary or secondary:
            errors.append(("primary_need", NEED_WITHOUT_SEN))
        return errors
    if not primary:
        errors.append(("primary_need", NEED_REQUIRED))
    if secondary and not primary:
        errors.append(("secondary_need", SECONDARY_WITHOUT_PRIMARY))
    if "NSA" in (primary, secondary) and provision != "K":
        errors.append(("primary_need" if primary == "NSA" else "secondary_need", NSA_ONLY_WITH_K))
    if secondary and secondary == primary:
        errors.append(("secondary_need", SECONDARY_SAME_AS_PRIMARY))
    return errors


@dataclass(frozen=True)
class Period:
    """A dated SEN record (provision or need) as the census readiness check sees it."""

    code: str
    start: date
    end: date | None
    rank: int = 0


CENSUS_MORE_THAN_ONE_OPEN = "More than one open SEN provision record"
CENSUS_NO_PRIMARY = "At {provision} but no primary need recorded"
CENSUS_NSA_NOT_K = "NSA recorded with an EHC plan: NSA is only for SEN support"
CENSUS_SECONDARY_SAME = "Secondary need is the same as the primary need"
CENSUS_DATES_ORDER = "A {what} record ends before it starts ({start} to {end})"
CENSUS_OVERLAP = "SEN provision records overlap ({first} and {second})"
CENSUS_STATUS_MISMATCH = "Current provision {current} does not match the open record ({open})"
CENSUS_NO_OPEN_RECORD = "At {provision} but no open SEN provision record with a start date"
CENSUS_FIXES = {
    CENSUS_MORE_THAN_ONE_OPEN: "End the older record: a pupil has one SEN provision at a time.",
    CENSUS_NO_PRIMARY: "Record the primary type of need on the pupil's record.",
    CENSUS_NSA_NOT_K: "Record the assessed type of need: pupils with an EHC plan have one.",
    CENSUS_SECONDARY_SAME: "Choose a different secondary need, or remove it.",
    CENSUS_DATES_ORDER: "Correct the start or end date.",
    CENSUS_OVERLAP: "End the earlier record on or before the day the later one starts.",
    CENSUS_STATUS_MISMATCH: "Change the pupil's provision so it matches the open record.",
    CENSUS_NO_OPEN_RECORD: "Save the pupil's provision again so a dated record is opened.",
}


def census_problems(
    provision: str, primary: str, secondary: str, provisions: list[Period], needs: list[Period]
) -> list[tuple[str, str]]:
    """Problems that would fail the next School Census return, each as (problem, how to fix).

    Rules from the DfE School Census guide (SEN provision and SEN type of need): one current
    SEN provision; a primary need for every pupil at K or E; NSA only with K; no secondary need
    equal to the primary; dates in order.
    """
    problems: list[tuple[str, str]] = []

    def add(template: str, **values) -> None:
        problems.append((template.format(**values), CENSUS_FIXES[template]))

    open_records = [p for p in provisions if p.end is None]
    if len(open_records) > 1:
        add(CENSUS_MORE_THAN_ONE_OPEN)
    label = {"K": "SEN support", "E": "EHC plan"}.get(provision, provision)
    if provision in ("K", "E"):
        if not primary:
            add(CENSUS_NO_PRIMARY, provision=label)
        if not open_records:
            add(CENSUS_NO_OPEN_RECORD, provision=label)
        elif len(open_records) == 1 and open_records[0].code != provision:
            add(CENSUS_STATUS_MISMATCH, current=provision, open=open_records[0].code)
    if provision == "E" and "NSA" in (primary, secondary):
        add(CENSUS_NSA_NOT_K)
    if secondary and secondary == primary:
        add(CENSUS_SECONDARY_SAME)
    for what, records in (("provision", provisions), ("need", needs)):
        for record in records:
            if record.end is not None and record.end < record.start:
                add(CENSUS_DATES_ORDER, what=what, start=record.start, end=record.end)
    ordered = sorted(provisions, key=lambda p: p.start)
    for earlier, later in pairwise(ordered):
        overlaps = earlier.end is None or earlier.end > later.start
        both_open = earlier.end is None and later.end is None  # reported above
        if overlaps and not both_open:
            add(CENSUS_OVERLAP, first=earlier.start, second=later.start)
    return problems
