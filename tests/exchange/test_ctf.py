"""A SENCO imports the common transfer file (CTF) sent by a pupil's previous school."""

import time
from datetime import date

import pytest

from sendwise.exchange import checks, ctf
from sendwise.exchange.ctf import parse_ctf
from sendwise.exchange.records import ImportFileError, NeedRecord, SenPeriod
from sendwise.exchange.samples import make_upn
from sendwise.pupils import census_checks as cc
from tests.exchange.helpers import TODAY, ctf_bytes, fixture, pupil_xml, sen_xml


def leavers():
    return {
        r.last_name: r for r in parse_ctf(fixture("ctf25_year6_leavers.xml"), today=TODAY).records
    }


def only_error(result):
    assert len(result.errors) == 1, result.errors
    return result.errors[0]


def test_a_ctf_25_of_year_6_leavers_is_read_in_full():
    result = parse_ctf(fixture("ctf25_year6_leavers.xml"), today=TODAY)

    assert result.ok and result.source == "ctf"
    assert [r.row for r in result.records] == [1, 2, 3, 4, 5]
    siobhan = result.records[0]
    assert (siobhan.upn, siobhan.first_name, siobhan.last_name) == (
        "F873330217201",
        "Siobhán",
        "Walsh",
    )
    assert (siobhan.date_of_birth, siobhan.gender, siobhan.home_language) == (
        date(2013, 10, 4),
        "F",
        "ENG",
    )
    assert (siobhan.class_name, siobhan.eal, siobhan.pupil_premium) == ("", None, None)


def test_year_groups_move_on_by_the_school_years_since_the_file_was_made():
    # Sent in July 2025 (school year 2024 to 2025) as Year 6; imported in November as Year 7.
    assert {r.nc_year for r in leavers().values()} == {7}


def test_sen_history_gives_the_current_provision_and_closed_earlier_periods():
    siobhan = leavers()["Walsh"]

    assert siobhan.sen_provision == "E"
    assert siobhan.sen_history == (
        SenPeriod("K", date(2019, 1, 14), date(2022, 5, 9)),
        SenPeriod("E", date(2022, 5, 9)),
    )
    assert siobhan.needs == (
        NeedRecord("ASD", 1, start_date=date(2019, 1, 14)),
        NeedRecord("SLCN", 2),
    )


def test_the_first_language_is_taken_as_the_home_language():
    assert leavers()["Nowak"].home_language == "POL"  # type F, though type H (ENG) comes first


def test_a_need_that_has_ended_is_not_a_current_need():
    jakub = leavers()["Nowak"]

    assert (jakub.sen_provision, [n.need_type for n in jakub.needs]) == ("K", ["SPLD"])


def test_a_pupil_who_came_off_the_sen_register_is_at_n_with_the_old_period_closed():
    ruksana = leavers()["Begum"]

    assert (ruksana.sen_provision, ruksana.needs) == ("N", ())
    assert ruksana.sen_history == (SenPeriod("K", date(2020, 9, 7), date(2023, 7, 20)),)


def test_a_pupil_without_sen_history_has_no_sen():
    mason = leavers()["Clarke"]

    assert (mason.sen_provision, mason.sen_history, mason.needs) == ("N", (), ())


def test_a_statement_from_before_the_2014_reforms_counts_as_an_ehc_plan():
    tobi = leavers()["Adeyemi"]

    assert tobi.sen_provision == "E"
    assert tobi.sen_history == (SenPeriod("E", date(2017, 2, 1)),)  # statement, then EHC plan


def test_the_previous_version_24_is_accepted_and_its_gender_element_read():
    result = parse_ctf(fixture("ctf24_in_year_transfer.xml"), today=TODAY)

    assert result.ok
    assert [(r.last_name, r.gender, r.nc_year) for r in result.records] == [
        ("Ionescu", "F", 10),
        ("Hughes", "M", 10),
        ("Rahman", "M", 10),
    ]
    assert result.records[1].home_language == ""  # no languages given: unknown


@pytest.mark.parametrize("version", ["23.0", "26.0", "19", "abc"])
def test_another_version_is_refused_naming_the_version_found_and_those_supported(version):
    with pytest.raises(ImportFileError) as refused:
        parse_ctf(ctf_bytes(pupil_xml(), version=version), today=TODAY)

    assert str(refused.value) == (
        f"The file is CTF version {version}. SENDwise reads CTF versions 25 and 24: ask the "
        "sending school to export it again from an up-to-date MIS"
    )


