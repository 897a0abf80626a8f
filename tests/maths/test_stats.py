"""Tests for sendwise.maths.stats: effect sizes, random-effects pooling, Bayesian updating.

Published worked examples are cited in each test. Property tests use hypothesis.
"""

from __future__ import annotations

import ast
import math
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy import stats as sps

from sendwise.maths import stats

# Published figures are printed to 4 decimals, so they are within 0.00005 of the truth.
PUBLISHED = 5.1e-5

# metafor's dat.bcg (Colditz et al. 1994, JAMA 271(9):698-702): BCG vaccine trials,
# tpos, tneg, cpos, cneg.
BCG = [
    (4, 119, 11, 128),
    (6, 300, 29, 274),
    (3, 228, 11, 209),
    (62, 13536, 248, 12619),
    (33, 5036, 47, 5761),
    (180, 1361, 372, 1079),
    (8, 2537, 10, 619),
    (505, 87886, 499, 87892),
    (29, 7470, 45, 7232),
    (17, 1699, 65, 1600),
    (186, 50448, 141, 27197),
    (5, 2493, 3, 2338),
    (27, 16886, 29, 17825),
]


def bcg_log_risk_ratios() -> tuple[list[float], list[float]]:
    """yi, vi as metafor's escalc(measure="RR") computes them."""
    yi = [math.log((a / (a + b)) / (c / (c + d))) for a, b, c, d in BCG]
    vi = [1 / a - 1 / (a + b) + 1 / c - 1 / (c + d) for a, b, c, d in BCG]
    return yi, vi


def message(template: str, **fields) -> str:
    return template.format(**fields)


def raises_exactly(text: str):
    """pytest.raises(ValueError) whose message must equal ``text`` exactly."""
    return pytest.raises(ValueError, match=f"^{re.escape(text)}$")


# ------------------------------------------------------------------------------------------
# Hedges' g: Borenstein, Hedges, Higgins & Rothstein (2009) Introduction to Meta-Analysis,
# ch. 4 worked example: means 103 vs 100, SDs 5.5 vs 4.5, n 50 vs 50.
# ------------------------------------------------------------------------------------------
def test_cohens_d_borenstein_chapter_4_example():
    """Borenstein et al. (2009) ch. 4: d = 0.5970, V_d = 0.0418."""
    d = stats.cohens_d(103, 5.5, 50, 100, 4.5, 50)
    assert d.value == pytest.approx(0.5970, abs=PUBLISHED)
    assert d.se**2 == pytest.approx(0.0418, abs=PUBLISHED)
    assert d.n == 100


def test_hedges_j_borenstein_chapter_4_example():
    """Borenstein et al. (2009) ch. 4: J = 1 - 3 / (4 * 98 - 1) = 0.9923."""
    assert stats.hedges_j(98) == pytest.approx(0.9923, abs=PUBLISHED)


def test_hedges_g_borenstein_chapter_4_example():
    """Borenstein et al. (2009) ch. 4: g = 0.5924, V_g = 0.0411, SE_g = 0.2028."""
    g = stats.hedges_g(103, 5.5, 50, 100, 4.5, 50)
    assert g.value == pytest.approx(0.5924, abs=PUBLISHED)
    assert g.se**2 == pytest.approx(0.0411, abs=PUBLISHED)
    assert g.se == pytest.approx(0.2028, abs=PUBLISHED)
    assert g.ci_low == pytest.approx(g.value - stats.Z95 * g.se)
    assert g.ci_high == pytest.approx(g.value + stats.Z95 * g.se)
    assert g.n == 100


def test_estimate_is_frozen():
    g = stats.hedges_g(103, 5.5, 50, 100, 4.5, 50)
    with pytest.raises(AttributeError):
        g.value = 1.0  # type: ignore[misc]


@pytest.mark.parametrize(
    ("args", "text"),
    [
        ((103, 0, 50, 100, 4.5, 50), message(stats.ERR_NOT_POSITIVE, name="sd_1")),
        ((103, 5.5, 50, 100, -1, 50), message(stats.ERR_NOT_POSITIVE, name="sd_2")),
        ((103, 5.5, 1, 100, 4.5, 50), message(stats.ERR_NOT_WHOLE, name="n_1", minimum=2)),
        ((103, 5.5, 50, 100, 4.5, 2.5), message(stats.ERR_NOT_WHOLE, name="n_2", minimum=2)),
        ((math.nan, 5.5, 50, 100, 4.5, 50), message(stats.ERR_NOT_FINITE, name="mean_1")),
        ((103, 5.5, 50, math.inf, 4.5, 50), message(stats.ERR_NOT_FINITE, name="mean_2")),
        (("103", 5.5, 50, 100, 4.5, 50), message(stats.ERR_NOT_NUMBER, name="mean_1")),
        ((True, 5.5, 50, 100, 4.5, 50), message(stats.ERR_NOT_NUMBER, name="mean_1")),
    ],
)
def test_hedges_g_refuses_bad_input(args, text):
    with raises_exactly(text):
        stats.hedges_g(*args)


