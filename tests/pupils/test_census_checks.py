"""The census rules a school relies on when a pupil's record is entered or changed."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sendwise.pupils import census_checks as cc
from tests.factories import valid_upn


def test_a_valid_upn_is_accepted_and_upper_cased():
    upn = valid_upn(42)
    assert cc.clean_upn(upn.lower()) == upn


def test_a_upn_with_the_wrong_check_letter_is_refused_with_the_reason():
    upn = valid_upn(42)
    wrong = ("A" if upn[0] != "A" else "B") + upn[1:]
    with pytest.raises(ValueError, match="check letter"):
        cc.clean_upn(wrong)


@pytest.mark.parametrize("value", ["", "A12", "1234567890123", "A8734001260AB"])
def test_malformed_upns_are_refused(value):
    with pytest.raises(ValueError):
        cc.clean_upn(value)


def test_expected_year_group_follows_the_31_august_birthday_rule():
    today = date(2026, 11, 23)  # school year 2026 to 2027
    assert cc.expected_nc_year(date(2021, 9, 1), today) == 0  # 4 on 31 Aug 2026: Reception
    assert cc.expected_nc_year(date(2022, 8, 31), today) == 0
    assert cc.expected_nc_year(date(2021, 8, 31), today) == 1
    assert cc.expected_nc_year(date(2015, 3, 10), today) == 7  # 11 on 31 Aug 2026


def test_date_of_birth_one_year_out_of_cohort_is_accepted_but_three_is_not():
    today = date(2026, 11, 23)
    assert cc.check_date_of_birth(date(2017, 1, 1), 4, today) == []
    assert cc.check_date_of_birth(date(2017, 1, 1), 5, today) == []
    errors = cc.check_date_of_birth(date(2017, 1, 1), 7, today)
    assert errors and "normally be in Year 5" in errors[0][1]


def test_a_future_date_of_birth_is_refused():
    today = date(2026, 11, 23)
    assert cc.check_date_of_birth(date(2027, 1, 1), 0, today) == [
        ("date_of_birth", cc.DOB_IN_FUTURE)
    ]


@pytest.mark.parametrize(
    ("provision", "primary", "secondary", "expected"),
    [
        ("N", "", "", []),
        ("N", "ASD", "", [("primary_need", cc.NEED_WITHOUT_SEN)]),
        ("K", "", "", [("primary_need", cc.NEED_REQUIRED)]),
        ("E", "", "", [("primary_need", cc.NEED_REQUIRED)]),
        ("K", "NSA", "", []),
        ("E", "NSA", "", [("primary_need", cc.NSA_ONLY_WITH_K)]),
        ("K", "ASD", "ASD", [("secondary_need", cc.SECONDARY_SAME_AS_PRIMARY)]),
        ("K", "ASD", "SLCN", []),
    ],
)
def test_sen_provision_and_need_rules(provision, primary, secondary, expected):
    assert cc.check_sen(provision, primary, secondary) == expected


@given(st.text(max_size=20))
def test_clean_upn_only_ever_raises_its_own_value_error(value):
    try:
        cc.clean_upn(value)
    except ValueError as error:
        assert str(error) in {cc.UPN_INVALID_FORMAT, cc.UPN_INVALID_CHECK, cc.UPN_UNKNOWN_LA}
