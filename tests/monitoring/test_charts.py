"""The progress chart of an outcome: what it draws from the data it is given (no database)."""

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sendwise.core.figures import svg_text
from sendwise.evidence.models import Measure
from sendwise.maths.stats_rules import TREND_MIN_POINTS
from sendwise.monitoring import charts
from sendwise.monitoring.charts import Phase, ProgressData
from sendwise.monitoring.progress_selectors import axis_label

START = date(2026, 9, 7)
TARGET = START + timedelta(weeks=24)


def weekly(values, start=START):
    """One score a week from a week after ``start``."""
    return tuple((start + timedelta(weeks=i + 1), v) for i, v in enumerate(values))


def reading(points=(), **changes) -> ProgressData:
    fields = {
        "title": "York Assessment of Reading for Comprehension (YARC)",
        "axis_label": "Standard score",
        "points": points,
        "baseline": 80.0,
        "baseline_date": START,
        "target": 92.0,
        "target_date": TARGET,
        "band": charts.average_band(100, 15),
        "phases": (
            Phase(START, "Plan 1 started"),
            Phase(START + timedelta(weeks=2), "Toe by Toe started"),
        ),
    }
    fields.update(changes)
    return ProgressData(**fields)


def drawn(svg: str) -> set[str]:
    """The parts of the chart in the SVG, by the ids the chart gives them."""
    return set(re.findall(r'<g id="([a-z]+(?:-[a-z0-9]+)*)"', svg)) - {"figure", "axes"}


def test_average_band_is_one_standard_deviation_either_side_of_the_mean():
    assert charts.average_band(100, 15) == (85, 115)
    assert charts.average_band(10, 3) == (7, 13)  # a scaled score (mean 10, SD 3)
    assert charts.average_band(100, None) is None
    assert charts.average_band(None, 15) is None


def test_the_chart_draws_the_points_aimline_trend_phases_and_band_once_there_are_enough_points():
    data = reading(weekly([80.5 + 0.5 * i for i in range(TREND_MIN_POINTS)]))
    svg = charts.progress_chart_svg(data)
    parts = drawn(svg)
    assert {"scores", "aimline", "trend", "average-band", "phase-1", "phase-2"} <= parts
    assert "Plan 1 started" in svg and "Toe by Toe started" in svg
    assert "Aimline (baseline to goal)" in svg and "Trend, projected to the target date" in svg


def test_no_trend_line_on_fewer_points_than_the_trend_rule_needs():
    data = reading(weekly([81, 82, 83, 84, 85, 86, 87][: TREND_MIN_POINTS - 1]))
    svg = charts.progress_chart_svg(data)
    assert "trend" not in drawn(svg)
    assert {"scores", "aimline"} <= drawn(svg)
    assert charts.trend(data) is None
    # The line waits for 8 scores; whether the pupil is on track is told sooner (a tester read
    # "needs 8 scores, 7 more" beside "1 more score is needed to tell" as a contradiction).
    assert (
        "No trend line yet: one is drawn from 8 scores since the start (1 more); whether the "
        "pupil is on track can be told sooner." in charts.describe(data)
    )


def test_the_trend_is_the_trend_rules_slope_through_the_points_and_projects_to_the_target_date():
    # Hand-worked: scores on the line 80 + 0.5 a week from the baseline, weeks 1 to 10. The
    # least-squares line is that line: slope 0.5 a week, 80 + 0.5 × 24 = 92 at week 24.
    data = reading(weekly([80 + 0.5 * (i + 1) for i in range(10)]))
    line = charts.trend(data)
    assert line.decision.pupil_slope == pytest.approx(0.5)
    assert line.start == START + timedelta(weeks=1)
    assert line.start_value == pytest.approx(80.5)
    assert line.end == TARGET
    assert line.end_value == pytest.approx(92.0)


def test_a_measure_without_norms_has_no_band_and_an_outcome_without_a_goal_no_aimline():
    data = reading(weekly([10, 12, 11]), band=None, target=None, target_date=None)
    svg = charts.progress_chart_svg(data)
    assert drawn(svg) == {"scores", "phase-1", "phase-2"}
    assert data.aimline is None and charts.trend(data) is None


def test_nothing_to_draw_gives_no_chart():
    assert charts.progress_chart_svg(reading((), baseline=None, target=None)) == ""


def test_the_same_data_gives_the_same_svg():
    data = reading(weekly([81, 83, 82, 84]))
    first = charts.progress_chart_svg(data)
    assert charts.progress_chart_svg(data) == first


def test_the_svg_scales_to_its_column_and_names_itself_for_screen_readers():
    svg = charts.progress_chart_svg(reading(weekly([81, 83])))
    assert svg.startswith("<svg")
    assert 'viewBox="0 0 ' in svg and 'width="100%"' in svg
    assert not re.search(r'<svg[^>]*height="', svg)
    assert 'role="img"' in svg
    assert 'aria-label="York Assessment of Reading for Comprehension (YARC). Started at 80' in svg


def test_dates_on_the_axis_read_day_and_month():
    svg = charts.progress_chart_svg(reading(weekly([81, 83, 84])))
    assert re.search(r">\d\d (Sep|Oct|Nov|Dec|Jan|Feb|Mar)<", svg)