def test_a_version_element_spelt_with_a_capital_v_is_read_too():
    # Capita One's help pages show <CTFVersion>; DfE's own code writes <CTFversion>.
    data = ctf_bytes(pupil_xml()).replace(b"CTFversion>", b"CTFVersion>")
    assert parse_ctf(data, today=TODAY).ok


def test_a_file_without_a_version_is_refused():
    with pytest.raises(ImportFileError, match=ctf.NO_VERSION):
        parse_ctf(ctf_bytes(pupil_xml(), version=""), today=TODAY)


def test_a_billion_laughs_xml_bomb_is_refused_for_safety_without_expanding_it():
    started = time.perf_counter()

    with pytest.raises(ImportFileError) as refused:
        parse_ctf(fixture("billion_laughs.xml"), today=TODAY)

    assert str(refused.value) == (
        "The file contains XML entity definitions, which SENDwise refuses for safety"
    )
    assert time.perf_counter() - started < 1


def test_an_external_entity_that_would_read_a_server_file_is_refused():
    data = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        b"<CTfile><Header><CTFversion>25.0</CTFversion></Header>&secret;</CTfile>"
    )

    with pytest.raises(ImportFileError, match=ctf.XML_ENTITIES):
        parse_ctf(data, today=TODAY)


def test_a_doctype_is_refused_even_without_entities():
    data = b'<?xml version="1.0"?><!DOCTYPE CTfile SYSTEM "ctf.dtd"><CTfile/>'

    with pytest.raises(ImportFileError, match=r"document type declaration \(DOCTYPE\)"):
        parse_ctf(data, today=TODAY)


def test_malformed_xml_is_refused_with_the_line_of_the_problem():
    data = ctf_bytes(pupil_xml()).replace(b"</Surname>", b"</Surnam>")

    with pytest.raises(ImportFileError) as refused:
        parse_ctf(data, today=TODAY)

    assert str(refused.value).startswith(
        "The file is not valid XML: the problem is on line 11,"
    )  # </Surnam>


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<html><body>Not a CTF</body></html>", "it starts with <html>, not <CTfile>"),
        (ctf_bytes(), ctf.NO_PUPILS),
        (b"", checks.FILE_EMPTY),
        (b"UPN,Surname\r\nA,B\r\n", "not valid XML"),
    ],
)
def test_files_that_are_not_ctfs_or_have_no_pupils_are_refused(data, message):
    with pytest.raises(ImportFileError, match=message):
        parse_ctf(data, today=TODAY)


def test_a_file_over_the_size_limit_is_refused():
    with pytest.raises(ImportFileError, match=r"largest file SENDwise accepts is 0\.0005 MB"):
        parse_ctf(ctf_bytes(pupil_xml()), today=TODAY, max_bytes=500)


def test_a_supplier_namespace_does_not_stop_the_file_being_read():
    data = ctf_bytes(pupil_xml()).replace(b"<CTfile>", b'<CTfile xmlns="urn:example:ctf">')

    assert len(parse_ctf(data, today=TODAY).records) == 1


def test_a_pupil_with_a_bad_upn_is_rejected_and_the_others_are_read():
    data = ctf_bytes(pupil_xml(1), pupil_xml(2, upn="A123"), pupil_xml(3))

    result = parse_ctf(data, today=TODAY)

    assert [r.row for r in result.records] == [1, 3]
    error = only_error(result)
    assert (error.row, error.field, error.upn) == (2, "upn", "A123")
    assert error.message == f'{cc.UPN_INVALID_FORMAT} (found "A123")'


def test_a_pupil_listed_twice_is_rejected_the_second_time():
    data = ctf_bytes(pupil_xml(1), pupil_xml(1))

    result = parse_ctf(data, today=TODAY)

    assert [r.row for r in result.records] == [1]
    assert only_error(result).message.startswith("This UPN is also on row 1")


def test_a_future_date_of_birth_is_rejected_with_the_pupil_and_field():
    error = only_error(parse_ctf(ctf_bytes(pupil_xml(dob="2026-02-01")), today=TODAY))

    assert (error.row, error.field) == (1, "date_of_birth")
    assert error.message == f'{cc.DOB_IN_FUTURE} (found "01/02/2026")'


