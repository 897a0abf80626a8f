"""One placement's result (the gain that fits its measure, reliable change, a verdict), the term
a placement counts in, and a group's figures from the sums ``ImpactAggregate`` keeps.

Pure Python plus scipy (through ``practice``); must never import Django
(tests/test_pure_modules.py checks). ``result_services`` feeds it rows and stores what it says.

The gain that fits the measure (issue 12, point 1)
--------------------------------------------------
* **Age-standardised score** (mean 100, SD 15 for most UK tests): gain in the norm group's SDs,
  (post − pre) / norm SD, signed so that + is better. 0 is the progress expected for the
  pupil's age, not no progress (see ``practice``'s docstring).
* **Age equivalent** (reading or spelling age, in months): Brooks's ratio gain, months gained
  in age equivalent per calendar month elapsed between the two tests (Brooks 2016, *What works
  for children and young people with literacy difficulties?* 5th ed., ch. 1–2; 1.0 is ordinary
  progress, 1.4 or more "useful", 2.0 "substantial"). Needs at least one month between tests,
  as the progress page does (``monitoring.rules``).
* **Curriculum probe, rating scale**, or a standardised score without its norm SD: the raw
  change on the measure's own scale, signed so that + is better when the measure says which
  way is better; with no direction recorded, no gain is stored (pre and post still are).
  So every gain on one measure is of one kind, and the sums of a measure never mix kinds.

Reliable change: Jacobson & Truax (1991) J. Consult. Clin. Psychol. 59(1) 12–19, RCI =
(change − expected change) / (SD·√2·√(1 − r)), |RCI| ≥ 1.96 is reliable; only where the
measure has a reliability strictly between 0 and 1 and an SD. The expected change is 0 on
every measure except age equivalents, where a pupil is expected to gain a month a month (the
progress page's ``rci_vs_expected`` does the same).

A group's figures from sums
---------------------------
Mean and SD from n, Σx and Σx² (var = (Σx² − (Σx)²/n)/(n − 1)), the 95% t-interval of the
mean, mean ± t(0.975, n − 1)·SD/√n (Student 1908; the same interval as
``practice.school_estimate``), and the EEF months of its ends (``stats.eef_months``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from sendwise.impact import practice_text
from sendwise.impact.practice import MIN_PUPILS, t_quantile
from sendwise.maths import stats
from sendwise.maths.reliability import ChangeReliability
from sendwise.maths.stats_base import finite

STANDARDISED, RATIO, RAW = "standardised", "ratio", "raw"
IMPROVED, NO_CHANGE, WORSE = "improved", "no_change", "worse"
AUTUMN, SPRING, SUMMER = "autumn", "spring", "summer"

#: Days in an average month (365.25 / 12), for months elapsed between two tests.
DAYS_PER_MONTH = 365.25 / 12
#: Share of the planned dose from which a pupil counts as having had "the full dose".
FULL_DOSE = 0.8


def term_of(day: date) -> tuple[int, str]:
    """(academic year, term) of a day: the year starts on 1 September (2026 = 2026/27);
    autumn is September–December, spring January–March, summer April–August. Easter moves,
    so a block starting in the Easter holiday counts in summer; a fixed rule keeps the cells
    the same everywhere."""
    year = day.year if day.month >= 9 else day.year - 1
    if day.month >= 9:
        return year, AUTUMN
    return year, SPRING if day.month <= 3 else SUMMER


@dataclass(frozen=True)
class Scores:
    """A placement's pre and post on its measure, and what the measure says about itself."""

    kind: str
    pre: float | None
    post: float | None
    pre_on: date | None = None
    post_on: date | None = None
    sd: float | None = None
    reliability: float | None = None
    higher_is_better: bool | None = None

    @property
    def scored(self) -> bool:
        return self.pre is not None and self.post is not None

    @property
    def months_elapsed(self) -> float | None:
        if self.pre_on is None or self.post_on is None:
            return None
        return (self.post_on - self.pre_on).days / DAYS_PER_MONTH

    @property
    def sign(self) -> float:
        return -1.0 if self.higher_is_better is False else 1.0


def reliable_change_missing(
    *, sd: float | None, higher_is_better: bool | None, reliability: ChangeReliability | None
) -> str:
    """Why reliable change cannot be judged on a measure, or "" when it can."""
    if higher_is_better is None:
        return "the measure does not record whether higher or lower scores are better"
    if reliability is None:
        return (
            "the catalogue holds no test–retest or internal-consistency reliability for this "
            "measure"
        )
    if not sd or sd <= 0:
        return (
            f"the measure's standard deviation is not recorded (measurement error is worked out "
            f"from it and the {reliability.label})"
        )
    return ""


@dataclass(frozen=True)
class Gain:
    kind: str  # STANDARDISED, RATIO, RAW, or "" when no gain could be worked out
    value: float | None  # signed so that + is better (a ratio gain is a rate: 1.0 ordinary)
    reliable: str  # IMPROVED, NO_CHANGE, WORSE, or "" when not judged
    rci: float | None


