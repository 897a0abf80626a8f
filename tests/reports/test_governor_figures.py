"""The governors' figures from sums, checked against a hand-worked example."""

import pytest

from sendwise.reports.governor_figures import mean_gain, share


def test_the_mean_gain_and_its_interval_from_sums_match_the_hand_worked_example():
    """Gains of five pupils (standardised, in SDs): 0.1, 0.3, 0.5, 0.2, 0.4.
    n = 5, Σx = 1.5, Σx² = 0.55. Mean 0.3. s² = (0.55 − 1.5²/5)/4 = (0.55 − 0.45)/4 = 0.025,
    s = 0.15811, se = s/√5 = 0.070711. t(0.975, 4) = 2.776445 (statistical tables), so the
    half-width is 0.196324: interval 0.1037 to 0.4963. EEF months: 0.30 → 4 months; 0.10 → 2;
    0.50 → 6."""
    figure = mean_gain(5, 1.5, 0.55)
    assert figure.mean == pytest.approx(0.3)
    assert figure.low == pytest.approx(0.103676, abs=1e-5)
    assert figure.high == pytest.approx(0.496324, abs=1e-5)
    assert figure.n == 5
    assert figure.months == (4, 2, 6)


def test_fewer_than_five_pupils_give_no_figure():
    assert mean_gain(4, 1.2, 0.5) is None


def test_identical_gains_give_an_interval_of_no_width_not_an_error():
    figure = mean_gain(5, 1.0, 0.2)  # five gains of 0.2
    assert (figure.low, figure.high) == pytest.approx((0.2, 0.2))


def test_a_share_needs_five_or_none_both_counted_and_not_counted():
    """The trust pages' rule (impact.across.share): 3 of 6 leaves 3, so it is hidden."""
    assert share(3, 4) is None
    assert share(3, 6) is None
    assert share(5, 10) == 0.5
    assert share(0, 6) == 0.0 and share(6, 6) == 1.0
