"""Demo progress scores: for every current outcome with a measure, the scores a school would
have by today, following a designed response pattern, so that charts and decision rules have
something real to show.

* Curriculum probes (oral reading fluency, words correct per minute) are taken weekly, with
  the odd week missed; rating scales (the SDQ) every two weeks; standardised tests once a
  term, near its end. Every score falls on a school day (`term_dates`) before today and
  inside the measure's range.
* Each outcome follows one pattern (dealt in turn by `PatternDeal`, so every pattern appears):
  ON_TRACK (scores scatter about the aimline), AHEAD (climbing faster than planned),
  NOT_RESPONDING (flat: the last four points below the aimline and a flat trend) and TOO_FEW
  (support started in the last three weeks: fewer than four points).
* Probe scores are generated, then checked with the decision rules themselves
  (`maths.stats_rules.four_point_rule` and `trend_rule`); a draw that does not give the
  pattern's verdict is drawn again (seeded, so the demo is the same every time).

Made-up data. The probes scatter less than real ones (a real oral reading fluency probe has a
standard error of about 10 words a minute, Christ 2006, so a term of weekly points often cannot
tell a trend), so the verdicts are clear to see in a demo.
"""

import math
import random
from datetime import date, timedelta

from sendwise.core.models import School, User
from sendwise.demo import term_dates
from sendwise.evidence.models import Measure
from sendwise.maths import stats_rules
from sendwise.monitoring.models import Score
from sendwise.planning import goals
from sendwise.planning.models import Outcome, Plan

ON_TRACK = "on_track"
AHEAD = "ahead"
NOT_RESPONDING = "not_responding"
TOO_FEW = "too_few"
#: The order patterns are dealt in (per kind of measure), so a handful of outcomes shows them all.
DEAL = (ON_TRACK, NOT_RESPONDING, AHEAD, TOO_FEW, ON_TRACK, NOT_RESPONDING, ON_TRACK, AHEAD)
#: What the decision rules should say about each pattern's points (four-point rule verdict).
FOUR_POINT_VERDICT = {
    ON_TRACK: stats_rules.ON_TRACK,
    AHEAD: stats_rules.ABOVE_AIMLINE,
    NOT_RESPONDING: stats_rules.BELOW_AIMLINE,
    TOO_FEW: stats_rules.TOO_FEW_POINTS,
}
#: Weekly growth in words read correctly a minute that counts as an ambitious goal, by US grade
#: (Fuchs, Fuchs, Hamlett, Walz & Germann 1993, "Formative evaluation of academic progress: how
#: much growth can we expect?", School Psychology Review 22(1), table of realistic and
#: ambitious rates). An English Year N pupil is in US grade N - 1.
AMBITIOUS_WCPM_PER_WEEK = {1: 3.0, 2: 2.0, 3: 1.5, 4: 1.1, 5: 0.8, 6: 0.65}
#: Standard scores (mean 100, SD 15) are kept within four SDs of the mean where the measure
#: gives no range of its own.
STANDARD_RANGE = (40.0, 160.0)
PROBE_RANGE = (0.0, 250.0)
RETRIES = 40


def on_scale(measure: Measure, value: float) -> float:
    """A standard score written on the usual scale (mean 100, SD 15), put on a standardised
    measure's own norms as the whole score its norm tables would give: a test scaled score
    (mean 10, SD 3) turns 85 into 7.0 and 73 into 5.0. Other measures, and standard scores on
    the usual scale, are left as they are."""
    if measure.kind != "standardised" or not measure.sd:
        return value
    mean = 100.0 if measure.mean is None else measure.mean
    return as_scored(measure, mean + (value - 100.0) * measure.sd / 15.0)


def as_scored(measure: Measure, value: float) -> float:
    """``value`` written as the measure is scored: the nearest whole number on a measure scored
    in whole numbers (``planning.goals``: a standard or scaled score from a norm table, a count
    of words), so a demo score is one a SENCO could have typed; elsewhere (rating scales that
    may average their items, age equivalents) to one decimal place."""
    if goals.whole_scores(measure.kind):
        return float(math.floor(value + 0.5))
    return round(value, 1)


def points(measure: Measure, change: float) -> float:
    """A change in standard-score points (SD 15) in a standardised measure's own units."""
    if measure.kind != "standardised" or not measure.sd:
        return change
    return round(change * measure.sd / 15.0, 1)


