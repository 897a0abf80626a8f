"""Progress-monitoring decision rules: a pupil's scores against an aimline.

The aimline runs from the pupil's starting score on the day the intervention starts to the
goal on the target date. Two published rules say what to do next:

* the four-point rule (four most recent points all below the line: change the intervention;
  all above: raise the goal), and
* the trend rule (compare the slope of the pupil's points with the aimline's slope).

Verdicts are about *progress*, not geometry: ``below_aimline`` always means "behind the
plan". For measures where lower is better (e.g. SDQ difficulties, errors per minute) pass
``higher_is_better=False``; a score numerically above the line then counts as behind.

Only points dated on or after the aimline's start date are used (earlier points are the
baseline). A verdict is never given on fewer points than the rule needs: it is
``too_few_points`` instead, and adding points can never bring ``too_few_points`` back.

Pure Python; must not import Django. Re-exported from ``sendwise.maths.stats``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sendwise.maths.stats_base import (
    ERR_AIMLINE_DATES,
    ERR_NOT_DATE,
    ERR_NOT_SEQUENCE,
    ERR_POINT,
    ERR_WRONG_TYPE,
    finite,
    real,
    whole,
)

ON_TRACK = "on_track"
BELOW_AIMLINE = "below_aimline"
ABOVE_AIMLINE = "above_aimline"
TOO_FEW_POINTS = "too_few_points"
VERDICTS = (ON_TRACK, BELOW_AIMLINE, ABOVE_AIMLINE, TOO_FEW_POINTS)

FOUR_POINT_MIN_POINTS = 4
# NCII advises at least 8 data points before judging a trend line; fewer give slopes too
# noisy to act on (Christ 2006, School Psychology Review 35(1), on the SE of CBM slopes).
TREND_MIN_POINTS = 8


def _date(value: object, name: str) -> date:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValueError(ERR_NOT_DATE.format(name=name))
    return value


@dataclass(frozen=True)
class Aimline:
    """Straight line from (start_date, start_value) to (target_date, target_value).

    Source: the goal line/aimline of curriculum-based measurement (Fuchs & Fuchs; National
    Center on Intensive Intervention, "Progress monitoring" and "Data-based
    individualization" guidance). The line continues beyond the target date.
    """

    start_date: date
    start_value: float
    target_date: date
    target_value: float

    def __post_init__(self) -> None:
        _date(self.start_date, "start_date")
        _date(self.target_date, "target_date")
        object.__setattr__(self, "start_value", real(self.start_value, "start_value"))
        object.__setattr__(self, "target_value", real(self.target_value, "target_value"))
        if self.target_date <= self.start_date:
            raise ValueError(ERR_AIMLINE_DATES)

    @property
    def slope_per_day(self) -> float:
        """Planned change in score per calendar day."""
        days = (self.target_date - self.start_date).days
        return (self.target_value - self.start_value) / days

    @property
    def slope_per_week(self) -> float:
        """Planned change in score per week (7 calendar days)."""
        return 7.0 * self.slope_per_day

    def value_at(self, when: date) -> float:
        """The aimline's score on ``when`` (by linear interpolation/extrapolation)."""
        day = _date(when, "when")
        value = self.start_value + self.slope_per_day * (day - self.start_date).days
        finite(value)
        return float(value)


def _points(points: object, aimline: Aimline) -> list[tuple[date, float]]:
    """Validate (date, score) pairs; keep those on/after the aimline start, oldest first."""
    if not isinstance(aimline, Aimline):
        raise ValueError(ERR_WRONG_TYPE.format(name="aimline", kind="an Aimline"))
    if isinstance(points, str | bytes) or not isinstance(points, Iterable):
        raise ValueError(ERR_NOT_SEQUENCE.format(name="points"))
    cleaned = []
    for i, point in enumerate(points):
        try:
            when, score = point
        except (TypeError, ValueError):
            raise ValueError(ERR_POINT) from None
        cleaned.append((_date(when, f"points[{i}] date"), real(score, f"points[{i}] score")))
    cleaned = [p for p in cleaned if p[0] >= aimline.start_date]
    return sorted(cleaned, key=lambda p: p[0])  # stable: same-day points keep their order


@dataclass(frozen=True)
class FourPointDecision:
    """Result of :func:`four_point_rule`; the tuples hold the points the verdict used."""

    verdict: str
    min_points: int
    n_points: int
    dates: tuple[date, ...]
    scores: tuple[float, ...]
    aimline_scores: tuple[float, ...]
    higher_is_better: bool


def four_point_rule(
    points, aimline: Aimline, *, higher_is_better: bool = True
) -> FourPointDecision:
    """The four-point rule for curriculum-based measurement progress monitoring.

    If the four most recent consecutive points are all behind the aimline, the verdict is
    ``below_aimline`` (change the intervention); if all four are ahead, ``above_aimline``
    (raise the goal); otherwise ``on_track``. A point exactly on the line is neither.
    Sources: Fuchs & Fuchs, curriculum-based measurement decision rules (e.g. Fuchs, Fuchs
    & Hamlett 1989); National Center on Intensive Intervention (NCII), progress-monitoring
    decision rules. Needs 4 points on or after the aimline start.
    """
    used = _points(points, aimline)
    n = len(used)
    if n < FOUR_POINT_MIN_POINTS:
        return FourPointDecision(
            TOO_FEW_POINTS, FOUR_POINT_MIN_POINTS, n, (), (), (), bool(higher_is_better)
        )
    recent = used[-FOUR_POINT_MIN_POINTS:]
    aims = tuple(aimline.value_at(when) for when, _ in recent)
    sign = 1.0 if higher_is_better else -1.0
    gaps = [sign * (score - aim) for (_, score), aim in zip(recent, aims, strict=True)]
    if all(g < 0 for g in gaps):
        verdict = BELOW_AIMLINE
    elif all(g > 0 for g in gaps):
        verdict = ABOVE_AIMLINE
    else:
        verdict = ON_TRACK
    return FourPointDecision(
        verdict,
        FOUR_POINT_MIN_POINTS,
        n,
        tuple(when for when, _ in recent),
        tuple(score for _, score in recent),
        aims,
        bool(higher_is_better),
    )


@dataclass(frozen=True)
class TrendDecision:
    """Result of :func:`trend_rule`. Slopes are per week; None when there were too few points."""

    verdict: str
    min_points: int
    n_points: int
    pupil_slope: float | None
    slope_ci_low: float | None
    slope_ci_high: float | None
    aimline_slope: float
    higher_is_better: bool


def trend_rule(
    points, aimline: Aimline, *, higher_is_better: bool = True, min_points: int = TREND_MIN_POINTS
) -> TrendDecision:
    """The trend-line rule: the pupil's OLS slope compared with the aimline's slope.

    The pupil's scores are regressed on date (ordinary least squares); the slope and its
    95% confidence interval (t with n - 2 df) are given per week. If the whole interval is
    on the "behind" side of the aimline's slope the verdict is ``below_aimline`` (change the
    intervention); if it is wholly on the "ahead" side, ``above_aimline`` (raise the goal);
    if the interval contains the aimline's slope the data cannot tell the two apart, so
    ``on_track`` (carry on and keep collecting points).
    Sources: NCII progress-monitoring guidance (trend-line decision rule, at least 8 points);
    Christ (2006) on the standard error of CBM slopes; OLS as in any regression text.
    ``min_points`` (default 8) may be raised, or lowered to no fewer than 3. Needs at least
    two different dates.
    """
    from scipy import stats as sps  # imported lazily: keeps module import cheap

    needed = whole(min_points, "min_points", 3)
    used = _points(points, aimline)
    n = len(used)
    aim = aimline.slope_per_week
    distinct_days = len({when for when, _ in used})
    if n < needed or distinct_days < 2:
        return TrendDecision(
            TOO_FEW_POINTS, needed, n, None, None, None, aim, bool(higher_is_better)
        )
    xs = [float((when - aimline.start_date).days) / 7.0 for when, _ in used]
    ys = [score for _, score in used]
    x_bar, y_bar = sum(xs) / n, sum(ys) / n
    sxx = sum((x - x_bar) ** 2 for x in xs)
    slope = sum((x - x_bar) * (y - y_bar) for x, y in zip(xs, ys, strict=True)) / sxx
    resid = [y - (y_bar + slope * (x - x_bar)) for x, y in zip(xs, ys, strict=True)]
    se = math.sqrt(sum(e * e for e in resid) / (n - 2) / sxx)
    half = float(sps.t.ppf(0.975, n - 2)) * se
    low, high = slope - half, slope + half
    finite(slope, low, high)
    tolerance = 1e-9 * max(1.0, abs(aim))
    behind_high, behind_low = (high, low) if higher_is_better else (-low, -high)
    target = aim if higher_is_better else -aim
    if behind_high < target - tolerance:
        verdict = BELOW_AIMLINE
    elif behind_low > target + tolerance:
        verdict = ABOVE_AIMLINE
    else:
        verdict = ON_TRACK
    return TrendDecision(verdict, needed, n, slope, low, high, aim, bool(higher_is_better))