def test_the_parents_chart_has_the_points_and_goal_line_and_no_trend_or_phase_lines():
    data = reading(weekly([80.5 + 0.5 * i for i in range(12)]))
    svg = charts.progress_chart_svg(data, for_parent=True)
    assert drawn(svg) == {"scores", "aimline", "average-band"}
    assert "Goal line" in svg and "Average range for age" in svg
    for jargon in ("Trend", "Aimline", "SD", "started"):
        assert jargon not in svg


def test_the_text_alternative_gives_start_latest_goal_and_trend():
    data = reading(weekly([80 + 0.5 * (i + 1) for i in range(10)]))
    text = charts.describe(data)
    assert "Started at 80 on 7 Sep 2026." in text
    assert "Latest score 85 on 16 Nov 2026 (10 scores in all)." in text
    assert "Goal 92 by 22 Feb 2027." in text
    assert "Trend +0.50 a week against +0.50 a week planned, heading for 92 by 22 Feb 2027." in text
    parent = charts.describe(data, for_parent=True)
    assert "Trend" not in parent and "Goal 92 by 22 Feb 2027." in parent


def test_text_that_looks_like_mathematics_or_markup_is_drawn_as_text():
    data = reading(weekly([81, 82]), title="Costs $5 & <more> $x^2$")
    svg = charts.progress_chart_svg(data)
    assert "Costs $5 &amp; &lt;more&gt; $x^2$" in svg
    assert "<more>" not in svg


def test_lower_is_better_points_behind_are_above_the_line():
    # A difficulties rating falling more slowly than planned: the trend rule says behind.
    data = reading(
        weekly([20 - 0.1 * i for i in range(10)]),
        baseline=20.0,
        target=10.0,
        higher_is_better=False,
        band=None,
    )
    line = charts.trend(data)
    assert line.decision.verdict == "below_aimline"
    assert line.end_value > 10


@settings(max_examples=15)
@given(
    values=st.lists(
        st.floats(min_value=-50, max_value=500, allow_nan=False), min_size=0, max_size=14
    ),
    gaps=st.lists(st.integers(min_value=0, max_value=20), min_size=14, max_size=14),
)
def test_any_scores_give_a_chart_with_a_trend_only_from_the_rules_minimum(values, gaps):
    days = [START + timedelta(days=sum(gaps[: i + 1])) for i in range(len(values))]
    data = reading(tuple(zip(days, values, strict=True)))
    svg = charts.progress_chart_svg(data)
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    has_trend = "trend" in drawn(svg)
    assert has_trend == (charts.trend(data) is not None)
    if len(values) < TREND_MIN_POINTS:
        assert not has_trend


def test_scores_too_extreme_to_draw_give_no_chart_rather_than_an_error():
    data = reading(weekly([1e308, -1e308] * 5), band=None)
    assert charts.trend(data) is None
    assert charts.progress_chart_svg(data) == ""  # the table beside it still shows them


@pytest.mark.parametrize(
    ("start", "end", "most"),
    [
        (date(2026, 11, 30), date(2027, 2, 20), 3),  # a parent's chart the tester saw crowded
        (date(2026, 11, 30), date(2027, 2, 20), 5),
        (date(2026, 11, 1), date(2026, 12, 20), 3),
        (date(2026, 9, 1), date(2027, 7, 20), 5),
        (date(2018, 9, 1), date(2027, 7, 20), 5),
    ],
)
def test_the_date_axis_never_holds_more_labels_than_fit(start, end, most):
    locator = charts.date_locator(start, end, most)
    low, high = (datetime.combine(d, time(), tzinfo=UTC) for d in (start, end))
    assert 2 <= len(locator.tick_values(low, high)) <= most


@pytest.mark.parametrize("for_parent", [True, False])
def test_the_date_label_and_the_legend_never_overlap_and_both_stay_on_the_chart(for_parent):
    """The parent's chart is what a 390 px phone shows (the SVG scales, so the layout is the
    figure's own): the legend sits below the "Date" label, inside the figure."""
    figure = charts.chart_figure(reading(weekly([80, 81, 83, 84, 86, 86, 88, 89])), for_parent)
    svg_text(figure)  # lays the figure out, as drawing it for the page does
    [axes] = figure.axes
    label = axes.xaxis.label.get_window_extent()
    ticks = [t.get_window_extent() for t in axes.get_xticklabels() if t.get_text()]
    [legend] = figure.legends
    box = legend.get_window_extent()
    assert axes.xaxis.label.get_text() == "Date"
    assert not label.overlaps(box)
    assert box.y1 <= label.y0  # below it
    assert all(not t.overlaps(box) for t in ticks)
    whole = figure.bbox
    assert box.y0 >= whole.y0 - 1 and box.x0 >= whole.x0 - 1 and box.x1 <= whole.x1 + 1


def test_the_axis_names_a_scaled_score_as_one():
    """CELF-5UK's subtests report scaled scores (mean 10): a tester found them labelled
    "Standard score" on the chart, in the parent's PDF and in the EHC pack."""
    assert axis_label(Measure(kind="standardised", mean=10, sd=3)) == "Scaled score"
    assert axis_label(Measure(kind="standardised", mean=100, sd=15)) == "Standard score"
    assert axis_label(Measure(kind="standardised")) == "Standardised score"
    sdq = Measure(kind="rating_scale", higher_is_better=False)
    assert axis_label(sdq) == "Rating (lower is better)"
