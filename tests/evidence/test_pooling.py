"""Which studies are pooled, and what the pooled result is: rules, worked checks, properties."""

import ast
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sendwise.evidence import pooling
from sendwise.evidence.pooling import StudyRow, choose, synthesise
from sendwise.maths import stats


def row(trial="t1", **fields):
    base = {"effect_size": 0.3, "effect_size_type": "cohen_d", "n_treatment": 50, "n_control": 50}
    return StudyRow(trial=trial, **{**base, **fields})


def test_pooling_module_never_imports_django():
    source = Path(pooling.__file__).read_text()
    for node in ast.walk(ast.parse(source)):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        assert not any(n == "django" or n.startswith("django.") for n in names)


# --- Worked checks ------------------------------------------------------------------------
def test_variance_from_arm_sizes_matches_borenstein_worked_example():
    # Borenstein et al. (2009) Introduction to Meta-Analysis, ch. 4: d = 0.5970 with 50 pupils
    # in each group gives V_d = 0.0418 and SE = 0.2045.
    variance = pooling.variance_from_arms(0.5970, 50, 50)
    assert variance == pytest.approx(0.0418, abs=5e-5)
    # The book takes the square root of the rounded variance.
    assert math.sqrt(round(variance, 4)) == pytest.approx(0.2045, abs=5e-5)


def test_standard_error_from_a_95_percent_interval():
    # Numbers Count (Torgerson et al. 2013): d = 0.33, 95% interval 0.12 to 0.53.
    assert pooling.se_from_interval(0.12, 0.53) == pytest.approx(0.41 / 3.92)


def test_two_trials_pool_to_the_dersimonian_laird_estimate_worked_by_hand():
    # Trial A: d = 0.40, 100 v 100 pupils. Trial B: d = 0.20, 95% interval 0.05 to 0.35.
    a = row("a", effect_size=0.4, n_treatment=100, n_control=100, n=200)
    b = row("b", effect_size=0.2, ci_low=0.05, ci_high=0.35, n=1500, n_treatment=None)
    v = [200 / 10_000 + 0.16 / 400, (0.30 / 3.92) ** 2]
    y = [0.4, 0.2]
    w = [1 / x for x in v]
    fixed = sum(wi * yi for wi, yi in zip(w, y, strict=True)) / sum(w)
    q = sum(wi * (yi - fixed) ** 2 for wi, yi in zip(w, y, strict=True))
    c = sum(w) - sum(wi * wi for wi in w) / sum(w)
    tau2 = max(0.0, (q - 1) / c)
    w_re = [1 / (vi + tau2) for vi in v]
    mu = sum(wi * yi for wi, yi in zip(w_re, y, strict=True)) / sum(w_re)
    se = math.sqrt(1 / sum(w_re))

    result = synthesise([a, b])

    assert result.k == 2 and result.n == 1700
    assert result.pooled.tau2 == pytest.approx(tau2, rel=1e-9)
    assert result.pooled.estimate == pytest.approx(mu, rel=1e-9)
    assert result.pooled.ci_low == pytest.approx(mu - stats.Z95 * se, rel=1e-9)
    assert result.pooled.pi_low is None  # fewer than three trials: no prediction interval
    assert sum(i.weight for i in result.included) == pytest.approx(1.0)
    assert [i.basis for i in result.included] == [pooling.BASIS_ARMS, pooling.BASIS_INTERVAL]
    assert result.months == stats.eef_months(mu)
    assert "2 studies" in result.sentence() and "1,700 pupils" in result.sentence()


def test_three_trials_give_a_prediction_interval():
    rows = [row(f"t{i}", effect_size=e) for i, e in enumerate([0.1, 0.4, 0.7])]
    result = synthesise(rows)
    assert result.pooled.pi_low is not None and result.pooled.pi_low < result.pooled.ci_low
    assert result.months_prediction is not None
    assert "new school" in result.sentence()


# --- What is left out, and why ------------------------------------------------------------
@pytest.mark.parametrize(
    "effect_type",
    [
        "raw_mean_difference (SDQ points)",
        "raw_mean_difference (RCADS points)",
        "adjusted mean difference in SDQ points (not standardised; negative = fewer difficulties)",
        "raw",
    ],
)
def test_raw_score_differences_are_never_pooled(effect_type):
    raw = row("stars", effect_size=-1.0, effect_size_type=effect_type, ci_low=-1.9, ci_high=-0.1)
    included, left_out = choose([raw, row("other")])
    assert [i.row.trial for i in included] == ["other"]
    assert left_out[0].reason == pooling.REASON_UNSTANDARDISED


