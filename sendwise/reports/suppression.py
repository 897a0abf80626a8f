"""Small-number suppression for a table of counts with its totals. Pure: no Django import.

The rule (primary suppression): a count of 1 to 4 pupils is not published, because in one
school it can point to a child; zero is published (it says nothing about any child). This is
the threshold `core.disclosure` applies for advisers, following the DfE's practice in its
published statistics and the Government Statistical Service guidance on statistical disclosure
control (GSS, "Statistical disclosure control for tables produced from administrative data").

Secondary suppression: a hidden count must not be recoverable by subtraction from a total that
is shown. So in every row and every column (each with its total) where exactly one count is
hidden, a second one is hidden too, the smallest other count (cells before totals), and this is
repeated until no line has exactly one. Hidden counts are shown as the GSS symbol for
confidential data, "[c]" (GSS, "Symbols in tables, definitions and help", 2021).

Shares ("75% had most of their sessions"): one rule, ``impact.across.share``, the trust pages'
own; see ``suppress_share``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sendwise.core.suppression import protect
from sendwise.impact.across import share as shown_share

THRESHOLD = 5
MARK = "[c]"
LEGEND = (
    "[c]: not shown, because it is a number of pupils from 1 to 4 (which could identify a "
    "child), or because it would let such a number be worked out from a total."
)


@dataclass(frozen=True)
class Cell:
    count: int
    hidden: bool

    @property
    def text(self) -> str:
        return MARK if self.hidden else f"{self.count:,}"

    @property
    def pupils(self) -> str:
        """The count with its noun, "[c] pupils" when hidden: the plural alone would show a
        hidden 1."""
        if self.hidden:
            return f"{MARK} pupils"
        return f"{self.count:,} pupil{'' if self.count == 1 else 's'}"

    @property
    def value(self) -> int | str:
        """For a spreadsheet: the number, or the mark."""
        return MARK if self.hidden else self.count


@dataclass(frozen=True)
class Table:
    """``cells[i][j]``, ``row_totals[i]``, ``column_totals[j]`` and ``total``, each a Cell."""

    cells: list[list[Cell]]
    row_totals: list[Cell]
    column_totals: list[Cell]
    total: Cell


def small(count: int, threshold: int = THRESHOLD) -> bool:
    if count < 0:
        raise ValueError("A count cannot be negative")
    return 0 < count < threshold


def suppress_count(count: int, threshold: int = THRESHOLD) -> Cell:
    """One count on its own (no total shown beside it)."""
    return Cell(count, small(count, threshold))


def suppress_table(counts: Sequence[Sequence[int]], threshold: int = THRESHOLD) -> Table:
    """The table with its totals, every small count hidden and enough others hidden that no
    hidden count can be worked out from a row or a column and its total."""
    rows = [list(r) for r in counts]
    width = len(rows[0]) if rows else 0
    if any(len(r) != width for r in rows):
        raise ValueError("Every row must have the same number of counts")
    if any(v < 0 for r in rows for v in r):
        raise ValueError("A count cannot be negative")
    # One rule for every table SENDwise publishes: core.suppression (primary, secondary, and no
    # hidden count left that the totals pin down exactly).
    protected = protect(rows, threshold) if rows and width else None
    grid = [list(r) for r in protected.values] if protected else [[0]]
    hidden = set(protected.hidden) if protected else set()

    def cell(i: int, j: int) -> Cell:
        return Cell(grid[i][j], (i, j) in hidden)

    n = len(rows)
    return Table(
        cells=[[cell(i, j) for j in range(width)] for i in range(n)],
        row_totals=[cell(i, width) for i in range(n)],
        column_totals=[cell(n, j) for j in range(width)],
        total=cell(n, width),
    )


@dataclass(frozen=True)
class Share:
    """A share of pupils (``part`` of ``whole``) as it may be published.

    Hidden by the one rule for shares (``impact.across.share``: the part or the rest is 1 to 4)
    and, as secondary suppression, whenever the count it is a share of is hidden: a share of a
    hidden base, times a total shown elsewhere, would give the hidden count back. ``whole`` is
    the base the share is of, always named beside it, so "75%" never sits next to a different n.
    """

    part: int
    whole: int
    hidden: bool

    @property
    def known(self) -> bool:
        """There is somebody to count (a base of 0 has no share, hidden or not)."""
        return self.whole > 0

    @property
    def percent(self) -> int | None:
        if self.hidden or not self.known:
            return None
        return round(100 * self.part / self.whole)

    @property
    def text(self) -> str:
        """ "75% (6 of 8)", "[c]", or "" with nobody to count."""
        if not self.known:
            return ""
        if self.hidden:
            return MARK
        return f"{self.percent}% ({self.part:,} of {self.whole:,})"

    @property
    def value(self) -> str:
        """For a spreadsheet: the same text as the page."""
        return self.text


def suppress_share(part: int, whole: int, *, base: Cell | None = None) -> Share:
    """The share ``part / whole``, hidden when the part or the rest is 1 to 4, or when ``base``
    (the count the share is of, where it is shown as its own figure) is hidden."""
    if part < 0 or whole < 0 or part > whole:
        raise ValueError("A share needs 0 <= part <= whole")
    hidden = whole > 0 and (
        shown_share(part, whole, THRESHOLD) is None or (base is not None and base.hidden)
    )
    return Share(part, whole, hidden)


def suppress_part(part: int, *, of: Cell) -> Cell:
    """A count that is part of a count shown beside it ("reviewed: 5" of "pupils: 6"): hidden
    by the share rule, since the two together give the rest (here 1) away."""
    return Cell(part, suppress_share(part, of.count, base=of).hidden)
