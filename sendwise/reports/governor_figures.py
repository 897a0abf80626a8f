"""Figures for the governors' summary from an intervention's sums, never from raw scores. Pure.

``impact.ImpactAggregate`` keeps, per school × intervention × measure × term, the number of
pupils with a pre and a post score (n), the sum of their gains (Σx) and of their squares (Σx²).
From those:

- mean = Σx / n; sample variance s² = (Σx² − (Σx)²/n) / (n − 1) (the textbook identity; Welford
  1962 on computing it with care in floating point, hence the clamp at zero);
- the 95% interval of the mean = mean ± t(0.975, n − 1) · s / √n (Student's t interval, e.g.
  Altman et al., "Statistics with Confidence", 2nd ed., 2000, chapter 4);
- for standardised gains (in the norm group's standard deviations, so an effect size), months of
  additional progress by the EEF Toolkit's table (``maths.stats_scores.eef_months``), for the
  mean and for each end of its interval.

No figure is given from fewer than 5 pupils with scores (the suppression threshold), and ratio
or raw gains on different measures are never put together: one measure, one line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scipy import stats as scipy_stats

from sendwise.impact.across import share as shown_share
from sendwise.maths.stats_scores import eef_months
from sendwise.reports.suppression import THRESHOLD


@dataclass(frozen=True)
class MeanGain:
    n: int
    mean: float
    low: float
    high: float

    @property
    def months(self) -> tuple[int, int, int]:
        """EEF months for the mean and the two ends of its interval (standardised gains only)."""
        return eef_months(self.mean), eef_months(self.low), eef_months(self.high)


def mean_gain(n: int, total: float, total_sq: float) -> MeanGain | None:
    """The mean gain with its 95% interval, or None below the threshold (or n < 2)."""
    if n < max(THRESHOLD, 2):
        return None
    mean = total / n
    variance = max((total_sq - total * total / n) / (n - 1), 0.0)
    half = scipy_stats.t.ppf(0.975, n - 1) * math.sqrt(variance / n)
    return MeanGain(n, mean, mean - half, mean + half)


def share(part: int, whole: int) -> float | None:
    """A share from 0 to 1, or None where it may not be published: the part or the rest is 1
    to 4 or there is nobody to count (the one rule, ``impact.across.share``)."""
    return shown_share(part, whole, THRESHOLD)
