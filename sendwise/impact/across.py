"""Impact across a trust's or a local authority's schools, from their aggregate rows only:
what each intervention achieved, and how the schools that run it compare. Pure: no Django.

Input: plain dicts of summed ``ImpactAggregate`` fields, one per school × intervention × measure
(the selector sums the terms of one school year). Output: the figures the trust and adviser pages
and the XLSX download show, with every small number already suppressed, so no page or file built
on it can show what this module hid.

Rules (issue 12, point 4; ``core.suppression`` for the method):

* **Placements** (a pupil who had the programme in two terms counts in each, so the counts add
  up along every row and column) form a table of schools × interventions with its totals;
  counts of 1 to 4 are hidden, then secondary suppression hides enough more that no hidden
  count follows from the totals. A hidden cell shows nothing at all, not its percentages nor
  its effect.
* **Pupils, not placements, decide what an adviser may see.** Five placements may be two
  pupils, so a count is also hidden (as a primary cell) unless it is known to cover at least 5
  different pupils. Different pupils do not add up across terms or programmes, so what is known
  is a floor: each stored row (one school, programme, measure, term) keeps its own number of
  different pupils; a cell covers at least the largest of its rows'; a school's total at least
  its largest cell's; a programme's total across schools at least the sum of its schools'
  floors (a pupil row belongs to one school); the grand total at least the sum of the schools'.
  A cell whose pupils are 5 or more in the year but fewer in every term and measure is hidden
  too: the safe side.
* **Effects** are shown per measure, never averaged across measures: for each measure, the
  placements with a pre and a post score form a second schools × interventions table,
  suppressed the same way (with the floor of different pupils scored). A school's (or the authority's) mean gain is shown only where that count is shown, so the
  sums of gains, which add up along the same rows and columns as the counts, cannot be worked out
  for a hidden cell either. Every mean comes with its 95% interval and n (``sums``).
* **Shares** (completed, full dose, reliable improvement) are shown only when both the pupils
  counted and the pupils not counted are 0 or at least 5: "18 of 20 completed" would tell an
  adviser that two pupils dropped out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sendwise.core.disclosure import THRESHOLD
from sendwise.core.suppression import Protected, protect
from sendwise.impact import results, sums


def _number(x: float, places: int) -> str:
    """A figure to ``places`` decimals with a true minus sign, and never "-0.00"."""
    text = f"{x:.{places}f}"
    if float(text) == 0:
        text = text.lstrip("-")
    return text.replace("-", "\u2212")


SUMMED = (
    "placements",
    "completed",
    "scored",
    "gain_sum",
    "gain_sq_sum",
    "reliable_judged",
    "reliable_improved",
    "dose_n",
    "dose_share_sum",
    "full_dose",
)


def share(part: int, whole: int, threshold: int = THRESHOLD) -> float | None:
    """``part / whole``, or None where the part or the rest is 1 to ``threshold`` - 1 or there
    is nobody to count.

    The one rule for every share SENDwise publishes beyond the SENCO's own pages: this
    module's trust and authority figures, and the governors' summary (``reports.suppression``
    builds its shares on this function, adding that a share whose base is hidden is hidden)."""
    rest = whole - part
    if whole <= 0 or 0 < part < threshold or 0 < rest < threshold:
        return None
    return part / whole


@dataclass(frozen=True)
class Effect:
    """One measure's mean gain for one cell: n shown (None when hidden) and the estimate (None
    below five pupils or with no spread)."""

    measure_id: int
    measure: str
    gain_kind: str
    n: int | None
    estimate: sums.SumsEstimate | None
    #: The measure's better direction (False: lower is better, as on the SDQ), for the words.
    higher_is_better: bool | None = None

    @property
    def in_months(self) -> bool:
        return self.gain_kind == sums.STANDARDISED

    @property
    def text(self) -> str:
        """The figure in words, always with its 95% interval and n (or why there is none)."""
        e = self.estimate
        if e is None:
            if self.n is None:
                return (
                    "suppressed (not known to be at least 5 pupils with a starting and a later "
                    "score, or hidden so that a total does not reveal such a count)"
                )
            return f"n = {self.n}; no interval (fewer than 5 pupils or every gain the same)"
        if self.in_months:
            figure = (
                f"{e.months_label} (95% interval {e.months_low} to {e.months_high} months); "
                f"gain {_number(e.mean, 2)} SD, 95% interval {_number(e.ci_low, 2)} to "
                f"{_number(e.ci_high, 2)}"
            )
        elif self.gain_kind == sums.RATIO:
            figure = (
                f"ratio gain {_number(e.mean, 2)}, 95% interval {_number(e.ci_low, 2)} to "
                f"{_number(e.ci_high, 2)}"
            )
        elif self.higher_is_better is not None:
            figure = (
                f"mean change: {results.raw_change_words(e.mean, higher_is_better=self.higher_is_better)}; "
                f"{results.raw_interval_words(e.ci_low, e.ci_high)}"
            )
        else:
            figure = (
                f"mean change {_number(e.mean, 1)} points (+ is better), 95% interval "
                f"{_number(e.ci_low, 1)} to {_number(e.ci_high, 1)}"
            )
        return f"{figure}; n = {e.n}"


@dataclass(frozen=True)
class Cell:
    """What is shown for one school and one intervention, or one intervention in all schools."""

    placements: int | None  # None: suppressed
    completed: float | None = None
    dose: float | None = None
    full_dose: float | None = None
    reliable_improved: float | None = None
    effects: tuple[Effect, ...] = ()

    @property
    def suppressed(self) -> bool:
        return self.placements is None


@dataclass(frozen=True)
class Row:
    key: int
    name: str
    cell: Cell


@dataclass
class Across:
    """The interventions run across the schools (totals), and for one chosen intervention, the
    schools that run it (``schools``)."""

    interventions: list[Row] = field(default_factory=list)
    schools: list[Row] = field(default_factory=list)
    #: Every intervention's schools, when asked for (the XLSX download): id -> rows.
    by_intervention: dict[int, list[Row]] = field(default_factory=dict)
    school_totals: list[Row] = field(default_factory=list)
    grand_total: int | None = None
    suppressed_any: bool = False


def _add(into: dict, row: dict) -> None:
    for key in SUMMED:
        into[key] = into.get(key, 0) + (row.get(key) or 0)
    for key in FLOORS:  # a floor, not a sum: missing is 0, which proves nothing
        into[key] = max(into.get(key, 0), row.get(key) or 0)


def _unproven(floors: list[list[int]], threshold: int = THRESHOLD) -> set[tuple[int, int]]:
    """Entries of a schools × interventions table (totals included, as ``protect`` numbers
    them) not known to cover ``threshold`` different pupils, from each cell's floor."""
    rows = len(floors)
    columns = len(floors[0]) if rows else 0
    row_floor = [max(r, default=0) for r in floors]
    column_floor = [sum(floors[s][i] for s in range(rows)) for i in range(columns)]
    found = {(s, i) for s in range(rows) for i in range(columns) if floors[s][i] < threshold}
    found |= {(s, columns) for s in range(rows) if row_floor[s] < threshold}
    found |= {(rows, i) for i in range(columns) if column_floor[i] < threshold}
    if sum(row_floor) < threshold:
        found.add((rows, columns))
    return found


