"""Value parsers and row checks shared by the CSV and CTF readers. Pure: no Django import.

Each row is checked by the same census rules the pupil form uses (`pupils.census_checks`): UPN
check letter, date of birth that fits the NC year, SEN provision and type of need. Every problem
becomes a `RowError` naming the row, the field and the value found, so a school can fix its MIS
and export again; a row with any problem is left out of the import.
"""

import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import TypeVar

from sendwise.core.bounds import PLANNED, DateWindow
from sendwise.exchange.records import ImportFileError, NeedRecord, RowError
from sendwise.pupils.census_checks import (
    DOB_IN_FUTURE,
    NEED_CODES,
    PROVISION_CODES,
    check_date_of_birth,
    check_sen,
)

T = TypeVar("T")

DATE_INVALID = "Enter the date as DD/MM/YYYY (for example 23/11/2015) or YYYY-MM-DD"
DATE_INVALID_ISO = "Enter the date as YYYY-MM-DD, as the CTF specification requires"
DATE_NOT_REAL = "Enter a real date"
NC_YEAR_NURSERY = "SENDwise covers Reception to Year 13, so a nursery pupil cannot be imported"
NC_YEAR_INVALID = "Enter the NC year as R (Reception) or a number from 1 to 13"
BOOL_INVALID = "Enter Y or N (or Yes, No, True, False, 1, 0), or leave it blank"
GENDER_INVALID = "Enter the pupil's sex as M or F"
NAME_TOO_LONG = "Names can be up to 100 characters long"
LANGUAGE_INVALID = "Enter a DfE language code of 3 or 4 letters, for example ENG or POL"
PROVISION_INVALID = "Enter the SEN provision as N (no SEN), K (SEN support) or E (EHC plan)"
NEED_UNKNOWN = "Enter a School Census type of need: " + ", ".join(sorted(NEED_CODES))
NEED_REPEATED = "The same type of need is given more than once"
UPN_DUPLICATE = "This UPN is also on row {first}: each pupil can appear only once in the file"
FILE_TOO_BIG = "The file is {size} MB: the largest file SENDwise accepts is {limit} MB"
FILE_EMPTY = "The file is empty"

_DMY = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_LANGUAGE = re.compile(r"[A-Z]{3,4}")
_TRUE = {"Y", "YES", "TRUE", "1", "T"}
_FALSE = {"N", "NO", "FALSE", "0", "F"}
_NURSERY = {"N1", "N2", "E1", "E2", "NURSERY"}
_RECEPTION = {"R", "REC", "RECEPTION", "YR", "0"}
_PROVISION_WORDS = {
    "NO SEN": "N",
    "NONE": "N",
    "SEN SUPPORT": "K",
    "EHC PLAN": "E",
    "EHCP": "E",
}


def with_value(message: str, value: str) -> str:
    """The message with the value found in the file, cut short if it is long."""
    shown = value if len(value) <= 60 else value[:57] + "..."
    return f'{message} (found "{shown}")'


def check_size(data: bytes, max_bytes: int) -> None:
    """Refuse an empty file or one over the size limit (sizes in MB of 1,000,000 bytes)."""
    if len(data) > max_bytes:
        raise ImportFileError(
            FILE_TOO_BIG.format(size=f"{len(data) / 1e6:.1f}", limit=f"{max_bytes / 1e6:g}")
        )
    if not data.strip():
        raise ImportFileError(FILE_EMPTY)


def _make_date(year: str, month: str, day: str) -> date:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise ValueError(DATE_NOT_REAL) from None


def parse_date(value: str) -> date:
    """A date written DD/MM/YYYY (the UK MIS default) or YYYY-MM-DD."""
    if match := _DMY.fullmatch(value):
        return _make_date(match[3], match[2], match[1])
    if match := _ISO.fullmatch(value):
        return _make_date(*match.groups())
    raise ValueError(DATE_INVALID)


def parse_iso_date(value: str) -> date:
    """A date written YYYY-MM-DD, the XML schema form the CTF uses."""
    if match := _ISO.fullmatch(value):
        return _make_date(*match.groups())
    raise ValueError(DATE_INVALID_ISO)


def record_date_parser(today: date, *, ahead: DateWindow = PLANNED) -> Callable[[str], date]:
    """A parser of a CTF record date (an SEN period's or a need's start or end) that refuses a
    date no record can have, with the same limits and words as the forms (``core.bounds``)."""

    def parse(value: str) -> date:
        day = parse_iso_date(value)
        problem = ahead.problem(day, today=today, what="the date")
        if problem:
            raise ValueError(problem)
        return day

    return parse


