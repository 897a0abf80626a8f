"""The one place SENDwise sets matplotlib up; every chart draws through :func:`new_figure` and
:func:`svg_text` with matplotlib's object interface.

Why no ``pyplot`` and no per-chart ``rcParams``: a gunicorn worker (or the test server) draws
charts on several threads at once. ``pyplot`` keeps a global "current figure" per process, and
``rcParams`` is one dictionary shared by every thread: ``matplotlib.rc_context`` changes it for
the whole process and puts it back afterwards, so two threads drawing at once can restore each
other's settings half-way through a chart (the matplotlib documentation says its global state
is not thread-safe: "Embedding in a web application server", matplotlib.org/stable/gallery/
user_interfaces/web_application_server_sgskip.html). A chart built on its own ``Figure`` with
its own canvas touches no global state, and the settings a chart needs are passed to the
artists themselves (colours, font sizes, ``parse_math=False`` on every text).

Two settings have no per-figure form, because matplotlib's SVG writer reads them from
``rcParams`` as it writes: text kept as text (``svg.fonttype``: smaller files, selectable and
searchable text) and a fixed salt for the ids of clip paths (``svg.hashsalt``: the same chart
gives the same SVG). They are set here, once, when this module is first imported, to values that
never change afterwards; nothing else in ``sendwise`` may change ``rcParams``
(tests/core/test_figures.py fails if a module imports ``pyplot`` or changes them).

Pure: matplotlib only, no Django.
"""

from __future__ import annotations

import io

import matplotlib
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

#: The process-wide SVG output settings (set once, at import; see above). The fonts are
#: matplotlib's defaults (DejaVu Sans, 10 pt), which every chart relies on.
SVG_SETTINGS = {"svg.fonttype": "none", "svg.hashsalt": "sendwise"}
matplotlib.rcParams.update(SVG_SETTINGS)

#: Metadata left out of every SVG, so the same chart is byte-for-byte the same.
NO_METADATA = {"Date": None, "Creator": None}


def new_figure(width: float, height: float) -> Figure:
    """A figure of the size in inches with its own SVG canvas (no pyplot, no global figure)."""
    figure = Figure(figsize=(width, height))
    FigureCanvasSVG(figure)
    return figure


def svg_text(figure: Figure) -> str:
    """The figure as an SVG document (text kept as text, no date or creator)."""
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata=NO_METADATA)
    return out.getvalue()