def gain(s: Scores) -> Gain:
    """The gain that fits the measure and reliable change (see the module's rules)."""
    if not s.scored:
        return Gain("", None, "", None)
    change = s.post - s.pre
    expected = 0.0
    kind, value = RAW, None
    if s.kind == "standardised" and s.sd and s.sd > 0 and s.higher_is_better is not None:
        kind, value = STANDARDISED, s.sign * change / s.sd
    elif s.kind == "age_equivalent":
        months = s.months_elapsed
        if months is not None and months >= 1 and s.pre >= 0 and s.post >= 0:
            kind = RATIO
            value = stats.ratio_gain(pre_months=s.pre, post_months=s.post, elapsed_months=months)
            expected = months
        else:
            # Too soon (under a month) for a rate; never a raw change instead, so that one
            # measure's gains are all of one kind and can be summed.
            kind = ""
    elif s.higher_is_better is not None:
        value = s.sign * change
    reliable, rci = "", None
    if (
        s.sd
        and s.sd > 0
        and s.reliability is not None
        and 0 < s.reliability < 1
        and s.higher_is_better is not None
    ):
        rci = s.sign * stats.reliable_change_index(
            expected, change, sd=s.sd, reliability=s.reliability
        )
        if rci >= stats.RCI_THRESHOLD:
            reliable = IMPROVED
        elif rci <= -stats.RCI_THRESHOLD:
            reliable = WORSE
        else:
            reliable = NO_CHANGE
    if value is not None:
        finite(value)
    return Gain(kind, value, reliable, rci)


def _points(size: str) -> str:
    return "point" if size == "1" else "points"


def raw_change_words(value: float, *, higher_is_better: bool | None, places: int = 1) -> str:
    """A raw change on a measure's own scale, stored signed so that + is better, in words that
    say which way the scores went: "improved by 2.7 points (the scores fell: lower is better on
    this measure)". A bare "+2.7" on a scale where lower is better (SDQ: a higher score means
    more difficulty) reads as the pupils getting worse, so the direction is always in words."""
    size = practice_text.number(abs(value), places).removesuffix(".0")
    if float(size) == 0:
        return "no change"
    if higher_is_better is None:
        return f"a change of {size} {_points(size)}"
    better = value > 0
    rose = better == bool(higher_is_better)
    moved = "rose" if rose else "fell"
    rule = "higher is better" if higher_is_better else "lower is better"
    verb = "improved" if better else "worsened"
    return f"{verb} by {size} {_points(size)} (the scores {moved}: {rule} on this measure)"


def raw_interval_words(low: float, high: float, places: int = 1) -> str:
    """A raw change's 95% interval, on the same footing as the change: + is an improvement."""
    a, b = (practice_text.number(x, places) for x in (low, high))
    return (
        f"95% interval of the improvement {a} to {b} points, where a negative figure is a worsening"
    )


def gain_text(
    kind: str, value: float | None, unit: str = "", *, higher_is_better: bool | None = None
) -> str:
    """'+0.40 SD', 'ratio gain 2.0', 'improved by 6 points (the scores fell: lower is better on
    this measure)': a stored gain in words. A raw change says its direction in words whenever
    the measure records which way is better (it is stored signed so that + is better)."""
    if value is None:
        return "not worked out"
    if kind == STANDARDISED:
        return f"{'+' if value > 0 else ''}{practice_text.number(value)} SD"
    if kind == RATIO:
        return f"ratio gain {practice_text.number(value, 1)}"
    if higher_is_better is not None and not unit:
        return raw_change_words(value, higher_is_better=higher_is_better)
    sign = "+" if value > 0 else "\u2212" if value < 0 else ""
    size = practice_text.number(abs(value), 1).removesuffix(".0")
    return f"{sign}{size} {unit or _points(size)}"


def verdict(
    *,
    scores: Scores | None,
    g: Gain,
    dose_percent: int | None,
    measure: str,
) -> str:
    """One plain sentence on what a placement shows, for the pupil's page."""
    dose = f" with {dose_percent}% of the planned dose" if dose_percent is not None else ""
    if scores is None:
        return (
            "No outcome on a named measure with a starting score judges this support yet, so its "
            "effect cannot be told."
        )
    if scores.pre is None:
        return f"There is no starting score on {measure}, so progress cannot be told."
    if scores.post is None:
        return f"No later score on {measure} yet: progress will show once one is entered."
    reliable = {
        IMPROVED: "a reliable improvement, beyond what measurement error explains",
        WORSE: "a reliable fall, beyond what measurement error explains",
        NO_CHANGE: "within what measurement error could explain",
        "": "",
    }[g.reliable]
    if g.kind == STANDARDISED:
        if g.value > 0:
            what = f"gained ground on pupils of the same age on {measure}"
        elif g.value < 0:
            what = f"fell behind pupils of the same age on {measure}"
        else:
            what = f"kept pace with pupils of the same age on {measure}"
    elif g.kind == RATIO:
        band = stats.RATIO_GAIN_LABELS[stats.ratio_gain_band(g.value)]
        what = (
            f"gained {practice_text.number(g.value, 1)} months on {measure} for each month that "
            f"passed ({band}; 1.0 is ordinary progress)"
        )
    elif g.value is None:
        what = (
            f"moved from {_n(scores.pre)} to {_n(scores.post)} on {measure}, whose better "
            "direction is not recorded"
        )
    elif g.value > 0:
        what = f"improved on {measure} ({_n(scores.pre)} to {_n(scores.post)})"
    elif g.value < 0:
        what = f"went the wrong way on {measure} ({_n(scores.pre)} to {_n(scores.post)})"
    else:
        what = f"showed no change on {measure}"
    tail = f": {reliable}" if reliable else ""
    return f"The pupil {what}{dose}{tail}."


