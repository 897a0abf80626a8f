"""Tests for the plain-English sentences (EEF months, estimates, RCI, ratio gain)."""

from __future__ import annotations

import re

import pytest

from sendwise.maths import stats


def pooled(estimate, ci_low, ci_high, *, k=3, pi=(None, None)):
    return stats.Pooled(estimate, 0.08, ci_low, ci_high, 0.01, 0.3, 3.0, k, *pi)


def test_pooled_sentence_in_eef_months_with_interval_and_evidence():
    """EEF table: 0.30 -> 4, 0.14 -> 2, 0.46 -> 6 months; -0.50 -> -6; 1.20 is beyond the
    table's 1.00 cap, shown as 12+."""
    text = stats.pooled_months_sentence(pooled(0.30, 0.14, 0.46, pi=(-0.50, 1.20)), pupils=48)
    assert text == (
        "Pupils made about 4 months more progress than similar pupils without it "
        "(95% interval 2 to 6 months; 48 pupils in 3 studies). EEF rating: moderate impact. "
        "In a new school the effect could plausibly be anywhere from -6 to 12+ months."
    )


def test_pooled_sentence_negative_zero_and_singulars():
    assert stats.sentence(pooled(-0.05, -0.20, 0.10, k=1), pupils=1) == (
        "Pupils made about 1 month less progress than similar pupils without it "
        "(95% interval -3 to 2 months; 1 pupil in 1 study). EEF rating: negative impact."
    )
    assert stats.sentence(pooled(0.004, -0.1, 0.1, k=2)) == (
        "Pupils made about the same progress as similar pupils without it "
        "(95% interval -2 to 2 months; 2 studies). EEF rating: very low or no impact."
    )


def test_pooled_sentence_can_leave_out_the_prediction_interval():
    text = stats.sentence(pooled(0.30, 0.14, 0.46, pi=(-0.5, 1.2)), include_prediction=False)
    assert "new school" not in text


def test_pooled_sentence_from_a_real_pooling():
    result = stats.pool_random_effects([0.3, 0.25, 0.4], [0.01, 0.02, 0.015])
    assert stats.sentence(result, pupils=48).startswith(
        "Pupils made about 4 months more progress than similar pupils without it "
        "(95% interval 3 to 6 months; 48 pupils in 3 studies)."
    )


def test_estimate_sentence():
    g = stats.hedges_g(103, 5.5, 50, 100, 4.5, 50)
    assert stats.sentence(g) == "The effect size is 0.59 (95% interval 0.19 to 0.99; 100 pupils)."
    assert stats.estimate_sentence(
        stats.Estimate(-0.001, 0.1, -0.2, 0.2, None), what="The gain", decimals=1
    ) == ("The gain is 0.0 (95% interval -0.2 to 0.2).")


def test_rci_sentences():
    assert stats.rci_sentence(2.087) == (
        "Reliable change index 2.09: the score went up by more than measurement error "
        "alone would explain."
    )
    assert stats.rci_sentence(-4.0056) == (
        "Reliable change index -4.01: the score went down by more than measurement error "
        "alone would explain."
    )
    assert stats.rci_sentence(1.04) == (
        "Reliable change index 1.04: the change is within measurement error, "
        "so it may not be a real change."
    )


def test_ratio_gain_sentence():
    assert stats.ratio_gain_sentence(2.3) == (
        "Ratio gain 2.3: about 2.3 months' progress for every month of teaching "
        "(substantial impact on Brooks's scale; 1.0 is ordinary progress)."
    )


@pytest.mark.parametrize(
    ("call", "text"),
    [
        (lambda: stats.sentence(0.3), "result must be a Pooled or an Estimate."),
        (lambda: stats.pooled_months_sentence(0.3), "pooled must be a Pooled result."),
        (lambda: stats.estimate_sentence(0.3), "estimate must be an Estimate."),
        (
            lambda: stats.sentence(pooled(0.3, 0.1, 0.5), pupils=0),
            stats.ERR_NOT_WHOLE.format(name="pupils", minimum=1),
        ),
    ],
)
def test_sentences_refuse_wrong_input(call, text):
    with pytest.raises(ValueError, match=f"^{re.escape(text)}$"):
        call()
