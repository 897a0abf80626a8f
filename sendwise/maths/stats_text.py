"""Plain-English sentences for SENDwise figures, always with the interval and the numbers.

Every sentence says how big, how uncertain (95% interval) and on how much evidence
(pupils, studies). Pure Python; must not import Django. Re-exported from
``sendwise.maths.stats``.
"""

from __future__ import annotations

from sendwise.maths.stats_base import (
    ERR_WRONG_TYPE,
    Estimate,
    Pooled,
    real,
    whole,
)
from sendwise.maths.stats_scores import (
    RATIO_GAIN_LABELS,
    RCI_THRESHOLD,
    eef_label,
    eef_months,
    ratio_gain_band,
)


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"


def _number(x: float, decimals: int) -> str:
    text = f"{x:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text  # no "-0.00"


def _months(m: int) -> str:
    return f"{m} month" if abs(m) == 1 else f"{m} months"


def _bound(effect_size: float) -> str:
    """An interval end in EEF months; "12+" / "-12+" where the EEF table's cap was hit."""
    months = eef_months(effect_size)
    return f"{months}+" if abs(months) == 12 and abs(effect_size) > 1.005 else str(months)


def pooled_months_sentence(
    pooled: Pooled, *, pupils: int | None = None, include_prediction: bool = True
) -> str:
    """A pooled effect size in EEF months, e.g.

    "Pupils made about 4 months more progress than similar pupils without it (95% interval
    1 to 7 months; 48 pupils in 3 studies). EEF rating: moderate impact."

    The estimate and both ends of the interval are converted with the EEF Toolkit table
    (:func:`eef_months`; source: EEF Toolkit "About the Toolkits: attainment"); an end
    beyond the table's 1.00 cap is shown as "12+". When the
    prediction interval exists (3+ studies; Higgins, Thompson & Spiegelhalter 2009) a second
    sentence says where the effect in a new school might plausibly fall.
    """
    if not isinstance(pooled, Pooled):
        raise ValueError(ERR_WRONG_TYPE.format(name="pooled", kind="a Pooled result"))
    months = eef_months(pooled.estimate)
    if months > 0:
        head = f"Pupils made about {_months(months)} more progress than similar pupils without it"
    elif months < 0:
        head = f"Pupils made about {_months(-months)} less progress than similar pupils without it"
    else:
        head = "Pupils made about the same progress as similar pupils without it"
    evidence = _plural(pooled.k, "study", "studies")
    if pupils is not None:
        evidence = f"{_plural(whole(pupils, 'pupils', 1), 'pupil')} in {evidence}"
    text = (
        f"{head} (95% interval {_bound(pooled.ci_low)} to {_bound(pooled.ci_high)} months; "
        f"{evidence}). "
        f"EEF rating: {eef_label(months)}."
    )
    if include_prediction and pooled.pi_low is not None and pooled.pi_high is not None:
        text += (
            " In a new school the effect could plausibly be anywhere from "
            f"{_bound(pooled.pi_low)} to {_bound(pooled.pi_high)} months."
        )
    return text


def estimate_sentence(
    estimate: Estimate, *, what: str = "The effect size", decimals: int = 2
) -> str:
    """Any Estimate as "The effect size is 0.59 (95% interval 0.20 to 0.99; 100 pupils)."

    Source of the interval: whatever produced the Estimate (see its function's docstring).
    """
    if not isinstance(estimate, Estimate):
        raise ValueError(ERR_WRONG_TYPE.format(name="estimate", kind="an Estimate"))
    places = whole(decimals, "decimals", 0)
    value = _number(estimate.value, places)
    low, high = _number(estimate.ci_low, places), _number(estimate.ci_high, places)
    tail = "" if estimate.n is None else f"; {_plural(estimate.n, 'pupil')}"
    return f"{what} is {value} (95% interval {low} to {high}{tail})."


def rci_sentence(rci) -> str:
    """A reliable change index in words (Jacobson & Truax 1991: |RC| >= 1.96 is reliable)."""
    value = real(rci, "rci")
    shown = _number(value, 2)
    if abs(value) >= RCI_THRESHOLD:
        direction = "up" if value > 0 else "down"
        return (
            f"Reliable change index {shown}: the score went {direction} by more than "
            "measurement error alone would explain."
        )
    return (
        f"Reliable change index {shown}: the change is within measurement error, "
        "so it may not be a real change."
    )


def ratio_gain_sentence(rg) -> str:
    """A ratio gain in words with Brooks's (2016) band.

    e.g. "Ratio gain 2.3: about 2.3 months' progress for every month of teaching
    (substantial impact on Brooks's scale; 1.0 is ordinary progress)."
    """
    value = real(rg, "rg")
    label = RATIO_GAIN_LABELS[ratio_gain_band(value)]
    shown = _number(value, 1)
    return (
        f"Ratio gain {shown}: about {shown} months' progress for every month of teaching "
        f"({label} on Brooks's scale; 1.0 is ordinary progress)."
    )


def sentence(result, **options) -> str:
    """Plain English for a Pooled (in EEF months) or an Estimate; options pass through."""
    if isinstance(result, Pooled):
        return pooled_months_sentence(result, **options)
    if isinstance(result, Estimate):
        return estimate_sentence(result, **options)
    raise ValueError(ERR_WRONG_TYPE.format(name="result", kind="a Pooled or an Estimate"))
