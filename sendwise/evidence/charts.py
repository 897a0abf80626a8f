"""Charts of the evidence catalogue, drawn by matplotlib as SVG (same chart on screen and in print).

The forest plot shows each pooled trial's effect size with its 95% interval (a square sized by
its random-effects weight), the pooled estimate as a diamond, and the prediction interval when
three or more trials are pooled (Higgins, Thompson & Spiegelhalter 2009). The page puts the
same figures in a table beside it, which is the chart's text alternative.
"""

from __future__ import annotations

import io
import re

import matplotlib

matplotlib.use("Agg")  # no display; must come before any other matplotlib import

from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.patches import Polygon

from sendwise.core.svg import inline_svg
from sendwise.evidence.pooling import Synthesis

# GOV.UK Design System colours: blue, black, mid grey.
BLUE, BLACK, GREY = "#1d70b8", "#0b0c0c", "#505a5f"
RC = {
    "svg.fonttype": "none",  # text stays text: smaller, and selectable
    "svg.hashsalt": "sendwise",  # the same chart gives the same SVG
    "font.size": 10,
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial"],
}
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


def forest_plot_svg(synthesis: Synthesis, *, title: str) -> str:
    """A forest plot of the pooled trials as an inline SVG string ('' when nothing was pooled)."""
    if not synthesis.included or synthesis.pooled is None:
        return ""
    pooled = synthesis.pooled
    rows = list(synthesis.included)
    show_pooled = len(rows) > 1
    height = 1.2 + 0.45 * (len(rows) + (2 if show_pooled else 0))
    with matplotlib.rc_context(RC):
        figure = Figure(figsize=(5.2, height))
        FigureCanvasSVG(figure)
        axes = figure.add_subplot()
        labels = []
        for y, item in enumerate(rows):
            position = len(rows) - y + (1 if show_pooled else 0)
            axes.plot([item.ci_low, item.ci_high], [position, position], color=BLACK, lw=1.2)
            axes.plot(item.effect, position, marker="s", color=BLUE, ms=4 + 10 * item.weight, ls="")
            labels.append((position, short_citation(getattr(item.row, "citation", ""))))
        if show_pooled:
            diamond = [
                (pooled.ci_low, 0.8),
                (pooled.estimate, 1.1),
                (pooled.ci_high, 0.8),
                (pooled.estimate, 0.5),
            ]
            axes.add_patch(Polygon(diamond, closed=True, color=BLACK))
            if pooled.pi_low is not None and pooled.pi_high is not None:
                axes.plot([pooled.pi_low, pooled.pi_high], [0.8, 0.8], color=GREY, lw=1, ls="--")
            labels.append((0.8, f"Pooled ({len(rows)} trials)"))
        axes.axvline(0, color=GREY, lw=0.8)
        axes.set_yticks([p for p, _ in labels], [text for _, text in labels])
        lows = [i.ci_low for i in rows] + [pooled.ci_low, pooled.pi_low or 0, 0]
        highs = [i.ci_high for i in rows] + [pooled.ci_high, pooled.pi_high or 0, 0]
        margin = 0.1 * (max(highs) - min(lows) or 1)
        axes.set_xlim(min(lows) - margin, max(highs) + margin)
        axes.set_ylim(0.2, len(rows) + (1.8 if show_pooled else 0.8))
        axes.set_xlabel("Effect size (standardised mean difference) with 95% interval")
        for side in ("top", "right", "left"):
            axes.spines[side].set_visible(False)
        axes.tick_params(axis="y", length=0)
        figure.tight_layout()
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    description = (
        f"Forest plot for {title}: {len(rows)} trial{'s' if len(rows) != 1 else ''}, "
        f"pooled effect size {pooled.estimate:.2f} (95% interval {pooled.ci_low:.2f} "
        f"to {pooled.ci_high:.2f}). The same figures are in the table of studies."
    )
    return tidy_svg(out.getvalue(), description)
