"""The sample-file generator makes valid files of any size for benchmarks and browser tests."""

from sendwise.exchange.ctf import parse_ctf
from sendwise.exchange.mis_csv import parse_csv
from sendwise.exchange.samples import make_csv, make_ctf, make_upn
from sendwise.pupils.census_checks import clean_upn
from tests.exchange.helpers import TODAY


def test_a_generated_csv_is_read_without_a_single_error():
    result = parse_csv(make_csv(300, seed=7, today=TODAY), today=TODAY)

    assert result.ok and len(result.records) == 300
    provisions = {r.sen_provision for r in result.records}
    assert provisions == {"N", "K", "E"}


def test_a_generated_ctf_is_read_without_a_single_error_in_either_version():
    for version, element in (("25.0", b"<Sex>"), ("24.0", b"<Gender>")):
        data = make_ctf(300, seed=7, today=TODAY, version=version)

        result = parse_ctf(data, today=TODAY)

        assert element in data
        assert result.ok and len(result.records) == 300


def test_the_same_seed_gives_the_same_file_and_another_seed_another():
    assert make_csv(20, seed=1, today=TODAY) == make_csv(20, seed=1, today=TODAY)
    assert make_csv(20, seed=1, today=TODAY) != make_csv(20, seed=2, today=TODAY)
    assert make_ctf(20, seed=1, today=TODAY) == make_ctf(20, seed=1, today=TODAY)


def test_the_csv_and_ctf_from_one_seed_describe_the_same_pupils():
    csv_records = parse_csv(make_csv(50, seed=3, today=TODAY), today=TODAY).records
    ctf_records = parse_ctf(make_ctf(50, seed=3, today=TODAY), today=TODAY).records

    assert [(r.upn, r.date_of_birth, r.nc_year, r.sen_provision, r.needs) for r in csv_records] == [
        (r.upn, r.date_of_birth, r.nc_year, r.sen_provision, r.needs) for r in ctf_records
    ]


def test_sample_upns_are_valid_and_distinct_well_beyond_a_thousand_pupils():
    upns = [make_upn(i) for i in range(0, 250_000, 97)]

    assert all(clean_upn(upn) == upn for upn in upns)
    assert len(set(upns)) == len(upns)