def standard_point(measure: Measure) -> float:
    """One standard-score point (SD 15) in a standardised measure's own units, unrounded."""
    if measure.kind != "standardised" or not measure.sd:
        return 1.0
    return measure.sd / 15.0


def is_frequent(measure: Measure) -> bool:
    return measure.kind in ("curriculum_probe", "rating_scale")


def bounds(measure: Measure) -> tuple[float, float]:
    """The range demo scores stay in: the measure's own, else a plausible one for its kind."""
    low, high = STANDARD_RANGE if measure.kind == "standardised" else PROBE_RANGE
    if measure.scale_min is not None:
        low = measure.scale_min
    if measure.scale_max is not None:
        high = measure.scale_max
    return low, high


class PatternDeal:
    """Deals the response patterns in turn, separately for each kind of measure."""

    def __init__(self):
        self.dealt: dict[str, int] = {}

    def deal(self, measure: Measure | None, *, late_start_allowed: bool) -> str:
        if measure is None:
            return ON_TRACK
        n = self.dealt.get(measure.kind, 0)
        self.dealt[measure.kind] = n + 1
        pattern = DEAL[n % len(DEAL)]
        if pattern == TOO_FEW and not late_start_allowed:
            return ON_TRACK
        return pattern


def baseline_value(rng: random.Random, measure: Measure, nc_year: int) -> float:
    """A starting score for a pupil who needs support on this measure."""
    if measure.kind == "curriculum_probe":  # words correct per minute, below the year's typical
        return float(10 + 12 * max(nc_year - 1, 0) + rng.randrange(0, 10))
    if measure.higher_is_better is False:  # SDQ total difficulties, 0-40
        return float(rng.randrange(16, 29))
    return float(on_scale(measure, rng.randrange(70, 90)))  # a standard score well below average


def _weekly_aim(measure: Measure, nc_year: int) -> float:
    grade = min(max(nc_year - 1, 1), 6)
    return AMBITIOUS_WCPM_PER_WEEK[grade]


def target_value(
    measure: Measure, baseline: float, baseline_on: date, target_on: date, nc_year: int
) -> float:
    """The goal at the target date: an ambitious weekly growth for probes, 4 points down on the
    SDQ, 6 standard-score points up (a bit more than expected progress) on a standardised test."""
    if measure.kind == "curriculum_probe":
        weeks = (target_on - baseline_on).days / 7
        return whole_goal(measure, baseline, baseline + _weekly_aim(measure, nc_year) * weeks)
    if measure.higher_is_better is False:
        return whole_goal(measure, baseline, baseline - 4)
    return whole_goal(measure, baseline, baseline + points(measure, 6))


def whole_goal(measure: Measure, baseline: float, target: float) -> float:
    """The goal as planning allows it: a whole number on a measure scored in whole numbers
    (``planning.goals``), rounded towards the aim (a scaled score of 8.4 + 1.2 aims at 10),
    so a demo goal is one a SENCO could have typed and a pupil could reach."""
    if goals.whole_scores(measure.kind):
        return goals.goal_towards(target, baseline=baseline)
    return target


def _probe_days(rng, start: date, today: date, every: int, limit: int | None) -> list[date]:
    """One school day a week (or every other week), the odd week missed, before today."""
    days = []
    monday = start - timedelta(days=start.weekday()) + timedelta(weeks=1)
    weekday = rng.randrange(5)
    week = 0
    while monday < today:
        if week % every == 0 and rng.random() > 0.1:
            in_week = [
                monday + timedelta(days=d)
                for d in range(5)
                if monday + timedelta(days=d) < today
                and term_dates.is_school_day(monday + timedelta(days=d))
            ]
            if in_week:
                days.append(min(in_week, key=lambda d: abs(d.weekday() - weekday)))
        monday += timedelta(weeks=1)
        week += 1
    return days[:limit] if limit is not None else days


def _verdicts_fit(pattern: str, points, aimline, higher_is_better: bool) -> bool:
    four = stats_rules.four_point_rule(points, aimline, higher_is_better=higher_is_better)
    trend = stats_rules.trend_rule(points, aimline, higher_is_better=higher_is_better)
    if four.verdict != FOUR_POINT_VERDICT[pattern]:
        return False
    wanted = FOUR_POINT_VERDICT[pattern]
    return trend.verdict in (wanted, stats_rules.TOO_FEW_POINTS)


