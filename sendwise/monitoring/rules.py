"""Decision rules: is one outcome's support working? Pure Python, no Django.

Given plain data about one outcome (its aimline, the measure's kind, reliability, SD and
direction, the pupil's points on that measure, today) :func:`progress_verdict` gives exactly one
verdict: ``on_track``, ``ahead``, ``not_responding`` or ``too_few_points`` (with how many more
points are needed and by about when). Separate concerns are judged apart, each by its own
function: no score for too long (:func:`no_recent_score`), review overdue
(:func:`review_overdue`) and dose below 80% (:func:`low_dose`). Nothing is ever judged on fewer
points than a rule needs.

Rules by kind of measure

* Frequent probes (``curriculum_probe``, ``rating_scale``), scored weekly or so: the four-point
  rule (needs 4 points) and the trend rule (needs 8), from ``maths.stats_rules`` (Fuchs & Fuchs;
  National Center on Intensive Intervention). When both have their points and disagree, the
  trend rule wins if it is decisive (its whole 95% interval for the slope is behind or ahead of
  the aimline's slope), because it uses every point and allows for their noise; when the trend
  cannot tell (its interval contains the aimline's slope) the four-point rule's verdict stands,
  because the four most recent points show what a long line hides. With only the four-point
  rule's points, its verdict is used alone. Both rules' verdicts are kept in the figures.
  Once the trend rule has its points, the likelihood of reaching the goal by the target date is
  added to the figures (``maths.stats_goal``); it explains, it does not decide.
* Termly tests (``standardised``, ``age_equivalent``): one score after the baseline date is
  enough. The change from the baseline is compared with the change the aimline planned by that
  date, using the reliable change index (Jacobson & Truax 1991) with the measure's reliability
  and SD: behind the plan by more than measurement error (RCI <= -1.96) is ``not_responding``,
  ahead by more than it (RCI >= 1.96) is ``ahead``, anything within it ``on_track``. The plain
  gain against expected progress is reported as well: on an age-standardised score a gain of 0
  is the progress expected for the pupil's age (kept pace), not no progress; on an
  age-equivalent score expected progress is one month a month (Brooks's ratio gain of 1.0).
  Without a reliability the RCI cannot be computed, so whether the gap is more than
  measurement error cannot be judged: the verdict (rule ``gap``) still says which side of the
  aimline the score is, but it never asks for a decision (``needs_decision`` is False), and the
  figures and the sentences (``progress_text``) say the change cannot be judged reliable.

Since when: a verdict that asks for a decision carries the date of the score that triggered it
(``Verdict.since``), and a raised concern the day it became true (``Concern.since``): the day
after the review date, the last score's date plus the allowed gap. "Waiting longest first" on
the decisions page sorts on these, not on the day the check happened to run.

Measures where lower is better (rating scales of difficulties) are handled throughout: "behind"
always means behind the plan.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from sendwise.delivery.dose import THRESHOLD as DOSE_THRESHOLD
from sendwise.maths.stats_goal import goal_likelihood
from sendwise.maths.stats_rules import (
    ABOVE_AIMLINE,
    BELOW_AIMLINE,
    FOUR_POINT_MIN_POINTS,
    TOO_FEW_POINTS,
    TREND_MIN_POINTS,
    Aimline,
    four_point_rule,
    trend_rule,
)
from sendwise.maths.stats_scores import RCI_THRESHOLD

# Verdicts on progress.
ON_TRACK = "on_track"
AHEAD = "ahead"
NOT_RESPONDING = "not_responding"
TOO_FEW = "too_few_points"
VERDICTS = (ON_TRACK, AHEAD, NOT_RESPONDING, TOO_FEW)
#: Verdicts that ask someone to decide something (change the support; raise the goal).
DECISION_VERDICTS = frozenset({NOT_RESPONDING, AHEAD})

# Kinds of measure (the values of evidence.codes.MeasureKind).
PROBE_KINDS = frozenset({"curriculum_probe", "rating_scale"})
TERMLY_KINDS = frozenset({"standardised", "age_equivalent"})

#: How often a score is expected, in days: weekly for probes (NCII advises weekly progress
#: monitoring in intensive intervention), about once a term (13 weeks) for termly tests.
EXPECTED_EVERY_DAYS = {"probe": 7, "termly": 91}
#: Default for "no score since": 6 weeks for probes, a term (16 weeks) for termly tests.
NO_SCORE_WEEKS = {"probe": 6, "termly": 16}
#: Points a termly test needs after the baseline date before it can be judged.
TERMLY_MIN_POINTS = 1
#: A standardised score's SD when the measure does not give one (mean 100, SD 15).
STANDARDISED_SD = 15.0


def cadence(kind: str) -> str:
    """'probe' for frequent probes, 'termly' for standardised and age-equivalent scores."""
    return "termly" if kind in TERMLY_KINDS else "probe"


@dataclass(frozen=True)
class OutcomeFacts:
    """Plain data about one outcome with an aimline on a measure."""

    kind: str
    baseline: float
    baseline_date: date
    target: float
    target_date: date
    #: Every score on the outcome's measure as (date taken, value), in any order.
    points: tuple[tuple[date, float], ...]
    today: date
    higher_is_better: bool = True
    #: The coefficient reliable change uses (``maths.reliability.change_reliability``'s choice)
    #: and its name as the sentences give it ("test–retest reliability 0.62").
    reliability: float | None = None
    reliability_label: str = ""
    sd: float | None = None


@dataclass(frozen=True)
class Verdict:
    verdict: str
    #: The rule that decided: "four_point", "trend", "reliable_change", "gap" or "" (too few).
    rule: str
    n_points: int
    #: Too few points: how many more are needed, and about when they will be there.
    more_needed: int = 0
    by: date | None = None
    #: The figures used, as JSON-ready values (numbers, strings, ISO dates).
    figures: dict = field(default_factory=dict)
    #: The date of the score that triggered a verdict asking for a decision (else None).
    since: date | None = None

    @property
    def needs_decision(self) -> bool:
        """Not responding or ahead, judged against measurement error: a gap judged without the
        measure's reliability (rule "gap") cannot be called reliable, so it asks for nothing."""
        return self.verdict in DECISION_VERDICTS and self.rule != "gap"


