"""A SENCO uploads their MIS export as CSV: what is read, and what is refused and why."""

from datetime import date

import pytest

from sendwise.exchange import checks
from sendwise.exchange.mis_csv import (
    EXTRA_CELLS,
    NOT_TEXT,
    SEN_DETAIL_WITHOUT_PROVISION,
    WORKBOOK,
    parse_csv,
)
from sendwise.exchange.records import ImportFileError, NeedRecord, SenPeriod
from sendwise.exchange.samples import make_upn
from sendwise.pupils import census_checks as cc
from tests.exchange.helpers import TODAY, csv_bytes, fixture, row


def only_error(result):
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


def test_a_sims_style_export_with_sen_columns_is_read_in_full():
    result = parse_csv(fixture("mis_export.csv"), today=TODAY)

    assert result.ok and result.source == "csv"
    assert [r.row for r in result.records] == list(range(2, 12))  # the header is line 1
    daniel = next(r for r in result.records if r.last_name == "Okafor")
    assert daniel.upn == "M873205119104"
    assert (daniel.first_name, daniel.date_of_birth, daniel.gender) == (
        "Daniel",
        date(2018, 1, 9),
        "M",
    )
    assert (daniel.nc_year, daniel.class_name, daniel.home_language) == (3, "3O", "ENG")
    assert (daniel.eal, daniel.pupil_premium) == (False, True)
    assert daniel.sen_provision == "E"
    assert daniel.needs == (NeedRecord("ASD", 1), NeedRecord("SLCN", 2))
    assert daniel.sen_history == (SenPeriod("E", date(2023, 1, 15)),)
    aisha = result.records[0]
    assert (aisha.nc_year, aisha.sen_provision, aisha.needs, aisha.sen_history) == (0, "N", (), ())


def test_an_excel_csv_saved_in_windows_1252_keeps_accented_names():
    result = parse_csv(fixture("arbor_export_cp1252.csv"), today=TODAY)

    assert result.ok
    names = [(r.first_name, r.last_name) for r in result.records]
    assert names[:3] == [("Siobhán", "O'Connor"), ("Zoë", "Lefèvre"), ("Seán", "Ó Murchú")]


def test_other_mis_spellings_of_headers_and_values_are_understood():
    siobhan, zoe, sean, chloe = parse_csv(fixture("arbor_export_cp1252.csv"), today=TODAY).records

    assert (siobhan.nc_year, siobhan.gender, siobhan.class_name) == (3, "F", "Oak")
    assert (siobhan.sen_provision, siobhan.primary_need) == ("K", "SPLD")  # "SEN Support", "SpLD"
    assert (zoe.nc_year, zoe.date_of_birth, zoe.pupil_premium) == (4, date(2017, 2, 17), True)
    assert zoe.sen_provision == "N"  # "No SEN"
    assert (sean.sen_provision, sean.primary_need, sean.secondary_need) == ("E", "ASD", "SLCN")
    assert (chloe.nc_year, chloe.eal) == (0, None)  # no EAL column: unknown, not "no"


def test_headers_are_matched_ignoring_case_spaces_and_punctuation():
    header = ("upn", "FORENAME", "last name", "Date-of-Birth", "SEX", "ncyearactual")
    data = csv_bytes(
        [{"upn": make_upn(1), "FORENAME": "Ada", "last name": "Lovelace",
          "Date-of-Birth": "2018-01-09", "SEX": "F", "ncyearactual": "Y3"}],
        header=header,
    )  # fmt: skip

    (record,) = parse_csv(data, today=TODAY).records

    assert (record.first_name, record.last_name, record.nc_year) == ("Ada", "Lovelace", 3)


def test_when_a_file_has_two_columns_for_a_name_the_legal_one_is_read():
    header = ("UPN", "Forename", "Legal Forename", "Surname", "DOB", "Gender", "Year")
    data = csv_bytes(
        [{"UPN": make_upn(1), "Forename": "Danny", "Legal Forename": "Daniel",
          "Surname": "Okafor", "DOB": "09/01/2018", "Gender": "M", "Year": "3"}],
        header=header,
    )  # fmt: skip

    assert parse_csv(data, today=TODAY).records[0].first_name == "Daniel"


def test_a_file_without_sen_columns_leaves_sen_unknown():
    header = ("UPN", "Surname", "Forename", "DOB", "Gender", "NC Year")

    (record,) = parse_csv(csv_bytes([row()], header=header), today=TODAY).records

    assert (record.sen_provision, record.needs, record.class_name, record.eal) == ("", (), "", None)


def test_need_columns_without_a_provision_column_are_refused():
    header = ("UPN", "Surname", "Forename", "DOB", "Gender", "NC Year", "Primary Need")

    with pytest.raises(ImportFileError) as refused:
        parse_csv(csv_bytes([row()], header=header), today=TODAY)

    assert str(refused.value) == SEN_DETAIL_WITHOUT_PROVISION.format(columns="primary need")


