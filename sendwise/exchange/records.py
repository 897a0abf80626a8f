"""What an import file says about each pupil: the contract between the file readers and the app.

Pure: no Django import. `mis_csv.parse_csv` and `ctf.parse_ctf` turn a file into a `ParseResult`
of `PupilRecord`s (rows that passed every check) and `RowError`s (rows that did not, each naming
its row, field and value). A problem with the whole file (too big, not text, not a CTF, unsafe
XML) is an `ImportFileError` instead, and nothing is read.

"Unknown" and "none" are kept apart, because an import must not wipe what the school already
knows: a field the file does not give is None (or "" for text, and `sen_provision == ""` when the
file has no SEN column at all); `diff.plan_import` treats those as silent, not as "blank it".
"""

from dataclasses import dataclass
from datetime import date

#: Field names used in `RowError.field`, with the words a school sees for them.
FIELD_LABELS = {
    "file": "File",
    "upn": "UPN",
    "first_name": "First name",
    "last_name": "Last name",
    "date_of_birth": "Date of birth",
    "gender": "Sex",
    "nc_year": "NC year",
    "class_name": "Class",
    "home_language": "Home language",
    "eal": "EAL",
    "pupil_premium": "Pupil premium",
    "sen_provision": "SEN provision",
    "sen_start_date": "SEN start date",
    "sen_history": "SEN history",
    "primary_need": "Primary need",
    "secondary_need": "Secondary need",
    "needs": "Type of need",
}


class ImportFileError(ValueError):
    """The whole file was refused (size, encoding, format, unsafe XML); nothing was read."""


@dataclass(frozen=True)
class SenPeriod:
    """A period at SEN support (K) or with an EHC plan (E); end_date None while it is current.

    A period ends on the day the next one starts, as `pupils.services.sen_records_sync` records it.
    """

    provision: str
    start_date: date
    end_date: date | None = None


@dataclass(frozen=True)
class NeedRecord:
    """A School Census type of need with its rank (1 primary, 2 secondary, ...)."""

    need_type: str
    rank: int
    start_date: date | None = None
    end_date: date | None = None


@dataclass(frozen=True)
class PupilRecord:
    """One pupil as the file gives them, already checked against the census rules.

    row: the CSV line (the header is line 1) or the pupil's position in the CTF (from 1).
    nc_year: Reception is 0; None only when a CTF gives no usable year (absent, X or M).
    sen_provision: the current provision N, K or E; "" when the file has no SEN column.
    sen_history: the periods at K or E the file gives, oldest first.
    needs: the current types of need, ordered by rank.
    """

    row: int
    upn: str
    first_name: str
    last_name: str
    date_of_birth: date
    gender: str
    nc_year: int | None
    class_name: str = ""
    home_language: str = ""
    eal: bool | None = None
    pupil_premium: bool | None = None
    sen_provision: str = "N"
    sen_history: tuple[SenPeriod, ...] = ()
    needs: tuple[NeedRecord, ...] = ()

    @property
    def primary_need(self) -> str:
        return next((n.need_type for n in self.needs if n.rank == 1), "")

    @property
    def secondary_need(self) -> str:
        return next((n.need_type for n in self.needs if n.rank == 2), "")


@dataclass(frozen=True)
class RowError:
    """Why a row (or pupil) was not read: its row number, the field, a message with the value."""

    row: int
    field: str
    message: str
    upn: str = ""

    @property
    def field_label(self) -> str:
        return FIELD_LABELS.get(self.field, self.field)


@dataclass(frozen=True)
class ParseResult:
    """Every pupil read from one file: the good ones, and an error per problem in the others."""

    source: str  # "csv" or "ctf"
    records: tuple[PupilRecord, ...]
    errors: tuple[RowError, ...]

    @property
    def ok(self) -> bool:
        """True when every row was read without a problem."""
        return not self.errors

    @property
    def rejected_rows(self) -> tuple[int, ...]:
        """The row numbers that had at least one problem, in order."""
        return tuple(sorted({error.row for error in self.errors}))

    @property
    def row_count(self) -> int:
        """Pupils in the file: those read plus those rejected."""
        return len(self.records) + len(self.rejected_rows)

    def errors_for(self, row: int) -> tuple[RowError, ...]:
        return tuple(error for error in self.errors if error.row == row)
