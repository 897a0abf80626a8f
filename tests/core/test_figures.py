"""Charts use matplotlib's object interface only, and are drawn once per change of their data.

Two promises a page relies on under gunicorn's threads: no module changes matplotlib's global
state while serving (no ``pyplot``, no ``rcParams`` or ``rc_context``: core.figures sets the SVG
output once, at import), and a chart whose values have not changed is read from the cache, not
drawn again."""

import ast
from datetime import date, timedelta
from pathlib import Path

import matplotlib
import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.urls import reverse
from matplotlib.figure import Figure

from sendwise.core import chart_cache
from sendwise.core.figures import SVG_SETTINGS
from sendwise.evidence import charts as evidence_charts
from sendwise.evidence.pooling import StudyRow, synthesise
from sendwise.monitoring import charts as progress_charts
from sendwise.pupils.charts import need_bar_chart
from tests.evidence.factories import InterventionFactory, StudyFactory

PACKAGE = Path(__file__).resolve().parents[2] / "sendwise"
#: The one module that may set matplotlib's process-wide settings (once, at import).
SETS_UP_MATPLOTLIB = PACKAGE / "core" / "figures.py"
GLOBAL_STATE = {"rcParams", "rc_context", "rc", "rcdefaults", "rc_file", "use", "style"}


def global_matplotlib_uses(path: Path) -> list[str]:
    """Where a module imports pyplot or touches matplotlib's global settings."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("matplotlib.pyplot")]
            found += [a.name for a in node.names if a.name == "pylab"]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = {a.name for a in node.names}
            if node.module.startswith("matplotlib.pyplot") or node.module == "pylab":
                found.append(node.module)
            elif node.module == "matplotlib" and names & (GLOBAL_STATE | {"pyplot"}):
                found.append(f"from matplotlib import {', '.join(sorted(names))}")
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in GLOBAL_STATE
            and isinstance(node.value, ast.Name)
            and node.value.id in ("matplotlib", "mpl")
        ):
            found.append(f"{node.value.id}.{node.attr} (line {node.lineno})")
    return found


def test_no_module_imports_pyplot_or_changes_matplotlibs_settings():
    offenders = {
        str(path.relative_to(PACKAGE.parent)): uses
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != SETS_UP_MATPLOTLIB and (uses := global_matplotlib_uses(path))
    }
    assert offenders == {}


def test_the_check_finds_pyplot_and_rc_changes(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import matplotlib\nimport matplotlib.pyplot as plt\nfrom matplotlib import pyplot\n"
        "matplotlib.rcParams['svg.fonttype'] = 'none'\nwith matplotlib.rc_context({}): pass\n"
    )
    assert len(global_matplotlib_uses(bad)) == 4


def reading_progress():
    start = date(2026, 1, 5)
    return progress_charts.ProgressData(
        title="Reading $5 test",
        axis_label="Standard score",
        points=tuple((start + timedelta(weeks=n), 80.0 + n) for n in range(6)),
        baseline=80,
        baseline_date=start,
        target=92,
        target_date=start + timedelta(weeks=12),
        phases=(progress_charts.Phase(start, "Plan started"),),
    )


def forest():
    trials = [
        StudyRow(
            trial=n,
            effect_size=d,
            effect_size_type="cohen_d",
            ci_low=d - 0.2,
            ci_high=d + 0.2,
            n=200,
            citation=n,
        )
        for n, d in [("West G (2021)", 0.3), ("Fricke S (2013)", 0.2), ("Sibieta L (2016)", 0.1)]
    ]
    return synthesise(trials)


def test_drawing_every_chart_leaves_matplotlibs_settings_as_they_were():
    before = dict(matplotlib.rcParams)
    assert {k: before[k] for k in SVG_SETTINGS} == SVG_SETTINGS
    progress = progress_charts.progress_chart_svg(reading_progress())
    parent = progress_charts.progress_chart_svg(reading_progress(), for_parent=True)
    plot = evidence_charts.forest_plot_svg(forest(), title="Reading")
    bars = need_bar_chart([("SPLD", "Specific learning difficulty", 5)], "Needs")
    assert dict(matplotlib.rcParams) == before
    assert all(svg.startswith("<svg") for svg in (progress, parent, plot, bars))
    assert ">Reading $5 test<" in progress  # a "$" is text, never mathematics


@pytest.fixture
def savefig_calls(monkeypatch):
    calls = []
    real = Figure.savefig

    def counting(self, *args, **kwargs):
        calls.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", counting)
    return calls


#: The project's default cache (settings.CACHES), which the tests' settings replace.
DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "sendwise_cache",
    }
}


def test_a_second_request_draws_nothing_and_changed_figures_draw_again(
    world, client_as, savefig_calls, settings
):
    settings.CACHES = DATABASE_CACHE
    # Its table is made by a migration (core 0003) from settings.CACHES, which in the tests'
    # settings names a memory cache; so it is made here.
    call_command("createcachetable", verbosity=0)
    intervention = InterventionFactory(slug="cached-forest", name="Cached forest")
    StudyFactory(intervention=intervention, effect_size=0.2, n_treatment=150, n_control=150)
    study = StudyFactory(intervention=intervention, effect_size=0.3, n_treatment=100, n_control=100)
    client = client_as("senco")
    url = reverse("evidence:detail", args=[intervention.slug])

    first = client.get(url)
    assert len(savefig_calls) == 1 and 'data-testid="forest-plot"' in first.content.decode()
    second = client.get(url)
    assert len(savefig_calls) == 1  # read from the cache
    assert second.context["research"].chart_svg == first.context["research"].chart_svg

    study.effect_size = 0.5
    study.save()
    client.get(url)
    assert len(savefig_calls) == 2  # a changed figure is a new drawing


def test_the_key_is_the_content_not_the_object():
    data = evidence_charts.forest_data(forest(), title="Reading")
    same = evidence_charts.forest_data(forest(), title="Reading")
    other = evidence_charts.forest_data(forest(), title="Writing")
    key = chart_cache.chart_key(evidence_charts.draw_forest, ((data,), []))
    assert key == chart_cache.chart_key(evidence_charts.draw_forest, ((same,), []))
    assert key != chart_cache.chart_key(evidence_charts.draw_forest, ((other,), []))
    assert key.startswith("chart:draw_forest:")


def test_forgetting_the_charts_removes_every_drawing_and_nothing_else(db, settings):
    settings.CACHES = DATABASE_CACHE
    call_command("createcachetable", verbosity=0)
    store = caches["default"]
    store.set("chart:draw_forest:abc", "<svg>one</svg>")
    store.set("chart:draw_progress:def", "<svg>two</svg>")
    store.set("charts-other", "kept")  # shares the letters, not the prefix
    store.set("something", "kept")

    assert chart_cache.forget_charts() == 2

    assert store.get("chart:draw_forest:abc") is None
    assert store.get("chart:draw_progress:def") is None
    assert store.get("charts-other") == "kept" and store.get("something") == "kept"


def test_forgetting_the_charts_clears_a_cache_that_is_not_a_table():
    store = caches["default"]  # the tests' memory cache
    store.set("chart:draw_forest:abc", "<svg>one</svg>")
    assert chart_cache.forget_charts() == -1
    assert store.get("chart:draw_forest:abc") is None