def parse_nc_year(value: str) -> int:
    """Reception is 0; "R", "Year 7", "Y7" and "7" are understood. Nursery years are refused."""
    text = value.strip().upper()
    if text in _NURSERY:
        raise ValueError(NC_YEAR_NURSERY)
    if text in _RECEPTION:
        return 0
    text = re.sub(r"^(YEAR|YR|Y|NC)\s*", "", text)
    if text in _RECEPTION:
        return 0
    if re.fullmatch(r"[0-9]{1,2}", text) and 1 <= int(text) <= 13:
        return int(text)
    raise ValueError(NC_YEAR_INVALID)


def parse_bool(value: str) -> bool:
    text = value.strip().upper()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(BOOL_INVALID)


def parse_gender(value: str) -> str:
    text = value.strip().upper()
    if text in {"M", "MALE"}:
        return "M"
    if text in {"F", "FEMALE"}:
        return "F"
    raise ValueError(GENDER_INVALID)


def parse_name(value: str) -> str:
    if len(value) > 100:
        raise ValueError(NAME_TOO_LONG)
    return value


CLASS_NAME_TOO_LONG = "Class names can be at most 30 characters"


def parse_class_name(value: str) -> str:
    """A registration class or form name, as the school's records hold it (at most 30 characters)."""
    if len(value) > 30:
        raise ValueError(CLASS_NAME_TOO_LONG)
    return value


def parse_language(value: str) -> str:
    text = value.strip().upper()
    if not _LANGUAGE.fullmatch(text):
        raise ValueError(LANGUAGE_INVALID)
    return text


def parse_provision(value: str) -> str:
    text = value.strip().upper()
    text = _PROVISION_WORDS.get(text, text)
    if text not in PROVISION_CODES:
        raise ValueError(PROVISION_INVALID)
    return text


def parse_need(value: str) -> str:
    """A census need code; "ASD - Autistic spectrum disorder" is read as ASD."""
    text = re.split(r"\s+[-–]\s+", value.strip(), maxsplit=1)[0].upper()
    if text not in NEED_CODES:
        raise ValueError(NEED_UNKNOWN)
    return text


def need_field(rank: int) -> str:
    return {1: "primary_need", 2: "secondary_need"}.get(rank, "needs")


class RowCheck:
    """Collects the problems found in one row; the row is imported only if there are none."""

    def __init__(self, row: int) -> None:
        self.row = row
        self.upn = ""
        self.errors: list[RowError] = []

    def add(self, field: str, message: str, value: str | None = None) -> None:
        text = with_value(message, value) if value is not None else message
        self.errors.append(RowError(row=self.row, field=field, message=text, upn=self.upn))

    def parse(
        self, field: str, value: str, parser: Callable[[str], T], *, required: str = ""
    ) -> T | None:
        """parser(value), or None after noting why not; a blank value is None (or `required`)."""
        value = value.strip()
        if not value:
            if required:
                self.add(field, required)
            return None
        try:
            return parser(value)
        except ValueError as error:
            self.add(field, str(error), value)
            return None

    def census(
        self,
        *,
        date_of_birth: date | None,
        nc_year: int | None,
        provision: str,
        needs: Sequence[NeedRecord],
        today: date,
    ) -> None:
        """The census rules across fields: date of birth against NC year, SEN against needs."""
        if date_of_birth is not None:
            if nc_year is None:
                problems = [("date_of_birth", DOB_IN_FUTURE)] if date_of_birth >= today else []
            else:
                problems = check_date_of_birth(date_of_birth, nc_year, today)
            for field, message in problems:
                shown = date_of_birth.strftime("%d/%m/%Y") if message == DOB_IN_FUTURE else None
                self.add(field, message, shown)
        if not provision:
            return  # the file says nothing about SEN, so there is nothing to check
        primary = next((n.need_type for n in needs if n.rank == 1), "")
        secondary = next((n.need_type for n in needs if n.rank == 2), "")
        for field, message in check_sen(provision, primary, secondary):
            shown = primary if field == "primary_need" else secondary
            self.add(field, message, shown or None)
        types = [n.need_type for n in needs]
        if len(types) > 2 and len(set(types)) != len(types):
            self.add("needs", NEED_REPEATED, ", ".join(types))

    def unique_upn(self, upn: str | None, seen: dict[str, int]) -> None:
        """A UPN seen earlier in the same file rejects this row; the first one stands."""
        if upn is None:
            return
        if upn in seen:
            self.add("upn", UPN_DUPLICATE.format(first=seen[upn]), upn)
        else:
            seen[upn] = self.row
