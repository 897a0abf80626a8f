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

from datetime import date

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
