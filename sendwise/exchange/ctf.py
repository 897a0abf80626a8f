"""Reading a DfE Common Transfer File (CTF) into checked pupil records. Pure: no Django import.

A CTF is the XML file a school sends when a pupil moves school. This reader takes the versions a
school can receive now: the current one (25) and the previous one (24, "valid for use from
September 2024", DfE "Common transfer file 24: specification" on gov.uk), as MIS suppliers do
(One release notes, "Supported versions": "accepts the current version of the CTF file as well
as the preceding version"). Untrusted XML is parsed with defusedxml and any
DOCTYPE or entity definition is refused, so "billion laughs" bombs and external entities cannot
run.

Element names and nesting. The DfE's CTF 25 specification itself (a PDF and schema published on
gov.uk in the "Common transfer file (CTF)" collection) could not be read when this was written, so
each name below was checked against other sources, and is marked with how firmly:

- Confirmed in DfE code that writes CTF 25 (DFE-Digital/get-information-about-pupils,
  `XmlCtfFormatter`, CTFversion "25.0"): root `CTfile`; `Header/CTFversion`,
  `Header/SourceSchool/AcademicYear`; `CTFpupilData/Pupil` with `UPN`, `Surname`, `Forename`,
  `DOB` (YYYY-MM-DD) and `Sex`.
- `Sex` replaced `Gender` in CTF 25 (One release notes 3.86: "CTF 25 only uses the Sex tag not
  Gender"); CTF 24 files use `Gender`, so either is read.
- From a generator of the DfE Admissions Transfer File, which shares the CTF pupil structure
  (ArcioLLC, `ATfile/ATFpupilData/Pupil`), not from the DfE text itself: `BasicDetails/NCyearActual`
  (R, 1 to 14, N1, N2, E1, E2, X, M); `BasicDetails/Languages/Type` holding `LanguageType` and
  `Language`; `Pupil/SENhistory` holding repeated `SEN` (`StartDate`, `SENprovision`) and
  `SENneeds/SENneed` (`SENtype`, `SENtypeRank` 1 to 99, optional `NeedStartDate` and
  `NeedEndDate`). The language type codes F (first language) and H (home language) are from the
  same source's list (F, M, H, T, S, C, U, V, W); their meanings were not confirmed. The codes
  "FLA"/"HOM" do not appear in any source found and are not read.
- The SEN nesting (`Pupil/SENhistory/SEN` with `StartDate` and `SENprovision`, and
  `Pupil/SENhistory/SENneeds/SENneed` with `SENtype` and `SENtypeRank`) is also what a commercial
  MIS's CTF import reads (Follett Aspen CTF/ATF import code, 2017), found in November 2026; it
  does not read `NeedStartDate` or `NeedEndDate`, so those two stay the least certain names here
  (both optional: a need without them is read as current).
- `AcademicYear` is the year the school year of the export began (One, "Supported versions":
  files exported from 1 August 2024 carry 2024). NCyearActual is rolled on by the school years
  since then, so a Year 6 leaver's July file reads as Year 7 in November.

How SEN is read. The current provision is the one on the `SEN` entry with the latest `StartDate`
(N when there is none). Each K or E entry starts a period that ends when the next entry starts.
Entries with the pre-2014 codes are read as today's equivalents (A School Action and P School
Action Plus as K, S statement as E), as the SEND reforms converted them (SEND Code of Practice
0 to 25, 2015, transitional arrangements). The current needs are those with no end date or one
after today, ordered by rank. A CTF has no class, EAL or pupil premium, so those are left unknown.
"""

from dataclasses import replace
from datetime import date
from xml.etree.ElementTree import Element, ParseError  # only types: parsing is defusedxml's

from defusedxml import DefusedXmlException, DTDForbidden, EntitiesForbidden
from defusedxml.ElementTree import fromstring

from sendwise.exchange.checks import (
    RowCheck,
    check_size,
    need_field,
    parse_gender,
    parse_iso_date,
    parse_language,
    parse_name,
    parse_nc_year,
    parse_need,
    record_date_parser,
)
from sendwise.exchange.records import (
    ImportFileError,
    NeedRecord,
    ParseResult,
    PupilRecord,
    RowError,
    SenPeriod,
)
from sendwise.pupils.census_checks import academic_year_start, clean_upn

#: CTF versions read: the current and the previous one. Add the new one each September.
SUPPORTED_VERSIONS = ("25", "24")
#: Language types read for the home language, the first that a pupil has wins.
LANGUAGE_TYPES = ("F", "H")
#: Provision codes from before the 2014 reforms, read as their replacements.
LEGACY_PROVISION = {"A": "K", "P": "K", "S": "E"}

