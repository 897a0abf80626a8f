"""The likelihood of reaching the goal by the target date, from the trend and its standard error.

Checked against statsmodels' OLS prediction (an independent implementation of the standard error
of the mean response, Montgomery, Peck & Vining section 2.4.2) and against cases worked by hand.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats as sps

from sendwise.maths.stats_goal import goal_likelihood
from sendwise.maths.stats_rules import Aimline

START = date(2026, 1, 5)  # a Monday
# 20 words a minute now, 44 after 12 weeks: 2 a week.
AIM = Aimline(START, 20, START + timedelta(weeks=12), 44)


def weekly(scores):
    return [(START + timedelta(weeks=i + 1), s) for i, s in enumerate(scores)]


def test_no_likelihood_on_fewer_points_than_the_trend_rule_needs():
    result = goal_likelihood(weekly([22, 24, 26, 28, 30, 32, 34]), AIM)
    assert (result.n_points, result.min_points, result.probability) == (7, 8, None)


def test_points_exactly_on_a_line_that_reaches_the_goal_make_it_certain():
    # 22, 24 ... 36 at weeks 1..8: the line reaches 44 at week 12, exactly the goal.
    result = goal_likelihood(weekly([22 + 2 * i for i in range(8)]), AIM)
    assert result.projected == pytest.approx(44)
    assert result.se == 0
    assert result.probability == 1.0


def test_a_flat_line_well_short_of_the_goal_is_impossible():
    result = goal_likelihood(weekly([20] * 8), AIM)
    assert result.probability == 0.0


def test_matches_statsmodels_mean_response_and_the_t_distribution():
    scores = [21, 25, 23, 27, 26, 31, 29, 33, 32, 35]
    result = goal_likelihood(weekly(scores), AIM)
    x = np.arange(1, 11, dtype=float)
    fit = sm.OLS(np.array(scores, dtype=float), sm.add_constant(x)).fit()
    prediction = fit.get_prediction(np.array([[1.0, 12.0]]))
    projected, se = prediction.predicted_mean[0], prediction.se_mean[0]
    assert result.projected == pytest.approx(projected)
    assert result.se == pytest.approx(se)
    assert result.probability == pytest.approx(sps.t.sf((44 - projected) / se, 8))
    # By hand: mean week 5.5, mean score 28.2, Sxy 118, Sxx 82.5, so a slope of 1.4303 a
    # week and 28.2 + 1.4303 * 6.5 = 37.50 at week 12, well short of 44: very unlikely.
    assert result.projected == pytest.approx(37.50, abs=0.01)
    assert result.probability < 0.01


def test_lower_is_better_counts_the_chance_of_getting_down_to_the_goal():
    # A difficulties rating: 30 now, 18 after 12 weeks (lower is better).
    aim = Aimline(START, 30, START + timedelta(weeks=12), 18)
    falling = weekly([29, 28.5, 27, 26, 25.5, 24, 23, 22.5])
    result = goal_likelihood(falling, aim, higher_is_better=False)
    same_as_higher = goal_likelihood(falling, aim, higher_is_better=True)
    assert result.probability == pytest.approx(1 - same_as_higher.probability)
    # The trend reaches about 18.3 at week 12, just short of (above) the goal of 18.
    assert result.projected == pytest.approx(18.32, abs=0.01)
    assert 0.1 < result.probability < 0.5