def _aimline(facts: OutcomeFacts) -> Aimline:
    return Aimline(facts.baseline_date, facts.baseline, facts.target_date, facts.target)


def _too_few(facts: OutcomeFacts, used: list, minimum: int, figures: dict) -> Verdict:
    """How many more points, and by when if scored at the expected frequency from now on: the
    next is due a period after the latest (today, if that is already past), then one a period."""
    every = timedelta(days=EXPECTED_EVERY_DAYS[cadence(facts.kind)])
    more = minimum - len(used)
    latest = max((when for when, _ in used), default=facts.baseline_date)
    first = max(latest + every, facts.today)
    by = first + every * (more - 1)
    figures = {**figures, "min_points": minimum, "target_date": facts.target_date.isoformat()}
    return Verdict(TOO_FEW, "", len(used), more, by, figures)


def progress_verdict(facts: OutcomeFacts) -> Verdict:
    """The one verdict on an outcome's progress (see the module's docstring for the rules)."""
    used = sorted(((d, v) for d, v in facts.points if d >= facts.baseline_date), key=lambda p: p[0])
    if facts.kind in TERMLY_KINDS:
        return _termly(facts, [(d, v) for d, v in used if d > facts.baseline_date])
    return _probe(facts, used)


def _probe(facts: OutcomeFacts, used: list) -> Verdict:
    aimline = _aimline(facts)
    better = facts.higher_is_better
    four = four_point_rule(used, aimline, higher_is_better=better)
    trend = trend_rule(used, aimline, higher_is_better=better)
    figures: dict = {
        "four_point": four.verdict,
        "trend": trend.verdict,
        "aimline_slope_per_week": round(trend.aimline_slope, 4),
        "higher_is_better": better,
    }
    if four.verdict == TOO_FEW_POINTS:
        return _too_few(facts, used, FOUR_POINT_MIN_POINTS, figures)
    figures["last_four"] = [
        [d.isoformat(), s, round(a, 4)]
        for d, s, a in zip(four.dates, four.scores, four.aimline_scores, strict=True)
    ]
    if trend.verdict == TOO_FEW_POINTS:
        figures["trend_needs"] = TREND_MIN_POINTS
        return _decided(four.verdict, "four_point", used, figures)
    figures.update(
        pupil_slope_per_week=round(trend.pupil_slope, 4),
        slope_ci=[round(trend.slope_ci_low, 4), round(trend.slope_ci_high, 4)],
    )
    goal = goal_likelihood(used, aimline, higher_is_better=better)
    if goal.probability is not None:
        figures.update(
            projected=round(goal.projected, 2),
            projected_se=round(goal.se, 3),
            goal_probability=round(goal.probability, 3),
        )
    if trend.verdict in (BELOW_AIMLINE, ABOVE_AIMLINE):
        return _decided(trend.verdict, "trend", used, figures)
    return _decided(four.verdict, "four_point", used, figures)


def _decided(rule_verdict: str, rule: str, used: list, figures: dict) -> Verdict:
    """A probe's verdict; one that asks for a decision is dated by its latest score (the one
    that made the rule fire)."""
    verdict = _from_rule(rule_verdict)
    since = used[-1][0] if verdict in DECISION_VERDICTS else None
    return Verdict(verdict, rule, len(used), figures=figures, since=since)


def _from_rule(rule_verdict: str) -> str:
    return {BELOW_AIMLINE: NOT_RESPONDING, ABOVE_AIMLINE: AHEAD}.get(rule_verdict, ON_TRACK)


