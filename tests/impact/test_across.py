"""The figures across schools hide every small number before a page or a file sees them
(sendwise.impact.across, pure)."""

import pytest

from sendwise.impact import across

READING = {1: ("Reading test", "standardised")}


def row(school, intervention, *, pupils, gains=(), measure=1, completed=None):
    return {
        "school_id": school,
        "intervention_id": intervention,
        "measure_id": measure,
        "gain_kind": "standardised",
        "pupils": pupils,
        "completed": pupils if completed is None else completed,
        "scored": len(gains),
        "gain_sum": sum(gains),
        "gain_sq_sum": sum(g * g for g in gains),
        "dose_n": pupils,
        "dose_share_sum": 0.9 * pupils,
        "full_dose": pupils,
    }


def shape(rows, chosen=None):
    return across.across(
        rows=rows,
        schools=[(1, "Ash"), (2, "Birch"), (3, "Cedar")],
        interventions={10: "Fast Phonics", 11: "Talk Boost"},
        measures=READING,
        chosen=chosen,
    )


def test_a_suppressed_school_shows_no_share_and_no_effect_either():
    gains = [0.1, 0.3, 0.5, 0.2, 0.4, 0.3]
    figures = shape(
        [
            row(1, 10, pupils=6, gains=gains),
            row(2, 10, pupils=3, gains=[0.9, 0.8, 1.0]),
            row(3, 10, pupils=7, gains=gains + [0.2]),
        ],
        chosen=10,
    )
    ash, birch, cedar = figures.schools
    assert birch.cell.suppressed and birch.cell.effects == () and birch.cell.completed is None
    assert cedar.cell.suppressed or ash.cell.suppressed, "a second school hides Birch's 3"
    total = figures.interventions[0].cell
    assert total.pupils == 16
    assert total.effects[0].n == 16 and total.effects[0].estimate is not None
    assert figures.suppressed_any


def test_effects_of_different_measures_stay_apart():
    spelling = {**READING, 2: ("Spelling test", "standardised")}
    figures = across.across(
        rows=[
            row(1, 10, pupils=6, gains=[0.1, 0.2, 0.3, 0.4, 0.5, 0.6]),
            row(1, 10, pupils=5, gains=[1.0, 1.1, 1.2, 1.3, 1.4], measure=2),
        ],
        schools=[(1, "Ash")],
        interventions={10: "Fast Phonics"},
        measures=spelling,
    )
    effects = figures.interventions[0].cell.effects
    assert [(e.measure, e.n) for e in effects] == [("Reading test", 6), ("Spelling test", 5)]
    assert effects[0].estimate.mean == pytest.approx(0.35)


def test_a_share_is_hidden_when_the_pupils_left_out_are_few():
    assert across.share(18, 20) is None, "18 of 20 completed tells of the 2 who did not"
    assert across.share(3, 20) is None
    assert across.share(15, 20) == 0.75
    assert across.share(20, 20) == 1.0
    assert across.share(0, 0) is None
