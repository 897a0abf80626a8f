"""The research estimate, the school's own and the two combined, drawn as one chart (matplotlib's
object interface, SVG; the same chart on screen and in print).

Three rows, each a point with its 95% interval: the pooled published trials (random effects),
the school's mean standardised gain (t-interval), and the research updated by the school's
result (normal–normal Bayesian update, ``practice.combine``; credible interval). The page gives
the same figures in words beside it, which is the chart's text alternative.
"""

from __future__ import annotations

from dataclasses import dataclass

from sendwise.core.figures import new_figure, svg_text
from sendwise.evidence.charts import BLACK, BLUE, GREY, tidy_svg

ORANGE = "#f47738"


@dataclass(frozen=True)
class Row:
    label: str
    value: float
    low: float
    high: float


def three_estimates_svg(rows: list[Row], *, title: str) -> str:
    """Research, school and combined as points with intervals ('' with nothing to draw). Pure
    in its arguments, so callers keep it with ``core.chart_cache.cached_svg``."""
    return draw_three_estimates(tuple(rows), title)


def draw_three_estimates(rows: tuple[Row, ...], title: str) -> str:
    """Drawn on its own figure (``core.figures``: no pyplot, no global settings changed)."""
    if not rows:
        return ""
    colours = [BLACK, ORANGE, BLUE]
    figure = new_figure(5.2, 0.8 + 0.55 * len(rows))
    axes = figure.add_subplot()
    for y, row in enumerate(rows):
        position = len(rows) - y
        colour = colours[y % len(colours)]
        axes.plot([row.low, row.high], [position, position], color=colour, lw=1.6)
        axes.plot(row.value, position, marker="os^"[y % 3], color=colour, ms=7, ls="")
    axes.axvline(0, color=GREY, lw=0.8)
    axes.set_yticks(
        [len(rows) - y for y in range(len(rows))], [r.label for r in rows], parse_math=False
    )
    lows, highs = [min(r.low for r in rows), 0], [max(r.high for r in rows), 0]
    margin = 0.1 * (max(highs) - min(lows) or 1)
    axes.set_xlim(min(lows) - margin, max(highs) + margin)
    axes.set_ylim(0.4, len(rows) + 0.6)
    axes.set_xlabel("Effect size (standard deviations) with 95% interval")
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.tick_params(axis="y", length=0)
    figure.tight_layout()
    svg = svg_text(figure)
    words = "; ".join(
        f"{r.label} {r.value:.2f} (95% interval {r.low:.2f} to {r.high:.2f})" for r in rows
    )
    return tidy_svg(svg, f"{title}: {words}. The same figures are given in words.")
