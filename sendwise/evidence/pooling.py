"""Which published studies of an intervention can be pooled, and what pooling them says.

Pure Python: never imports Django. A study row is any object with the attributes of
:class:`StudyRow` (the `Study` model has them), so the same rules serve the pages, the seed
loader and the tests.

The rules (issue 6; sendwise/evidence/seed/README.md):

* Only standardised mean differences between a treated and a comparison group are pooled
  (Cohen's d, Hedges' g, EEF effect sizes). A raw difference in points on a scale ("SDQ
  points", "RCADS points"), a pre-post change, a single-case effect, eta squared or an
  effect already pooled across studies is a different quantity and is left out
  (Borenstein, Hedges, Higgins & Rothstein 2009, *Introduction to Meta-Analysis*, ch. 9:
  effects must be on one metric before they are combined).
* One row per trial (the ``trial`` slug groups the reports of one trial): the row flagged
  ``primary`` if there is one, else the row with an interval, else the row with arm sizes.
  Two outcomes, two reports or two arms of one trial are not independent (arms that share a
  control group double-count it; Borenstein et al. 2009 ch. 25), so the others are left out.
* A row needs an effect size and its precision: a 95% interval, from which
  se = (ci_high - ci_low) / (2 x 1.96); or both arm sizes, from which the variance of d is
  (n1 + n2) / (n1 n2) + d^2 / (2 (n1 + n2)) (Borenstein et al. 2009 ch. 4). The arm-size
  formula assumes pupils were randomised one by one; for trials that randomised schools or
  classes it understates the uncertainty, so such a trial gets more weight than it deserves.
  An interval from the report, when present, already allows for clustering and is preferred.
* The chosen rows are pooled by random-effects meta-analysis (DerSimonian-Laird), using
  ``sendwise.maths.stats.pool_random_effects``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sendwise.maths import stats

# How much evidence stands behind an entry (stored on the Intervention for filtering).
STRENGTH_POOLED = "pooled"
STRENGTH_SINGLE = "single_trial"
STRENGTH_STUDIES = "studies_not_pooled"
STRENGTH_TOOLKIT = "toolkit_only"
STRENGTH_PRACTICE = "practice_based"
STRENGTH_NONE = "no_evaluation"

# Why a study row was not pooled. Shown on the page beside the row.
REASON_NO_EFFECT = "no effect size reported"
REASON_NO_TYPE = "effect size type not recorded"
REASON_UNSTANDARDISED = "unstandardised outcome (raw score difference)"
REASON_NOT_BETWEEN_GROUPS = "not a standardised difference between groups"
REASON_NO_PRECISION = "no interval or arm sizes"
REASON_CLUSTER = (
    "cluster-randomised trial without a reported interval: pupil numbers alone would make it "
    "look far more precise than it is"
)
REASON_BAD_INTERVAL = "interval is reversed, has no width or does not contain the effect"
REASON_SAME_TRIAL = "second report of the same trial"
REASON_SHARED_CONTROL = "another arm sharing the trial's control group"
REASON_NOT_PRIMARY = "not the trial's primary result (which cannot be pooled)"

BASIS_INTERVAL = "95% interval"
BASIS_ARMS = "arm sizes"

# Two-sided 95% normal quantile, rounded as trial reports round it.
Z = 1.96

# Patterns in an effect-size type that mark it as something other than a between-group
# standardised mean difference. Checked before the pattern that marks a standardised effect,
# because types such as "hedges_g_within_subject (pre-post change ...)" match both. Words are
# bounded by non-letters, so "raw_mean_difference" matches "raw" and "drawn" does not.
_UNSTANDARDISED = re.compile(
    r"(?<![a-z])(raw|points?|unstandardi[sz]ed|not standardi[sz]ed)(?![a-z])"
)
_NOT_BETWEEN_GROUPS = re.compile(
    r"do not pool|(?<![a-z])not a(?![a-z])|pre[-_ ]?post|within[-_ ](subject|group change)"
    r"|single[-_ ]case|eta[-_ ]squared|meta[-_ ]analytic|(?<![a-z])odds|correlation"
)
_STANDARDISED = re.compile(
    r"cohen|hedges|glass|effect[-_ ]size|standardi[sz]ed|(?<![a-z])(smd|delta)(?![a-z])"
)


@dataclass(frozen=True)
class StudyRow:
    """One report of one trial, as the seed files describe it (None = not reported)."""

    trial: str
    effect_size: float | None = None
    effect_size_type: str = ""
    ci_low: float | None = None
    ci_high: float | None = None
    n: int | None = None
    n_treatment: int | None = None
    n_control: int | None = None
    primary: bool | None = None
    shares_control_with: str = ""
    scaled_up: bool = False
    months_progress: int | None = None
    citation: str = ""
    design: str = ""


@dataclass(frozen=True)
class Included:
    """A pooled row: its effect, standard error, pupils and where the precision came from."""

    row: Any
    effect: float
    se: float
    n: int | None
    basis: str
    weight: float = 0.0  # share of the random-effects weight, 0-1

    @property
    def variance(self) -> float:
        return self.se * self.se

    @property
    def ci_low(self) -> float:
        return self.effect - stats.Z95 * self.se

    @property
    def ci_high(self) -> float:
        return self.effect + stats.Z95 * self.se


@dataclass(frozen=True)
class LeftOut:
    row: Any
    reason: str


@dataclass(frozen=True)
class Synthesis:
    """What the published evidence for one intervention adds up to."""

    included: tuple[Included, ...]
    left_out: tuple[LeftOut, ...]
    pooled: stats.Pooled | None
    #: pupils in the pooled trials; None when a pooled trial did not report its size
    n: int | None
    single_trial: bool
    smaller_at_scale: bool
    #: mean months of progress in trials run at scale, and in the other trials
    scale_months: float | None = None
    other_months: float | None = None

    @property
    def k(self) -> int:
        return len(self.included)

    @property
    def months(self) -> int | None:
        return None if self.pooled is None else stats.eef_months(self.pooled.estimate)

    @property
    def months_label(self) -> str:
        """ "+4 months", "-1 month", "0 months" for the pooled estimate."""
        return signed_months(self.months) if self.months is not None else ""

    @property
    def months_interval(self) -> tuple[str, str] | None:
        if self.pooled is None:
            return None
        return months_text(self.pooled.ci_low), months_text(self.pooled.ci_high)

    @property
    def months_prediction(self) -> tuple[str, str] | None:
        if self.pooled is None or self.pooled.pi_low is None or self.pooled.pi_high is None:
            return None
        return months_text(self.pooled.pi_low), months_text(self.pooled.pi_high)

    def sentence(self) -> str:
        """The plain-English sentence of ``stats_text`` (with the interval, n and k)."""
        if self.pooled is None:
            return "No study of this intervention reports a result that can be pooled."
        return stats.pooled_months_sentence(self.pooled, pupils=self.n)


def months_text(effect_size: float) -> str:
    """An effect size in EEF months as text; "12+" where the EEF table's cap is passed."""
    months = stats.eef_months(effect_size)
    return f"{months}+" if abs(months) == 12 and abs(effect_size) > 1.005 else str(months)