@pytest.mark.parametrize(
    "effect_type",
    [
        "hedges_g_within_subject (pre-post change; not a between-group SMD)",
        "single_case_effect_size (weighted; not a between-group SMD)",
        "partial_eta_squared (not a standardised mean difference; do not pool)",
        "cohen_d_meta_analytic (pooled across studies; not a single trial; do not pool)",
        "pre_post_effect_size (within-group change; no control group)",
        "odds ratio",
    ],
)
def test_effects_that_are_not_between_group_differences_are_left_out(effect_type):
    assert pooling.type_problem(effect_type) == pooling.REASON_NOT_BETWEEN_GROUPS


@pytest.mark.parametrize(
    "effect_type",
    [
        "cohen_d",
        "Cohen d",
        "Hedges g",
        "eef_effect_size",
        "standardised_mean_difference",
        "standardised difference (delta), ITT",
        "effect size on gain scores (pooled SD); authors note some baseline imbalance",
    ],
)
def test_standardised_effect_types_are_accepted(effect_type):
    assert pooling.type_problem(effect_type) is None


def test_a_row_without_type_interval_or_arm_sizes_is_left_out_with_its_reason():
    rows = [
        row("a", effect_size=None),
        row("b", effect_size_type=""),
        row("c", n_treatment=None, n=300),
        row("d", ci_low=0.5, ci_high=0.6),  # does not contain 0.3
    ]
    _, left_out = choose(rows)
    assert [o.reason for o in left_out] == [
        pooling.REASON_NO_EFFECT,
        pooling.REASON_NO_TYPE,
        pooling.REASON_NO_PRECISION,
        pooling.REASON_BAD_INTERVAL,
    ]


def test_two_outcomes_of_one_trial_pool_only_the_primary_one():
    # Numbers Count: 0.33 (primary) and 1.11 (secondary outcome) from one trial.
    primary = row("ecc", effect_size=0.33, ci_low=0.12, ci_high=0.53, primary=True)
    secondary = row("ecc", effect_size=1.11, ci_low=0.91, ci_high=1.31, primary=False)
    included, left_out = choose([secondary, primary])
    assert [i.row for i in included] == [primary]
    assert left_out[0].row is secondary and left_out[0].reason == pooling.REASON_SAME_TRIAL


def test_without_a_primary_flag_the_row_with_an_interval_is_preferred_to_arm_sizes():
    arms = row("neli", effect_size=0.30)
    interval = row("neli", effect_size=0.16, ci_low=-0.02, ci_high=0.34, n_treatment=None)
    included, left_out = choose([arms, interval])
    assert included[0].row is interval and left_out[0].row is arms


def test_arms_sharing_a_control_group_are_not_both_pooled():
    arm_30 = row("neli", primary=True, shares_control_with="20-week arm")
    arm_20 = row("neli", effect_size=0.21, shares_control_with="30-week arm")
    included, left_out = choose([arm_30, arm_20])
    assert [i.row for i in included] == [arm_30]
    assert left_out[0].reason == pooling.REASON_SHARED_CONTROL


def test_when_the_primary_result_cannot_be_pooled_no_other_outcome_stands_in_for_it():
    primary = row(
        "stars", effect_size=-1.0, effect_size_type="raw_mean_difference (SDQ points)", primary=True
    )
    secondary = row("stars", effect_size=0.2)
    included, left_out = choose([primary, secondary])
    assert included == []
    assert [o.reason for o in left_out] == [
        pooling.REASON_UNSTANDARDISED,
        pooling.REASON_NOT_PRIMARY,
    ]


def test_one_trial_is_flagged_single_and_the_catalogue_flag_is_kept_without_pooling():
    assert synthesise([row("a")]).single_trial is True
    assert synthesise([row("a"), row("b")]).single_trial is False
    assert synthesise([], single_trial=True).single_trial is True
    assert synthesise([]).pooled is None and synthesise([]).sentence().startswith("No study")


def test_a_smaller_result_at_scale_is_flagged():
    efficacy = row("efficacy", months_progress=3)
    at_scale = StudyRow(trial="scale", months_progress=0, scaled_up=True)
    result = synthesise([efficacy, at_scale])
    assert result.smaller_at_scale is True
    assert (result.scale_months, result.other_months) == (0, 3)
    # Marked at scale without a comparable figure: the catalogue's judgement stands.
    unknown = synthesise([efficacy, StudyRow(trial="scale", scaled_up=True)])
    assert unknown.smaller_at_scale is True and unknown.scale_months is None
    # Figures that contradict the mark: no warning.
    bigger = StudyRow(trial="scale", months_progress=4, scaled_up=True)
    assert synthesise([efficacy, bigger]).smaller_at_scale is False
    assert synthesise([efficacy]).smaller_at_scale is False


