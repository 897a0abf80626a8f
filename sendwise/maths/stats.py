"""Effect sizes, meta-analysis and Bayesian updating for SENDwise.

This is the public face of the statistics package: everything in the sibling modules
(``stats_base``, ``stats_scores``, ``stats_rules``, ``stats_text``) is re-exported here, so
callers write ``from sendwise.maths import stats`` and use ``stats.hedges_g`` etc.

Rules every function follows:

* It cites its source in its docstring.
* Bad input (empty lists, negative variances, n too small, NaN/infinity, mismatched lengths,
  reliabilities outside (0, 1) ...) raises ValueError with one of the ``ERR_*`` texts.
* It never returns NaN or infinity: results that would overflow raise ValueError instead.
* Intervals are 95%.

Pure Python plus numpy/scipy/statsmodels. It must never import Django.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from sendwise.maths.stats_base import (
    ERR_AIMLINE_DATES,
    ERR_CORRELATION,
    ERR_CORRELATION_UNDEFINED,
    ERR_EMPTY,
    ERR_LENGTH_MISMATCH,
    ERR_METHOD,
    ERR_MONTHS,
    ERR_NEGATIVE,
    ERR_NO_SPREAD,
    ERR_NOT_COMPUTABLE,
    ERR_NOT_DATE,
    ERR_NOT_FINITE,
    ERR_NOT_NUMBER,
    ERR_NOT_POSITIVE,
    ERR_NOT_SEQUENCE,
    ERR_NOT_WHOLE,
    ERR_PERFECT_CORRELATION,
    ERR_POINT,
    ERR_PRIOR_VARIANCE,
    ERR_RELIABILITY,
    ERR_REML_NO_CONVERGENCE,
    ERR_TOO_FEW,
    ERR_WRONG_TYPE,
    Z95,
    Estimate,
    Pooled,
    estimate,
    finite,
    non_negative,
    positive,
    real,
    reals,
    same_length,
    whole,
)
from sendwise.maths.stats_rules import (
    ABOVE_AIMLINE,
    BELOW_AIMLINE,
    FOUR_POINT_MIN_POINTS,
    ON_TRACK,
    TOO_FEW_POINTS,
    TREND_MIN_POINTS,
    VERDICTS,
    Aimline,
    FourPointDecision,
    TrendDecision,
    four_point_rule,
    trend_rule,
)
from sendwise.maths.stats_scores import (
    EEF_BANDS,
    RATIO_GAIN_LABELS,
    RCI_THRESHOLD,
    StandardisedGain,
    eef_label,
    eef_months,
    is_reliable_change,
    ratio_gain,
    ratio_gain_band,
    reliable_change_index,
    standardised_gain,
)
from sendwise.maths.stats_text import (
    estimate_sentence,
    pooled_months_sentence,
    ratio_gain_sentence,
    rci_sentence,
    sentence,
)

__all__ = [
    "ABOVE_AIMLINE",
    "BELOW_AIMLINE",
    "EEF_BANDS",
    "ERR_AIMLINE_DATES",
    "ERR_CORRELATION",
    "ERR_CORRELATION_UNDEFINED",
    "ERR_EMPTY",
    "ERR_LENGTH_MISMATCH",
    "ERR_METHOD",
    "ERR_MONTHS",
    "ERR_NEGATIVE",
    "ERR_NOT_COMPUTABLE",
    "ERR_NOT_DATE",
    "ERR_NOT_FINITE",
    "ERR_NOT_NUMBER",
    "ERR_NOT_POSITIVE",
    "ERR_NOT_SEQUENCE",
    "ERR_NOT_WHOLE",
    "ERR_NO_SPREAD",
    "ERR_PERFECT_CORRELATION",
    "ERR_POINT",
    "ERR_PRIOR_VARIANCE",
    "ERR_RELIABILITY",
    "ERR_REML_NO_CONVERGENCE",
    "ERR_TOO_FEW",
    "ERR_WRONG_TYPE",
    "FOUR_POINT_MIN_POINTS",
    "METHODS",
    "ON_TRACK",
    "RATIO_GAIN_LABELS",
    "RCI_THRESHOLD",
    "TOO_FEW_POINTS",
    "TREND_MIN_POINTS",
    "VERDICTS",
    "Z95",
    "Aimline",
    "Estimate",
    "FourPointDecision",
    "Pooled",
    "StandardisedGain",
    "TrendDecision",
    "bayes_update",
    "cohens_d",
    "eef_label",
    "eef_months",
    "estimate_sentence",
    "four_point_rule",
    "hedges_g",
    "hedges_j",
    "is_reliable_change",
    "pool_random_effects",
    "pooled_months_sentence",
    "prepost_effect",
    "ratio_gain",
    "ratio_gain_band",
    "ratio_gain_sentence",
    "rci_sentence",
    "reliable_change_index",
    "sentence",
    "standardised_gain",
    "trend_rule",
]

# Between-study variance estimators offered by pool_random_effects.
METHODS = ("DL", "REML", "PM")


# --------------------------------------------------------------------------------------
# Standardised mean differences
# --------------------------------------------------------------------------------------
def hedges_j(df: int) -> float:
    """Small-sample correction factor J = 1 - 3 / (4 df - 1).

    Source: Borenstein, Hedges, Higgins & Rothstein (2009) *Introduction to Meta-Analysis*,
    ch. 4 (Hedges 1981's approximation). ``df`` must be at least 2: at df = 1 the
    factor is 0 and no corrected effect exists.
    """
    df = whole(df, "df", 2)
    return 1.0 - 3.0 / (4.0 * df - 1.0)


def cohens_d(mean_1, sd_1, n_1, mean_2, sd_2, n_2) -> Estimate:
    """Cohen's d for two independent groups (group 1 minus group 2), uncorrected.

    d = (mean_1 - mean_2) / S_within, S_within = pooled SD with n_1 + n_2 - 2 df,
    V_d = (n_1 + n_2) / (n_1 n_2) + d^2 / (2 (n_1 + n_2)).
    Source: Borenstein et al. (2009) ch. 4, independent groups. Prefer :func:`hedges_g`, which
    removes d's small-sample bias; this is exposed for checking and teaching.
    """
    m1, m2 = real(mean_1, "mean_1"), real(mean_2, "mean_2")
    s1, s2 = positive(sd_1, "sd_1"), positive(sd_2, "sd_2")
    k1, k2 = whole(n_1, "n_1", 2), whole(n_2, "n_2", 2)
    df = k1 + k2 - 2
    s_within = math.sqrt(((k1 - 1) * s1 * s1 + (k2 - 1) * s2 * s2) / df)
    d = (m1 - m2) / s_within
    var_d = (k1 + k2) / (k1 * k2) + d * d / (2.0 * (k1 + k2))
    finite(s_within, d, var_d)
    return estimate(d, math.sqrt(var_d), k1 + k2)


def hedges_g(mean_1, sd_1, n_1, mean_2, sd_2, n_2) -> Estimate:
    """Hedges' g: the standardised mean difference with the small-sample correction J.

    g = J d and V_g = J^2 V_d, with J = 1 - 3 / (4 (n_1 + n_2 - 2) - 1).
    Source: Borenstein et al. (2009) *Introduction to Meta-Analysis*, ch. 4 (independent groups).
    Positive g means group 1 scored higher. Swapping the groups flips the sign only.
    Each group needs n >= 2 and a positive SD.
    """
    d = cohens_d(mean_1, sd_1, n_1, mean_2, sd_2, n_2)
    j = hedges_j(d.n - 2)
    return estimate(j * d.value, j * d.se, d.n)


def prepost_effect(pre, post, r=None) -> Estimate:
    """Standardised mean gain for one group of pupils measured before and after (post - pre).

    Standardiser: the *average* of the pre and post variances,
    S_within = sqrt((SD_pre^2 + SD_post^2) / 2) (``d_av``). Why: it puts the gain in the
    same raw-score metric as a between-group d (Morris & DeShon 2002, "raw-score metric"),
    so it can be read beside published effect sizes; it uses both occasions, so it is
    steadier than the pre-test SD alone in small groups; and unlike d_rm/d_z (dividing by
    the SD of the differences) it does not grow just because pre and post correlate highly.
    Borenstein et al. (2009) ch. 4 (pre-post/matched groups) derive the same S_within from S_diff and r when
    only those are reported; the two agree when the pre and post SDs are equal.

    Variance (Borenstein et al. 2009 ch. 4, pre-post/matched groups; Morris & DeShon 2002):
    V_d = (1/n + d^2 / (2n)) * 2 (1 - r); then g = J d, V_g = J^2 V_d with df = n - 1.

    ``r`` is the pre/post correlation. If None it is estimated from the paired scores;
    supply it (e.g. the test's published test-retest correlation) for small groups.
    Needs n >= 3 pairs: with n = 2 the correction J is 0 (df = 1), so no estimate exists.

    Caution: this is a *gain*, not an effect against a comparison group. It includes
    ordinary progress, practice on the test and regression to the mean (see
    docs/statistics.md).
    """
    before, after = reals(pre, "pre", minimum=3), reals(post, "post", minimum=3)
    same_length(before, after, "pre", "post")
    n = len(before)
    x, y = np.asarray(before), np.asarray(after)
    sd_pre, sd_post = float(np.std(x, ddof=1)), float(np.std(y, ddof=1))
    s_within = math.sqrt((sd_pre**2 + sd_post**2) / 2.0)
    if s_within == 0:
        raise ValueError(ERR_NO_SPREAD.format(name="pre and post"))
    if r is None:
        if sd_pre == 0 or sd_post == 0:
            raise ValueError(ERR_CORRELATION_UNDEFINED)
        rho = float(np.sum((x - x.mean()) * (y - y.mean())) / ((n - 1) * sd_pre * sd_post))
        if abs(rho) >= 1.0 - 1e-12:
            raise ValueError(ERR_PERFECT_CORRELATION)
    else:
        rho = real(r, "r")
        if not -1.0 < rho < 1.0:
            raise ValueError(ERR_CORRELATION)
    d = float(y.mean() - x.mean()) / s_within
    var_d = (1.0 / n + d * d / (2.0 * n)) * 2.0 * (1.0 - rho)
    finite(d, var_d)
    j = hedges_j(n - 1)
    return estimate(j * d, j * math.sqrt(var_d), n)


# --------------------------------------------------------------------------------------
# Random-effects meta-analysis
# --------------------------------------------------------------------------------------
def _reml_parts(y: np.ndarray, v: np.ndarray, tau2: float) -> tuple[float, float]:
    """Restricted log-likelihood (up to a constant) and twice its derivative in tau^2."""
    w = 1.0 / (v + tau2)
    sw, sw2 = w.sum(), (w * w).sum()
    resid = y - (w * y).sum() / sw
    loglik = -0.5 * (np.log(v + tau2).sum() + math.log(sw) + (w * resid * resid).sum())
    score = (w * w * resid * resid).sum() - (sw - sw2 / sw)
    return float(loglik), float(score)


def _tau2_reml(y: np.ndarray, v: np.ndarray) -> float:
    """REML estimate of tau^2 (intercept-only random-effects model), truncated at zero.

    Source: Viechtbauer (2005) J. Educ. Behav. Stat. 30(3), 261-293: the REML estimating
    equation sum w^2 (y - mu)^2 = tr(P), w = 1/(v + tau^2), P = W - w w' / sum w. It is
    solved robustly: the restricted log-likelihood is scanned on a grid to find the
    maximum's neighbourhood, then the score is solved there by Brent's method. This finds
    the same maximum as metafor's rma(method="REML") (Fisher scoring), including data where
    plain Fisher scoring oscillates.
    """
    from scipy.optimize import brentq

    scale = max(float(np.var(y)), float(v.mean()))
    grid = [0.0, *(scale * np.logspace(-8, 4, 97))]
    logliks = [_reml_parts(y, v, t)[0] for t in grid]
    best = int(np.argmax(logliks))
    low, high = grid[max(best - 1, 0)], grid[min(best + 1, len(grid) - 1)]
    score_low, score_high = _reml_parts(y, v, low)[1], _reml_parts(y, v, high)[1]
    if best == 0 and score_low <= 0:
        return 0.0
    if score_low > 0 > score_high:
        return float(brentq(lambda t: _reml_parts(y, v, t)[1], low, high, xtol=1e-15))
    if math.isfinite(grid[best]) and best < len(grid) - 1:
        return float(grid[best])
    raise ValueError(ERR_REML_NO_CONVERGENCE)


def pool_random_effects(effects, variances, method: str = "DL") -> Pooled:
    """Random-effects meta-analysis of k study effects with their sampling variances.

    tau^2 (between-study variance):
      * "DL"  DerSimonian & Laird (1986) method of moments, via statsmodels
        ``combine_effects(method_re="dl")``; truncated at 0 (statsmodels 0.15 does not).
      * "PM"  Paule & Mandel (1982), via statsmodels ``method_re="pm"`` ("iterated").
      * "REML" restricted maximum likelihood. statsmodels 0.15 ``combine_effects`` offers
        only "dl"/"chi2" and "pm"/"iterated", so REML is computed here by solving the
        REML estimating equation (Viechtbauer 2005), matching metafor's default.
    Then mu = sum w y / sum w with w = 1 / (v + tau^2), se = sqrt(1 / sum w), 95% CI
    mu +/- 1.96 se (Borenstein et al. 2009 ch. 12). Q is Cochran's Q from statsmodels.
    I^2 = tau^2 / (tau^2 + s^2), s^2 the "typical" within-study variance
    (Higgins & Thompson 2002, Stat. Med. 21; as metafor reports it): a proportion 0-1. For DL it
    equals (Q - df) / Q.

    Prediction interval (Higgins, Thompson & Spiegelhalter 2009, J. R. Stat. Soc. A 172,
    137-159): mu +/- t_{k-2, 0.975} sqrt(tau^2 + se^2). It is undefined for k < 3, so
    pi_low/pi_high are None then. NB metafor's predict() uses the normal quantile instead of
    t by default, so its interval is narrower.

    One study is returned unchanged (tau^2 = 0, I^2 = 0, Q = 0).
    """
    key = method.upper() if isinstance(method, str) else method
    if key not in METHODS:
        raise ValueError(ERR_METHOD.format(method=method))
    ys = reals(effects, "effects")
    vs = reals(variances, "variances")
    same_length(ys, vs, "effects", "variances")
    for i, v in enumerate(vs):
        positive(v, f"variances[{i}]")
    k = len(ys)
    if k == 1:
        one = estimate(ys[0], math.sqrt(vs[0]), None)
        return Pooled(one.value, one.se, one.ci_low, one.ci_high, 0.0, 0.0, 0.0, 1, None, None)

    # Imported here so that importing this module (e.g. at Django start-up) stays cheap.
    from scipy import stats as sps
    from statsmodels.stats.meta_analysis import combine_effects

    y, v = np.asarray(ys), np.asarray(vs)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        fitted = combine_effects(y, v, method_re="pm" if key == "PM" else "dl")
        q = max(0.0, float(fitted.q))
        tau2 = max(0.0, float(fitted.tau2))
        if key == "REML":
            tau2 = _tau2_reml(y, v)
        w = 1.0 / (v + tau2)
        mu = float((w * y).sum() / w.sum())
        se = float(math.sqrt(1.0 / w.sum()))
        w_fixed = 1.0 / v
        typical = (k - 1) * w_fixed.sum() / (w_fixed.sum() ** 2 - (w_fixed**2).sum())
        i2 = float(tau2 / (tau2 + typical)) if tau2 > 0 else 0.0
    finite(q, tau2, mu, se, i2)
    ci = estimate(mu, se, None)
    pi_low = pi_high = None
    if k >= 3:
        half = float(sps.t.ppf(0.975, k - 2)) * math.sqrt(tau2 + se * se)
        pi_low, pi_high = mu - half, mu + half
        finite(pi_low, pi_high)
    return Pooled(mu, se, ci.ci_low, ci.ci_high, tau2, i2, q, k, pi_low, pi_high)


# --------------------------------------------------------------------------------------
# Bayesian update: the published evidence, updated by the school's own result
# --------------------------------------------------------------------------------------
def bayes_update(
    prior_mean, prior_var, tau2, local_effect, local_var, *, local_n: int | None = None
) -> Estimate:
    """Update a published pooled effect with the school's own result (normal-normal model).

    The school is treated as one more study drawn from the same population of studies:
    its true effect theta_s ~ N(mu, prior_var + tau2) before seeing its data, where
    ``prior_mean``/``prior_var`` are the pooled estimate and its squared SE and ``tau2`` the
    between-study variance; the school's observed effect ~ N(theta_s, local_var). The
    posterior for theta_s is precision-weighted (Gelman et al. 2013 *Bayesian Data
    Analysis*, 3rd ed., ch. 2 and 5; Higgins, Thompson & Spiegelhalter 2009):

        A = prior_var + tau2,  B = local_var,
        mean = prior_mean + A / (A + B) * (local_effect - prior_mean),
        var  = A B / (A + B).

    So a small school (large local_var) moves the estimate little; the result always lies
    between the prior mean and the local effect, and its variance is below both A and B.
    The interval returned is the 95% credible interval. ``local_n`` (pupils in the local
    result), if given, is carried into ``Estimate.n``.
    """
    m0 = real(prior_mean, "prior_mean")
    a = non_negative(prior_var, "prior_var") + non_negative(tau2, "tau2")
    if a <= 0:
        raise ValueError(ERR_PRIOR_VARIANCE)
    local = real(local_effect, "local_effect")
    b = positive(local_var, "local_var")
    n = None if local_n is None else whole(local_n, "local_n", 1)
    weight = a / (a + b)
    mean = m0 + weight * (local - m0)
    mean = min(max(mean, min(m0, local)), max(m0, local))  # guard against rounding
    var = min(a * (b / (a + b)), a, b)
    finite(weight, mean, var)
    return estimate(mean, math.sqrt(var), n)