def signed_months(months: int) -> str:
    """4 -> "+4 months", -1 -> "-1 month" (a true minus sign), 0 -> "0 months"."""
    unit = "month" if abs(months) == 1 else "months"
    sign = "+" if months > 0 else "\u2212" if months < 0 else ""
    return f"{sign}{abs(months)} {unit}"


def type_problem(effect_size_type: str | None) -> str | None:
    """None if the type names a between-group standardised effect, else the reason why not."""
    text = (effect_size_type or "").strip().lower()
    if not text:
        return REASON_NO_TYPE
    if _UNSTANDARDISED.search(text):
        return REASON_UNSTANDARDISED
    if _NOT_BETWEEN_GROUPS.search(text):
        return REASON_NOT_BETWEEN_GROUPS
    if _STANDARDISED.search(text):
        return None
    return REASON_NOT_BETWEEN_GROUPS


def _count(value: Any) -> int | None:
    """A pupil count (whole number of at least 1) or None."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return None
    return value


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def variance_from_arms(d: float, n_treatment: int, n_control: int) -> float:
    """Variance of a standardised mean difference from the arm sizes.

    V_d = (n1 + n2) / (n1 n2) + d^2 / (2 (n1 + n2)); Borenstein et al. (2009) ch. 4.
    """
    total = n_treatment + n_control
    return total / (n_treatment * n_control) + d * d / (2.0 * total)


def se_from_interval(ci_low: float, ci_high: float) -> float:
    """Standard error from a 95% interval: (high - low) / (2 x 1.96)."""
    return (ci_high - ci_low) / (2.0 * Z)


def _row_problem(row: Any) -> str | None:
    """Why this row cannot be pooled on its own (before looking at the rest of its trial)."""
    effect = _number(getattr(row, "effect_size", None))
    if effect is None:
        return REASON_NO_EFFECT
    problem = type_problem(getattr(row, "effect_size_type", ""))
    if problem:
        return problem
    low, high = _number(getattr(row, "ci_low", None)), _number(getattr(row, "ci_high", None))
    if low is not None and high is not None:
        if not low < high or not low <= effect <= high:
            return REASON_BAD_INTERVAL
        return None
    if _count(getattr(row, "n_treatment", None)) and _count(getattr(row, "n_control", None)):
        # Pupils taught in the same school resemble each other, so a trial that randomised whole
        # schools carries less information than its pupil count (the design effect; Hedges 2007,
        # J. Educ. Behav. Stat. 32(4)). Without the trial's own interval, or its ICC, the
        # arm-size variance would be too small: leave such rows out rather than guess.
        if "cluster" in (getattr(row, "design", "") or "").lower():
            return REASON_CLUSTER
        return None
    return REASON_NO_PRECISION


def _has_interval(row: Any) -> bool:
    return _number(row.ci_low) is not None and _number(row.ci_high) is not None


def _has_arms(row: Any) -> bool:
    return bool(_count(row.n_treatment) and _count(row.n_control))


def _include(row: Any) -> Included:
    effect = float(row.effect_size)
    arms = (_count(row.n_treatment), _count(row.n_control))
    n = arms[0] + arms[1] if all(arms) else _count(getattr(row, "n", None))
    if _has_interval(row):
        return Included(row, effect, se_from_interval(row.ci_low, row.ci_high), n, BASIS_INTERVAL)
    se = math.sqrt(variance_from_arms(effect, arms[0], arms[1]))
    return Included(row, effect, se, n, BASIS_ARMS)


def _preference(row: Any) -> int:
    """Lower is better: an interval first, then arm sizes."""
    return 0 if _has_interval(row) else 1 if _has_arms(row) else 2


def choose(rows: Iterable[Any]) -> tuple[list[Included], list[LeftOut]]:
    """Split the rows into those pooled (one per trial) and those left out, with reasons.

    Every row ends up in exactly one of the two lists; order follows the input.
    """
    rows = list(rows)
    problems = {id(row): _row_problem(row) for row in rows}
    trials: dict[str, list[Any]] = {}
    for index, row in enumerate(rows):
        key = (getattr(row, "trial", "") or "").strip() or f"row-{index}"
        trials.setdefault(key, []).append(row)
    chosen: dict[int, Any] = {}
    reason: dict[int, str] = {k: v for k, v in problems.items() if v}
    for members in trials.values():
        usable = [r for r in members if not problems[id(r)]]
        if not usable:
            continue
        primaries = [r for r in members if getattr(r, "primary", None) is True]
        if primaries:
            pick = next((r for r in primaries if not problems[id(r)]), None)
        else:
            pick = min(usable, key=_preference)  # min keeps the first of equals
        for row in usable:
            if row is pick:
                chosen[id(row)] = row
            elif pick is None:
                reason[id(row)] = REASON_NOT_PRIMARY
            elif getattr(row, "shares_control_with", "") and getattr(
                pick, "shares_control_with", ""
            ):
                reason[id(row)] = REASON_SHARED_CONTROL
            else:
                reason[id(row)] = REASON_SAME_TRIAL
    included = [_include(row) for row in rows if id(row) in chosen]
    left_out = [LeftOut(row, reason[id(row)]) for row in rows if id(row) not in chosen]
    return included, left_out


def _months_of(row: Any) -> float | None:
    """A row's result in EEF months: as reported, else converted from a standardised effect."""
    months = _number(getattr(row, "months_progress", None))
    if months is not None:
        return months
    effect = _number(getattr(row, "effect_size", None))
    if effect is not None and type_problem(getattr(row, "effect_size_type", "")) is None:
        return float(stats.eef_months(effect))
    return None