#: What the selector passes with the sums: the most different pupils (all, and scored) in any
#: one stored row of the cell (its floor; see the module docstring).
FLOORS = ("distinct_pupils", "distinct_scored")


def _cell(total: dict, shown: int | None, effects: tuple[Effect, ...]) -> Cell:
    if shown is None:
        return Cell(None)
    # A mean of at least five pupils' dose shares tells nothing about any one of them.
    dose = total["dose_share_sum"] / total["dose_n"] if total["dose_n"] >= THRESHOLD else None
    return Cell(
        shown,
        completed=share(total["completed"], total["placements"]),
        dose=dose,
        full_dose=share(total["full_dose"], total["dose_n"]),
        reliable_improved=share(total["reliable_improved"], total["reliable_judged"]),
        effects=effects,
    )


def _effect(measure: tuple, n_shown: int | None, total: dict) -> Effect:
    measure_id, name, kind, *direction = measure
    estimate = None
    if n_shown:
        estimate = sums.estimate_from_sums(n_shown, total["gain_sum"], total["gain_sq_sum"])
    return Effect(measure_id, name, kind, n_shown, estimate, *direction)


def across(
    *,
    rows: list[dict],
    schools: list[tuple[int, str]],
    interventions: dict[int, str],
    measures: dict[int, tuple],  # (name, kind) or (name, kind, higher_is_better)
    chosen: int | None = None,
    every_school: bool = False,
) -> Across:
    """Shape ``rows`` (summed aggregate fields with ``school_id``, ``intervention_id``,
    ``measure_id``) into what may be shown; ``chosen`` is the intervention whose schools are
    compared (``every_school``: every intervention's, in ``by_intervention``)."""
    school_ids = [s for s, _ in schools]
    column_ids = sorted(
        {r["intervention_id"] for r in rows}, key=lambda i: (interventions.get(i, ""), i)
    )
    s_index = {s: k for k, s in enumerate(school_ids)}
    i_index = {i: k for k, i in enumerate(column_ids)}
    cells: dict[tuple[int, int], dict] = defaultdict(dict)
    by_measure: dict[int, dict[tuple[int, int], dict]] = defaultdict(lambda: defaultdict(dict))
    kind_of: dict[int, str] = {}
    for r in rows:
        if r["school_id"] not in s_index:
            continue
        key = (s_index[r["school_id"]], i_index[r["intervention_id"]])
        _add(cells[key], r)
        if r["measure_id"] is not None and r.get("scored"):
            _add(by_measure[r["measure_id"]][key], r)
            kind_of[r["measure_id"]] = r.get("gain_kind") or ""
    result = Across()
    if not school_ids or not column_ids:
        return result

    def table(values: dict[tuple[int, int], dict], name: str, floor: str) -> Protected:
        def grid(key: str) -> list[list[int]]:
            return [
                [values.get((s, i), {}).get(key, 0) for i in range(len(column_ids))]
                for s in range(len(school_ids))
            ]

        return protect(grid(name), unproven=_unproven(grid(floor)))

    pupils = table(cells, "placements", "distinct_pupils")
    scored = {m: table(values, "scored", "distinct_scored") for m, values in by_measure.items()}
    result.suppressed_any = bool(pupils.hidden) or any(t.hidden for t in scored.values())
    measure_order = sorted(by_measure, key=lambda m: (measures.get(m, ("", ""))[0], m))
    rows_of = len(school_ids)

    def effects_for(s: int, i: int, totals: dict) -> tuple[Effect, ...]:
        found = []
        for m in measure_order:
            t = scored[m]
            n = t.shown(s, i)
            if t.values[s][i] == 0:
                continue
            name, *facts = measures.get(m, ("Unnamed measure", ""))
            # (name, kind) or (name, kind, higher_is_better): the direction, where given.
            direction = facts[1:2]
            found.append(_effect((m, name, kind_of.get(m, ""), *direction), n, totals[m]))
        return tuple(found)

    for k, intervention_id in enumerate(column_ids):
        total: dict = {}
        per_measure: dict[int, dict] = defaultdict(dict)
        for s in range(rows_of):
            if (s, k) in cells:
                _add(total, cells[(s, k)])
            for m in measure_order:
                if (s, k) in by_measure[m]:
                    _add(per_measure[m], by_measure[m][(s, k)])
        cell = _cell(total, pupils.column_total(k), effects_for(rows_of, k, per_measure))
        result.interventions.append(
            Row(intervention_id, interventions.get(intervention_id, ""), cell)
        )
        if intervention_id == chosen or every_school:
            compared = []
            for s, (school_id, school_name) in enumerate(schools):
                own = cells.get((s, k))
                if own is None:
                    continue
                here = {m: by_measure[m].get((s, k), {}) for m in measure_order}
                shown = _cell(own, pupils.cell(s, k), effects_for(s, k, here))
                compared.append(Row(school_id, school_name, shown))
            result.by_intervention[intervention_id] = compared
            if intervention_id == chosen:
                result.schools = compared
    for s, (school_id, school_name) in enumerate(schools):
        result.school_totals.append(Row(school_id, school_name, Cell(pupils.row_total(s))))
    result.grand_total = pupils.grand_total
    return result