def test_hedges_j_needs_two_degrees_of_freedom():
    with raises_exactly(message(stats.ERR_NOT_WHOLE, name="df", minimum=2)):
        stats.hedges_j(1)


# ------------------------------------------------------------------------------------------
# Pre-post standardised gain
# ------------------------------------------------------------------------------------------
def test_prepost_matches_borenstein_matched_groups_route_when_sds_are_equal():
    """Borenstein et al. (2009) ch. 4 (matched groups / pre-post):
    S_within = S_diff / sqrt(2(1 - r)), d = mean diff / S_within,
    V_d = (1/n + d^2/(2n)) 2(1 - r), J with df = n - 1. Hand-built data whose pre and post
    SDs are equal (post is pre + 5, reordered), so our S_within (RMS of the two SDs) is the
    same quantity as Borenstein's.
    """
    pre = [10.0, 12.0, 14.0, 16.0, 18.0]
    post = [15.0, 17.0, 23.0, 19.0, 21.0]
    diffs = np.subtract(post, pre)
    n = len(pre)
    r = float(np.corrcoef(pre, post)[0, 1])
    s_within = float(np.std(diffs, ddof=1)) / math.sqrt(2 * (1 - r))
    d = float(diffs.mean()) / s_within
    var_d = (1 / n + d * d / (2 * n)) * 2 * (1 - r)
    j = 1 - 3 / (4 * (n - 1) - 1)
    result = stats.prepost_effect(pre, post)
    assert s_within == pytest.approx(float(np.std(pre, ddof=1)))
    assert result.value == pytest.approx(j * d)
    assert result.se == pytest.approx(j * math.sqrt(var_d))
    assert result.n == 5


def test_prepost_hand_computed_with_supplied_r():
    """Hand computation: pre SD = post SD = sqrt(2.5); mean gain 3; r = 0.8 supplied.
    d = 3 / sqrt(2.5) = 1.897367; V_d = (1/5 + d^2/10) * 0.4 = 0.224; J = 1 - 3/15 = 0.8.
    """
    result = stats.prepost_effect([1, 2, 3, 4, 5], [4, 5, 6, 7, 8], r=0.8)
    d = 3 / math.sqrt(2.5)
    assert result.value == pytest.approx(0.8 * d)
    assert result.se == pytest.approx(0.8 * math.sqrt((1 / 5 + d * d / 10) * 0.4))


@pytest.mark.parametrize(
    ("pre", "post", "r", "text"),
    [
        ([], [], None, message(stats.ERR_EMPTY, name="pre")),
        ([1, 2], [2, 3], 0.5, message(stats.ERR_TOO_FEW, name="pre", minimum=3, n=2)),
        ([1, 2, 3], [2, 3], None, message(stats.ERR_TOO_FEW, name="post", minimum=3, n=2)),
        (
            [1, 2, 3, 4],
            [2, 3, 4],
            None,
            message(stats.ERR_LENGTH_MISMATCH, first="pre", second="post", n_first=4, n_second=3),
        ),
        ([1, 2, 3], [2, 3, 4], 1.0, stats.ERR_CORRELATION),
        ([1, 2, 3], [2, 3, 4], -1.5, stats.ERR_CORRELATION),
        ([5, 5, 5], [5, 5, 5], 0.5, message(stats.ERR_NO_SPREAD, name="pre and post")),
        ([5, 5, 5], [4, 5, 6], None, stats.ERR_CORRELATION_UNDEFINED),
        ([1, 2, 3], [3, 4, 5], None, stats.ERR_PERFECT_CORRELATION),
        ([1, math.nan, 3], [3, 4, 5], None, message(stats.ERR_NOT_FINITE, name="pre[1]")),
        ("123", [3, 4, 5], None, message(stats.ERR_NOT_SEQUENCE, name="pre")),
    ],
)
def test_prepost_refuses_bad_input(pre, post, r, text):
    with raises_exactly(text):
        stats.prepost_effect(pre, post, r=r)


