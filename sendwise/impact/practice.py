"""What a school's own pupils show for one intervention, and how that updates the research.

Input: one :class:`PupilRecord` per placement (a pupil put on the intervention in one plan),
with the starting score and a later score on the outcome's measure, the measure's norms and
the response judged at review. Output: a :class:`PracticeSummary` with counts, the school's
own estimate on age-standardised tests, reliable change, the Bayesian update of the published
estimate, raw-score changes for other measures, and a plain-English sentence for each figure.

Why a gain on an age-standardised score can be read beside a trial's effect size
--------------------------------------------------------------------------------
A standardised score places a pupil against pupils *of the same age* in the test's norm group
(mean 100, SD 15 for most UK tests). A pupil who makes the progress typical for their age keeps
the same standard score, so a gain of zero is expected progress, not no progress. The gain
(post - pre) / norm SD therefore estimates how much further the pupil moved than the typical
pupil of their age, in population standard deviations. That is roughly the question a trial
asks ("how much more progress than pupils who did not get it?", an effect size in SD units;
Borenstein et al. 2009 *Introduction to Meta-Analysis* ch. 4), with the norm group standing in
for the comparison group. The EEF months conversion (``stats.eef_months``) then applies in the
same way, with the caveats below.

Why it is only "comparable-ish" (docs/statistics.md, "When not to trust a figure"):

* **No comparison group.** The norm group is not a control group: pupils with SEN often fall
  behind age peers without extra help (so the gain may understate the intervention), and the
  class teaching they also received is not separated out.
* **Regression to the mean.** Pupils chosen *because* they scored low will, on average, score
  higher when retested even with no help, because part of a low score is bad luck on the day
  (Barnett, van der Pols & Dobson 2005, *Int. J. Epidemiol.* 34(1), 215-220). This inflates
  gains.
* **Practice effects.** Sitting the same test again raises scores a little (Hausknecht et al.
  2007, *J. Appl. Psychol.* 92(2), 373-385), which also inflates gains; parallel forms help.
* **Different standardiser.** Trials usually divide by their own sample's SD; for a group of
  pupils with difficulties this is often smaller than the norm SD, so the same raw gain gives a
  larger trial effect size than the gain here.

Age equivalents, curriculum probes and rating scales are not on that scale: they get counts and
the mean raw change only, with the reason, and never update the research estimate.

Pure Python plus scipy; must never import Django (tests/test_pure_modules.py checks).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from sendwise.impact import practice_text
from sendwise.maths import stats
from sendwise.maths.stats_base import finite, whole

#: Pupils with a starting and a later age-standardised score needed before any estimate is
#: shown. Below five the spread of the gains, and so the interval, is too unstable to report,
#: and a "mean" of two or three pupils would come close to disclosing individual results.
MIN_PUPILS = 5

STANDARDISED = "standardised"
RESPONDED, NO_RESPONSE, TOO_EARLY = "responded", "no_response", "too_early"

STATUS_NONE = "none"  # nobody in the school has been placed on it
STATUS_TOO_FEW = "too_few"  # placed, but fewer than MIN_PUPILS standardised gains
STATUS_NO_SPREAD = "no_spread"  # enough pupils, but every gain identical: no interval
STATUS_ESTIMATE = "estimate"  # the school's estimate, with no research estimate to update
STATUS_UPDATED = "updated"  # the school's estimate and the updated research estimate

# Why a measure's changes are shown as raw points and not combined with the research.
REASON_BY_KIND = {
    "age_equivalent": (
        "age equivalents are not on an even scale (a month at 6 is not a month at 12), so they "
        "cannot be turned into standard deviations"
    ),
    "curriculum_probe": (
        "a curriculum probe counts things (such as words read correctly a minute) that rise with "
        "age and teaching, with no age norms to say what expected progress is"
    ),
    "rating_scale": (
        "a rating scale's points are not standardised for age, so a change is not in the "
        "standard deviations the research uses"
    ),
}
REASON_NO_NORM_SD = "the test's norm standard deviation is not recorded"
REASON_NO_DIRECTION = "whether higher or lower scores are better is not recorded"
REASON_OTHER = "the kind of measure is not recorded"


@dataclass(frozen=True)
class PupilRecord:
    """One pupil's placement on the intervention, with their scores where there are any.

    ``pre``/``post`` are None when there is no starting or no later score; ``kind`` is the
    measure's kind (standardised, age_equivalent, curriculum_probe, rating_scale); ``norm_sd``
    the test's norm SD (15 for most standard scores); ``response`` what the review judged.
    """

    pupil: Hashable
    response: str = ""
    pre: float | None = None
    post: float | None = None
    measure: str = ""
    kind: str = ""
    norm_sd: float | None = None
    reliability: float | None = None
    higher_is_better: bool | None = None

    @property
    def scored(self) -> bool:
        return self.pre is not None and self.post is not None

    @property
    def standardised(self) -> bool:
        """True when the gain can be put in standard deviations of the age norms."""
        return (
            self.scored
            and self.kind == STANDARDISED
            and self.norm_sd is not None
            and self.norm_sd > 0
            and self.higher_is_better is not None
        )

    @property
    def gain_sd(self) -> float:
        """(post - pre) / norm SD, sign-flipped where lower scores are better."""
        sign = 1.0 if self.higher_is_better else -1.0
        return sign * (self.post - self.pre) / self.norm_sd

    @property
    def raw_reason(self) -> str:
        if self.kind in REASON_BY_KIND:
            return REASON_BY_KIND[self.kind]
        if self.kind != STANDARDISED:
            return REASON_OTHER
        if self.norm_sd is None or self.norm_sd <= 0:
            return REASON_NO_NORM_SD
        return REASON_NO_DIRECTION


@dataclass(frozen=True)
class Counts:
    placements: int
    pupils: int  # different pupils (a pupil placed in two cycles counts once here)
    with_scores: int  # placements with a starting and a later score on any measure
    standardised: int  # ... on an age-standardised test with known norms
    responded: int
    no_response: int
    too_early: int

    @property
    def not_judged(self) -> int:
        return self.placements - self.responded - self.no_response - self.too_early


@dataclass(frozen=True)
class SchoolEstimate:
    """The school's mean gain in SD units: SE = SD of gains / sqrt(n), 95% t-interval."""

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


