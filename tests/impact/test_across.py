"""The figures across schools hide every small number before a page or a file sees them
(sendwise.impact.across, pure)."""

import pytest

from sendwise.impact import across

READING = {1: ("Reading test", "standardised")}


def row(school, intervention, *, pupils, gains=(), measure=1, completed=None, distinct=None):
    """One stored row summed over a year: ``pupils`` placements, each a different pupil unless
    ``distinct`` (the most different pupils in any one term) says fewer."""
    return {
        "school_id": school,
        "intervention_id": intervention,
        "measure_id": measure,
        "gain_kind": "standardised",
        "placements": pupils,
        "distinct_pupils": pupils if distinct is None else distinct,
        "distinct_scored": len(gains) if distinct is None else min(distinct, len(gains)),
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
    assert total.placements == 16
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


def test_a_school_whose_placements_are_fewer_than_5_pupils_is_suppressed():
    # Hand-worked: Ash placed 3 pupils on Fast Phonics in autumn and 3 in spring, the same 3
    # pupils (6 placements, at most 3 different pupils in any term: the floor is 3). Birch and
    # Cedar placed 8 and 9 different pupils. Ash's 6 would pass a count of 1 to 4, but it is
    # not known to be 5 pupils, so it is hidden; one hidden cell in the column would then be
    # given away by the total (23 − 8 − 9), so Birch's 8 (the next smallest) is hidden too.
    figures = shape(
        [
            row(1, 10, pupils=6, gains=[0.1, 0.2, 0.3, 0.4, 0.5, 0.6], distinct=3),
            row(2, 10, pupils=8, gains=[0.2] * 4 + [0.4] * 4),
            row(3, 10, pupils=9, gains=[0.3] * 5 + [0.5] * 4),
        ],
        chosen=10,
    )
    ash, birch, cedar = figures.schools
    assert ash.cell.suppressed and ash.cell.effects == ()
    assert birch.cell.suppressed, "secondary: the column total would give Ash's 6 back"
    assert cedar.cell.placements == 9
    assert figures.interventions[0].cell.placements == 23  # 3 + 8 + 9 pupils at least: shown
    assert [t.cell.placements for t in figures.school_totals] == [None, None, 9]


def test_a_total_across_schools_counts_each_schools_pupils_apart():
    # Two schools with 3 different pupils each (4 placements each): each cell is hidden, and
    # the total of 8 placements is at least 3 + 3 = 6 different pupils (a pupil belongs to one
    # school), so the total may be shown.
    figures = shape([row(1, 10, pupils=4, distinct=3), row(2, 10, pupils=4, distinct=3)], chosen=10)
    assert [s.cell.suppressed for s in figures.schools] == [True, True]
    assert figures.interventions[0].cell.placements == 8


def test_rows_without_a_count_of_pupils_prove_nothing_and_stay_hidden():
    # Rows stored before the distinct counts existed read 0 until the nightly rebuild.
    figures = shape([row(1, 10, pupils=40, distinct=0)], chosen=10)
    assert figures.schools[0].cell.suppressed
    assert figures.interventions[0].cell.suppressed


def test_a_raw_change_on_a_scale_where_lower_is_better_says_so_in_words():
    """Issue 12: five pupils' difficulty scores fell by 4, 2, 3, 1 and 5 (gains stored + is
    better): mean 3, 95% interval 1.0 to 5.0. The sign alone would read the wrong way round."""
    rows = [dict(row(1, 10, pupils=5, gains=[4, 2, 3, 1, 5]), gain_kind="raw")]
    figures = across.across(
        rows=rows,
        schools=[(1, "Ash")],
        interventions={10: "ELSA"},
        measures={1: ("SDQ", "rating_scale", False)},
    )
    text = figures.interventions[0].cell.effects[0].text
    assert text == (
        "mean change: improved by 3 points (the scores fell: lower is better on this measure); "
        "95% interval of the improvement 1.0 to 5.0 points, where a negative figure is a "
        "worsening; n = 5"
    )