# ------------------------------------------------------------------------------------------
# Random-effects pooling: metafor's dat.bcg, log risk ratios (escalc(measure="RR")).
# Published values: metafor's own test file tests/testthat/
# test_misc_metan_vs_rma.uni_with_dat.bcg.r (DL, checked against Stata metan) and metafor's
# rma(yi, vi) REML output for this data set (Viechtbauer 2010, J. Stat. Softw. 36(3)).
# ------------------------------------------------------------------------------------------
def test_pool_dl_matches_metafor_and_stata_metan_for_bcg():
    """metafor rma(method="DL") = Stata metan randomi: -0.7141 [-1.0644, -0.3638],
    se 0.1787, tau^2 0.3088, I^2 92.1173%, Q 152.2330 (df 12)."""
    yi, vi = bcg_log_risk_ratios()
    pooled = stats.pool_random_effects(yi, vi, method="DL")
    assert pooled.estimate == pytest.approx(-0.7141, abs=PUBLISHED)
    assert pooled.ci_low == pytest.approx(-1.0644, abs=PUBLISHED)
    assert pooled.ci_high == pytest.approx(-0.3638, abs=PUBLISHED)
    assert pooled.se == pytest.approx(0.1787, abs=PUBLISHED)
    assert pooled.tau2 == pytest.approx(0.3088, abs=PUBLISHED)
    assert 100 * pooled.i2 == pytest.approx(92.1173, abs=PUBLISHED)
    assert pooled.q == pytest.approx(152.2330, abs=PUBLISHED)
    assert pooled.k == 13


def test_pool_reml_matches_metafor_for_bcg():
    """metafor rma(yi, vi) (REML, its default): -0.7145 (se 0.1798) [-1.0669, -0.3622],
    tau^2 0.3132, I^2 92.22%, Q(df = 12) = 152.2330."""
    yi, vi = bcg_log_risk_ratios()
    pooled = stats.pool_random_effects(yi, vi, method="REML")
    assert pooled.estimate == pytest.approx(-0.7145, abs=PUBLISHED)
    assert pooled.se == pytest.approx(0.1798, abs=PUBLISHED)
    assert pooled.ci_low == pytest.approx(-1.0669, abs=PUBLISHED)
    assert pooled.ci_high == pytest.approx(-0.3622, abs=PUBLISHED)
    assert pooled.tau2 == pytest.approx(0.3132, abs=PUBLISHED)
    assert 100 * pooled.i2 == pytest.approx(92.22, abs=0.0051)
    assert pooled.q == pytest.approx(152.2330, abs=PUBLISHED)


def test_pool_prediction_interval_uses_t_with_k_minus_2_df():
    """Higgins, Thompson & Spiegelhalter (2009): mu +/- t_{k-2} sqrt(tau^2 + se^2).
    For REML on dat.bcg that is -2.0084 to 0.5793 (t_11 = 2.2010). metafor's predict()
    uses the normal quantile instead, giving -1.8667 to 0.4376 (Viechtbauer, R-sig-meta-
    analysis, 5 June 2018: "mu-hat +/- 1.96 sqrt(SE(mu-hat)^2 + tau^2)"); both are checked.
    """
    yi, vi = bcg_log_risk_ratios()
    pooled = stats.pool_random_effects(yi, vi, method="REML")
    assert pooled.pi_low == pytest.approx(-2.0084, abs=PUBLISHED)
    assert pooled.pi_high == pytest.approx(0.5793, abs=PUBLISHED)
    half_normal = stats.Z95 * math.sqrt(pooled.tau2 + pooled.se**2)
    assert pooled.estimate - half_normal == pytest.approx(-1.8667, abs=PUBLISHED)
    assert pooled.estimate + half_normal == pytest.approx(0.4376, abs=PUBLISHED)
    half_t = sps.t.ppf(0.975, 11) * math.sqrt(pooled.tau2 + pooled.se**2)
    assert pooled.pi_high - pooled.estimate == pytest.approx(half_t)


def test_pool_pm_solves_the_paule_mandel_equation():
    """Paule & Mandel (1982): tau^2 solves sum w_i (y_i - mu)^2 = k - 1, w_i = 1/(v_i + tau^2)."""
    yi, vi = bcg_log_risk_ratios()
    pooled = stats.pool_random_effects(yi, vi, method="pm")
    w = 1 / (np.asarray(vi) + pooled.tau2)
    mu = float((w * np.asarray(yi)).sum() / w.sum())
    assert mu == pytest.approx(pooled.estimate)
    assert float((w * (np.asarray(yi) - mu) ** 2).sum()) == pytest.approx(12, abs=1e-6)


