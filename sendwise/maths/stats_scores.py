"""Individual-pupil and practitioner measures: reliable change, ratio gain, standardised-score
gain and the EEF months-of-progress conversion.

Pure Python; must not import Django. Re-exported from ``sendwise.maths.stats``.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sendwise.maths.stats_base import (
    ERR_MONTHS,
    ERR_RELIABILITY,
    finite,
    non_negative,
    positive,
    real,
)

# Jacobson & Truax (1991): |RC| > 1.96 is unlikely (p < .05) if there was no real change.
RCI_THRESHOLD = 1.96


def _round_half_up(value: float, places: str) -> Decimal:
    """Round as people do on paper (0.095 -> 0.10), using the shortest decimal repr."""
    return Decimal(repr(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _reliability(value: object) -> float:
    result = real(value, "reliability")
    if not 0.0 < result < 1.0:
        raise ValueError(ERR_RELIABILITY)
    return result


# --------------------------------------------------------------------------------------
# Reliable change (Jacobson & Truax 1991)
# --------------------------------------------------------------------------------------
def reliable_change_index(pre, post, *, sd, reliability) -> float:
    """Reliable change index RC = (post - pre) / S_diff.

    S_diff = sqrt(2) * SEM and SEM = sd * sqrt(1 - reliability), where ``sd`` is the
    test's standard deviation (the norm group's SD, or the pre-test SD of a reference
    group) and ``reliability`` its test-retest reliability, strictly between 0 and 1.
    Source: Jacobson & Truax (1991) J. Consult. Clin. Psychol. 59(1), 12-19 (S_diff as
    corrected by Christensen & Mendoza 1986). Positive RC means the score went up.
    """
    before, after = real(pre, "pre"), real(post, "post")
    spread = positive(sd, "sd")
    rel = _reliability(reliability)
    s_diff = math.sqrt(2.0) * spread * math.sqrt(1.0 - rel)
    rc = (after - before) / s_diff
    finite(rc)
    return float(rc)


def is_reliable_change(pre, post, *, sd, reliability) -> bool:
    """True if |RC| >= 1.96: a change too big to be put down to measurement error alone.

    Source: Jacobson & Truax (1991), as :func:`reliable_change_index`. It says nothing about
    the direction: check the sign of the RC (or whether higher scores are better).
    """
    return abs(reliable_change_index(pre, post, sd=sd, reliability=reliability)) >= RCI_THRESHOLD


# --------------------------------------------------------------------------------------
# Ratio gain (Brooks)
# --------------------------------------------------------------------------------------
RATIO_GAIN_LABELS = {
    "modest": "modest impact",
    "useful": "useful impact",
    "substantial": "substantial impact",
    "remarkable": "remarkable impact",
}


def ratio_gain(*, pre_months, post_months, elapsed_months) -> float:
    """Ratio gain: months gained in reading (or spelling) age per calendar month elapsed.

    RG = (post_months - pre_months) / elapsed_months. 1.0 is ordinary progress: a month's
    growth in a month. Source: Brooks (2016) *What works for children and young people
    with literacy difficulties?* 5th ed., Dyslexia-SpLD Trust, ch. 1-2 (and earlier
    editions, 2002-2013). Ages are in months (e.g. 8y 3m = 99).
    """
    before = non_negative(pre_months, "pre_months")
    after = non_negative(post_months, "post_months")
    elapsed = positive(elapsed_months, "elapsed_months")
    rg = (after - before) / elapsed
    finite(rg)
    return float(rg)


def ratio_gain_band(rg) -> str:
    """Brooks's impact band for a ratio gain: modest / useful / substantial / remarkable.

    Bands (Brooks 2016, ch. 2): under 1.4 modest; 1.4-1.9 useful; 2.0-2.9 substantial;
    3.0 and above remarkable. Brooks reports RGs to one decimal place, so the value is
    rounded half-up to one decimal first (1.95 -> 2.0 -> substantial). Negative ratio gains
    (reading age went down) fall in "modest". ``RATIO_GAIN_LABELS`` gives the wording.
    """
    value = real(rg, "rg")
    if value >= 3.0:
        return "remarkable"
    rounded = _round_half_up(value, "0.1")
    if rounded >= Decimal("3.0"):
        return "remarkable"
    if rounded >= Decimal("2.0"):
        return "substantial"
    if rounded >= Decimal("1.4"):
        return "useful"
    return "modest"


# --------------------------------------------------------------------------------------
# Gain on an age-standardised score
# --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StandardisedGain:
    """Change in an age-standardised score (mean 100, SD 15 for most UK tests).

    ``meaning`` is one of "gained_ground", "kept_pace", "fell_behind". ``reliable`` is
    None unless a reliability was given, in which case it says whether |RC| >= 1.96 and
    ``rci`` holds the index.
    """

    change: float
    meaning: str
    reliable: bool | None
    rci: float | None


def standardised_gain(pre, post, *, reliability=None, sd=15.0) -> StandardisedGain:
    """Difference between two age-standardised scores, read correctly.

    Standardised scores are already adjusted for age, so a change of 0 means the pupil made
    *the progress expected for their age* (kept pace with peers), not that they made no
    progress. Positive: gained ground on peers; negative: fell behind peers.
    Source: the definition of age-standardised scores (e.g. GL Assessment/NFER manuals:
    mean 100, SD 15 at each age). If ``reliability`` is given, changes within measurement
    error (Jacobson & Truax 1991 RC below 1.96 in size, using ``sd``) count as kept pace.
    """
    before, after = real(pre, "pre"), real(post, "post")
    change = after - before
    finite(change)
    reliable = rci = None
    if reliability is not None:
        rci = reliable_change_index(before, after, sd=sd, reliability=reliability)
        reliable = abs(rci) >= RCI_THRESHOLD
    if change == 0 or reliable is False:
        meaning = "kept_pace"
    else:
        meaning = "gained_ground" if change > 0 else "fell_behind"
    return StandardisedGain(change=float(change), meaning=meaning, reliable=reliable, rci=rci)


# --------------------------------------------------------------------------------------
# EEF Teaching and Learning Toolkit: effect size -> months of additional progress
# --------------------------------------------------------------------------------------
# (months, lowest effect size, highest effect size), 2 d.p., from
# https://educationendowmentfoundation.org.uk/evidence-summaries/about-the-toolkits/attainment/
EEF_BANDS = (
    (0, Decimal("0.00"), Decimal("0.01")),
    (1, Decimal("0.02"), Decimal("0.09")),
    (2, Decimal("0.10"), Decimal("0.18")),
    (3, Decimal("0.19"), Decimal("0.26")),
    (4, Decimal("0.27"), Decimal("0.35")),
    (5, Decimal("0.36"), Decimal("0.44")),
    (6, Decimal("0.45"), Decimal("0.52")),
    (7, Decimal("0.53"), Decimal("0.61")),
    (8, Decimal("0.62"), Decimal("0.69")),
    (9, Decimal("0.70"), Decimal("0.78")),
    (10, Decimal("0.79"), Decimal("0.87")),
    (11, Decimal("0.88"), Decimal("0.95")),
    (12, Decimal("0.96"), Decimal("1.00")),
)


def eef_months(effect_size) -> int:
    """Convert an effect size to the EEF Toolkit's months of additional progress.

    Source: EEF Teaching and Learning Toolkit, "About the Toolkits: attainment"
    (https://educationendowmentfoundation.org.uk/evidence-summaries/about-the-toolkits/attainment/).
    The EEF table is in 2-decimal steps, so the effect size is first rounded half-up to
    2 decimals (0.095 -> 0.10 -> 2 months; 0.185 -> 0.19 -> 3 months), as the EEF notes
    say effect sizes are "presented to the nearest 2 decimal places". The table stops at
    1.00 (12 months); anything larger is capped at 12. Negative effect sizes give the same
    number of months, negative (EEF note ii): less progress than similar pupils, not
    necessarily going backwards.
    """
    value = real(effect_size, "effect_size")
    size = abs(value)
    if size > 1.005:  # would round to above 1.00: cap (and keep Decimal away from 1e308)
        months = 12
    else:
        rounded = _round_half_up(size, "0.01")
        months = next((m for m, _low, high in EEF_BANDS if rounded <= high), 12)
    return -months if value < 0 else months


def eef_label(months) -> str:
    """The EEF Toolkit's wording for a number of months of additional progress.

    Source: EEF Toolkit (as :func:`eef_months`): 0 very low or no impact; 1-2 low;
    3-5 moderate; 6-8 high; 9-12 very high. The EEF does not label negative months; we
    call any negative figure "negative impact".
    """
    if isinstance(months, bool) or not isinstance(months, numbers.Integral):
        raise ValueError(ERR_MONTHS)
    months = int(months)
    if not -12 <= months <= 12:
        raise ValueError(ERR_MONTHS)
    if months < 0:
        return "negative impact"
    if months == 0:
        return "very low or no impact"
    if months <= 2:
        return "low impact"
    if months <= 5:
        return "moderate impact"
    if months <= 8:
        return "high impact"
    return "very high impact"
