"""Small-number suppression of a table of counts with its totals: primary and secondary.
Pure: no Django import.

Why both. Primary suppression hides every count of 1 to 4 pupils (``disclosure.THRESHOLD``),
since so few children can be recognised. That alone is not enough when totals are shown: if a
school's row has one hidden cell, the row total minus the cells shown gives it back. Secondary
(complementary) suppression hides further cells so that no hidden count can be worked out from
what is shown.

The rule followed is the one in the Government Statistical Service guidance on statistical
disclosure control for tables ("Disclosure control for tables produced from administrative
sources", GSS/GSR, 2014, and the ONS "Statistical disclosure control" pages): apply primary
suppression, then, wherever a row or column has exactly one suppressed cell, suppress the next
smallest cell in it, and repeat until nothing changes; DfE statistical releases do the same
(their "Secondary suppression" notes). Totals are treated as cells of the table: a row total,
a column total and the grand total are each one more entry of the row or column they close, so
a total can be suppressed too when nothing else is left to hide.

One more check than the usual rule: "at least two hidden in every line" can still leave a hidden
cell that the equations pin down (two hidden blocks joined by one hidden cell: that cell is
what the first block's row must still add up to). Read the table as a graph, with a node for
every row and every column and an edge for every hidden entry; each line's total fixes the sum of
its edges, so an entry can be worked out exactly if and only if its edge lies on no cycle (it is
a *bridge*). While any hidden entry is a bridge, the next smallest shown cell of its row (else
its column, else the table) is hidden too. Every entry hidden gives a graph with no bridges, so
this always ends. Reference: R. Tarjan (1974), "A note on finding the bridges of a graph",
Information Processing Letters 2(6), 160-161, for the bridge search.

What is promised (and tested with hypothesis): every count from 1 to threshold - 1 is hidden,
everything shown is the true figure, and no hidden count can be recovered exactly from the
figures shown by adding and subtracting along rows and columns. Ranges (a hidden cell is at most
the row total) are not hidden: that is the accepted residual risk of the GSS method.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sendwise.core.disclosure import THRESHOLD

Entry = tuple[int, int]


@dataclass(frozen=True)
class Protected:
    """A table of counts with its totals, and which entries may be shown.

    Entries are addressed as ``(row, column)`` in the table *with its totals*: ``row == rows``
    is the row of column totals and ``column == columns`` the column of row totals."""

    rows: int
    columns: int
    values: tuple[tuple[int, ...], ...]  # (rows + 1) × (columns + 1), totals included
    hidden: frozenset[Entry]
    primary: frozenset[Entry]

    def shown(self, row: int, column: int) -> int | None:
        """The count at an entry, or None where it is suppressed."""
        return None if (row, column) in self.hidden else self.values[row][column]

    def cell(self, row: int, column: int) -> int | None:
        return self.shown(row, column)

    def row_total(self, row: int) -> int | None:
        return self.shown(row, self.columns)

    def column_total(self, column: int) -> int | None:
        return self.shown(self.rows, column)

    @property
    def grand_total(self) -> int | None:
        return self.shown(self.rows, self.columns)


def _with_totals(cells: Sequence[Sequence[int]]) -> tuple[int, int, list[list[int]]]:
    rows = len(cells)
    columns = len(cells[0]) if rows else 0
    if any(len(r) != columns for r in cells):
        raise ValueError("Every row of the table needs the same number of cells")
    values = []
    for r in cells:
        for v in r:
            if isinstance(v, bool) or not isinstance(v, int) or v < 0:
                raise ValueError("Counts must be whole numbers of at least zero")
        values.append([*r, sum(r)])
    values.append([sum(values[i][j] for i in range(rows)) for j in range(columns + 1)])
    return rows, columns, values


def _lines(rows: int, columns: int) -> list[list[Entry]]:
    """Every row and every column of the table with totals; each adds up to its own total."""
    across = [[(i, j) for j in range(columns + 1)] for i in range(rows + 1)]
    down = [[(i, j) for i in range(rows + 1)] for j in range(columns + 1)]
    return across + down


def _next_smallest(line: list[Entry], values, hidden: set[Entry], rows: int, columns: int):
    """The shown entry of ``line`` to hide: the smallest non-zero cell, else the smallest cell
    (an adviser may guess a zero: a school that does not run a programme), else a total."""

    def is_total(e: Entry) -> bool:
        return e[0] == rows or e[1] == columns

    candidates = [e for e in line if e not in hidden]
    if not candidates:
        return None
    return min(
        candidates,
        key=lambda e: (is_total(e), values[e[0]][e[1]] == 0, values[e[0]][e[1]], e),
    )


def _bridges(hidden: set[Entry], rows: int, columns: int) -> list[Entry]:
    """Hidden entries that lie on no cycle of the row–column graph (Tarjan 1974), iteratively."""
    adjacency: dict[tuple[str, int], list[tuple[tuple[str, int], Entry]]] = {}
    for i, j in hidden:
        a, b = ("r", i), ("c", j)
        adjacency.setdefault(a, []).append((b, (i, j)))
        adjacency.setdefault(b, []).append((a, (i, j)))
    order: dict = {}
    low: dict = {}
    found: list[Entry] = []
    counter = 0
    for root in sorted(adjacency):
        if root in order:
            continue
        order[root] = low[root] = counter
        counter += 1
        stack = [(root, None, iter(adjacency[root]))]
        while stack:
            node, via, edges = stack[-1]
            advanced = False
            for neighbour, entry in edges:
                if entry == via:
                    continue
                if neighbour in order:
                    low[node] = min(low[node], order[neighbour])
                else:
                    order[neighbour] = low[neighbour] = counter
                    counter += 1
                    stack.append((neighbour, entry, iter(adjacency[neighbour])))
                    advanced = True
                    break
            if not advanced:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > order[parent]:
                        found.append(via)
    return sorted(found)


def protect(
    cells: Sequence[Sequence[int]],
    threshold: int = THRESHOLD,
    *,
    unproven: Iterable[Entry] = (),
) -> Protected:
    """Primary and secondary suppression of ``cells`` (rows × columns of counts) with their
    row, column and grand totals.

    ``unproven``: entries (totals included) hidden as primary whatever their count, because
    the count is not of people and the people behind it are not known to be ``threshold`` or
    more (a count of placements, where one pupil may have two: ``impact.across``)."""
    rows, columns, values = _with_totals(cells)
    if not rows or not columns:
        return Protected(rows, columns, tuple(tuple(r) for r in values), frozenset(), frozenset())
    entries = [(i, j) for i in range(rows + 1) for j in range(columns + 1)]
    primary = {e for e in entries if 0 < values[e[0]][e[1]] < threshold}
    primary |= {e for e in unproven if values[e[0]][e[1]] > 0}
    lines = _lines(rows, columns)
    hidden: set[Entry] = set()
    # Hidden entries per line (rows first, then columns), kept as entries are hidden, so that
    # a large table (hundreds of schools × dozens of programmes) is not rescanned each time.
    per_line = [0] * len(lines)

    def hide(entry: Entry) -> None:
        hidden.add(entry)
        per_line[entry[0]] += 1
        per_line[rows + 1 + entry[1]] += 1

    for entry in primary:
        hide(entry)
    while True:
        lone = next((k for k, n in enumerate(per_line) if n == 1), None)
        if lone is not None:
            hide(_next_smallest(lines[lone], values, hidden, rows, columns))
            continue
        bridges = _bridges(hidden, rows, columns)
        if not bridges:
            break
        i, j = bridges[0]
        for line in (lines[i], lines[rows + 1 + j], entries):
            extra = _next_smallest(line, values, hidden, rows, columns)
            if extra is not None:
                hide(extra)
                break
    return Protected(
        rows,
        columns,
        tuple(tuple(r) for r in values),
        frozenset(hidden),
        frozenset(primary),
    )


def protect_parts(counts: Sequence[int], threshold: int = THRESHOLD) -> frozenset[int]:
    """The positions to hide among ``counts``, the parts of one whole whose total is shown
    (pupils by sex, by need: each with a figure such as a mean gain beside it).

    Primary: every part of 1 to ``threshold`` - 1. Secondary: while the hidden parts add up to
    1 to ``threshold`` - 1 and some part is shown, the smallest shown part is hidden too, since
    the total less the parts shown gives the hidden ones' count (and, for a mean, their sum)
    back. Hidden parts that add up to ``threshold`` or more may be worked out together, as one
    group of at least that many: what the primary rule allows for any group. A part of 0 is
    never hidden (it says nothing about any child). The same rule as ``protect`` on a table of
    one row; here the whole is always shown, as the pages show it beside the parts."""
    if any(n < 0 for n in counts):
        raise ValueError("A count cannot be negative")
    hidden = {i for i, n in enumerate(counts) if 0 < n < threshold}
    while 0 < sum(counts[i] for i in hidden) < threshold:
        shown = [i for i, n in enumerate(counts) if n > 0 and i not in hidden]
        if not shown:
            break
        hidden.add(min(shown, key=lambda i: (counts[i], i)))
    return frozenset(hidden)