def _n(x: float) -> str:
    return practice_text.number(x, 1).removesuffix(".0")


# ----------------------------------------------------------------------------------------
# A group's figures from the sums ImpactAggregate keeps
# ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GroupEstimate:
    """Mean gain of n pupils with its 95% t-interval; months only for standardised gains."""

    n: int
    mean: float
    sd: float
    ci_low: float
    ci_high: float
    months: int | None
    months_low: str
    months_high: str

    @property
    def months_label(self) -> str:
        return practice_text.signed_months(self.months) if self.months is not None else ""

    def effect_text(self, kind: str, higher_is_better: bool | None = None) -> str:
        """'+0.40 SD (95% interval 0.01 to 0.79; n = 5)': never a figure without both. A raw
        change on a measure that records its better direction is told in words ("improved by
        2.7 points on average (the scores fell: lower is better on this measure)")."""
        places = 2 if kind == STANDARDISED else 1
        if kind == RAW and higher_is_better is not None:
            words = raw_change_words(self.mean, higher_is_better=higher_is_better)
            return (
                f"{words} on average ({raw_interval_words(self.ci_low, self.ci_high)}; "
                f"n = {self.n})"
            )
        unit = {STANDARDISED: " SD", RATIO: ""}.get(kind, " points")
        lead = "mean ratio gain " if kind == RATIO else ""
        sign = "+" if self.mean > 0 and kind != RATIO else ""
        return (
            f"{lead}{sign}{practice_text.number(self.mean, places)}{unit} (95% interval "
            f"{practice_text.number(self.ci_low, places)} to "
            f"{practice_text.number(self.ci_high, places)}; n = {self.n})"
        )

    @property
    def effect_text_standardised(self) -> str:
        return self.effect_text(STANDARDISED)

    @property
    def months_text(self) -> str:
        """'+5 months (95% interval 0 to 10; n = 5)' on the EEF scale; '' when not standardised."""
        if self.months is None:
            return ""
        return (
            f"{self.months_label} of additional progress (95% interval {self.months_low} to "
            f"{self.months_high} months; n = {self.n})"
        )


def from_sums(
    n: int, total: float, squares: float, *, kind: str, minimum: int = MIN_PUPILS
) -> GroupEstimate | None:
    """Mean, SD and the 95% t-interval from n, Σx and Σx²; None below ``minimum`` pupils or
    when every gain is the same (no interval can be given)."""
    if n < max(minimum, 2):
        return None
    mean = total / n
    var = max((squares - total * total / n) / (n - 1), 0.0)
    sd = math.sqrt(var)
    # Sums of floats lose a little: treat a spread below 1e-9 of the scale as none.
    if sd <= 1e-9 * max(1.0, abs(mean)):
        return None
    half = t_quantile(n - 1) * sd / math.sqrt(n)
    low, high = mean - half, mean + half
    finite(mean, sd, low, high)
    if kind == STANDARDISED:
        return GroupEstimate(
            n,
            mean,
            sd,
            low,
            high,
            stats.eef_months(mean),
            practice_text.months_text(low),
            practice_text.months_text(high),
        )
    return GroupEstimate(n, mean, sd, low, high, None, "", "")


def change_interval(
    *, kind: str, value: float | None, sd: float | None, reliability: float | None,
    months: float | None = None,
) -> tuple[float, float] | None:  # fmt: skip
    """One pupil's 95% interval from measurement error alone: the change ± 1.96 · S_diff, with
    S_diff = SD·√2·√(1 − r) (Jacobson & Truax 1991), in the gain's units (÷ SD for a
    standardised gain, ÷ months elapsed for a ratio gain). None without a reliability."""
    if value is None or not sd or sd <= 0 or reliability is None or not 0 < reliability < 1:
        return None
    half = stats.Z95 * sd * math.sqrt(2.0) * math.sqrt(1.0 - reliability)
    if kind == STANDARDISED:
        half /= sd
    elif kind == RATIO:
        if not months:
            return None
        half /= months
    return value - half, value + half
