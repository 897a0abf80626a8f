"""A pupil's progress on one outcome, drawn by matplotlib as SVG (the same on screen and in print).

The chart plots the pupil's scores on the outcome's measure against the aimline (the straight
line from the baseline to the goal on the target date), and, once there are enough points for
the trend rule, the trend line through the points with its projection to the target date.
Vertical lines mark where support started or changed; on an age-standardised measure a shaded
band marks the average range for the pupil's age (the measure's mean ± one standard deviation:
85–115 on a mean-100, SD-15 scale, where about two in three pupils of that age score, from the
normal distribution the scores are standardised to).

It takes plain data (the caller reads the database, and leaves out withdrawn scores) and uses
the decision rules' own arithmetic: the minimum number of points and the slope come from
``sendwise.maths.stats_rules.trend_rule``, not from a second least-squares fit here. The page
shows the same figures as a table, which is the chart's accessible equivalent; the sentence
from :func:`describe` is its text alternative.

A parent's version (``for_parent=True``) keeps the points, the goal line and the average band,
and leaves out the trend statistics and the staff's phase lines.

Pure: no Django.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from matplotlib import dates as mdates
from matplotlib.figure import Figure

from sendwise.core.figures import new_figure, svg_text
from sendwise.evidence.charts import BLACK, BLUE, GREY, tidy_svg
from sendwise.maths.stats_rules import (
    TOO_FEW_POINTS,
    TREND_MIN_POINTS,
    Aimline,
    TrendDecision,
    trend_rule,
)

# GOV.UK Design System colours beyond the catalogue's: orange (the trend, distinct from the
# blue points for colour-blind readers too, and also dashed) and light grey (the average band).
ORANGE, LIGHT_GREY = "#f47738", "#f3f2f1"
DATE_FORMAT = "%d %b"  # "05 Sep" on the axis


@dataclass(frozen=True)
class Phase:
    """A change of support on a day: "Plan started", "Reading recovery started"."""

    on: date
    label: str


@dataclass(frozen=True)
class ProgressData:
    """Everything the chart shows, as plain values. ``points`` are (date, score), any order;
    the baseline and target make the aimline when all four are given; ``band`` is the
    average range (see :func:`average_band`) or None."""

    title: str
    axis_label: str
    points: tuple[tuple[date, float], ...]
    baseline: float | None = None
    baseline_date: date | None = None
    target: float | None = None
    target_date: date | None = None
    higher_is_better: bool = True
    band: tuple[float, float] | None = None
    phases: tuple[Phase, ...] = ()

    @property
    def aimline(self) -> Aimline | None:
        if None in (self.baseline, self.baseline_date, self.target, self.target_date):
            return None
        if self.target_date <= self.baseline_date:
            return None
        return Aimline(self.baseline_date, self.baseline, self.target_date, self.target)

    @property
    def sorted_points(self) -> list[tuple[date, float]]:
        return sorted(self.points, key=lambda p: p[0])


def average_band(mean: float | None, sd: float | None) -> tuple[float, float] | None:
    """The average range of a standardised measure: mean ± 1 SD (85–115 for mean 100, SD 15).

    Standardised scores are scaled to a normal distribution with the test's mean and standard
    deviation, so about 68% of pupils of the same age score within one SD of the mean; UK test
    publishers describe this middle range as average (e.g. GL Assessment's guidance on
    standard age scores, 85–115). None when the measure's norms are not recorded."""
    if mean is None or sd is None or sd <= 0:
        return None
    return (mean - sd, mean + sd)


@dataclass(frozen=True)
class Trend:
    """The trend line of the points the trend rule used: slope per week, the line's value at
    the first point's date and at the target date (its projection), and the rule's decision."""

    decision: TrendDecision
    start: date
    start_value: float
    end: date
    end_value: float


