"""The provision map's chart: what each intervention cost so far (staff time and materials) and
what the sessions still timetabled will add, as horizontal bars, largest first, so a head sees
at a glance where the money goes. Drawn by matplotlib's object interface as SVG (the same chart
on the page and in the PDF); the map's table is its accessible equivalent and
:func:`describe` its text alternative. Pure: no Django.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from sendwise.core.figures import new_figure, svg_text
from sendwise.evidence.charts import BLUE, GREY, tidy_svg

#: GOV.UK light blue for what is still to come (and hatched, for readers who cannot tell it).
LIGHT_BLUE = "#5694ca"
#: More bars than this would be unreadable; the table lists every intervention.
MOST_BARS = 15


@dataclass(frozen=True)
class Bar:
    name: str
    staff: float
    materials: float
    ahead: float  # projected, still to come

    @property
    def total(self) -> float:
        return self.staff + self.materials + self.ahead


def describe(bars: tuple[Bar, ...], period: str, of: int | None = None) -> str:
    """The text alternative; ``of``: how many interventions had a cost, when only the
    costliest ``len(bars)`` are drawn."""
    if not bars:
        return f"No provision was costed in {period}."
    top = max(bars, key=lambda b: b.total)
    which = (
        f"the {len(bars)} costliest of the {of} interventions"
        if of is not None and of > len(bars)
        else "each intervention"
    )
    return (
        f"Bar chart of the cost of {which} in {period}: staff time and materials so far, "
        f"and the sessions still timetabled. The largest is {top.name}, about £{top.total:,.0f} "
        "by the end. The table below gives every figure."
    )


def provision_chart_svg(bars: tuple[Bar, ...], period: str) -> str:
    """The chart as inline SVG ('' when there is nothing to draw). Pure in its arguments, so
    callers keep it with ``core.chart_cache.cached_svg``. With more than ``MOST_BARS``
    interventions costed, the costliest are drawn and the title and text say so."""
    costed = sorted((b for b in bars if b.total > 0), key=lambda b: -b.total)
    if not costed:
        return ""
    return _chart(tuple(costed[:MOST_BARS]), period, of=len(costed))


def _chart(bars: tuple[Bar, ...], period: str, of: int) -> str:
    """Drawn on its own figure (``core.figures``: no pyplot, no global settings changed); every
    text typed by the school is drawn with ``parse_math=False``, so "$" is never mathematics."""
    figure = new_figure(6.4, 2.2 + 0.4 * len(bars))
    axes = figure.add_subplot()
    names = ["\n".join(textwrap.wrap(b.name, 28)[:2]) for b in bars]
    rows = list(range(len(bars)))[::-1]  # largest at the top
    staff = [b.staff for b in bars]
    materials = [b.materials for b in bars]
    ahead = [b.ahead for b in bars]
    # No gid on the bars: matplotlib gives every bar of a series the same id, and an id may
    # appear once on a page.
    axes.barh(rows, staff, color=BLUE, label="Staff time so far")
    axes.barh(rows, materials, left=staff, color=GREY, label="Materials and licences")
    axes.barh(
        rows,
        ahead,
        left=[s + m for s, m in zip(staff, materials, strict=True)],
        color="white",
        edgecolor=LIGHT_BLUE,
        hatch="///",
        label="Sessions still timetabled",
    )
    axes.set_yticks(rows, names, parse_math=False)
    axes.set_xlabel("Cost (£)")
    axes.xaxis.set_major_formatter(lambda value, _pos: f"£{value:,.0f}")
    title = f"Cost of provision, {period}"
    if of > len(bars):
        title += f": the {len(bars)} costliest of {of} (every one in the table)"
    axes.set_title(title, fontsize=11, loc="left", parse_math=False)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.legend(loc="lower center", ncol=3, frameon=False, fontsize=8)
    # Room at the bottom for the legend, under the axis label.
    figure.tight_layout(rect=(0, 0.6 / (2.2 + 0.4 * len(bars)), 1, 1))
    svg = svg_text(figure)
    return tidy_svg(svg, describe(bars, period, of))