XML_ENTITIES = "The file contains XML entity definitions, which SENDwise refuses for safety"
XML_DOCTYPE = (
    "The file contains a document type declaration (DOCTYPE), which SENDwise refuses for safety"
)
XML_UNSAFE = "The file refers to other files or entities, which SENDwise refuses for safety"
XML_MALFORMED = "The file is not valid XML: the problem is on line {line}, column {column}"
NOT_A_CTF = "The file is XML but not a common transfer file: it starts with <{tag}>, not <CTfile>"
NO_VERSION = "The file has no CTF version in its header, so it cannot be read safely"
WRONG_VERSION = (
    "The file is CTF version {found}. SENDwise reads CTF versions {supported}: ask the sending "
    "school to export it again from an up-to-date MIS"
)
NO_PUPILS = "The file has no pupils in it"
UPN_REQUIRED = "The pupil has no UPN"
FIRST_NAME_REQUIRED = "The pupil has no forename"
LAST_NAME_REQUIRED = "The pupil has no surname"
DOB_REQUIRED = "The pupil has no date of birth"
GENDER_REQUIRED = "The pupil has no sex (M or F)"
NC_YEAR_BEYOND = "The pupil would now be beyond Year 13, which SENDwise does not cover"
SEN_PROVISION_INVALID = "Enter the SEN provision as N, K or E"
SEN_START_REQUIRED = "An SEN history entry has no start date"
RANK_INVALID = "Enter the need's rank as a whole number from 1 to 99"
RANK_REPEATED = "Two current needs have the same rank"
NEED_TYPE_REQUIRED = "A need has no SENtype"


def parse_ctf(data: bytes, *, today: date, max_bytes: int = 20_000_000) -> ParseResult:
    """Every pupil in the CTF, checked; pupils with problems are reported, not imported."""
    check_size(data, max_bytes)
    root = _parse_xml(data)
    if root.tag != "CTfile":
        raise ImportFileError(NOT_A_CTF.format(tag=root.tag[:40]))
    header = root.find("Header")
    # DfE code writes `CTFversion`; Capita One's help pages show `CTFVersion`. XML is
    # case-sensitive, so both spellings are read rather than refusing a real file.
    _check_version(_text(header, "CTFversion") or _text(header, "CTFVersion"))
    years_since = _years_since(_text(header, "SourceSchool/AcademicYear"), today)
    pupils = root.findall("CTFpupilData/Pupil")
    if not pupils:
        raise ImportFileError(NO_PUPILS)
    records: list[PupilRecord] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for position, pupil in enumerate(pupils, start=1):
        check = RowCheck(position)
        record = _read_pupil(check, pupil, today, years_since, seen)
        errors.extend(check.errors)
        if record is not None and not check.errors:
            records.append(record)
    return ParseResult(source="ctf", records=tuple(records), errors=tuple(errors))


def _parse_xml(data: bytes) -> Element:
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DTDForbidden:
        raise ImportFileError(XML_ENTITIES if b"<!ENTITY" in data else XML_DOCTYPE) from None
    except EntitiesForbidden:
        raise ImportFileError(XML_ENTITIES) from None
    except DefusedXmlException:
        raise ImportFileError(XML_UNSAFE) from None
    except ParseError as error:
        line, column = error.position
        raise ImportFileError(XML_MALFORMED.format(line=line, column=column + 1)) from None
    for element in root.iter():  # a namespace, if a supplier adds one, is not part of the name
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.rsplit("}", 1)[1]
    return root


def _text(element: Element | None, path: str) -> str:
    found = element.find(path) if element is not None else None
    return (found.text or "").strip() if found is not None else ""


def _check_version(version: str) -> None:
    if not version:
        raise ImportFileError(NO_VERSION)
    if version.split(".", 1)[0].strip() not in SUPPORTED_VERSIONS:
        raise ImportFileError(
            WRONG_VERSION.format(found=version[:20], supported=" and ".join(SUPPORTED_VERSIONS))
        )


def _years_since(academic_year: str, today: date) -> int:
    """School years between the file's and today's; 0 when the file does not say."""
    if not (academic_year.isascii() and academic_year.isdigit() and len(academic_year) == 4):
        return 0
    return max(0, academic_year_start(today) - int(academic_year))