def trend(data: ProgressData) -> Trend | None:
    """The trend line once the trend rule has enough points; None before then (or with no
    aimline to compare with).

    The slope is the trend rule's ordinary least-squares slope. A least-squares line passes
    through the mean of the points (x̄, ȳ) (any regression text, e.g. Altman 1991, Practical
    Statistics for Medical Research, ch. 11), so the line is drawn through that centre with
    that slope; nothing is fitted twice."""
    aimline = data.aimline
    if aimline is None:
        return None
    try:
        decision = trend_rule(data.points, aimline, higher_is_better=data.higher_is_better)
    except ValueError:  # scores so extreme the slope overflows: draw no trend rather than fail
        return None
    if decision.verdict == TOO_FEW_POINTS or decision.pupil_slope is None:
        return None
    used = [(d, v) for d, v in data.sorted_points if d >= aimline.start_date]
    mean_day = sum((d - aimline.start_date).days for d, _ in used) / len(used)
    mean_value = sum(v for _, v in used) / len(used)
    per_day = decision.pupil_slope / 7.0

    def value_at(day: date) -> float:
        return mean_value + per_day * ((day - aimline.start_date).days - mean_day)

    start = used[0][0]
    end = max(aimline.target_date, used[-1][0])
    return Trend(decision, start, value_at(start), end, value_at(end))


def date_locator(start: date, end: date, most: int) -> mdates.DateLocator:
    """Ticks at Mondays, then the 1st of every 1, 2, 3, 4 or 6 months, or each year: the first
    of these that puts at most ``most`` ticks (and at least 2) between ``start`` and ``end``.
    matplotlib's AutoDateLocator can ask for a 14-day step and then tick the 1st, 15th and
    29th of each month, twice what it allowed for: six labels ran together on a phone."""
    candidates = [mdates.WeekdayLocator(byweekday=mdates.MO, interval=k) for k in (1, 2)]
    candidates += [mdates.MonthLocator(interval=k) for k in (1, 2, 3, 4, 6)]
    candidates += [mdates.YearLocator(base=k) for k in (1, 2, 5, 10)]
    low, high = (datetime.combine(d, time(), tzinfo=UTC) for d in (start, end))
    for locator in candidates:
        if 2 <= len(locator.tick_values(low, high)) <= most:
            return locator
    return candidates[-1]


def _figure_size(for_parent: bool) -> tuple[float, float]:
    # Narrower for parents, so the text stays large on a 390 px phone when the SVG scales down.
    return (3.6, 3.6) if for_parent else (6.0, 3.8)


def progress_chart_svg(data: ProgressData, *, for_parent: bool = False) -> str:
    """The chart as an inline SVG string ('' when there is nothing to plot). The same data
    always gives the same SVG, so callers keep it by its data (``core.chart_cache``): drawing
    takes matplotlib a fifth of a second."""
    if not data.points and data.aimline is None:
        return ""
    try:
        return _chart(data, for_parent)
    except (ValueError, OverflowError):
        # Scores so far apart (around 1e308) that no scale can hold them: the page still
        # shows the table, which is the chart's equivalent, rather than failing.
        return ""


def _chart(data: ProgressData, for_parent: bool) -> str:
    figure = chart_figure(data, for_parent)
    return tidy_svg(svg_text(figure), describe(data, for_parent=for_parent))


