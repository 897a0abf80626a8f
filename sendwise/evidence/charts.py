"""Charts of the evidence catalogue, drawn by matplotlib as SVG (same chart on screen and in print).

The forest plot shows each pooled trial's effect size with its 95% interval (a square sized by
its random-effects weight), the pooled estimate as a diamond, and the prediction interval when
three or more trials are pooled (Higgins, Thompson & Spiegelhalter 2009). The page puts the
same figures in a table beside it, which is the chart's text alternative.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from matplotlib.patches import Polygon

from sendwise.core.figures import new_figure, svg_text
from sendwise.core.svg import inline_svg
from sendwise.evidence.pooling import Synthesis

# GOV.UK Design System colours: blue, black, mid grey.
BLUE, BLACK, GREY = "#1d70b8", "#0b0c0c", "#505a5f"
_YEAR = re.compile(r"\((\d{4}[^)]*)\)")


def short_citation(citation: str) -> str:
    """'West G, Snowling MJ, et al. (2021) Early ...' -> 'West G et al. (2021)'."""
    match = _YEAR.search(citation)
    if not match:
        return citation[:40].rstrip() + ("…" if len(citation) > 40 else "")
    authors = citation[: match.start()].strip()
    first = authors.split(",")[0].strip()
    if "," in authors or " et al" in authors:
        first = first.removesuffix(" et al.").removesuffix(" et al") + " et al."
    year = match.group(1).split(",")[0]
    return f"{first} ({year})"


def tidy_svg(svg: str, label: str) -> str:
    """Inline-ready SVG: no XML prologue, no inline styles (the CSP would refuse them), scales
    with its column, named for screen readers."""
    svg = inline_svg(svg)
    safe = label.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return re.sub(
        r'<svg([^>]*?) width="[^"]*" height="[^"]*"',
        rf'<svg\1 width="100%" role="img" aria-label="{safe}" focusable="false"',
        svg,
        count=1,
    )


@dataclass(frozen=True)
class ForestRow:
    label: str
    effect: float
    ci_low: float
    ci_high: float
    weight: float


@dataclass(frozen=True)
class ForestData:
    """Everything the forest plot draws, as plain values (so the same values give the same
    chart, and the chart can be kept by them: ``core.chart_cache``)."""

    title: str
    rows: tuple[ForestRow, ...]
    estimate: float
    ci_low: float
    ci_high: float
    pi_low: float | None
    pi_high: float | None


def forest_data(synthesis: Synthesis, *, title: str) -> ForestData | None:
    """The plot's values from a synthesis; None when nothing was pooled."""
    if not synthesis.included or synthesis.pooled is None:
        return None
    pooled = synthesis.pooled
    rows = tuple(
        ForestRow(
            short_citation(getattr(item.row, "citation", "")),
            float(item.effect),
            float(item.ci_low),
            float(item.ci_high),
            float(item.weight),
        )
        for item in synthesis.included
    )
    return ForestData(
        title, rows, pooled.estimate, pooled.ci_low, pooled.ci_high, pooled.pi_low, pooled.pi_high
    )


def forest_plot_svg(synthesis: Synthesis, *, title: str) -> str:
    """A forest plot of the pooled trials as an inline SVG string ('' when nothing was pooled)."""
    data = forest_data(synthesis, title=title)
    return draw_forest(data) if data is not None else ""


def draw_forest(data: ForestData) -> str:
    """Draw the forest plot of ``data`` (matplotlib's object interface only; core.figures)."""
    rows = data.rows
    show_pooled = len(rows) > 1
    height = 1.2 + 0.45 * (len(rows) + (2 if show_pooled else 0))
    figure = new_figure(5.2, height)
    axes = figure.add_subplot()
    labels = []
    for y, item in enumerate(rows):
        position = len(rows) - y + (1 if show_pooled else 0)
        axes.plot([item.ci_low, item.ci_high], [position, position], color=BLACK, lw=1.2)
        axes.plot(item.effect, position, marker="s", color=BLUE, ms=4 + 10 * item.weight, ls="")
        labels.append((position, item.label))
    if show_pooled:
        diamond = [
            (data.ci_low, 0.8),
            (data.estimate, 1.1),
            (data.ci_high, 0.8),
            (data.estimate, 0.5),
        ]
        axes.add_patch(Polygon(diamond, closed=True, color=BLACK))
        if data.pi_low is not None and data.pi_high is not None:
            axes.plot([data.pi_low, data.pi_high], [0.8, 0.8], color=GREY, lw=1, ls="--")
        labels.append((0.8, f"Pooled ({len(rows)} trials)"))
    axes.axvline(0, color=GREY, lw=0.8)
    # A citation's text is never read as mathematics ("$" in a title must not break it).
    axes.set_yticks([p for p, _ in labels], [text for _, text in labels], parse_math=False)
    lows = [i.ci_low for i in rows] + [data.ci_low, data.pi_low or 0, 0]
    highs = [i.ci_high for i in rows] + [data.ci_high, data.pi_high or 0, 0]
    margin = 0.1 * (max(highs) - min(lows) or 1)
    axes.set_xlim(min(lows) - margin, max(highs) + margin)
    axes.set_ylim(0.2, len(rows) + (1.8 if show_pooled else 0.8))
    axes.set_xlabel("Effect size (standardised mean difference) with 95% interval")
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.tick_params(axis="y", length=0)
    figure.tight_layout()
    description = (
        f"Forest plot for {data.title}: {len(rows)} trial{'s' if len(rows) != 1 else ''}, "
        f"pooled effect size {data.estimate:.2f} (95% interval {data.ci_low:.2f} "
        f"to {data.ci_high:.2f}). The same figures are in the table of studies."
    )
    return tidy_svg(svg_text(figure), description)
