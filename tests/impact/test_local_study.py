"""A local study's figures, checked against a hand-worked example."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sendwise.impact import local_study as ls


def row(pupil, gain=None, *, measure=1, name="Reading test", kind="standardised", pre=85.0,
        dose=0.9, completed=True):  # fmt: skip
    post = None if gain is None else pre + 15 * gain
    return ls.ResultRow(
        pupil=pupil, measure=measure, measure_name=name, gain_kind=kind, pre=pre, post=post,
        gain=gain, dose_share=dose, completed=completed,
    )  # fmt: skip


def test_mean_gain_and_its_t_interval_match_the_hand_worked_example():
    # Gains 0.2, 0.4, 0.6: mean 0.4, SD 0.2, SE 0.2/√3 = 0.11547; t(0.975, 2 df) = 4.3027
    # (any t table), so the half-width is 0.4968 and the interval −0.097 to 0.897.
    gain = ls.mean_gain([0.2, 0.4, 0.6])
    assert gain.n == 3 and gain.mean == pytest.approx(0.4)
    assert gain.ci_low == pytest.approx(-0.0968, abs=1e-4)
    assert gain.ci_high == pytest.approx(0.8968, abs=1e-4)


def test_two_pupils_give_a_mean_but_no_interval_and_equal_gains_no_spread():
    assert not ls.mean_gain([0.1, 0.3]).has_interval
    same = ls.mean_gain([0.2, 0.2, 0.2])
    assert same.mean == pytest.approx(0.2) and not same.has_interval
    assert ls.mean_gain([]) is None


def test_different_measures_are_never_pooled_one_line_each():
    rows = [row(1, 0.2), row(2, 0.4), row(3, 0.6)]
    rows += [row(4, None, measure=2, name="Words a minute", kind="raw", pre=30)]
    rows[-1] = ls.ResultRow(pupil=4, measure=2, measure_name="Words a minute", gain_kind="raw",
                            pre=30, post=42, gain=12)  # fmt: skip
    summary = ls.summarise(rows)
    reading, words = summary.lines
    assert (reading.measure_name, reading.scored, reading.gain.mean) == (
        "Reading test",
        3,
        pytest.approx(0.4),
    )
    assert (words.measure_name, words.scored, words.gain.mean) == ("Words a minute", 1, 12)
    assert words.months == ""  # months only for gains on an age-standardised scale
    assert reading.months == "+5 months" and (reading.months_low, reading.months_high) == (
        "-2",
        "11",
    )


def test_a_missing_post_score_is_missing_never_zero():
    summary = ls.summarise([row(1, 0.2), row(2, 0.4), row(3, 0.6), row(4, None)])
    (line,) = summary.lines
    assert line.pupils == 4 and line.scored == 3 and line.missing == 1
    assert line.gain.mean == pytest.approx(0.4)  # a zero for pupil 4 would give 0.3
    assert "1 pupil had no later score and is counted as missing, not as no progress" in (
        line.sentence
    )
    assert "(95% interval -0.10 to +0.90)" in line.sentence and "3 pupils with" in line.sentence


def test_a_pupil_in_two_studies_counts_once_in_the_pool():
    line = ls.summarise([row(1, 0.2), row(1, 0.4), row(2, 0.6), row(3, 0.9)]).lines[0]
    assert line.gain.n == 3 and line.gain.mean == pytest.approx((0.3 + 0.6 + 0.9) / 3)


def test_dose_is_the_mean_share_of_planned_sessions_and_who_had_80_percent():
    dose = ls.summarise([row(1, 0.2, dose=1.0), row(2, 0.4, dose=0.75), row(3, dose=None)]).dose
    assert dose.n == 2 and dose.mean_percent == 88 and dose.full == 1
    assert "1 of 2 attended at least 80%" in dose.sentence


def test_pupils_with_no_measure_are_counted_apart():
    summary = ls.summarise([row(1, 0.2), ls.ResultRow(pupil=2)])
    assert summary.pupils == 2 and summary.unmeasured == 1 and len(summary.lines) == 1


gains = st.lists(
    st.one_of(st.none(), st.floats(min_value=-3, max_value=3, allow_nan=False)), max_size=12
)


@given(reading=gains, words=gains)
def test_every_line_keeps_its_measure_its_pupils_and_an_interval_around_the_mean(reading, words):
    rows = [row(n, g) for n, g in enumerate(reading)]
    rows += [row(100 + n, g, measure=2, name="Words", kind="raw") for n, g in enumerate(words)]
    summary = ls.summarise(rows)
    assert [line.measure_name for line in summary.lines] == (
        (["Reading test"] if reading else []) + (["Words"] if words else [])
    )
    for line, given_gains in zip(summary.lines, [g for g in (reading, words) if g], strict=True):
        scored = [g for g in given_gains if g is not None]
        assert line.pupils == len(given_gains) and line.scored == len(scored)
        assert line.missing == len(given_gains) - len(scored)
        if line.gain is not None:
            assert line.gain.n == len(scored)
            if line.gain.has_interval:
                assert line.gain.ci_low <= line.gain.mean <= line.gain.ci_high
                assert line.gain.n >= ls.MIN_FOR_INTERVAL


def test_restricted_readers_lose_a_small_lines_figures_and_any_pooled_line_that_would_give_it():
    rows = [row(n, g) for n, g in enumerate([0.2, 0.4, 0.6])]
    rows += [row(10 + n, 0.1 * n, measure=2, name="Words", kind="raw") for n in range(5)]
    rows += [row(20, None, measure=3, name="Spelling")]  # nobody scored: nothing to hide
    summary = ls.summarise(rows)
    shown = ls.restrict(summary, minimum=5, reason="ask the SENCO.")
    reading, spelling, words = shown.lines
    assert reading.suppressed and reading.gain is None and reading.mean_post is None
    assert (reading.pupils, reading.scored) == (3, 3)
    assert (
        reading.sentence == "Fewer than 5 pupils have both scores on Reading test: ask the SENCO."
    )
    assert not words.suppressed and words.gain.n == 5
    assert not spelling.suppressed and spelling.missing == 1
    pooled = ls.restrict(summary, minimum=5, reason="ask.", also=frozenset({2}))
    assert pooled.lines[2].suppressed and pooled.lines[2].sentence.startswith("Withheld because")
    assert ls.restrict(summary, minimum=5, reason="x").dose.mean_share is not None  # 9 pupils