def chart_figure(data: ProgressData, for_parent: bool) -> Figure:
    """Drawn with matplotlib's object interface only (core.figures); every text is written
    with ``parse_math=False``, so "$5" in a name is never read as mathematics.

    The legend is the figure's, placed below everything by the constrained layout: anchored
    to the axes at a fixed distance below them, it sat over the "Date" label on the narrow
    chart a parent's phone shows (issue 11)."""
    points = data.sorted_points
    aimline = data.aimline
    line = None if for_parent else trend(data)
    figure = new_figure(*_figure_size(for_parent))
    figure.set_layout_engine("constrained")
    axes = figure.add_subplot()
    days = [d for d, _ in points]
    if aimline is not None:
        days += [aimline.start_date, aimline.target_date]
    if line is not None:
        days.append(line.end)
    if not for_parent:
        days += [p.on for p in data.phases]
    first, last = min(days), max(days)
    pad = timedelta(days=max(3, (last - first).days // 20))
    axes.set_xlim(first - pad, last + pad)
    if data.band is not None:
        label = "Average range for age" if for_parent else "Average range (mean ± 1 SD)"
        axes.axhspan(*data.band, color=LIGHT_GREY, zorder=0, label=label, gid="average-band")
    if aimline is not None:
        label = "Goal line" if for_parent else "Aimline (baseline to goal)"
        axes.plot(
            [aimline.start_date, aimline.target_date],
            [aimline.start_value, aimline.target_value],
            color=BLACK,
            lw=1.4,
            label=label,
            zorder=2,
            gid="aimline",
        )
        axes.plot(aimline.target_date, aimline.target_value, marker="*", ms=11, color=BLACK)
    if line is not None:
        axes.plot(
            [line.start, line.end],
            [line.start_value, line.end_value],
            color=ORANGE,
            lw=1.6,
            ls="--",
            label="Trend, projected to the target date",
            zorder=3,
            gid="trend",
        )
    if points:
        axes.plot(
            [d for d, _ in points],
            [v for _, v in points],
            marker="o",
            ms=5,
            color=BLUE,
            lw=1 if for_parent else 0,
            label="Scores" if for_parent else "Pupil's scores",
            zorder=4,
            gid="scores",
        )
    if not for_parent:
        _phase_lines(axes, data.phases, first - pad, last + pad)
    axes.xaxis.set_major_locator(date_locator(first - pad, last + pad, 3 if for_parent else 5))
    axes.xaxis.set_major_formatter(mdates.DateFormatter(DATE_FORMAT))
    axes.set_ylabel(data.axis_label, parse_math=False)
    axes.set_xlabel("Date")
    width = 30 if for_parent else 60  # characters a line, to fit the figure's width
    # A long measure name wraps onto up to four lines; beyond that it ends in "…" rather than
    # stopping mid-word as if it were the whole name.
    title = "\n".join(textwrap.wrap(data.title, width, max_lines=4, placeholder=" …"))
    axes.set_title(title, fontsize=11, loc="left", parse_math=False)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    handles, labels = axes.get_legend_handles_labels()
    legend = figure.legend(
        handles,
        labels,
        loc="outside lower center",
        ncol=1 if for_parent else 2,
        frameon=False,
        fontsize=9,
    )
    for text in legend.get_texts():
        text.set_parse_math(False)
    return figure


def _phase_lines(axes, phases: tuple[Phase, ...], low: date, high: date) -> None:
    """A dotted vertical line for each change of support inside the chart, labelled along it."""
    shown = sorted({(p.on, p.label) for p in phases if low <= p.on <= high})
    for number, (on, label) in enumerate(shown, start=1):
        axes.axvline(on, color=GREY, lw=1, ls=":", zorder=1, gid=f"phase-{number}")
        axes.annotate(
            textwrap.shorten(label, 34, placeholder="…"),
            xy=(on, 1),
            xycoords=("data", "axes fraction"),
            xytext=(3, -3),
            textcoords="offset points",
            rotation=90,
            va="top",
            ha="left",
            fontsize=8,
            color=GREY,
            parse_math=False,
        )


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _day(value: date) -> str:
    """'7 Sep 2026', as the page writes dates."""
    return f"{value.day} {value:%b %Y}"


def describe(data: ProgressData, *, for_parent: bool = False) -> str:
    """The chart in one or two sentences (its text alternative): the start, the latest score,
    the goal and, for staff, the trend and where it leads by the target date."""
    points = data.sorted_points
    parts = [f"{data.title}."]
    if data.baseline is not None and data.baseline_date is not None:
        parts.append(f"Started at {_number(data.baseline)} on {_day(data.baseline_date)}.")
    if points:
        when, value = points[-1]
        count = f"{len(points)} score{'s' if len(points) != 1 else ''}"
        parts.append(f"Latest score {_number(value)} on {_day(when)} ({count} in all).")
    else:
        parts.append("No scores recorded yet.")
    if data.target is not None and data.target_date is not None:
        parts.append(f"Goal {_number(data.target)} by {_day(data.target_date)}.")
    if for_parent:
        return " ".join(parts)
    line = trend(data)
    if line is not None:
        slope = line.decision.pupil_slope
        parts.append(
            f"Trend {slope:+.2f} a week against {line.decision.aimline_slope:+.2f} a week "
            f"planned, heading for {_number(round(line.end_value, 1))} by {_day(line.end)}."
        )
    elif data.aimline is not None:
        used = sum(1 for when, _ in points if when >= data.aimline.start_date)
        more = max(TREND_MIN_POINTS - used, 1)  # 1: enough points, but all on one day
        # Not "needs": whether the pupil is on track is told from fewer scores (the sentence
        # beside the chart); only the line drawn through them waits for this many.
        parts.append(
            f"No trend line yet: one is drawn from {TREND_MIN_POINTS} scores since the start "
            f"({more} more); whether the pupil is on track can be told sooner."
        )
    return " ".join(parts)