def test_a_date_written_the_uk_way_is_refused_because_the_ctf_uses_iso_dates():
    error = only_error(parse_ctf(ctf_bytes(pupil_xml(dob="09/01/2018")), today=TODAY))

    assert error.message == f'{checks.DATE_INVALID_ISO} (found "09/01/2018")'


@pytest.mark.parametrize("year", ["N1", "N2", "E1"])
def test_a_nursery_pupil_is_refused(year):
    error = only_error(parse_ctf(ctf_bytes(pupil_xml(year=year)), today=TODAY))

    assert (error.field, error.message) == ("nc_year", f'{checks.NC_YEAR_NURSERY} (found "{year}")')


def test_reception_is_year_0_and_a_pupil_not_following_the_curriculum_has_no_year():
    data = ctf_bytes(pupil_xml(1, year="R", dob="2021-03-01"), pupil_xml(2, year="X"))

    reception, not_following = parse_ctf(data, today=TODAY).records

    assert (reception.nc_year, not_following.nc_year) == (0, None)


def test_a_year_13_leaver_whose_year_would_pass_13_is_rejected():
    data = ctf_bytes(pupil_xml(year="13", dob="2007-01-09"), academic_year="2024")

    error = only_error(parse_ctf(data, today=TODAY))

    assert (error.field, error.message) == ("nc_year", f'{ctf.NC_YEAR_BEYOND} (found "13")')


def test_the_current_provision_is_the_one_with_the_latest_start_date_whatever_the_order():
    sen = sen_xml(("2024-09-02", "E"), ("2021-09-06", "K"), needs=(("SLCN", 1),))

    (record,) = parse_ctf(ctf_bytes(pupil_xml(sen=sen)), today=TODAY).records

    assert record.sen_provision == "E"
    assert record.sen_history == (
        SenPeriod("K", date(2021, 9, 6), date(2024, 9, 2)),
        SenPeriod("E", date(2024, 9, 2)),
    )


def test_sen_support_without_a_need_is_rejected_by_the_census_rule():
    sen = sen_xml(("2024-09-02", "K"))

    error = only_error(parse_ctf(ctf_bytes(pupil_xml(sen=sen)), today=TODAY))

    assert (error.field, error.message) == ("primary_need", cc.NEED_REQUIRED)


def test_an_unknown_provision_or_need_code_is_rejected():
    sen = sen_xml(("2024-09-02", "Q"), needs=(("DYS", 1),))

    errors = parse_ctf(ctf_bytes(pupil_xml(sen=sen)), today=TODAY).errors

    assert [(e.field, e.message.split(" (")[-1]) for e in errors] == [
        ("sen_provision", 'found "Q")'),
        ("primary_need", 'found "DYS")'),
    ]


def test_needs_beyond_the_secondary_are_kept_in_rank_order():
    sen = sen_xml(("2024-09-02", "E"), needs=(("VI", 3), ("ASD", 1), ("SLCN", 2)))

    (record,) = parse_ctf(ctf_bytes(pupil_xml(sen=sen)), today=TODAY).records

    assert [(n.need_type, n.rank) for n in record.needs] == [("ASD", 1), ("SLCN", 2), ("VI", 3)]


def test_two_needs_with_the_same_rank_are_rejected():
    sen = sen_xml(("2024-09-02", "K"), needs=(("ASD", 1), ("SLCN", 1)))

    errors = parse_ctf(ctf_bytes(pupil_xml(sen=sen)), today=TODAY).errors

    assert ("needs", ctf.RANK_REPEATED) in [(e.field, e.message.split(" (")[0]) for e in errors]


def test_the_sample_upns_used_here_are_valid():
    assert cc.clean_upn(make_upn(1)) == make_upn(1)


@pytest.mark.parametrize("start", ["0001-01-01", "9999-12-31"])
def test_an_sen_history_date_no_record_can_have_is_rejected_with_the_forms_words(start):
    sen = sen_xml((start, "K"), needs=(("SLCN", 1),))

    errors = parse_ctf(ctf_bytes(pupil_xml(sen=sen)), today=TODAY).errors

    assert errors and errors[0].field == "sen_history"
    assert "check the year" in errors[0].message and start in errors[0].message
