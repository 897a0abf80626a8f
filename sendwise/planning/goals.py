"""Goals that can be reached: on a measure whose scores are whole numbers, a goal is a whole
number too. Pure Python, no Django.

Which measures are scored in whole numbers, and why, is one rule for scores and goals alike
(``evidence.measure_range.whole_scores``). A goal of 9.2 on such a measure can never be met
exactly, and a parent reads "Goal 5.2" as a score their child could get.
"""

from __future__ import annotations

import math

from sendwise.evidence.measure_range import WHOLE_NUMBER_KINDS, whole_scores

__all__ = ["WHOLE_NUMBER_KINDS", "goal_towards", "target_problem", "whole_scores"]

TARGET_NOT_WHOLE = (
    "The target must be a whole number on {measure}: its scores are whole numbers, so a goal of "
    "{typed} could never be met exactly (try {lower} or {upper})"
)


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