def _read_pupil(
    check: RowCheck, pupil: Element, today: date, years_since: int, seen: dict[str, int]
) -> PupilRecord | None:
    check.upn = _text(pupil, "UPN")
    upn = check.parse("upn", _text(pupil, "UPN"), clean_upn, required=UPN_REQUIRED)
    if upn:
        check.upn = upn
    first = check.parse(
        "first_name", _text(pupil, "Forename"), parse_name, required=FIRST_NAME_REQUIRED
    )
    last = check.parse(
        "last_name", _text(pupil, "Surname"), parse_name, required=LAST_NAME_REQUIRED
    )
    dob = check.parse("date_of_birth", _text(pupil, "DOB"), parse_iso_date, required=DOB_REQUIRED)
    sex = _text(pupil, "Sex") or _text(pupil, "Gender")
    gender = check.parse("gender", sex, parse_gender, required=GENDER_REQUIRED)
    nc_year = _nc_year(check, _text(pupil, "BasicDetails/NCyearActual"), years_since)
    language = check.parse("home_language", _home_language(pupil), parse_language)
    history, provision = _sen_history(check, pupil.find("SENhistory"), today)
    needs = _needs(check, pupil.find("SENhistory/SENneeds"), today)
    check.census(date_of_birth=dob, nc_year=nc_year, provision=provision, needs=needs, today=today)
    check.unique_upn(upn, seen)
    if check.errors or not (upn and first and last and dob and gender):
        return None
    return PupilRecord(
        row=check.row,
        upn=upn,
        first_name=first,
        last_name=last,
        date_of_birth=dob,
        gender=gender,
        nc_year=nc_year,
        home_language=language or "",
        sen_provision=provision,
        sen_history=history,
        needs=needs,
    )


def _nc_year(check: RowCheck, value: str, years_since: int) -> int | None:
    """The year group now: the file's, rolled on by the school years since it was made."""
    if value.upper() in ("", "X", "M"):
        return None  # not given, not following the national curriculum, or mixed
    year = check.parse("nc_year", value, parse_nc_year)
    if year is None:
        return None
    if year + years_since > 13:
        check.add("nc_year", NC_YEAR_BEYOND, value)
        return None
    return year + years_since


def _home_language(pupil: Element) -> str:
    by_type = {}
    for entry in pupil.findall("BasicDetails/Languages/Type"):
        by_type.setdefault(_text(entry, "LanguageType").upper(), _text(entry, "Language"))
    return next((by_type[kind] for kind in LANGUAGE_TYPES if by_type.get(kind)), "")


def _sen_history(
    check: RowCheck, history: Element | None, today: date
) -> tuple[tuple[SenPeriod, ...], str]:
    """The K and E periods, oldest first, and the current provision."""
    entries: list[tuple[date, str]] = []
    parse_start = record_date_parser(today)
    for sen in history.findall("SEN") if history is not None else []:
        start = check.parse(
            "sen_history", _text(sen, "StartDate"), parse_start, required=SEN_START_REQUIRED
        )
        raw = _text(sen, "SENprovision").upper()
        provision = LEGACY_PROVISION.get(raw, raw)
        if provision not in ("N", "K", "E"):
            check.add("sen_provision", SEN_PROVISION_INVALID, raw)
        elif start is not None:
            entries.append((start, provision))
    entries.sort(key=lambda entry: entry[0])  # stable: on a tie, the later entry in the file wins
    periods: list[SenPeriod] = []
    for start, provision in entries:
        if periods and periods[-1].end_date is None:
            if periods[-1].provision == provision:
                continue  # the same provision recorded again: the period goes on
            periods[-1] = replace(periods[-1], end_date=start)
        if provision != "N":
            periods.append(SenPeriod(provision=provision, start_date=start))
    return tuple(periods), entries[-1][1] if entries else "N"


def _needs(check: RowCheck, needs: Element | None, today: date) -> tuple[NeedRecord, ...]:
    current: list[NeedRecord] = []
    parse_date_of_record = record_date_parser(today)
    for need in needs.findall("SENneed") if needs is not None else []:
        rank_text = _text(need, "SENtypeRank")
        rank = int(rank_text) if rank_text.isascii() and rank_text.isdigit() else 0
        if not 1 <= rank <= 99:
            check.add("needs", RANK_INVALID, rank_text)
            continue
        need_type = check.parse(
            need_field(rank), _text(need, "SENtype"), parse_need, required=NEED_TYPE_REQUIRED
        )
        start = check.parse(need_field(rank), _text(need, "NeedStartDate"), parse_date_of_record)
        end = check.parse(need_field(rank), _text(need, "NeedEndDate"), parse_date_of_record)
        if need_type and (end is None or end > today):
            current.append(
                NeedRecord(need_type=need_type, rank=rank, start_date=start, end_date=end)
            )
    current.sort(key=lambda need: need.rank)
    ranks = [need.rank for need in current]
    if len(set(ranks)) != len(ranks):
        check.add("needs", RANK_REPEATED, ", ".join(map(str, ranks)))
    return tuple(current)