def test_pool_truncates_negative_dl_tau2_at_zero():
    """DerSimonian & Laird (1986) set tau^2 = max(0, (Q - df) / C); statsmodels 0.15 does not
    truncate, which would give a negative tau^2 and a NaN SE. Identical effects: Q = 0."""
    pooled = stats.pool_random_effects([0.1, 0.1, 0.1], [0.1, 0.2, 0.3])
    assert pooled.tau2 == 0.0
    assert pooled.i2 == 0.0
    assert pooled.estimate == pytest.approx(0.1)
    assert pooled.se == pytest.approx(math.sqrt(1 / (10 + 5 + 1 / 0.3)))


def test_pool_two_studies_has_no_prediction_interval():
    pooled = stats.pool_random_effects([0.2, 0.5], [0.02, 0.03])
    assert pooled.k == 2
    assert pooled.pi_low is None
    assert pooled.pi_high is None


@pytest.mark.parametrize(
    ("effects", "variances", "method", "text"),
    [
        ([], [], "DL", message(stats.ERR_EMPTY, name="effects")),
        ([0.1], [], "DL", message(stats.ERR_EMPTY, name="variances")),
        (
            [0.1, 0.2],
            [0.01],
            "DL",
            message(
                stats.ERR_LENGTH_MISMATCH,
                first="effects",
                second="variances",
                n_first=2,
                n_second=1,
            ),
        ),
        ([0.1, 0.2], [0.01, -0.02], "DL", message(stats.ERR_NOT_POSITIVE, name="variances[1]")),
        ([0.1, 0.2], [0.01, 0.0], "DL", message(stats.ERR_NOT_POSITIVE, name="variances[1]")),
        ([0.1, math.inf], [0.01, 0.02], "DL", message(stats.ERR_NOT_FINITE, name="effects[1]")),
        ([0.1, 0.2], [0.01, 0.02], "HS", message(stats.ERR_METHOD, method="HS")),
        ([0.1, 0.2], [0.01, 0.02], None, message(stats.ERR_METHOD, method=None)),
    ],
)
def test_pool_refuses_bad_input(effects, variances, method, text):
    with raises_exactly(text):
        stats.pool_random_effects(effects, variances, method=method)


def test_pooled_is_frozen():
    pooled = stats.pool_random_effects([0.2], [0.04])
    with pytest.raises(AttributeError):
        pooled.k = 2  # type: ignore[misc]


# ------------------------------------------------------------------------------------------
# Bayesian update (normal-normal; Gelman et al. 2013 BDA3 ch. 2 and 5)
# ------------------------------------------------------------------------------------------
def test_bayes_update_hand_computed():
    """Prior: pooled 0.30 (var 0.01) with tau^2 0.02, so A = 0.03; local 0.80 with var 0.20.
    Weight on local = 0.03 / 0.23; mean = 0.30 + 0.5 * 0.03/0.23 = 0.365217;
    var = 0.03 * 0.20 / 0.23 = 0.026087."""
    post = stats.bayes_update(0.30, 0.01, 0.02, 0.80, 0.20, local_n=12)
    assert post.value == pytest.approx(0.30 + 0.5 * 0.03 / 0.23)
    assert post.se**2 == pytest.approx(0.03 * 0.20 / 0.23)
    assert post.n == 12


def test_bayes_small_school_moves_the_estimate_little():
    big = stats.bayes_update(0.3, 0.01, 0.02, 0.8, 0.02)
    small = stats.bayes_update(0.3, 0.01, 0.02, 0.8, 2.0)
    assert abs(small.value - 0.3) < abs(big.value - 0.3)
    assert small.value - 0.3 < 0.01


@pytest.mark.parametrize(
    ("args", "text"),
    [
        ((0.3, -0.01, 0.02, 0.8, 0.2), message(stats.ERR_NEGATIVE, name="prior_var")),
        ((0.3, 0.01, -0.02, 0.8, 0.2), message(stats.ERR_NEGATIVE, name="tau2")),
        ((0.3, 0.0, 0.0, 0.8, 0.2), stats.ERR_PRIOR_VARIANCE),
        ((0.3, 0.01, 0.02, 0.8, 0.0), message(stats.ERR_NOT_POSITIVE, name="local_var")),
        ((0.3, 0.01, 0.02, math.nan, 0.2), message(stats.ERR_NOT_FINITE, name="local_effect")),
    ],
)
def test_bayes_refuses_bad_input(args, text):
    with raises_exactly(text):
        stats.bayes_update(*args)


