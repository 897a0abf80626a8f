"""Small charts for the register, drawn by matplotlib as inline SVG.

The same SVG shows on screen and in print. Each chart comes with its numbers as a table in
the page, so nobody depends on seeing the picture.
"""

import io
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from sendwise.core.svg import inline_svg

plt.rcParams["svg.fonttype"] = "none"  # text stays text: smaller, searchable, scalable
GOVUK_BLUE = "#1d70b8"
GOVUK_TEXT = "#0b0c0c"


def need_bar_chart(counts: list[tuple[str, str, int]], title: str) -> str:
    """Horizontal bars of pupils by type of need, largest first, as an SVG string.

    Drawing takes matplotlib about 0.2 s, far more than the page's queries, and the counts
    change rarely, so charts are kept by their exact data (the same counts give the same SVG).
    """
    return _need_bar_chart(tuple(tuple(item) for item in counts), title)


@lru_cache(maxsize=512)
def _need_bar_chart(counts: tuple[tuple[str, str, int], ...], title: str) -> str:
    if not counts:
        return ""
    codes = [code for code, _label, _n in counts][::-1]
    values = [n for _code, _label, n in counts][::-1]
    height = 0.35 * len(codes) + 0.8
    fig, ax = plt.subplots(figsize=(5.5, height))
    bars = ax.barh(codes, values, color=GOVUK_BLUE)
    ax.bar_label(bars, padding=3, color=GOVUK_TEXT, fontsize=9)
    ax.set_xlabel("Pupils", color=GOVUK_TEXT)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(colors=GOVUK_TEXT, labelsize=9)
    ax.set_xlim(0, max(values) * 1.15)
    fig.tight_layout()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    plt.close(fig)
    svg = inline_svg(buffer.getvalue())
    return svg.replace("<svg ", f'<svg role="img" aria-label="{title}" focusable="false" ', 1)
