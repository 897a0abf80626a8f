"""A local study: what one finished group of pupils showed, from their placements' results.

Practice-based evidence (issue 12, point 5): each group a school has run to the end becomes a
small study on the intervention's page, beside the published trials. Input: one
:class:`ResultRow` per placement of the group (read from ``impact.PlacementResult``); output: a
:class:`StudySummary` with the pupils, one :class:`MeasureLine` per measure (pre and post means,
the mean gain with its 95% interval and n) and the dose the pupils received.

Rules the figures keep:

* **One line per measure.** Gains on different measures are never averaged together: a reading
  test's standard-score gain and a words-a-minute probe's raw change are different quantities.
  The measure is part of the key, as in ``ImpactAggregate``.
* **Missing is missing.** A pupil with no later score counts in "no later score", never as a gain
  of zero; the means and the interval are over the pupils with both scores, who are named in n.
* **One gain per pupil.** The t-interval assumes independent pupils, so a pupil who appears twice
  (two cycles pooled across studies) has their gains averaged first, as ``practice.summarise``
  does.
* **An interval from 3 pupils.** The mean gain's 95% interval is mean ± t(0.975, n − 1) · SD/√n
  (Student's t, because the SD is estimated from the same few pupils: Altman 1991, *Practical
  Statistics for Medical Research*, ch. 9; Gelman et al. 2013 ch. 3). With two pupils t has one
  degree of freedom (12.7) and the SD rests on one difference, so no interval is given below
  three. Groups are small (three to six pupils is usual), and a wide interval from three pupils
  says honestly how little they show; the school's pooled figure, which updates the research,
  keeps its own minimum of five (``practice.MIN_PUPILS``). These figures are only shown to the
  school's own staff, who already see each pupil's scores; nothing here goes to advisers.
* **Months only for standardised gains.** The EEF months conversion (``stats.eef_months``) is for
  effect sizes; only gains in the norm group's standard deviations are read that way (see
  ``practice``'s docstring for why, and its cautions: no comparison group, regression to the
  mean, practice effects).
* **Dose.** The share of planned sessions each pupil attended (``delivery.dose``); "at least 80%"
  is the same line the aggregates draw (``ImpactAggregate.full_dose``).

Pure Python plus scipy (through ``practice.t_quantile``); must never import Django.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

from sendwise.impact import practice_text
from sendwise.impact.practice import t_quantile
from sendwise.maths import stats
from sendwise.maths.stats_base import finite

#: Pupils with a starting and a later score needed for a mean gain's interval (see above).
MIN_FOR_INTERVAL = 3
#: A pupil "received the dose" from this share of planned sessions (ImpactAggregate.full_dose).
FULL_DOSE = 0.8

STANDARDISED, RATIO, RAW = "standardised", "ratio", "raw"
IMPROVED = "improved"

UNITS = {
    STANDARDISED: "standard deviations of the test's age norms",
    RATIO: "months gained per month elapsed (ratio gain)",
    RAW: "points on the measure's own scale",
}


@dataclass(frozen=True)
class ResultRow:
    """One placement's result: ``gain`` is in ``gain_kind``'s units, signed so + is better;
    None when the pupil has no later score (or no starting one)."""

    pupil: Hashable
    measure: Hashable | None = None
    measure_name: str = ""
    gain_kind: str = ""
    pre: float | None = None
    post: float | None = None
    gain: float | None = None
    dose_share: float | None = None
    completed: bool = False
    reliable: str = ""

    @property
    def scored(self) -> bool:
        return self.pre is not None and self.post is not None and self.gain is not None


@dataclass(frozen=True)
class MeanGain:
    """The mean gain of n pupils with its 95% t-interval (None below MIN_FOR_INTERVAL or when
    every pupil gained exactly the same, so the spread is zero)."""

    n: int
    mean: float
    ci_low: float | None
    ci_high: float | None

    @property
    def has_interval(self) -> bool:
        return self.ci_low is not None


@dataclass(frozen=True)
class MeasureLine:
    measure: Hashable | None
    measure_name: str
    gain_kind: str
    pupils: int  # pupils whose result is judged on this measure
    scored: int  # ... with a starting and a later score
    mean_pre: float | None
    mean_post: float | None
    gain: MeanGain | None
    months: str  # "+4 months" for a standardised gain with an interval, else ""
    months_low: str
    months_high: str
    reliable_judged: int
    reliable_improved: int
    sentence: str
    suppressed: bool = False  # figures withheld from this reader (see :func:`restrict`)

    @property
    def missing(self) -> int:
        """Pupils with no later score: counted as missing, never as a gain of zero."""
        return self.pupils - self.scored

    @property
    def unit(self) -> str:
        return UNITS.get(self.gain_kind, "the measure's own units")


@dataclass(frozen=True)
class Dose:
    n: int  # pupils with a planned dose
    mean_share: float | None  # 0-1
    full: int  # pupils who attended at least FULL_DOSE of their planned sessions
    sentence: str

    @property
    def mean_percent(self) -> int | None:
        return None if self.mean_share is None else round(100 * self.mean_share)


@dataclass(frozen=True)
class StudySummary:
    pupils: int
    completed: int
    unmeasured: int  # pupils whose plan had no outcome on a named measure with a baseline
    lines: tuple[MeasureLine, ...]
    dose: Dose


def mean_gain(gains: list[float]) -> MeanGain | None:
    """Mean ± t(0.975, n − 1) · SD / √n (see the module docstring); None with no gains."""
    n = len(gains)
    if n == 0:
        return None
    mean = statistics.fmean(gains)
    if n < MIN_FOR_INTERVAL:
        return MeanGain(n, mean, None, None)
    sd = statistics.stdev(gains)
    if sd == 0:
        return MeanGain(n, mean, None, None)
    half = t_quantile(n - 1) * sd / math.sqrt(n)
    finite(mean, half)
    return MeanGain(n, mean, mean - half, mean + half)


def _per_pupil(rows: list[ResultRow]) -> list[float]:
    by_pupil: dict[Hashable, list[float]] = {}
    for row in rows:
        by_pupil.setdefault(row.pupil, []).append(row.gain)
    return [statistics.fmean(g) for g in by_pupil.values()]


def _signed(x: float, places: int = 2) -> str:
    text = practice_text.number(x, places)
    return text if text.startswith("-") or float(text) == 0 else "+" + text


def gain_sentence(line_kind: str, name: str, gain: MeanGain | None, scored: int, pupils: int):
    """The line in plain English, with n and the interval beside every figure."""
    missing = pupils - scored
    tail = (
        f" {practice_text.plural(missing, 'pupil')} had no later score and "
        f"{'is' if missing == 1 else 'are'} counted as missing, not as no progress."
        if missing
        else ""
    )
    if gain is None:
        return f"No pupil has both a starting and a later score on {name} yet.{tail}"
    unit = UNITS.get(line_kind, "the measure's own units")
    places = 2 if line_kind in (STANDARDISED, RATIO) else 1
    figure = f"average gain {_signed(gain.mean, places)} {unit}"
    if gain.has_interval:
        figure += (
            f" (95% interval {_signed(gain.ci_low, places)} to {_signed(gain.ci_high, places)})"
        )
    elif gain.n < MIN_FOR_INTERVAL:
        figure += f"; no interval from fewer than {MIN_FOR_INTERVAL} pupils"
    else:
        figure += "; every pupil gained the same, so there is no interval"
    return f"{practice_text.plural(gain.n, 'pupil')} with a starting and a later score on {name}: {figure}.{tail}"


def measure_lines(rows: Iterable[ResultRow]) -> tuple[MeasureLine, ...]:
    """One line per measure (never pooled across measures), in the measures' name order."""
    by_measure: dict[tuple, list[ResultRow]] = {}
    for row in rows:
        if row.measure is None:
            continue
        by_measure.setdefault((row.measure_name, row.measure), []).append(row)
    lines = []
    for (name, measure), members in sorted(by_measure.items(), key=lambda kv: str(kv[0])):
        kind = next((r.gain_kind for r in members if r.gain_kind), "")
        scored = [r for r in members if r.scored]
        pupils = len({r.pupil for r in members})
        gain = mean_gain(_per_pupil(scored))
        months = months_low = months_high = ""
        if kind == STANDARDISED and gain is not None and gain.has_interval:
            months = practice_text.signed_months(stats.eef_months(gain.mean))
            months_low = practice_text.months_text(gain.ci_low)
            months_high = practice_text.months_text(gain.ci_high)
        judged = [r for r in scored if r.reliable]
        lines.append(
            MeasureLine(
                measure=measure,
                measure_name=name,
                gain_kind=kind,
                pupils=pupils,
                scored=len({r.pupil for r in scored}),
                mean_pre=statistics.fmean(r.pre for r in scored) if scored else None,
                mean_post=statistics.fmean(r.post for r in scored) if scored else None,
                gain=gain,
                months=months,
                months_low=months_low,
                months_high=months_high,
                reliable_judged=len(judged),
                reliable_improved=sum(r.reliable == IMPROVED for r in judged),
                sentence=gain_sentence(kind, name, gain, len({r.pupil for r in scored}), pupils),
            )
        )
    return tuple(lines)