def _probe_values(rng, pattern, aimline, days, *, higher_is_better, spread, low, high):
    """Scores on ``days`` for the pattern: about the line, faster than it, or flat below it."""
    sign = 1.0 if higher_is_better else -1.0
    slope = aimline.slope_per_day
    values = []
    for i, day in enumerate(days):
        t = (day - aimline.start_date).days
        noise = rng.gauss(0, spread)
        if pattern == AHEAD:
            value = aimline.start_value + 1.9 * slope * t + sign * (1.5 * spread + abs(noise))
        elif pattern == NOT_RESPONDING:
            drift = 0.1 * slope * t
            value = aimline.start_value + drift - sign * abs(noise) * 0.5
            # Flat, and behind the aimline once the line has moved on.
            value = min(value, aimline.value_at(day) - spread) if sign > 0 else value
            value = max(value, aimline.value_at(day) + spread) if sign < 0 else value
        else:  # on track (and too few points): about the line, on both sides of it
            side = 1 if i % 2 == 0 else -1
            value = aimline.value_at(day) + side * abs(noise) * 0.8
        values.append(min(max(float(round(value)), low), high))
    return values


def _frequent_scores(rng, outcome: Outcome, pattern: str, today: date):
    measure = outcome.measure
    every = 1 if measure.kind == "curriculum_probe" else 2
    spread = 2.5 if measure.kind == "curriculum_probe" else 1.0
    low, high = bounds(measure)
    aimline = stats_rules.Aimline(
        outcome.baseline_date, outcome.baseline, outcome.target_date, outcome.target
    )
    higher = measure.higher_is_better is not False
    limit = 2 if pattern == TOO_FEW else None
    values = []
    for _attempt in range(RETRIES):
        days = _probe_days(rng, outcome.plan.start_date, today, every, limit)
        values = _probe_values(
            rng, pattern, aimline, days, higher_is_better=higher, spread=spread, low=low, high=high
        )
        points = [(outcome.baseline_date, outcome.baseline), *zip(days, values, strict=True)]
        if _verdicts_fit(pattern, points, aimline, higher):
            break
    return list(zip(days, values, strict=True))


#: Termly change in a standard score, by pattern (zero is the expected progress of a pupil
#: keeping pace with their age group).
TERM_GAIN = {ON_TRACK: (2, 5), AHEAD: (6, 10), NOT_RESPONDING: (-3, 1), TOO_FEW: (2, 5)}


def _termly_scores(rng, outcome: Outcome, pattern: str, today: date):
    """One score near the end of each term that ended (or nearly ended) since the baseline."""
    measure = outcome.measure
    low, high = bounds(measure)
    sign = 1 if measure.higher_is_better is not False else -1
    # The running score is kept exact and only the score written down is whole, so a scaled
    # score (SD 3) still moves by a fifth of the termly gain in standard points, on average.
    found, value = [], outcome.baseline
    year = term_dates.school_year(outcome.baseline_date.year - 1)
    ends = year.term_ends() + term_dates.school_year(year.starts + 1).term_ends()
    ends += term_dates.school_year(year.starts + 2).term_ends()
    for end in ends:
        on = term_dates.school_day_on_or_before(end - timedelta(days=rng.randrange(7, 15)))
        if on <= outcome.baseline_date + timedelta(weeks=6) or on >= today:
            continue
        value += sign * rng.randint(*TERM_GAIN[pattern]) * standard_point(measure)
        value = min(max(value, low), high)
        found.append((on, min(max(as_scored(measure, value), low), high)))
    return found


def scores_build(
    rng: random.Random, school: School, senco: User, patterns: dict[int, str], today: date
) -> int:
    """The scores each current outcome with a measure has by today; returns how many."""
    outcomes = (
        Outcome.objects.filter(school=school, measure__isnull=False)
        .exclude(plan__status=Plan.Status.REVIEWED)
        .select_related("measure", "plan")
        .order_by("id")
    )
    rows = []
    for outcome in outcomes:
        pupil_id = outcome.plan.pupil_id
        pattern = patterns.get(pupil_id, ON_TRACK)
        if is_frequent(outcome.measure):
            found, note = _frequent_scores(rng, outcome, pattern, today), "Progress check"
        else:
            found, note = _termly_scores(rng, outcome, pattern, today), "End of term assessment"
        rows += [
            Score(
                school=school,
                pupil_id=pupil_id,
                measure=outcome.measure,
                value=value,
                taken_on=on,
                entered_by=senco,
                note=note,
            )
            for on, value in found
        ]
    Score.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
