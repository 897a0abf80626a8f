"""Whatever file is uploaded, the readers answer with records and row errors or a clear refusal.

Property tests (hypothesis): random bytes, random rows and random XML-like text never raise
anything but ImportFileError; a valid generated CSV comes back row for row; and re-importing a
file against its own records changes nothing.
"""

import csv
import io
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sendwise.exchange.ctf import parse_ctf
from sendwise.exchange.diff import plan_import
from sendwise.exchange.mis_csv import parse_csv
from sendwise.exchange.records import ImportFileError, ParseResult
from sendwise.exchange.samples import make_upn
from tests.exchange.helpers import HEADER, TODAY, ctf_bytes

FAST = settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])


def read_or_refuse(parser, data: bytes) -> ParseResult | None:
    """The parser's result, or None when it refused the file; any other exception fails."""
    try:
        result = parser(data, today=TODAY)
    except ImportFileError as refused:
        assert str(refused)
        return None
    rows = {error.row for error in result.errors}
    assert all(record.row not in rows for record in result.records)
    assert len({record.upn for record in result.records}) == len(result.records)
    return result


@FAST
@given(st.binary(max_size=2_000))
def test_random_bytes_never_crash_the_csv_reader(data):
    read_or_refuse(parse_csv, data)


@FAST
@given(st.binary(max_size=2_000))
def test_random_bytes_never_crash_the_ctf_reader(data):
    read_or_refuse(parse_ctf, data)


cells = st.one_of(
    st.text(max_size=15),
    st.sampled_from(["", "R", "N1", "7", "14", "K", "E", "N", "ASD", "NSA", "Y", "01/02/2018",
                     "2018-02-30", "31/12/9999", "M", "F", make_upn(1), make_upn(2)]),
)  # fmt: skip


@FAST
@given(st.lists(st.lists(cells, max_size=len(HEADER) + 2), max_size=12))
def test_random_rows_under_a_good_header_never_crash_the_csv_reader(rows):
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    read_or_refuse(parse_csv, out.getvalue().encode("utf-8"))


xmlish = st.lists(
    st.sampled_from(
        list("<>/=\"'&;!?[] -\n") + ["CTfile", "Header", "CTFversion", "25.0", "Pupil", "UPN",
        "CTFpupilData", "SENhistory", "SEN", "StartDate", "SENprovision", "<!ENTITY", "<!DOCTYPE",
        "&amp;", "&#0;", "&#x110000;", "xmlns=", "<?xml", "?>", "]]>", "<![CDATA["]
    ),
    max_size=80,
).map("".join)  # fmt: skip


@FAST
@given(xmlish)
def test_random_xml_like_text_never_crashes_the_ctf_reader(text):
    read_or_refuse(parse_ctf, text.encode("utf-8"))


element_text = st.text(max_size=12).map(
    lambda t: t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
)


@FAST
@given(st.lists(st.fixed_dictionaries({
    "upn": st.one_of(element_text, st.sampled_from([make_upn(1), make_upn(2)])),
    "dob": st.one_of(element_text, st.dates().map(date.isoformat)),
    "year": st.one_of(element_text, st.sampled_from(["R", "X", "M", "N2", "6", "13", "14"])),
    "sex": element_text,
    "start": st.one_of(element_text, st.dates().map(date.isoformat)),
    "provision": st.one_of(element_text, st.sampled_from(list("NKEASP"))),
    "need": st.one_of(element_text, st.sampled_from(["ASD", "NSA", "SLCN"])),
    "rank": st.one_of(element_text, st.integers(-2, 120).map(str)),
    "language": element_text,
}), max_size=6), st.sampled_from(["25.0", "24.0", "2024", ""]))  # fmt: skip
def test_random_values_in_a_ctf_never_crash_the_reader(pupils, academic_year):
    xml = [
        f"""<Pupil><UPN>{p["upn"]}</UPN><Surname>S</Surname><Forename>F</Forename>
        <DOB>{p["dob"]}</DOB><Sex>{p["sex"]}</Sex><BasicDetails>
        <NCyearActual>{p["year"]}</NCyearActual><Languages><Type><LanguageType>F</LanguageType>
        <Language>{p["language"]}</Language></Type></Languages></BasicDetails><SENhistory><SEN>
        <StartDate>{p["start"]}</StartDate><SENprovision>{p["provision"]}</SENprovision></SEN>
        <SENneeds><SENneed><SENtype>{p["need"]}</SENtype><SENtypeRank>{p["rank"]}</SENtypeRank>
        </SENneed></SENneeds></SENhistory></Pupil>"""
        for p in pupils
    ]
    read_or_refuse(parse_ctf, ctf_bytes(*xml, academic_year=academic_year))


