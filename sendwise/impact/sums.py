"""The arithmetic behind ``PlacementResult`` and ``ImpactAggregate``: one placement's gain, and
the mean, spread and interval of many placements from their sufficient statistics.
Pure Python (scipy through ``practice``); must never import Django.

Shared by the generator's set-based bulk builder (``sendwise.impact.bulk_services``) and the
per-save upkeep (branch impact): both call :func:`placement_gain` and :func:`dose_share` for a
result, and the trust and local-authority views call :func:`estimate_from_sums` on the sums of
schools' aggregate rows.

**From sums to an interval.** For n gains x with Σx and Σx², the mean is Σx/n and the sample
variance is (Σx² − (Σx)²/n)/(n − 1) (the textbook computational formula; Welford 1962,
Technometrics 4(3), 419-420, and Chan, Golub & LeVeque 1983, The American Statistician 37(3),
242-247, on why it loses precision when the mean is large next to the spread: standardised gains
are a few tenths of an SD, so it is safe here, and a variance that rounds below zero is taken as
zero). The standard error is SD/√n and the 95% interval mean ± t(0.975, n − 1)·SE, exactly as
``practice.school_estimate`` does from the raw gains (Student 1908), so a trust's figure from
summed rows equals the figure from all its pupils' gains (tested).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from sendwise.impact import practice, practice_text, results

STANDARDISED, RATIO, RAW = "standardised", "ratio", "raw"
#: Jacobson & Truax (1991): |RCI| of 1.96 or more is reliable change.
IMPROVED, NO_CHANGE, WORSE = "improved", "no_change", "worse"
#: A pupil who attended at least this share of the sessions planned had the full dose
#: (issue 12: dose-adjusted results are for pupils with at least 80% of the planned dose).
FULL_DOSE = 0.8


@dataclass(frozen=True)
class Gain:
    kind: str  # STANDARDISED, RATIO or RAW; "" when there is no pre and post
    value: float | None  # signed so that + is better
    reliable: str  # IMPROVED, NO_CHANGE, WORSE, or "" when not judged


NO_GAIN = Gain("", None, "")


def placement_gain(
    *,
    kind: str,
    pre: float | None,
    post: float | None,
    norm_sd: float | None = None,
    reliability: float | None = None,
    higher_is_better: bool | None = None,
    days_elapsed: int | None = None,
) -> Gain:
    """The gain that fits the measure (issue 12, point 1).

    Standardised scores: (post − pre) / norm SD, in the norm group's SDs (see ``practice``'s
    docstring for what that means and its limits). Age equivalents: the ratio gain, months gained
    per month elapsed (Brooks 2016, ``stats.ratio_gain``). Anything else, or a standardised test
    without its norm SD or direction: the raw change on the measure's own scale. Always signed so
    that + is better; a missing pre or post is no gain (missing, never zero)."""
    if pre is None or post is None:
        return NO_GAIN
    # One rule for the stored results and the generator: ``results.gain`` (the per-save upkeep's).
    found = results.gain(
        results.Scores(
            kind=kind,
            pre=pre,
            post=post,
            pre_on=date(2000, 1, 1) if days_elapsed is not None else None,
            post_on=date(2000, 1, 1) + timedelta(days=days_elapsed)
            if days_elapsed is not None
            else None,
            sd=norm_sd,
            reliability=reliability,
            higher_is_better=higher_is_better,
        )
    )
    return Gain(found.kind, found.value, found.reliable)


def dose_share(*, planned: int, attended: int) -> float | None:
    """Sessions attended over sessions planned to date, capped at 1; None with none planned."""
    if planned <= 0:
        return None
    return min(1.0, max(0, attended) / planned)


@dataclass(frozen=True)
class SumsEstimate:
    """A mean gain in SD units from n, Σx, Σx², with its 95% t-interval and EEF months."""

    n: int
    mean: float
    sd: float
    se: float
    ci_low: float
    ci_high: float
    months: int
    months_low: str
    months_high: str

    @property
    def months_label(self) -> str:
        return practice_text.signed_months(self.months)


def mean_and_sd(n: int, total: float, total_sq: float) -> tuple[float, float]:
    """Mean and sample SD from the count, the sum and the sum of squares (n ≥ 2)."""
    if n < 2:
        raise ValueError("A spread needs at least two values")
    mean = total / n
    variance = max(0.0, (total_sq - total * total / n) / (n - 1))
    return mean, math.sqrt(variance)


def estimate_from_sums(
    n: int, total: float, total_sq: float, minimum: int = practice.MIN_PUPILS
) -> SumsEstimate | None:
    """The estimate for ``n`` standardised gains, or None below ``minimum`` pupils or when every
    gain is the same (no spread, so no honest interval). The arithmetic is the school pages'
    own (``results.from_sums``), so a school's figure reads the same in the trust's view."""
    found = results.from_sums(n, total, total_sq, kind=results.STANDARDISED, minimum=minimum)
    if found is None:
        return None
    return SumsEstimate(
        found.n,
        found.mean,
        found.sd,
        found.sd / math.sqrt(found.n),
        found.ci_low,
        found.ci_high,
        found.months,
        found.months_low,
        found.months_high,
    )
