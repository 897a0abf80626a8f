"""Small numbers are suppressed in what advisers see."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sendwise.core.disclosure import SUPPRESSED, percentage, suppress


@pytest.mark.parametrize(
    ("count", "shown"), [(0, "0"), (1, SUPPRESSED), (4, SUPPRESSED), (5, "5"), (1234, "1,234")]
)
def test_counts_of_one_to_four_are_suppressed(count, shown):
    assert suppress(count) == shown


def test_percentages_of_small_groups_are_suppressed():
    assert percentage(3, 100) == "suppressed"
    assert percentage(10, 4) == "suppressed"
    assert percentage(15, 100) == "15.0%"
    assert percentage(0, 0) == "no pupils"


@given(st.integers(min_value=1, max_value=4))
def test_no_count_below_five_is_ever_shown(count):
    assert str(count) not in suppress(count).replace("5", "")


def test_negative_counts_are_a_bug():
    with pytest.raises(ValueError):
        suppress(-1)
