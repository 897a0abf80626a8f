"""Shared pieces of the SENDwise statistics: result types, error texts, input checks.

Pure Python (numpy is not even needed here). Nothing in sendwise.maths.stats* may import
Django: these modules are used from views, management commands and notebooks alike.

Every public name here is re-exported from ``sendwise.maths.stats``; import from there.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from dataclasses import dataclass

# Two-sided 95% normal quantile, scipy.stats.norm.ppf(0.975), kept to full precision so
# intervals match published software (metafor, Stata metan) to four decimals.
Z95 = 1.959963984540054

# ---------------------------------------------------------------------------------------
# Error texts. Kept as module constants so that tests (and the UI) can match them exactly.
# Placeholders are filled with str.format; tests build the expected text the same way.
# ---------------------------------------------------------------------------------------
ERR_NOT_NUMBER = "{name} must be a number."
ERR_NOT_FINITE = "{name} must be a finite number (not NaN or infinity)."
ERR_NOT_POSITIVE = "{name} must be greater than zero."
ERR_NEGATIVE = "{name} must not be negative."
ERR_NOT_WHOLE = "{name} must be a whole number of at least {minimum}."
ERR_NOT_SEQUENCE = "{name} must be a list of numbers."
ERR_EMPTY = "{name} must not be empty."
ERR_TOO_FEW = "{name} needs at least {minimum} values; it has {n}."
ERR_LENGTH_MISMATCH = "{first} and {second} must have the same length ({n_first} and {n_second})."
ERR_RELIABILITY = "reliability must be strictly between 0 and 1."
ERR_CORRELATION = "r must be strictly between -1 and 1."
ERR_NO_SPREAD = "{name}: all values are the same, so a standardised effect cannot be computed."
ERR_CORRELATION_UNDEFINED = (
    "The pre/post correlation cannot be estimated because pre or post scores do not vary; supply r."
)
ERR_PERFECT_CORRELATION = (
    "Pre and post scores are perfectly correlated, so the interval would have zero width; "
    "supply a realistic r (for example the test's published test-retest reliability)."
)
ERR_METHOD = "method must be one of 'DL', 'REML' or 'PM'; got {method!r}."
ERR_PRIOR_VARIANCE = "prior_var + tau2 must be greater than zero."
ERR_NOT_COMPUTABLE = "The inputs are too extreme to give a finite result."
ERR_REML_NO_CONVERGENCE = "The REML estimate of tau^2 did not converge; try method='DL'."
ERR_MONTHS = "months must be a whole number from -12 to 12."
ERR_NOT_DATE = "{name} must be a datetime.date (not a datetime)."
ERR_AIMLINE_DATES = "The aimline's target_date must be after its start_date."
ERR_WRONG_TYPE = "{name} must be {kind}."
ERR_POINT = "Each progress point must be a (date, score) pair."


@dataclass(frozen=True)
class Estimate:
    """A figure with its standard error and 95% interval.

    ``n`` is the number of pupils behind the figure, or ``None`` when it is not known
    (for example a Bayesian update whose local sample size was not given).
    """

    value: float
    se: float
    ci_low: float
    ci_high: float
    n: int | None


@dataclass(frozen=True)
class Pooled:
    """A random-effects meta-analysis result.

    ``i2`` is a proportion from 0 to 1 (multiply by 100 for the usual percentage).
    ``pi_low``/``pi_high`` are the 95% prediction interval for the effect in a new setting;
    they are ``None`` when fewer than three studies are pooled (the interval is undefined).
    """

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    tau2: float
    i2: float
    q: float
    k: int
    pi_low: float | None
    pi_high: float | None


def real(value: object, name: str) -> float:
    """Return ``value`` as a finite float or raise ValueError (booleans are refused)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(ERR_NOT_NUMBER.format(name=name))
    result = float(value)
    if not math.isfinite(result):
        raise ValueError(ERR_NOT_FINITE.format(name=name))
    return result


def positive(value: object, name: str) -> float:
    """Return ``value`` as a finite float greater than zero."""
    result = real(value, name)
    if result <= 0:
        raise ValueError(ERR_NOT_POSITIVE.format(name=name))
    return result


def non_negative(value: object, name: str) -> float:
    """Return ``value`` as a finite float that is zero or more."""
    result = real(value, name)
    if result < 0:
        raise ValueError(ERR_NEGATIVE.format(name=name))
    return result


def whole(value: object, name: str, minimum: int) -> int:
    """Return ``value`` as an int of at least ``minimum`` (floats such as 12.0 are refused)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(ERR_NOT_WHOLE.format(name=name, minimum=minimum))
    return int(value)


def reals(values: object, name: str, minimum: int = 1) -> list[float]:
    """Return a list of finite floats with at least ``minimum`` items."""
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise ValueError(ERR_NOT_SEQUENCE.format(name=name))
    result = [real(v, f"{name}[{i}]") for i, v in enumerate(values)]
    if not result:
        raise ValueError(ERR_EMPTY.format(name=name))
    if len(result) < minimum:
        raise ValueError(ERR_TOO_FEW.format(name=name, minimum=minimum, n=len(result)))
    return result


def same_length(first: list, second: list, first_name: str, second_name: str) -> None:
    """Raise ValueError unless the two lists are the same length."""
    if len(first) != len(second):
        raise ValueError(
            ERR_LENGTH_MISMATCH.format(
                first=first_name, second=second_name, n_first=len(first), n_second=len(second)
            )
        )


def finite(*values: float) -> None:
    """Raise ValueError if any computed value overflowed to infinity or NaN."""
    if not all(math.isfinite(v) for v in values):
        raise ValueError(ERR_NOT_COMPUTABLE)


def estimate(value: float, se: float, n: int | None) -> Estimate:
    """Build an Estimate with a normal-theory 95% interval, refusing non-finite results."""
    low, high = value - Z95 * se, value + Z95 * se
    finite(value, se, low, high)
    return Estimate(value=float(value), se=float(se), ci_low=float(low), ci_high=float(high), n=n)
