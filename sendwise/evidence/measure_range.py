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
- Where the top of a standardised score's range is not known and neither are its norms, values
  above ``UNNORMED_CEILING`` (175) are refused. This is not a figure for the measure (a test's
  own ends come only from its sources, seed README): it is what every standard-score scale that
  English school tests report on has in common. Within the five SDs allowed above, a standard or
  standard age score (mean 100, SD 15) reaches 175 at most, a T-score (mean 50, SD 10) 100 and a
  scaled score (mean 10, SD 3) 25, so a score over 175 belongs to none of them, whichever the
  test uses: it is a slip (9999 for 99), not a result.
  Only the upper end needs this: below, such a score is still never negative. A standardised
  measure that reports beyond 175 (a single scale across all ages, such as Star Reading's 0 to
  1,400) records its range, so this rule never meets it; a test using a different scale needs
  its range or norms recorded before it is added.
- Whatever the measure, a value beyond ``core.bounds.SCORE_MAGNITUDE`` either way is refused
  where the measure's own range leaves that end open: no measure reports such a number.

Scores on some kinds of measure are whole numbers (``WHOLE_NUMBER_KINDS``): a standardised test
reports whole standard or scaled scores (a CELF-5 scaled score is 8 or 9, never 9.2: the
publishers' norm tables list whole numbers), and a curriculum-based probe counts things (words
read correctly in a minute). A score of 5.5 on such a measure is a slip or an average of two
results, so ``whole_problem`` refuses it; an outcome's target on it is a whole number too
(``planning.goals``). Rating scales (some average their items) and age equivalents (some are
reported in years and months) may take decimals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sendwise.core.bounds import SCORE_MAGNITUDE

#: Kinds of measure whose values are never negative (``evidence.codes.MeasureKind`` values).
NEVER_NEGATIVE_KINDS = frozenset({"standardised", "age_equivalent", "curriculum_probe"})
#: How many SDs from the mean a standardised score with no published range may lie.
NORM_SDS = 5
#: The standard-score scales school tests report on, as (mean, SD): standard and standard age
#: scores, T-scores and scaled scores (module docstring).
USUAL_SCALES = ((100, 15), (50, 10), (10, 3))
#: The highest standardised score allowed when neither the measure's top end nor its norms are
#: known: the most any usual scale reaches ``NORM_SDS`` above its mean (100 + 5 x 15 = 175).
UNNORMED_CEILING = float(max(mean + NORM_SDS * sd for mean, sd in USUAL_SCALES))
#: Kinds of measure whose scores are whole numbers (module docstring).
WHOLE_NUMBER_KINDS = frozenset({"standardised", "curriculum_probe"})

BETWEEN = "The {what} must be between {low} and {high} on {measure}"
AT_LEAST = "The {what} must be {low} or more on {measure}"
AT_MOST = "The {what} must be {high} or less on {measure}"
NOT_NEGATIVE = "The {what} cannot be below 0 on {measure}: it is {kind_phrase}"
NOT_A_NUMBER = "Enter the {what} as a number"
IMPLAUSIBLE = (
    "The {what} must be between {low} and {high} on {measure}: no measure reports a number that "
    "large, so check for a typing slip"
)
UNNORMED = (
    "The {what} must be between {low} and {high} on {measure}: its norms are not recorded, and a "
    "standard score on any usual scale is never above {high}, so check for a typing slip"
)
NOT_WHOLE = (
    "The {what} must be a whole number: {measure} is reported in whole numbers, so enter "
    "{lower} or {upper}"
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
    """The lowest and highest values allowed (None: no limit at that end), whether the lower
    end comes only from the rule that such a measure is never negative, and whether the upper
    end comes only from the rule for a standardised score with no known norms."""

    low: float | None
    high: float | None
    floor_only: bool = False
    unnormed_ceiling: bool = False

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
    normed = kind == "standardised" and mean is not None and bool(sd)
    if low is None and high is None and normed:
        return Bounds(max(0.0, mean - NORM_SDS * sd), mean + NORM_SDS * sd)
    unnormed_ceiling = kind == "standardised" and high is None and not normed
    if unnormed_ceiling:
        high = UNNORMED_CEILING
    if low is None and kind in NEVER_NEGATIVE_KINDS:
        return Bounds(0.0, high, floor_only=scale_max is None, unnormed_ceiling=unnormed_ceiling)
    return Bounds(low, high, unnormed_ceiling=unnormed_ceiling)


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
    if found.unnormed_ceiling and value > found.high:
        # Only a standardised score has this ceiling, and its lower end is always known.
        return UNNORMED.format(
            what=what, low=number(found.low), high=number(found.high), measure=measure
        )
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


def whole_scores(kind: str) -> bool:
    """Whether scores on a measure of this kind are whole numbers (module docstring)."""
    return kind in WHOLE_NUMBER_KINDS


def whole_problem(value, *, what: str, measure: str, kind: str) -> str | None:
    """The message for a number that is not whole on a measure reported in whole numbers
    (None when it is whole, or the measure may take decimals)."""
    if not whole_scores(kind) or value is None or not math.isfinite(value):
        return None
    if float(value).is_integer():
        return None
    return NOT_WHOLE.format(
        what=what, measure=measure, lower=number(math.floor(value)), upper=number(math.ceil(value))
    )
