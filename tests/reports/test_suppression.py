"""Small numbers are never published, and never recoverable from a total that is."""

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sendwise.reports.suppression import (
    MARK,
    Cell,
    suppress_count,
    suppress_part,
    suppress_share,
    suppress_table,
)


def texts(table):
    return [
        [c.text for c in row] + [t.text]
        for row, t in zip(table.cells, table.row_totals, strict=True)
    ] + [[c.text for c in table.column_totals] + [table.total.text]]


def test_counts_of_1_to_4_are_marked_and_0_and_5_are_shown():
    assert [suppress_count(n).text for n in (0, 1, 4, 5, 1234)] == ["0", MARK, MARK, "5", "1,234"]


def test_a_hidden_cell_gets_a_partner_in_its_row_and_its_column():
    # SEN support and EHC plan for three needs: 3 pupils with SLCN and an EHC plan.
    shown = texts(suppress_table([[12, 3], [20, 8], [9, 6]]))
    assert shown[0][1] == MARK
    # Row 1 (12, [c], 15): 15 − 12 would give the 3 away unless 12 is hidden too.
    assert shown[0].count(MARK) >= 2
    # Column 2 ([c], 8, 6, 17): 17 − 8 − 6 would give it away unless another is hidden.
    assert [r[1] for r in shown].count(MARK) >= 2


def test_the_worked_example():
    """By hand: the 3 (row 0, col 1) is hidden first. Row 0 has one hidden: the smallest other
    count in it is 12 (a cell before the total 15). Column 1 then has one hidden (the 3): the
    smallest other is 6. Row 2 now has one hidden (the 6): its smallest other is 9. Column 0 has
    12 and 9 hidden, column 1 has 3 and 6: every line has two or none."""
    assert texts(suppress_table([[12, 3], [20, 8], [9, 6]])) == [
        [MARK, MARK, "15"],
        ["20", "8", "28"],
        [MARK, MARK, "15"],
        ["41", "17", "58"],
    ]


def test_a_total_under_5_is_hidden_as_well():
    assert texts(suppress_table([[3, 0]])) == [[MARK, "0", MARK], [MARK, "0", MARK]]


@given(
    st.lists(
        st.lists(st.integers(min_value=0, max_value=30), min_size=2, max_size=2),
        min_size=1,
        max_size=6,
    )
)
def test_no_line_ever_has_exactly_one_hidden_count_and_small_counts_never_show(counts):
    table = suppress_table(counts)
    grid = [row + [t] for row, t in zip(table.cells, table.row_totals, strict=True)]
    grid.append(table.column_totals + [table.total])
    for cell in itertools.chain.from_iterable(grid):
        if 0 < cell.count < 5:
            assert cell.hidden
    lines = grid + [list(col) for col in zip(*grid, strict=True)]
    for line in lines:
        # One hidden count in a line could be worked out from the others and the total.
        assert sum(c.hidden for c in line) != 1


def test_a_hidden_count_reads_the_same_whatever_it_is():
    # "[c] pupil" would tell a reader the hidden number is 1.
    assert {suppress_count(n).pupils for n in (1, 2, 4)} == {"[c] pupils"}
    assert suppress_count(0).pupils == "0 pupils"
    assert suppress_count(7).pupils == "7 pupils"
    assert suppress_count(1, threshold=1).pupils == "1 pupil"
    assert suppress_count(1234).pupils == "1,234 pupils"


# Shares (issue 12): one rule, impact.across.share, plus a share of a hidden base is hidden.


@pytest.mark.parametrize(
    ("part", "whole", "text"),
    [
        (2, 3, MARK),  # 67% of 3 gives 2 of 3 away
        (4, 7, MARK),  # 57% of 7: 3 in the rest
        (6, 8, MARK),  # 75% of 8: 2 in the rest
        (5, 10, "50% (5 of 10)"),
        (0, 6, "0% (0 of 6)"),
        (6, 6, "100% (6 of 6)"),
        (10, 15, "67% (10 of 15)"),
        (0, 0, ""),  # nobody to count: no share at all
    ],
)
def test_a_share_is_hidden_when_the_counted_or_the_rest_is_one_to_four(part, whole, text):
    assert suppress_share(part, whole).text == text


def test_a_share_of_a_hidden_count_is_hidden_too():
    assert suppress_share(5, 10, base=Cell(3, True)).hidden
    assert not suppress_share(5, 10, base=Cell(10, False)).hidden


def test_a_count_beside_the_total_it_is_part_of_is_hidden_when_the_rest_is_small():
    """ "Pupils: 6; reviewed: 5" tells that one pupil was not reviewed."""
    assert suppress_part(5, of=suppress_count(6)).text == MARK
    assert suppress_part(0, of=suppress_count(6)).text == "0"
    assert suppress_part(6, of=suppress_count(6)).text == "6"
    assert suppress_part(0, of=suppress_count(3)).text == MARK  # its total is hidden


@given(st.integers(0, 60), st.integers(0, 60))
def test_no_shown_share_has_one_to_four_on_either_side(a, b):
    part, whole = min(a, b), max(a, b)
    s = suppress_share(part, whole)
    if s.known and not s.hidden:
        assert part == 0 or part >= 5
        assert whole - part == 0 or whole - part >= 5
