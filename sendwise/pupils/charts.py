"""Small charts for the register, drawn by matplotlib as inline SVG.

The same SVG shows on screen and in print. Each chart comes with its numbers as a table in
the page, so nobody depends on seeing the picture. Drawn with matplotlib's object interface
only (``core.figures``); the view keeps each chart by its data (``core.chart_cache``).
"""

from html import escape

from sendwise.core.figures import new_figure, svg_text
from sendwise.core.svg import inline_svg

GOVUK_BLUE = "#1d70b8"
GOVUK_TEXT = "#0b0c0c"


def need_bar_chart(counts: list[tuple[str, str, int]], title: str) -> str:
    """Horizontal bars of pupils by type of need, largest first, as an SVG string ('' with no
    pupils). The same counts give the same SVG."""
    if not counts:
        return ""
    codes = [code for code, _label, _n in counts][::-1]
    values = [n for _code, _label, n in counts][::-1]
    height = 0.35 * len(codes) + 0.8
    figure = new_figure(5.5, height)
    axes = figure.add_subplot()
    bars = axes.barh(codes, values, color=GOVUK_BLUE)
    axes.bar_label(bars, padding=3, color=GOVUK_TEXT, fontsize=9)
    axes.set_xlabel("Pupils", color=GOVUK_TEXT)
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(colors=GOVUK_TEXT, labelsize=9)
    axes.set_xlim(0, max(values) * 1.15)
    figure.tight_layout()
    svg = inline_svg(svg_text(figure))
    return svg.replace(
        "<svg ", f'<svg role="img" aria-label="{escape(title)}" focusable="false" ', 1
    )