def _scale_comparison(rows: list[Any]) -> tuple[float | None, float | None]:
    """Mean months in trials run at scale (``scaled_up``) and in the others, where known."""
    at_scale = [
        m for r in rows if getattr(r, "scaled_up", False) if (m := _months_of(r)) is not None
    ]
    others = [
        m for r in rows if not getattr(r, "scaled_up", False) if (m := _months_of(r)) is not None
    ]
    mean = lambda values: sum(values) / len(values) if values else None  # noqa: E731
    return mean(at_scale), mean(others)


def synthesise(rows: Iterable[Any], *, single_trial: bool = False) -> Synthesis:
    """Choose the poolable rows, pool them, and say what a reader must know about the result.

    ``single_trial`` is the catalogue's own flag; the result is also a single trial whenever
    exactly one trial could be pooled. "Smaller at scale": the catalogue marks a row
    ``scaled_up`` when a larger trial run at scale found a smaller result than the earlier
    (efficacy) trials (seed README). The flag is raised for any such row, unless the rows'
    own figures (EEF months, reported or converted) show the at-scale trials did no worse.
    """
    rows = list(rows)
    included, left_out = choose(rows)
    pooled = None
    if included:
        pooled = stats.pool_random_effects(
            [i.effect for i in included], [i.variance for i in included], method="DL"
        )
        raw = [1.0 / (i.variance + pooled.tau2) for i in included]
        total = sum(raw)
        included = [
            Included(i.row, i.effect, i.se, i.n, i.basis, w / total)
            for i, w in zip(included, raw, strict=True)
        ]
    sizes = [i.n for i in included]
    n = sum(sizes) if sizes and all(s is not None for s in sizes) else None
    at_scale, others = _scale_comparison(rows)
    marked = any(getattr(r, "scaled_up", False) for r in rows)
    contradicted = at_scale is not None and others is not None and at_scale >= others
    smaller = marked and not contradicted
    return Synthesis(
        included=tuple(included),
        left_out=tuple(left_out),
        pooled=pooled,
        n=n,
        single_trial=len(included) == 1 or (single_trial and len(included) < 2),
        smaller_at_scale=smaller,
        scale_months=at_scale,
        other_months=others,
    )


def evidence_strength(*, k: int, studies: int, toolkit: bool, practice_based: bool) -> str:
    """The strength label for filtering: pooled trials first, then weaker kinds of evidence."""
    if practice_based:
        return STRENGTH_PRACTICE
    if k >= 2:
        return STRENGTH_POOLED
    if k == 1:
        return STRENGTH_SINGLE
    if studies:
        return STRENGTH_STUDIES
    if toolkit:
        return STRENGTH_TOOLKIT
    return STRENGTH_NONE