@dataclass(frozen=True)
class ReliableChange:
    known: int  # pupils whose test has a known reliability
    improved: int  # reliable change index of 1.96 or more, in the better direction
    declined: int


@dataclass(frozen=True)
class Combined:
    """The research estimate updated by the school's (stats.bayes_update), and the weights."""

    estimate: stats.Estimate  # ci_low/ci_high: the 95% credible interval
    school_weight: float  # A / (A + B), 0-1
    months: int
    months_low: str
    months_high: str

    @property
    def research_weight(self) -> float:
        return 1.0 - self.school_weight

    @property
    def school_percent(self) -> int:
        return round(100 * self.school_weight)

    @property
    def research_percent(self) -> int:
        return 100 - self.school_percent

    @property
    def months_label(self) -> str:
        return practice_text.signed_months(self.months)


@dataclass(frozen=True)
class RawGroup:
    """Changes on one measure that is not on the age-standardised scale."""

    measure: str
    n: int
    mean_change: float | None  # None below MIN_PUPILS
    higher_is_better: bool | None
    reason: str
    sentence: str


@dataclass(frozen=True)
class PracticeSummary:
    status: str
    counts: Counts
    school: SchoolEstimate | None
    reliable: ReliableChange
    combined: Combined | None
    raw: tuple[RawGroup, ...]
    counts_sentence: str
    school_sentence: str
    reliable_sentence: str
    combined_sentence: str
    minimum: int = MIN_PUPILS

    @property
    def has_estimate(self) -> bool:
        return self.school is not None


@lru_cache(maxsize=4096)
def t_quantile(df: int) -> float:
    """The two-sided 95% quantile of Student's t with ``df`` degrees of freedom (remembered:
    a trust's or authority's page asks for a few hundred cells, with few distinct df)."""
    from scipy import stats as sps  # imported here so that importing this module stays cheap

    return float(sps.t.ppf(0.975, df))


# --------------------------------------------------------------------------------------
# The parts of the summary
# --------------------------------------------------------------------------------------
def count(records: list[PupilRecord]) -> Counts:
    responses = [r.response for r in records]
    return Counts(
        placements=len(records),
        pupils=len({r.pupil for r in records}),
        with_scores=sum(r.scored for r in records),
        standardised=sum(r.standardised for r in records),
        responded=responses.count(RESPONDED),
        no_response=responses.count(NO_RESPONSE),
        too_early=responses.count(TOO_EARLY),
    )


def school_estimate(gains: list[float]) -> SchoolEstimate | None:
    """Mean gain with SE = SD / sqrt(n) and a 95% t-interval (n - 1 df); None if gains agree.

    The t distribution, not the normal, because the SD is estimated from a handful of pupils
    (Student 1908; Gelman et al. 2013 *Bayesian Data Analysis* 3rd ed. ch. 3: with the SD
    unknown, the mean's posterior is t with n - 1 df). Needs at least two gains.
    """
    n = len(gains)
    mean = statistics.fmean(gains)
    sd = statistics.stdev(gains)
    if sd == 0:
        return None
    se = sd / math.sqrt(n)
    half = t_quantile(n - 1) * se
    low, high = mean - half, mean + half
    finite(mean, sd, se, low, high)
    return SchoolEstimate(
        n,
        mean,
        sd,
        se,
        low,
        high,
        stats.eef_months(mean),
        practice_text.months_text(low),
        practice_text.months_text(high),
    )


