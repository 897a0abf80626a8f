"""Goals that can be reached: on a measure whose scores are whole numbers, a goal is a whole
number too. Pure Python, no Django.

A standardised test reports whole standard or scaled scores (a CELF-5 scaled score is 8 or 9,
never 9.2: the publishers' norm tables list whole numbers), and a curriculum-based probe counts
things (words read correctly in a minute). A goal of 9.2 on such a measure can never be met
exactly, and a parent reads "Goal 5.2" as a score their child could get. Rating scales (some
average their items) and age equivalents (some are reported in years and months) are left as
they are.
"""

from __future__ import annotations

import math

#: Kinds of measure (``evidence.codes.MeasureKind`` values) scored in whole numbers.
WHOLE_NUMBER_KINDS = frozenset({"standardised", "curriculum_probe"})

TARGET_NOT_WHOLE = (
    "The target must be a whole number on {measure}: its scores are whole numbers, so a goal of "
    "{typed} could never be met exactly (try {lower} or {upper})"
)


def whole_scores(kind: str) -> bool:
    """Whether scores on a measure of this kind are whole numbers."""
    return kind in WHOLE_NUMBER_KINDS


def goal_towards(target: float, *, baseline: float) -> float:
    """``target`` as a whole number, rounded in the direction of the aim: up when the goal is
    above the baseline (8 to 9.2 becomes 10: a goal at least as ambitious), down when below."""
    if target >= baseline:
        return float(math.ceil(target - 1e-9))
    return float(math.floor(target + 1e-9))


def target_problem(target: float | None, *, kind: str, measure: str) -> str:
    """Why ``target`` cannot be the goal on this measure ("" when it can)."""
    if target is None or not whole_scores(kind) or float(target).is_integer():
        return ""
    return TARGET_NOT_WHOLE.format(
        measure=measure,
        typed=f"{target:g}",
        lower=math.floor(target),
        upper=math.ceil(target),
    )