# ------------------------------------------------------------------------------------------
# Property tests
# ------------------------------------------------------------------------------------------
effect_values = st.floats(-5, 5, allow_nan=False)
variance_values = st.floats(1e-4, 10, allow_nan=False)


@settings(deadline=None)
@given(effect=effect_values, variance=variance_values, method=st.sampled_from(stats.METHODS))
def test_pooling_one_study_returns_it(effect, variance, method):
    pooled = stats.pool_random_effects([effect], [variance], method=method)
    assert pooled.estimate == effect
    assert pooled.se == pytest.approx(math.sqrt(variance))
    assert (pooled.tau2, pooled.i2, pooled.q, pooled.k) == (0.0, 0.0, 0.0, 1)
    assert pooled.pi_low is None and pooled.pi_high is None


means = st.floats(-1000, 1000, allow_nan=False)
sds = st.floats(0.1, 100, allow_nan=False)
sizes = st.integers(2, 500)


@given(m1=means, s1=sds, n1=sizes, m2=means, s2=sds, n2=sizes)
def test_swapping_groups_flips_the_sign_of_g(m1, s1, n1, m2, s2, n2):
    forward = stats.hedges_g(m1, s1, n1, m2, s2, n2)
    backward = stats.hedges_g(m2, s2, n2, m1, s1, n1)
    assert backward.value == pytest.approx(-forward.value, abs=1e-9)
    assert backward.se == pytest.approx(forward.se)
    assert backward.ci_low == pytest.approx(-forward.ci_high, abs=1e-9)
    assert all(math.isfinite(x) for x in (forward.value, forward.se, forward.ci_low))


@given(
    prior_mean=st.floats(-3, 3),
    prior_var=st.floats(0, 1),
    tau2=st.floats(0, 1),
    local=st.floats(-3, 3),
    local_var=st.floats(1e-3, 10),
)
def test_bayes_update_lies_between_and_shrinks_variance(
    prior_mean, prior_var, tau2, local, local_var
):
    assume(prior_var + tau2 >= 1e-3)
    post = stats.bayes_update(prior_mean, prior_var, tau2, local, local_var)
    assert min(prior_mean, local) <= post.value <= max(prior_mean, local)
    assert post.se**2 < prior_var + tau2
    assert post.se**2 < local_var
    assert all(math.isfinite(x) for x in (post.value, post.se, post.ci_low, post.ci_high))


@settings(deadline=None)
@given(
    data=st.lists(st.tuples(effect_values, variance_values), min_size=2, max_size=15),
    method=st.sampled_from(stats.METHODS),
)
def test_pooling_never_returns_nan_or_infinity(data, method):
    effects, variances = zip(*data, strict=True)
    pooled = stats.pool_random_effects(list(effects), list(variances), method=method)
    numbers = [pooled.estimate, pooled.se, pooled.ci_low, pooled.ci_high, pooled.tau2]
    numbers += [pooled.i2, pooled.q]
    if pooled.k >= 3:
        numbers += [pooled.pi_low, pooled.pi_high]
    else:
        assert pooled.pi_low is None
    assert all(isinstance(x, float) and math.isfinite(x) for x in numbers)
    assert pooled.tau2 >= 0 and 0 <= pooled.i2 < 1
    assert pooled.ci_low <= pooled.estimate <= pooled.ci_high


KNOWN_PREPOST_REFUSALS = {
    stats.ERR_CORRELATION_UNDEFINED,
    stats.ERR_PERFECT_CORRELATION,
    stats.ERR_NOT_COMPUTABLE,
    message(stats.ERR_NO_SPREAD, name="pre and post"),
}


@given(
    pairs=st.lists(st.tuples(st.floats(40, 160), st.floats(40, 160)), min_size=3, max_size=40),
    r=st.one_of(st.none(), st.floats(-0.99, 0.99)),
)
def test_prepost_never_returns_nan_or_infinity(pairs, r):
    pre, post = (list(x) for x in zip(*pairs, strict=True))
    try:
        result = stats.prepost_effect(pre, post, r=r)
    except ValueError as refusal:
        assert str(refusal) in KNOWN_PREPOST_REFUSALS
        return
    assert all(math.isfinite(x) for x in (result.value, result.se, result.ci_low, result.ci_high))


# ------------------------------------------------------------------------------------------
# The statistics modules must stay free of Django.
# ------------------------------------------------------------------------------------------
def test_statistics_modules_do_not_import_django():
    package = Path(stats.__file__).parent
    for path in sorted(package.glob("stats*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(n.split(".")[0] == "django" for n in names), path.name