def _termly(facts: OutcomeFacts, used: list) -> Verdict:
    if len(used) < TERMLY_MIN_POINTS:
        return _too_few(facts, used, TERMLY_MIN_POINTS, {})
    aimline = _aimline(facts)
    latest_on, latest = used[-1]
    sign = 1.0 if facts.higher_is_better else -1.0
    change = latest - facts.baseline
    planned = aimline.value_at(latest_on) - facts.baseline
    gap = sign * (change - planned)  # positive: ahead of the plan
    figures: dict = {
        "baseline": facts.baseline,
        "latest": latest,
        "latest_on": latest_on.isoformat(),
        "change": round(change, 3),
        "planned_change": round(planned, 3),
        # The aimline's value on the latest score's day, and the gap the verdict judges (+:
        # ahead of the plan), for the sentences: they name what was compared.
        "aim_that_day": round(aimline.value_at(latest_on), 3),
        "gap": round(gap, 3),
    }
    if facts.kind == "age_equivalent":
        months = (latest_on - facts.baseline_date).days / (365.25 / 12)
        # Brooks (2016): ratio gain = months gained / months elapsed; 1.0 is expected progress.
        figures["ratio_gain"] = round(change / months, 2) if months >= 1 else None
        figures["expected_change"] = round(months, 1)
    else:
        figures["expected_change"] = 0  # age-standardised: 0 is the progress expected for age
    sd = facts.sd if facts.sd else (STANDARDISED_SD if facts.kind == "standardised" else None)
    reliability = facts.reliability
    if sd and reliability is not None and 0 < reliability < 1:
        # Jacobson & Truax (1991): S_diff = sqrt(2) * SD * sqrt(1 - r); the RCI of the change
        # against expected progress (for age), and of the change against the planned change.
        s_diff = math.sqrt(2.0) * sd * math.sqrt(1.0 - reliability)
        expected = figures["expected_change"]
        figures["rci_vs_expected"] = round(sign * (change - expected) / s_diff, 2)
        gap_rci = gap / s_diff
        figures["rci_vs_plan"] = round(gap_rci, 2)
        figures.update(reliability=reliability, sd=sd)
        if facts.reliability_label:
            figures["reliability_label"] = facts.reliability_label
        if gap_rci <= -RCI_THRESHOLD:
            verdict = NOT_RESPONDING
        elif gap_rci >= RCI_THRESHOLD:
            verdict = AHEAD
        else:
            verdict = ON_TRACK
        since = latest_on if verdict in DECISION_VERDICTS else None
        return Verdict(verdict, "reliable_change", len(used), figures=figures, since=since)
    # No reliability: the side of the aimline is reported, but not as reliable change, and it
    # asks for no decision (Verdict.needs_decision; issue 11).
    figures["reliability_unknown"] = True
    verdict = NOT_RESPONDING if gap < 0 else (AHEAD if gap > 0 else ON_TRACK)
    return Verdict(verdict, "gap", len(used), figures=figures)


# --- Concerns ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Concern:
    raised: bool
    figures: dict = field(default_factory=dict)
    #: The day a raised concern became true, where the rule knows it (else None).
    since: date | None = None


def no_recent_score(
    *, kind: str, last_score_on: date | None, since: date, today: date, weeks: int | None = None
) -> Concern:
    """No score for ``weeks`` weeks (default: 6 for probes, 16 for termly tests), counted from
    the latest score, or from ``since`` (the baseline date) when there is none after it."""
    limit = weeks if weeks is not None else NO_SCORE_WEEKS[cadence(kind)]
    last = max(d for d in (last_score_on, since) if d is not None)
    raised = (today - last).days >= 7 * limit
    since = last + timedelta(weeks=limit) if raised else None
    return Concern(raised, {"last_score_on": last.isoformat(), "weeks_limit": limit}, since)


def review_overdue(*, review_date: date, today: date) -> Concern:
    """The plan's review date has passed and the plan has not been reviewed."""
    raised = today > review_date
    since = review_date + timedelta(days=1) if raised else None  # the first day it was overdue
    return Concern(raised, {"review_date": review_date.isoformat()}, since)


def low_dose(
    *,
    percent: int | None,
    threshold: int = DOSE_THRESHOLD,
    reason: str = "",
    placed: bool = True,
    owed: int = 0,
    since: date | None = None,
) -> Concern:
    """Dose delivered below ``threshold`` per cent of the dose planned so far (the figure and
    its main reason come from ``delivery.dose``); no concern when nothing is owed yet. A
    placement never put in a group (``placed`` False) with ``owed`` sessions is a concern of
    its own kind: the support has not started, which is not a dose that fell short. ``since`` is
    the day it became true, where the dose knows it (``delivery.dose``: ``Dose.since``)."""
    if not placed:
        figures = {"percent": None, "threshold": threshold, "reason": reason, "placed": False}
        return Concern(owed > 0, {**figures, "owed": owed}, since if owed > 0 else None)
    raised = percent is not None and percent < threshold
    figures = {"percent": percent, "threshold": threshold, "reason": reason}
    return Concern(raised, figures, since if raised else None)