def test_a_missing_required_column_is_named_with_the_headers_found():
    with pytest.raises(ImportFileError) as refused:
        parse_csv(fixture("missing_dob.csv"), today=TODAY)

    assert str(refused.value) == (
        "The file has no column for date of birth. The columns found are: "
        '"UPN", "Surname", "Forename", "Gender", "Year Group", "Class"'
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", checks.FILE_EMPTY),
        (b"  \r\n\r\n", checks.FILE_EMPTY),
        (csv_bytes([]), "The file has a header row but no pupils"),
        (b",,,\r\n,,,\r\n", "The file has a header row but no pupils"),
    ],
)
def test_an_empty_file_or_one_with_only_a_header_is_refused(data, message):
    with pytest.raises(ImportFileError, match=message):
        parse_csv(data, today=TODAY)


def test_a_file_over_the_size_limit_is_refused_with_its_size_in_mb():
    data = csv_bytes([row(n) for n in range(1, 20_000)])
    assert len(data) > 1_000_000

    with pytest.raises(ImportFileError) as refused:
        parse_csv(data, today=TODAY, max_bytes=1_000_000)

    size = f"{len(data) / 1e6:.1f}"
    assert str(refused.value) == f"The file is {size} MB: the largest file SENDwise accepts is 1 MB"


@pytest.mark.parametrize(
    "data",
    [
        b"UPN,Surname\r\n\x81\x8d\x8f\x90\x9d\r\n",  # invalid UTF-8, and undefined in cp1252
        "UPN,Surname\r\n".encode("utf-16"),  # Excel's "Unicode text"
    ],
)
def test_a_file_that_is_not_utf8_or_windows_1252_text_is_refused(data):
    with pytest.raises(ImportFileError, match=NOT_TEXT):
        parse_csv(data, today=TODAY)


def test_a_binary_file_with_nul_bytes_is_refused_as_not_text():
    with pytest.raises(ImportFileError, match=NOT_TEXT):
        parse_csv(b"UPN,Surname\r\nA\x00B,C\r\n", today=TODAY)