def dose(rows: Iterable[ResultRow]) -> Dose:
    shares = [min(max(r.dose_share, 0.0), 1.0) for r in rows if r.dose_share is not None]
    if not shares:
        return Dose(0, None, 0, "No planned sessions are recorded for these pupils.")
    mean = statistics.fmean(shares)
    full = sum(s >= FULL_DOSE for s in shares)
    sentence = (
        f"On average the pupils attended {round(100 * mean)}% of the sessions planned for them "
        f"({practice_text.plural(len(shares), 'pupil')} with a planned dose); {full} of "
        f"{len(shares)} attended at least {round(100 * FULL_DOSE)}%."
    )
    return Dose(len(shares), mean, full, sentence)


def summarise(rows: Iterable[ResultRow]) -> StudySummary:
    """Everything one local study (or the pool of several) shows."""
    rows = list(rows)
    return StudySummary(
        pupils=len({r.pupil for r in rows}),
        completed=len({r.pupil for r in rows if r.completed}),
        unmeasured=len({r.pupil for r in rows if r.measure is None}),
        lines=measure_lines(rows),
        dose=dose(rows),
    )


def restrict(
    summary: StudySummary, *, minimum: int, reason: str, also: frozenset = frozenset()
) -> StudySummary:
    """The summary for a reader who may not see every pupil: a line with fewer than
    ``minimum`` pupils with both scores keeps its counts and loses its figures (a mean of one
    or two pupils is their own scores), and so does the dose of fewer than ``minimum`` pupils.
    ``also``: measures whose lines lose their figures whatever their size (secondary
    suppression: a pooled line less the other studies' lines would give a withheld one back).
    ``reason`` says who can see them."""
    lines = tuple(
        line
        if (line.scored >= minimum or line.scored == 0) and line.measure not in also
        else MeasureLine(
            measure=line.measure,
            measure_name=line.measure_name,
            gain_kind=line.gain_kind,
            pupils=line.pupils,
            scored=line.scored,
            mean_pre=None,
            mean_post=None,
            gain=None,
            months="",
            months_low="",
            months_high="",
            reliable_judged=0,
            reliable_improved=0,
            sentence=(
                f"Fewer than {minimum} pupils have both scores on {line.measure_name}: {reason}"
                if line.scored < minimum
                else f"Withheld because a study within it has fewer than {minimum} pupils with "
                f"both scores on {line.measure_name}: {reason}"
            ),
            suppressed=True,
        )
        for line in summary.lines
    )
    dose = summary.dose
    if dose.n and dose.n < minimum:
        dose = Dose(dose.n, None, 0, f"Fewer than {minimum} pupils: {reason}")
    return StudySummary(summary.pupils, summary.completed, summary.unmeasured, lines, dose)