def test_evidence_strength_labels():
    strength = pooling.evidence_strength
    assert strength(k=3, studies=4, toolkit=True, practice_based=False) == pooling.STRENGTH_POOLED
    assert strength(k=1, studies=1, toolkit=False, practice_based=False) == pooling.STRENGTH_SINGLE
    assert strength(k=0, studies=2, toolkit=True, practice_based=False) == pooling.STRENGTH_STUDIES
    assert strength(k=0, studies=0, toolkit=True, practice_based=False) == pooling.STRENGTH_TOOLKIT
    assert strength(k=0, studies=0, toolkit=False, practice_based=False) == pooling.STRENGTH_NONE
    assert strength(k=0, studies=0, toolkit=False, practice_based=True) == pooling.STRENGTH_PRACTICE


def test_months_text_shows_the_cap_and_a_true_minus_sign():
    assert pooling.months_text(1.4) == "12+"
    assert pooling.signed_months(4) == "+4 months"
    assert pooling.signed_months(-1) == "\u22121 month"
    assert pooling.signed_months(0) == "0 months"


# --- Properties ---------------------------------------------------------------------------
TYPES = ["cohen_d", "eef_effect_size", "Hedges g", "raw_mean_difference (SDQ points)", "", None]
effects = st.one_of(st.none(), st.floats(-2, 2, allow_nan=False))
counts = st.one_of(st.none(), st.integers(1, 2000))


@st.composite
def study_rows(draw):
    effect = draw(effects)
    low = high = None
    if effect is not None and draw(st.booleans()):
        half = draw(st.floats(0.01, 1.0))
        low, high = effect - half, effect + half
    return StudyRow(
        trial=draw(st.sampled_from(["a", "b", "c", "d", ""])),
        effect_size=effect,
        effect_size_type=draw(st.sampled_from(TYPES)) or "",
        ci_low=low,
        ci_high=high,
        n_treatment=draw(counts),
        n_control=draw(counts),
        primary=draw(st.sampled_from([None, True, False])),
        shares_control_with=draw(st.sampled_from(["", "another arm"])),
        scaled_up=draw(st.booleans()),
    )


@settings(max_examples=200, deadline=None)
@given(st.lists(study_rows(), max_size=8))
def test_every_row_is_either_pooled_or_left_out_with_a_reason(rows):
    included, left_out = choose(rows)
    assert len(included) + len(left_out) == len(rows)
    assert all(o.reason for o in left_out)
    ids = [id(i.row) for i in included] + [id(o.row) for o in left_out]
    assert sorted(ids) == sorted(id(r) for r in rows)


@settings(max_examples=200, deadline=None)
@given(st.lists(study_rows(), max_size=8))
def test_at_most_one_row_per_trial_and_never_a_raw_difference_is_pooled(rows):
    included, _ = choose(rows)
    trials = [i.row.trial for i in included if i.row.trial]
    assert len(trials) == len(set(trials))
    for item in included:
        assert pooling.type_problem(item.row.effect_size_type) is None
        assert item.se > 0 and math.isfinite(item.se)


@settings(max_examples=200, deadline=None)
@given(st.lists(study_rows(), max_size=8))
def test_the_pooled_estimate_lies_between_the_smallest_and_largest_pooled_effect(rows):
    result = synthesise(rows)
    if result.pooled is None:
        assert result.k == 0
        return
    effects_pooled = [i.effect for i in result.included]
    assert min(effects_pooled) - 1e-9 <= result.pooled.estimate <= max(effects_pooled) + 1e-9
    assert result.pooled.ci_low <= result.pooled.estimate <= result.pooled.ci_high
    assert sum(i.weight for i in result.included) == pytest.approx(1.0)


@settings(max_examples=100, deadline=None)
@given(st.floats(-1.5, 1.5, allow_nan=False), st.lists(st.integers(5, 500), min_size=2, max_size=6))
def test_identical_trials_pool_to_their_common_effect(effect, sizes):
    rows = [
        row(f"t{i}", effect_size=effect, n_treatment=n, n_control=n) for i, n in enumerate(sizes)
    ]
    result = synthesise(rows)
    assert result.pooled.estimate == pytest.approx(effect, abs=1e-9)
    assert result.pooled.tau2 == pytest.approx(0.0, abs=1e-12)
    assert result.n == 2 * sum(sizes)


def test_a_cluster_trial_with_only_pupil_counts_is_left_out_with_the_reason():
    # Whole schools were randomised: pupil counts alone would overstate its precision.
    cluster = row(trial="c1", design="cluster RCT (45 schools)")
    included, left_out = choose([cluster])
    assert included == []
    assert left_out[0].reason == pooling.REASON_CLUSTER


def test_a_cluster_trial_with_its_own_interval_is_pooled():
    cluster = row(trial="c2", design="cluster RCT", ci_low=0.05, ci_high=0.55)
    included, _left_out = choose([cluster])
    assert len(included) == 1 and included[0].basis == pooling.BASIS_INTERVAL