def reliable_change(records: list[PupilRecord]) -> ReliableChange:
    """Jacobson & Truax (1991) reliable change, signed so that positive is better."""
    known = improved = declined = 0
    for r in records:
        if r.reliability is None or not 0 < r.reliability < 1:
            continue
        known += 1
        rci = stats.reliable_change_index(r.pre, r.post, sd=r.norm_sd, reliability=r.reliability)
        rci = rci if r.higher_is_better else -rci
        improved += rci >= stats.RCI_THRESHOLD
        declined += rci <= -stats.RCI_THRESHOLD
    return ReliableChange(known, improved, declined)


def combine(school: SchoolEstimate, research: stats.Pooled) -> Combined:
    """Update the pooled research estimate with the school's (normal-normal model).

    Calls ``stats.bayes_update`` (Gelman et al. 2013 ch. 5): prior = pooled estimate with
    variance SE^2 + tau^2 (A), the school's estimate with variance B. B is the school's SE
    widened by t / 1.96, so that the normal approximation has the same 95% width as the
    school's own t-interval: treating an SD from five pupils as exactly known would let a
    small group pull the estimate further than it should. Weight of the school: A / (A + B).
    """
    a = research.se**2 + research.tau2
    widened = school.se * t_quantile(school.n - 1) / stats.Z95
    b = widened**2
    updated = stats.bayes_update(
        research.estimate, research.se**2, research.tau2, school.mean, b, local_n=school.n
    )
    return Combined(
        estimate=updated,
        school_weight=a / (a + b),
        months=stats.eef_months(updated.value),
        months_low=practice_text.months_text(updated.ci_low),
        months_high=practice_text.months_text(updated.ci_high),
    )


def raw_groups(records: list[PupilRecord], minimum: int) -> tuple[RawGroup, ...]:
    """Mean raw change per measure not on the standardised scale (means only from ``minimum``)."""
    by_measure: dict[str, list[PupilRecord]] = {}
    for r in records:
        by_measure.setdefault(r.measure or "An unnamed measure", []).append(r)
    groups = []
    for name, members in sorted(by_measure.items()):
        first = members[0]
        n = len(members)
        mean = statistics.fmean(r.post - r.pre for r in members) if n >= minimum else None
        text = practice_text.raw_sentence(
            name, n, mean, first.higher_is_better, first.raw_reason, minimum
        )
        groups.append(RawGroup(name, n, mean, first.higher_is_better, first.raw_reason, text))
    return tuple(groups)


# --------------------------------------------------------------------------------------
# The whole summary
# --------------------------------------------------------------------------------------
def summarise(
    records: Iterable[PupilRecord],
    *,
    research: stats.Pooled | None = None,
    research_n: int | None = None,
    minimum: int = MIN_PUPILS,
) -> PracticeSummary:
    """Everything the "What our practice shows" panel needs, from the school's placements.

    ``research`` is the pooled random-effects result of the published studies (None when
    there is none to update); ``research_n`` the pupils in those studies, for the sentence.
    """
    rows = list(records)
    minimum = whole(minimum, "minimum", 2)
    counts = count(rows)
    usable = [r for r in rows if r.standardised]
    raw = raw_groups([r for r in rows if r.scored and not r.standardised], minimum)
    reliable = reliable_change(usable)
    # One gain per pupil: a pupil placed on it in two cycles is one pupil, not two
    # independent ones (the t-interval assumes independent pupils), and counts once towards
    # the minimum. Their gains are averaged.
    by_pupil: dict[Hashable, list[float]] = {}
    for r in usable:
        by_pupil.setdefault(r.pupil, []).append(r.gain_sd)
    gains = [statistics.fmean(g) for g in by_pupil.values()]
    school = combined = None
    reliable_text = combined_text = school_text = ""
    if not rows:
        status = STATUS_NONE
    elif len(gains) < minimum:
        status = STATUS_TOO_FEW
    else:
        school = school_estimate(gains)
        status = STATUS_ESTIMATE if school else STATUS_NO_SPREAD
        reliable_text = practice_text.reliable_sentence(reliable, len(usable))
    if status in (STATUS_NONE, STATUS_TOO_FEW):
        school_text = practice_text.too_few_sentence(len(gains), minimum)
    elif school is None:
        school_text = practice_text.no_spread_sentence(len(gains))
    else:
        school_text = practice_text.school_sentence(school)
        if research is not None:
            combined = combine(school, research)
            status = STATUS_UPDATED
            combined_text = practice_text.combined_sentence(
                combined, school.n, research, research_n
            )
        else:
            combined_text = practice_text.NO_RESEARCH
    return PracticeSummary(
        status=status,
        counts=counts,
        school=school,
        reliable=reliable,
        combined=combined,
        raw=raw,
        counts_sentence=practice_text.counts_sentence(counts),
        school_sentence=school_text,
        reliable_sentence=reliable_text,
        combined_sentence=combined_text,
        minimum=minimum,
    )
