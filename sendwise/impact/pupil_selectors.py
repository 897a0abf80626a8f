"""Reads for one pupil's results: each placement's stored result with the gain that fits its
measure, reliable change, dose and attendance, and a sentence in plain English.

Rule: the pupil has already been reached through ``pupils.selectors.pupil_for`` (which scopes
and audits); only that pupil's rows in their school are read, in one query.
"""

from __future__ import annotations

from dataclasses import dataclass

from sendwise.impact import practice_text, results
from sendwise.impact.models import PlacementResult, Reliable
from sendwise.maths.reliability import measure_change_reliability
from sendwise.pupils.models import Pupil

WAITING_VERDICT = (
    "{name} is still waiting for a place in a group for this, so has received none of it yet: "
    "any change in the scores is not its effect, and it counts in none of the school's figures "
    "for this intervention."
)


@dataclass(frozen=True)
class PupilResult:
    row: PlacementResult
    gain: str
    reliable: str
    verdict: str
    interval: tuple[float, float] | None = None
    unit: str = ""
    #: Why the measure allows no interval from measurement error ("" when it does).
    no_interval_reason: str = ""

    @property
    def waiting(self) -> bool:
        """Still waiting for a place in a group (``PlacementResult.placed``): the pupil has
        received nothing of the support, so a change in their scores is not its effect."""
        return not self.row.placed

    @property
    def gain_with_interval(self) -> str:
        """The gain, with one pupil's interval from measurement error, or why there is none."""
        if not self.gain:
            return ""
        if self.interval is None:
            reason = self.no_interval_reason or "the measure's reliability is not recorded"
            return f"{self.gain} (n = 1; no interval: {reason})"
        low, high = (practice_text.number(x, 2) for x in self.interval)
        return f"{self.gain} (n = 1; 95% interval from measurement error {low} to {high})"

    @property
    def dose_percent(self) -> int | None:
        share = self.row.dose_share
        return round(100 * share) if share is not None else None

    @property
    def dose_words(self) -> str:
        """The dose received, or why there is no share of it to give."""
        if self.dose_percent is not None:
            return f"{self.dose_percent}% of the planned dose"
        if self.row.sessions_planned:
            return "No sessions recorded"
        return "No dose planned yet"

    @property
    def attendance_percent(self) -> int | None:
        held = self.row.sessions_held
        return round(100 * self.row.sessions_attended / held) if held else None


def pupil_results(*, pupil: Pupil) -> list[PupilResult]:
    """The pupil's results, newest plan first (one query)."""
    rows = (
        PlacementResult.objects.filter(school=pupil.school_id, pupil=pupil)
        .select_related("intervention", "measure", "placement__plan")
        .order_by("-placement__plan__cycle", "intervention__name")
    )
    found = []
    for row in rows:
        measure = row.measure
        scores = None
        if measure is not None:
            scores = results.Scores(
                kind=measure.kind,
                pre=row.pre,
                post=row.post,
                pre_on=row.pre_on,
                post_on=row.post_on,
                higher_is_better=measure.higher_is_better,
            )
        coefficient = measure_change_reliability(measure) if measure is not None else None
        g = results.Gain(row.gain_kind, row.gain, row.reliable, None)
        months = scores.months_elapsed if scores is not None else None
        interval = results.change_interval(
            kind=row.gain_kind,
            value=row.gain,
            sd=measure.sd if measure else None,
            reliability=coefficient.value if coefficient is not None else None,
            months=months,
        )
        found.append(
            PupilResult(
                row=row,
                gain=(
                    results.gain_text(
                        row.gain_kind,
                        row.gain,
                        higher_is_better=measure.higher_is_better if measure else None,
                    )
                    if row.gain is not None
                    else ""
                ),
                reliable=Reliable(row.reliable).label if row.reliable else "Not judged",
                verdict=(
                    results.verdict(
                        scores=scores,
                        g=g,
                        dose_percent=round(100 * row.dose_share)
                        if row.dose_share is not None
                        else None,
                        measure=measure.name if measure else "",
                    )
                    if row.placed
                    else WAITING_VERDICT.format(name=pupil.first_name)
                ),
                interval=interval,
                unit={"standardised": "SD", "ratio": ""}.get(row.gain_kind, "points"),
                no_interval_reason=(
                    results.reliable_change_missing(
                        sd=measure.sd,
                        higher_is_better=measure.higher_is_better,
                        reliability=coefficient,
                    )
                    if measure is not None
                    else ""
                ),
            )
        )
    return found