def test_an_excel_workbook_uploaded_instead_of_csv_is_refused_with_what_to_do():
    with pytest.raises(ImportFileError, match=WORKBOOK):
        parse_csv(b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xml", today=TODAY)


def test_a_badly_quoted_file_is_refused_as_not_csv_with_the_line():
    data = b"UPN,Surname\r\nA,B\r\n" + b'"' + b"x" * 200_000 + b'"\r\n'
    with pytest.raises(ImportFileError, match="could not be read as CSV near line 3"):
        parse_csv(data, today=TODAY)


def test_a_future_date_of_birth_is_rejected_with_the_row_and_field():
    result = parse_csv(csv_bytes([row(DOB="01/01/2026")]), today=TODAY)

    error = only_error(result)
    assert (error.row, error.field, error.upn) == (2, "date_of_birth", make_upn(1))
    assert error.message == f'{cc.DOB_IN_FUTURE} (found "01/01/2026")'
    assert error.field_label == "Date of birth"
    assert result.records == ()


@pytest.mark.parametrize(
    "written", ["2018/01/09", "09-01-2018", "09/01/18", "9 Jan 2018", "31/02/2018"]
)
def test_a_date_in_another_format_or_not_a_real_date_is_rejected(written):
    error = only_error(parse_csv(csv_bytes([row(DOB=written)]), today=TODAY))

    assert error.field == "date_of_birth"
    assert error.message.endswith(f'(found "{written}")')


def test_a_upn_with_the_wrong_check_letter_is_rejected_naming_the_value():
    good = make_upn(7)
    wrong = ("A" if good[0] != "A" else "B") + good[1:]

    error = only_error(parse_csv(csv_bytes([row(UPN=wrong)]), today=TODAY))

    assert (error.field, error.upn) == ("upn", wrong)
    assert error.message == f'{cc.UPN_INVALID_CHECK} (found "{wrong}")'


def test_an_unknown_need_code_is_rejected():
    data = csv_bytes([row(**{"SEN Provision": "K", "Primary Need": "DYS"})])

    error = parse_csv(data, today=TODAY).errors[0]

    assert error.field == "primary_need"
    assert error.message.startswith("Enter a School Census type of need: ASD, HI, MLD")
    assert error.message.endswith('(found "DYS")')


def test_a_date_of_birth_that_does_not_fit_the_year_group_is_rejected():
    error = only_error(parse_csv(csv_bytes([row(NC_Year="6")]), today=TODAY))

    assert error.field == "date_of_birth"
    assert error.message == (
        "Date of birth does not fit Year 6: a pupil born on 9 January 2018 would normally be in Year 3"
    )


def test_a_secondary_need_the_same_as_the_primary_is_rejected():
    data = csv_bytes(
        [row(**{"SEN Provision": "K", "Primary Need": "ASD", "Secondary Need": "ASD"})]
    )

    error = only_error(parse_csv(data, today=TODAY))

    assert error.field == "secondary_need"
    assert error.message == f'{cc.SECONDARY_SAME_AS_PRIMARY} (found "ASD")'


def test_a_need_for_a_pupil_without_sen_is_rejected():
    error = only_error(parse_csv(csv_bytes([row(Primary_Need="MLD")]), today=TODAY))

    assert (error.field, error.message) == ("primary_need", f'{cc.NEED_WITHOUT_SEN} (found "MLD")')


def test_sen_support_without_a_primary_need_is_rejected():
    error = only_error(parse_csv(csv_bytes([row(SEN_Provision="K")]), today=TODAY))

    assert (error.field, error.message) == ("primary_need", cc.NEED_REQUIRED)


def test_a_second_row_with_the_same_upn_is_rejected_and_the_first_kept():
    data = csv_bytes([row(1), row(2), row(1, Forename="Danny")])

    result = parse_csv(data, today=TODAY)

    assert [r.row for r in result.records] == [2, 3]
    error = only_error(result)
    assert (error.row, error.field) == (4, "upn")
    assert error.message.startswith("This UPN is also on row 2")


@pytest.mark.parametrize("year", ["N1", "N2", "Nursery"])
def test_a_nursery_pupil_is_refused_because_sendwise_starts_at_reception(year):
    error = only_error(parse_csv(csv_bytes([row(NC_Year=year)]), today=TODAY))

    assert error.field == "nc_year"
    assert error.message == f'{checks.NC_YEAR_NURSERY} (found "{year}")'


@pytest.mark.parametrize(
    ("written", "year"), [("R", 0), ("Reception", 0), ("Year 3", 3), ("Y4", 4)]
)
def test_year_groups_are_read_in_the_ways_mis_exports_write_them(written, year):
    dob = date(2020 - year, 12, 1).strftime("%d/%m/%Y")

    (record,) = parse_csv(csv_bytes([row(NC_Year=written, DOB=dob)]), today=TODAY).records

    assert record.nc_year == year


def test_a_row_with_problems_is_left_out_and_every_problem_is_reported():
    data = csv_bytes([row(1), row(2, Forename="", Gender="X", EAL="maybe"), row(3)])

    result = parse_csv(data, today=TODAY)

    assert [r.row for r in result.records] == [2, 4]
    assert [(e.row, e.field) for e in result.errors] == [
        (3, "first_name"),
        (3, "gender"),
        (3, "eal"),
    ]
    assert result.rejected_rows == (3,) and result.row_count == 3


@pytest.mark.parametrize(
    ("written", "value"),
    [("Y", True), ("yes", True), ("TRUE", True), ("1", True), ("n", False), ("No", False),
     ("false", False), ("0", False), ("", None)],
)  # fmt: skip
def test_yes_no_columns_accept_the_usual_spellings_and_blank_is_unknown(written, value):
    (record,) = parse_csv(csv_bytes([row(Pupil_Premium=written)]), today=TODAY).records

    assert record.pupil_premium is value


def test_a_row_with_more_values_than_columns_is_rejected():
    header, pupil, end = csv_bytes([row()]).split(b"\r\n")
    data = b"\r\n".join([header, pupil + b",O'Brien", end])

    error = only_error(parse_csv(data, today=TODAY))

    assert (error.field, error.message) == ("file", EXTRA_CELLS)


def test_blank_lines_are_skipped_and_row_numbers_match_the_lines_in_the_file():
    data = csv_bytes([row(1), row(2, DOB="not a date")]).replace(b"\r\n", b"\r\n\r\n", 1)

    result = parse_csv(data, today=TODAY)

    assert result.records[0].row == 3
    assert result.errors[0].row == 4


def test_an_sen_start_date_in_the_future_is_rejected():
    data = csv_bytes(
        [row(**{"SEN Provision": "K", "Primary Need": "SPLD", "SEN Start Date": "01/09/2026"})]
    )

    error = only_error(parse_csv(data, today=TODAY))

    assert error.field == "sen_start_date"


def test_a_tab_separated_export_is_read_too():
    data = csv_bytes([row()]).replace(b",", b"\t")

    assert len(parse_csv(data, today=TODAY).records) == 1


def test_a_class_name_longer_than_30_characters_is_a_row_error():
    from datetime import date

    from sendwise.exchange.mis_csv import parse_csv
    from sendwise.exchange.samples import make_csv

    lines = make_csv(2, seed=3).decode("utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("Reg Group")] = "X" * 31
    lines[1] = ",".join(cells)
    result = parse_csv(("\n".join(lines) + "\n").encode(), today=date.today())
    assert [(e.row, e.field) for e in result.errors] == [(2, "class_name")]
    assert len(result.records) == 1
