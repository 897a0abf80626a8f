"""An adviser's table of pupil counts never gives away a count of 1 to 4, not even through its
totals (primary and secondary suppression, sendwise.core.suppression)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sendwise.core.suppression import protect


def recoverable(table) -> set:
    """Hidden entries that adding and subtracting along rows and columns gives back exactly:
    those whose unit vector lies in the row space of the line equations over hidden entries
    (linear algebra, independent of the bridge search the module uses)."""
    hidden = sorted(table.hidden)
    if not hidden:
        return set()
    index = {e: k for k, e in enumerate(hidden)}
    equations = []
    lines = [[(i, j) for j in range(table.columns + 1)] for i in range(table.rows + 1)]
    lines += [[(i, j) for i in range(table.rows + 1)] for j in range(table.columns + 1)]
    for line in lines:
        row = np.zeros(len(hidden))
        for i, j in line:
            if (i, j) in index:
                is_total = i == table.rows or j == table.columns
                # The line's total is the last entry; the cells before it add up to it.
                is_margin = (line[-1] == (i, j)) and is_total
                row[index[(i, j)]] = -1 if is_margin else 1
        if row.any():
            equations.append(row)
    a = np.array(equations)
    rank = np.linalg.matrix_rank(a)
    found = set()
    for e, k in index.items():
        unit = np.zeros(len(hidden))
        unit[k] = 1
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            found.add(e)
    return found


def test_a_lone_small_cell_in_a_row_takes_the_next_smallest_cell_with_it():
    # School A ran three programmes: 3, 20 and 9 pupils. Hiding the 3 alone would leave
    # 32 - 20 - 9 = 3 to be worked out from the total.
    table = protect([[3, 20, 9], [12, 15, 30]])
    assert table.cell(0, 0) is None
    assert table.cell(0, 2) is None, "the next smallest cell in the row is hidden too"
    assert table.row_total(0) == 32
    assert recoverable(table) == set()


def test_counts_of_five_and_more_and_zeros_are_shown_when_nothing_is_small():
    table = protect([[5, 0], [7, 12]])
    assert table.hidden == frozenset()
    assert (table.cell(0, 1), table.row_total(0), table.grand_total) == (0, 5, 24)


def test_a_small_total_is_hidden_as_well():
    table = protect([[1, 2], [10, 10]])
    assert table.row_total(0) is None
    assert recoverable(table) == set()


def test_two_hidden_blocks_joined_by_one_hidden_cell_do_not_pin_it_down():
    # Found by a random search with the bridge check switched off: the usual rule alone leaves
    # one hidden cell that the row and column totals pin down.
    cells = [[3, 2, 3, 23], [31, 2, 2, 18], [2, 0, 0, 0], [19, 0, 0, 0]]
    assert recoverable(protect(cells)) == set()


def test_counts_must_be_whole_and_not_negative():
    with pytest.raises(ValueError):
        protect([[1, -2]])
    with pytest.raises(ValueError):
        protect([[1, 2], [3]])


counts = st.one_of(st.integers(0, 6), st.integers(0, 60))


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1, 5).flatmap(
        lambda columns: st.lists(
            st.lists(counts, min_size=columns, max_size=columns), min_size=1, max_size=6
        )
    )
)
def test_no_hidden_count_can_be_worked_out_from_the_figures_shown(cells):
    table = protect(cells)
    for i in range(table.rows + 1):
        for j in range(table.columns + 1):
            value = table.values[i][j]
            if 0 < value < 5:
                assert table.shown(i, j) is None, "every count of 1 to 4 is hidden"
    for i, row in enumerate(cells):
        for j, value in enumerate(row):
            assert table.cell(i, j) in (None, value), "what is shown is the true count"
    assert recoverable(table) == set()


def test_a_count_not_known_to_cover_five_people_is_hidden_like_a_small_one():
    # 6 placements that may be 3 pupils: hidden as a primary cell; its row and column then
    # each hide one more (9 and 8), which leaves the 7 alone in its row and column, so it goes
    # too. The totals stay, and no hidden cell can be worked out from them.
    table = protect([[6, 9], [8, 7]], unproven={(0, 0)})
    assert table.primary == {(0, 0)}
    assert [table.cell(i, j) for i in (0, 1) for j in (0, 1)] == [None] * 4
    assert (table.row_total(0), table.column_total(0), table.grand_total) == (15, 14, 30)
    assert recoverable(table) == set()
    # A zero is shown whatever is said of it: nobody is behind it.
    assert protect([[0, 9]], unproven={(0, 0)}).cell(0, 0) == 0
