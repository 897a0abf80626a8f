"""The values a measure can take, and the message when a value falls outside them.

One rule for every place a number on a measure is typed: a score (monitoring), and an outcome's
baseline and target (planning). Pure Python: callers pass the measure's own fields.

- Each end of the measure's published range (``scale_min``, ``scale_max``) that is known is
  checked on its own: a measure whose sources give only a floor still refuses a value below it.
- Where no lower end is known, a measure that counts (a curriculum-based probe, such as words
  read correctly in a minute) or that reports a standardised or age-equivalent score cannot be
  below zero: a count of things done, a standard score and an age in months are never negative.
  A rating scale may be centred on zero, so it is left open.
- Where neither end is known but a standardised score's norms are (its mean and SD), values
  more than five standard deviations from the mean are refused. Standard scores on published
  tests are reported within about four SD of the mean (for example 40 to 160 on the Wechsler
  scales, mean 100 and SD 15: Wechsler, WISC-V UK manual, 2016), so a value beyond five is a
  typing slip (999 for 99), not a result.
- Whatever the measure, a value beyond ``core.bounds.SCORE_MAGNITUDE`` either way is refused
  where the measure's own range leaves that end open: no measure reports such a number.
"""

from __future__ import annotations

from dataclasses import dataclass

from sendwise.core.bounds import SCORE_MAGNITUDE

#: Kinds of measure whose values are never negative (``evidence.codes.MeasureKind`` values).
NEVER_NEGATIVE_KINDS = frozenset({"standardised", "age_equivalent", "curriculum_probe"})
#: How many SDs from the mean a standardised score with no published range may lie.
NORM_SDS = 5

BETWEEN = "The {what} must be between {low} and {high} on {measure}"
AT_LEAST = "The {what} must be {low} or more on {measure}"
AT_MOST = "The {what} must be {high} or less on {measure}"
NOT_NEGATIVE = "The {what} cannot be below 0 on {measure}: it is {kind_phrase}"
NOT_A_NUMBER = "Enter the {what} as a number"
IMPLAUSIBLE = (
    "The {what} must be between {low} and {high} on {measure}: no measure reports a number that "
    "large, so check for a typing slip"
)

KIND_PHRASES = {
    "standardised": "a standardised score",
    "age_equivalent": "an age in months",
    "curriculum_probe": "a count of what the pupil did",
}


def number(value: float) -> str:
    """70, 12.5, 1,000: how a bound is written in a message."""
    return f"{value:,g}" if float(value) != int(value) else f"{int(value):,}"


@dataclass(frozen=True)
class Bounds:
    """The lowest and highest values allowed (None: no limit at that end), and whether the
    lower end comes only from the rule that such a measure is never negative."""

    low: float | None
    high: float | None
    floor_only: bool = False

    def allows(self, value: float) -> bool:
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)


def bounds(
    *,
    kind: str,
    scale_min: float | None,
    scale_max: float | None,
    mean: float | None = None,
    sd: float | None = None,
) -> Bounds:
    """The values a measure of this kind, range and norms can take (module docstring)."""
    low, high = scale_min, scale_max
    if low is None and high is None and kind == "standardised" and mean is not None and sd:
        return Bounds(max(0.0, mean - NORM_SDS * sd), mean + NORM_SDS * sd)
    if low is None and kind in NEVER_NEGATIVE_KINDS:
        return Bounds(0.0, high, floor_only=high is None)
    return Bounds(low, high)


def problem(value, found: Bounds, *, what: str, measure: str, kind: str) -> str | None:
    """The message for a value outside ``found`` (None when it is allowed)."""
    if value is None or value != value or value in (float("inf"), float("-inf")):
        return NOT_A_NUMBER.format(what=what)
    low = found.low if found.low is not None else -SCORE_MAGNITUDE
    high = found.high if found.high is not None else SCORE_MAGNITUDE
    if not low <= value <= high and abs(value) > SCORE_MAGNITUDE:
        return IMPLAUSIBLE.format(what=what, low=number(low), high=number(high), measure=measure)
    if found.allows(value):
        return None
    low = number(found.low) if found.low is not None else None
    high = number(found.high) if found.high is not None else None
    if found.floor_only:
        return NOT_NEGATIVE.format(what=what, measure=measure, kind_phrase=KIND_PHRASES[kind])
    if low is not None and high is not None:
        return BETWEEN.format(what=what, low=low, high=high, measure=measure)
    if low is not None:
        return AT_LEAST.format(what=what, low=low, measure=measure)
    return AT_MOST.format(what=what, high=high, measure=measure)


def hint(found: Bounds) -> str:
    """The range in words for a form's hint ("" when any number is allowed)."""
    if found.low is not None and found.high is not None:
        return f"From {number(found.low)} to {number(found.high)}"
    if found.low is not None:
        return f"{number(found.low)} or more"
    if found.high is not None:
        return f"{number(found.high)} or less"
    return ""
