"""Reading a school's MIS export (a CSV with a header row) into checked pupil records.

Pure: no Django import. Schools export pupil lists from their MIS (SIMS, Arbor, Bromcom, ...) with
their own column names, so headers are matched case-insensitively, ignoring spaces and
punctuation, against the spellings in `COLUMNS`. Text is read as UTF-8 (with or without the byte
order mark Excel adds for "CSV UTF-8"), and otherwise as Windows-1252, the encoding Excel uses
for plain "CSV" on a UK machine. Dates are DD/MM/YYYY, the UK MIS default, or YYYY-MM-DD.
"""

import csv
import io
import re
from datetime import date

from sendwise.exchange.checks import (
    RowCheck,
    check_size,
    parse_bool,
    parse_class_name,
    parse_date,
    parse_gender,
    parse_language,
    parse_name,
    parse_nc_year,
    parse_need,
    parse_provision,
)
from sendwise.exchange.records import (
    FIELD_LABELS,
    ImportFileError,
    NeedRecord,
    ParseResult,
    PupilRecord,
    RowError,
    SenPeriod,
)
from sendwise.pupils.census_checks import clean_upn

#: Header spellings for each field, the preferred first (used when a file has two of them).
COLUMNS: dict[str, tuple[str, ...]] = {
    "upn": ("UPN", "Unique Pupil Number"),
    "first_name": ("Legal Forename", "Forename", "First name", "Forenames", "Given name"),
    "last_name": ("Legal Surname", "Surname", "Last name", "Family name"),
    "date_of_birth": ("DOB", "Date of Birth", "Birth date"),
    "gender": ("Gender", "Sex"),
    "nc_year": ("NC Year", "NCyearActual", "Year Group", "Year", "National Curriculum Year"),
    "class_name": ("Reg Group", "Registration Group", "Class", "Form", "Tutor Group"),
    "home_language": ("Home Language", "First Language", "Language"),
    "eal": ("EAL", "English as an additional language"),
    "pupil_premium": ("Pupil Premium", "PP", "Pupil Premium Indicator"),
    "sen_provision": ("SEN Provision", "SEN Status"),
    "primary_need": ("Primary Need", "SEN Need 1", "Primary SEN Type", "Primary SEN Need"),
    "secondary_need": ("Secondary Need", "SEN Need 2", "Secondary SEN Type", "Secondary SEN Need"),
    "sen_start_date": ("SEN Start Date", "SEN Provision Start Date"),
}
REQUIRED = ("upn", "first_name", "last_name", "date_of_birth", "gender", "nc_year")
SEN_DETAIL = ("primary_need", "secondary_need", "sen_start_date")

NOT_TEXT = "The file is not UTF-8 or Windows-1252 text: save it as 'CSV UTF-8' and try again"
WORKBOOK = "The file is a spreadsheet workbook, not CSV: save it as 'CSV UTF-8' and try again"
NOT_CSV = "The file could not be read as CSV near line {line}: save it as 'CSV UTF-8' and try again"
MISSING_COLUMNS = "The file has no column for {missing}. The columns found are: {found}"
SEN_DETAIL_WITHOUT_PROVISION = (
    "The file has a column for {columns} but none for SEN provision: add an SEN Provision "
    "column (N, K or E) so the needs can be checked"
)
NO_PUPILS = "The file has a header row but no pupils"
EXTRA_CELLS = "This row has more values than the header has columns: check for a comma inside a name or other value"
UPN_REQUIRED = "Enter the UPN"
FIRST_NAME_REQUIRED = "Enter the first name"
LAST_NAME_REQUIRED = "Enter the last name"
DOB_REQUIRED = "Enter the date of birth"
GENDER_REQUIRED = "Enter the pupil's sex (M or F)"
NC_YEAR_REQUIRED = "Enter the NC year"
SEN_DATE_IN_FUTURE = "The SEN start date cannot be in the future"
SEN_DATE_BEFORE_BIRTH = "The SEN start date cannot be before the date of birth"


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.lower())


_ALIASES = {
    _key(alias): (field, rank)
    for field, names in COLUMNS.items()
    for rank, alias in enumerate(names)
}


def _decode(data: bytes) -> str:
    """UTF-8 (a leading byte order mark is dropped), else Windows-1252 if every byte is defined."""
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):  # .xlsx (zip) and .xls files
        raise ImportFileError(WORKBOOK)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        raise ImportFileError(NOT_TEXT)  # UTF-16 ("Unicode text") or binary
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportFileError(NOT_TEXT) from None


def _rows(text: str) -> list[tuple[int, list[str]]]:
    """Each CSV record with the line it starts on (the header is line 1)."""
    first_line = text.split("\n", 1)[0]
    delimiter = ","
    if "," not in first_line:
        delimiter = "\t" if "\t" in first_line else ";" if ";" in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, line = [], 1
    try:
        for cells in reader:
            rows.append((line, cells))
            line = reader.line_num + 1
    except csv.Error:
        raise ImportFileError(NOT_CSV.format(line=line)) from None
    return rows