names = (
    st.text(
        alphabet=st.characters(categories=("L",)) | st.sampled_from(" '-"), min_size=1, max_size=30
    )
    .map(str.strip)
    .filter(lambda name: bool(name) and len(name) <= 100)
)


# Each cell's strategy, built once: building them inside the composite would have Hypothesis
# build and validate them again for every pupil of every example.
PUPIL_PARTS = {
    "count": st.integers(1, 25),
    "year": st.integers(0, 13),
    "day_of_year": st.integers(0, 364),
    "provision": st.sampled_from("NKE"),
    "needs": st.lists(st.sampled_from(["ASD", "SLCN", "SPLD", "HI"]), max_size=2, unique=True),
    "flag": st.booleans(),
    "gender": st.sampled_from("MF"),
    "class": st.text(alphabet="ABC123 ", max_size=5),
    "language": st.sampled_from(["ENG", "POL", "URD", ""]),
    "eal": st.sampled_from(["Y", "N", ""]),
    "premium": st.sampled_from(["Yes", "No", ""]),
}


@st.composite
def valid_pupils(draw):
    """A list of pupils that pass every check, as CSV cells."""
    part = PUPIL_PARTS
    pupils = []
    for index in range(draw(part["count"])):
        year = draw(part["year"])
        born = date(2020 - year, 9, 1) + timedelta(days=draw(part["day_of_year"]))
        provision = draw(part["provision"])
        needs = draw(part["needs"])
        if provision == "N":
            needs = []
        elif not needs:
            needs = ["MLD"]
        pupils.append({
            "UPN": make_upn(index),
            "Surname": draw(names),
            "Forename": draw(names),
            "DOB": born.strftime("%d/%m/%Y") if draw(part["flag"]) else born.isoformat(),
            "Gender": draw(part["gender"]),
            "NC Year": "R" if year == 0 and draw(part["flag"]) else str(year),
            "Class": draw(part["class"]).strip(),
            "Home Language": draw(part["language"]),
            "EAL": draw(part["eal"]),
            "Pupil Premium": draw(part["premium"]),
            "SEN Provision": provision,
            "Primary Need": needs[0] if needs else "",
            "Secondary Need": needs[1] if len(needs) > 1 else "",
        })  # fmt: skip
    return pupils


def as_csv(pupils) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=HEADER, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(pupils)
    return out.getvalue().encode("utf-8")


@FAST
@given(valid_pupils())
def test_every_row_of_a_valid_csv_comes_back_as_written(pupils):
    result = parse_csv(as_csv(pupils), today=TODAY)

    assert result.errors == ()
    assert len(result.records) == len(pupils)
    for record, written in zip(result.records, pupils, strict=True):
        assert (record.upn, record.first_name, record.last_name, record.gender) == (
            written["UPN"],
            written["Forename"],
            written["Surname"],
            written["Gender"],
        )
        assert record.class_name == written["Class"]
        assert record.primary_need == written["Primary Need"]
        assert record.sen_provision == written["SEN Provision"]


@FAST
@given(valid_pupils())
def test_re_importing_a_file_against_its_own_records_changes_nothing(pupils):
    records = parse_csv(as_csv(pupils), today=TODAY).records

    plan = plan_import(records, {record.upn: record for record in records})

    assert plan.unchanged == records and not plan.has_changes
