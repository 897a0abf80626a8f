"""How likely a pupil is to reach their goal by the target date, on the trend of their points.

The pupil's scores (on or after the aimline's start) are regressed on time by ordinary least
squares, as the trend rule does. The fitted line is projected to the target date; the standard
error of that projected value is the standard error of the mean response of a simple linear
regression at x0:

    SE(y0) = s * sqrt(1/n + (x0 - x_bar)^2 / Sxx),   s^2 = sum of squared residuals / (n - 2)

Source: Montgomery, Peck & Vining, *Introduction to Linear Regression Analysis* (5th ed.,
Wiley 2012), section 2.4.2, "Interval estimation of the mean response"; the same formula is in
Draper & Smith, *Applied Regression Analysis* (3rd ed. 1998), section 3.1. The likelihood of
reaching the goal is P(T >= (target - y0) / SE) with T a Student t variable on n - 2 degrees of
freedom (for measures where lower is better, P(T <= ...)): the share of the t-based confidence
distribution of the projected value that lies at or beyond the goal. It is a reading of the
data's uncertainty about the trend, not a forecast of one future test score (that would need the
wider prediction interval, which adds 1 under the square root).

It is given only once the trend rule has its minimum points (8 by default): with fewer, the
slope is too noisy for a projection to mean anything (see ``stats_rules.TREND_MIN_POINTS``).

Pure Python plus scipy; must not import Django.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sendwise.maths.stats_base import finite, whole
from sendwise.maths.stats_rules import TREND_MIN_POINTS, Aimline, _points


@dataclass(frozen=True)
class GoalLikelihood:
    """The trend projected to the target date, and how likely the goal is on that trend.

    ``probability`` is None (and so are the projection and its SE) when there were too few
    points (``n_points`` < ``min_points``) or fewer than two different dates.
    """

    n_points: int
    min_points: int
    projected: float | None
    se: float | None
    probability: float | None


def goal_likelihood(
    points, aimline: Aimline, *, higher_is_better: bool = True, min_points: int = TREND_MIN_POINTS
) -> GoalLikelihood:
    """The chance (0 to 1) that the pupil's trend reaches ``aimline.target_value`` by its
    target date, from the OLS trend and its standard error (see the module's docstring)."""
    from scipy import stats as sps  # imported lazily: keeps module import cheap

    needed = whole(min_points, "min_points", 3)
    used = _points(points, aimline)
    n = len(used)
    if n < needed or len({when for when, _ in used}) < 2:
        return GoalLikelihood(n, needed, None, None, None)
    xs = [float((when - aimline.start_date).days) / 7.0 for when, _ in used]
    ys = [score for _, score in used]
    x_bar, y_bar = sum(xs) / n, sum(ys) / n
    sxx = sum((x - x_bar) ** 2 for x in xs)
    slope = sum((x - x_bar) * (y - y_bar) for x, y in zip(xs, ys, strict=True)) / sxx
    resid = [y - (y_bar + slope * (x - x_bar)) for x, y in zip(xs, ys, strict=True)]
    s = math.sqrt(sum(e * e for e in resid) / (n - 2))
    x0 = float((aimline.target_date - aimline.start_date).days) / 7.0
    projected = y_bar + slope * (x0 - x_bar)
    se = s * math.sqrt(1.0 / n + (x0 - x_bar) ** 2 / sxx)
    finite(projected, se)
    gap = aimline.target_value - projected
    if se == 0.0:  # the points lie exactly on a line: the projection is certain
        reached = gap <= 0 if higher_is_better else gap >= 0
        return GoalLikelihood(n, needed, float(projected), 0.0, 1.0 if reached else 0.0)
    t = gap / se
    probability = float(sps.t.sf(t, n - 2)) if higher_is_better else float(sps.t.cdf(t, n - 2))
    return GoalLikelihood(n, needed, float(projected), float(se), probability)