def _columns(header: list[str]) -> dict[str, int]:
    """Field name -> column index, taking the preferred spelling when a file has two."""
    found: dict[str, tuple[int, int]] = {}
    for index, name in enumerate(header):
        match = _ALIASES.get(_key(name))
        if match is None:
            continue
        field, rank = match
        if field not in found or rank < found[field][0]:
            found[field] = (rank, index)
    columns = {field: index for field, (_rank, index) in found.items()}
    missing = [FIELD_LABELS[field].lower() for field in REQUIRED if field not in columns]
    if missing:
        shown = ", ".join(f'"{h.strip()}"' for h in header if h.strip()) or "none"
        raise ImportFileError(MISSING_COLUMNS.format(missing=", ".join(missing), found=shown))
    detail = [FIELD_LABELS[f].lower() for f in SEN_DETAIL if f in columns]
    if detail and "sen_provision" not in columns:
        raise ImportFileError(SEN_DETAIL_WITHOUT_PROVISION.format(columns=" and ".join(detail)))
    return columns


def parse_csv(data: bytes, *, today: date, max_bytes: int = 5_000_000) -> ParseResult:
    """Every pupil in the export, checked; rows with problems are reported, not imported."""
    check_size(data, max_bytes)
    rows = [(line, cells) for line, cells in _rows(_decode(data)) if any(c.strip() for c in cells)]
    if not rows:
        raise ImportFileError(NO_PUPILS)
    (_, header), body = rows[0], rows[1:]
    columns = _columns(header)
    if not body:
        raise ImportFileError(NO_PUPILS)
    records: list[PupilRecord] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for line, cells in body:
        check = RowCheck(line)
        record = _read_row(check, cells, columns, len(header), today, seen)
        errors.extend(check.errors)
        if record is not None and not check.errors:
            records.append(record)
    return ParseResult(source="csv", records=tuple(records), errors=tuple(errors))


def _read_row(
    check: RowCheck,
    cells: list[str],
    columns: dict[str, int],
    width: int,
    today: date,
    seen: dict[str, int],
) -> PupilRecord | None:
    def cell(field: str) -> str:
        index = columns.get(field)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    if any(c.strip() for c in cells[width:]):
        check.add("file", EXTRA_CELLS)
    check.upn = cell("upn")
    upn = check.parse("upn", cell("upn"), clean_upn, required=UPN_REQUIRED)
    if upn:
        check.upn = upn
    first_name = check.parse(
        "first_name", cell("first_name"), parse_name, required=FIRST_NAME_REQUIRED
    )
    last_name = check.parse("last_name", cell("last_name"), parse_name, required=LAST_NAME_REQUIRED)
    dob = check.parse("date_of_birth", cell("date_of_birth"), parse_date, required=DOB_REQUIRED)
    gender = check.parse("gender", cell("gender"), parse_gender, required=GENDER_REQUIRED)
    nc_year = check.parse("nc_year", cell("nc_year"), parse_nc_year, required=NC_YEAR_REQUIRED)
    language = check.parse("home_language", cell("home_language"), parse_language)
    eal = check.parse("eal", cell("eal"), parse_bool)
    pupil_premium = check.parse("pupil_premium", cell("pupil_premium"), parse_bool)
    class_name = check.parse("class_name", cell("class_name"), parse_class_name) or ""

    provision, needs, history = "", (), ()
    if "sen_provision" in columns:
        provision = check.parse("sen_provision", cell("sen_provision"), parse_provision) or "N"
        needs = tuple(
            NeedRecord(need_type=need, rank=rank)
            for rank, field in ((1, "primary_need"), (2, "secondary_need"))
            if (need := check.parse(field, cell(field), parse_need))
        )
        started = check.parse("sen_start_date", cell("sen_start_date"), parse_date)
        if started and provision in ("K", "E"):
            if started > today:
                check.add("sen_start_date", SEN_DATE_IN_FUTURE, cell("sen_start_date"))
            elif dob and started < dob:
                check.add("sen_start_date", SEN_DATE_BEFORE_BIRTH, cell("sen_start_date"))
            history = (SenPeriod(provision=provision, start_date=started),)
    check.census(date_of_birth=dob, nc_year=nc_year, provision=provision, needs=needs, today=today)
    check.unique_upn(upn, seen)
    if check.errors or not (upn and first_name and last_name and dob and gender):
        return None
    return PupilRecord(
        row=check.row,
        upn=upn,
        first_name=first_name,
        last_name=last_name,
        date_of_birth=dob,
        gender=gender,
        nc_year=nc_year,
        class_name=class_name,
        home_language=language or "",
        eal=eal,
        pupil_premium=pupil_premium,
        sen_provision=provision,
        sen_history=history,
        needs=needs,
    )
