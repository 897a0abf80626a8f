"""What an EHC needs-assessment request should show, and whether this pack shows it. Pure.

A local authority decides whether to assess by asking whether the school has taken relevant and
purposeful action over time through the graduated approach (assess, plan, do, review), and what
the child and family think (SEND Code of Practice 0-25, 2015, paragraphs 6.44-6.56 on the
graduated approach and 9.14 on what the local authority considers; section 19 of the Children
and Families Act 2014 on the views of the child and parents). The items below follow those
parts, in our own words. Each item says what is missing, so the SENCO can add it before sending.
"""

from __future__ import annotations

from dataclasses import dataclass

#: At least this many completed review cycles show action "over time". The Code speaks of
#: repeated cycles of assess, plan, do, review (6.45) and sets no number; two is our default
#: expectation, a setting a local authority's own criteria may raise or lower.
CYCLES_EXPECTED = 2


@dataclass(frozen=True)
class Counts:
    """How much of each kind of evidence the pack holds (from ``reports.ehc_pack``)."""

    needs_recorded: int  # SEN need records (census type of need) over time
    profile_written: bool  # needs profile or one-page profile with something in it
    plans: int
    reviews_completed: int
    outcomes_with_measure: int
    scores: int
    interventions: int
    interventions_with_sessions: int
    pupil_voice: int
    parent_voice: int
    concerns: int
    observations: int
    outside_advice: int
    #: Outcomes with a starting score and a later one on their measure: progress shown.
    outcomes_with_progress: int = 0


@dataclass(frozen=True)
class Item:
    label: str
    present: bool
    detail: str
    #: A gap a local authority is likely to return the request for (not merely nice to have).
    essential: bool = True


def checklist(c: Counts) -> list[Item]:
    """The items in the order the pack presents them."""

    def n(count: int, one: str, many: str | None = None) -> str:
        return f"{count} {one if count == 1 else (many or one + 's')}"

    return [
        Item(
            "Needs recorded over time",
            c.needs_recorded > 0,
            n(c.needs_recorded, "need record")
            if c.needs_recorded
            else "No type of need is recorded: add the primary need on the pupil's record.",
        ),
        Item(
            "A profile of strengths and what helps",
            c.profile_written,
            "Written"
            if c.profile_written
            else "Neither the needs profile nor the one-page profile has anything in it.",
            essential=False,
        ),
        Item(
            f"At least {CYCLES_EXPECTED} reviewed cycles of support",
            c.reviews_completed >= CYCLES_EXPECTED,
            f"{n(c.plans, 'plan')}, {n(c.reviews_completed, 'completed review')}"
            + (
                ""
                if c.reviews_completed >= CYCLES_EXPECTED
                else f": a request usually shows {CYCLES_EXPECTED} or more"
            ),
        ),
        Item(
            "Outcomes measured against a baseline",
            c.outcomes_with_progress > 0,
            (
                f"{n(c.outcomes_with_measure, 'outcome')} on a measure, {n(c.scores, 'score')}; "
                + (
                    f"{c.outcomes_with_progress} with a score after the starting one"
                    if c.outcomes_with_progress
                    else "none has a score after its starting one yet: add a later score, "
                    "or progress cannot be shown in figures"
                )
            )
            if c.outcomes_with_measure
            else "No outcome has a measure: progress cannot be shown in figures.",
        ),
        Item(
            "Interventions with the time actually delivered",
            c.interventions > 0 and c.interventions_with_sessions > 0,
            f"{n(c.interventions, 'intervention')}, {c.interventions_with_sessions} with sessions recorded"
            if c.interventions
            else "No targeted intervention has been in a plan.",
        ),
        Item(
            "The pupil's views",
            c.pupil_voice > 0,
            n(c.pupil_voice, "record")
            if c.pupil_voice
            else "No views of the pupil are recorded: gather them before sending.",
        ),
        Item(
            "The parents' views",
            c.parent_voice > 0,
            n(c.parent_voice, "record")
            if c.parent_voice
            else "No views of the parents are recorded: gather them before sending.",
        ),
        Item(
            "Concerns and classroom observations",
            c.concerns > 0 or c.observations > 0,
            f"{n(c.concerns, 'concern')}, {n(c.observations, 'observation')}"
            if c.concerns or c.observations
            else "None recorded.",
            essential=False,
        ),
        Item(
            "Advice from outside the school",
            c.outside_advice > 0,
            f"Sought at {n(c.outside_advice, 'review')}; attach the reports received"
            if c.outside_advice
            else "Not recorded in SENDwise: attach any reports from specialists "
            "(educational psychologist, speech and language therapist) separately.",
        ),
    ]


def missing_essentials(items: list[Item]) -> list[Item]:
    return [item for item in items if item.essential and not item.present]
