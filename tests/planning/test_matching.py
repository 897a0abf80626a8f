"""Recommendations for a pupil: the cases a SENCO relies on, and properties that always hold."""

import ast
import dataclasses
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sendwise.evidence import pooling
from sendwise.evidence.codes import Kind, Strength
from sendwise.maths import stats
from sendwise.planning import matching, matching_types, matching_weights
from sendwise.planning.matching import (
    Candidate,
    GroupOption,
    LocalEvidence,
    PupilNeeds,
    StaffOption,
    already_in_place,
    assess,
    explain,
    rank,
)
from sendwise.planning.matching_weights import WEIGHTS, Weights

SKILL_SLUGS = ["decoding", "reading_fluency", "phonics", "spelling", "number_sense", "anxiety"]
NEEDS = ["SPLD", "MLD", "SEMH", "SLCN", "ASD", "HI", "OTH", "NSA"]
AREAS = sorted(matching_weights.AREA_WORDS)


def pupil(**fields):
    base = {
        "nc_year": 4,
        "primary_need": "SPLD",
        "secondary_need": "",
        "areas": frozenset({"cognition_learning"}),
        "skills": {"decoding": 3, "reading_fluency": 2},
        "eal": False,
        "history": {},
    }
    return PupilNeeds(**{**base, **fields})


def candidate(**fields):
    base = {
        "slug": "catch-up-literacy",
        "name": "Catch Up Literacy",
        "kind": Kind.TARGETED.value,
        "need_codes": frozenset({"SPLD", "MLD"}),
        "areas": frozenset({"cognition_learning"}),
        "skills": frozenset({"decoding", "reading_fluency"}),
        "year_min": 2,
        "year_max": 9,
        "strength": Strength.POOLED.value,
        "pooled_estimate": 0.35,
        "pooled_ci_low": 0.12,
        "pooled_ci_high": 0.58,
        "pooled_k": 4,
        "pooled_n": 1234,
        "eef_months": None,
        "cost_note": "",
        "delivered_by": "teaching_assistant",
        "local": None,
        "staff": (),
    }
    return Candidate(**{**base, **fields})


def twin(c, name, slug):
    return dataclasses.replace(c, name=name, slug=slug)


def texts(rec):
    return [f.text for f in rec.factors]


# --- Age -----------------------------------------------------------------------------------------
def test_a_year_9_pupil_is_never_recommended_a_reception_programme():
    neli = candidate(slug="neli", name="NELI", year_min=0, year_max=0)
    assert rank(pupil(nc_year=9), [neli]) == []
    rec = assess(pupil(nc_year=9), neli)
    assert not rec.eligible
    assert (
        explain(rec) == "Not recommended: made for Reception: Year 9 is too far outside that range."
    )


def test_one_year_outside_the_range_is_offered_lower_with_a_caution_to_record_a_reason():
    inside, outside = (
        rank(pupil(nc_year=9), [candidate()])[0],
        rank(pupil(nc_year=10), [candidate()])[0],
    )
    assert outside.outside_age and not inside.outside_age
    assert outside.score < inside.score
    assert "outside the evaluated age range: record a reason" in outside.cautions
    assert "Year 10 is one year outside its evaluated range (Year 2 to Year 9)" in explain(outside)


@given(year=st.integers(0, 13), low=st.integers(0, 13), span=st.integers(0, 13))
def test_no_pupil_is_offered_anything_more_than_a_year_outside_its_range(year, low, span):
    c = candidate(year_min=low, year_max=min(13, low + span))
    offered = rank(pupil(nc_year=year), [c])
    far = year < c.year_min - 1 or year > c.year_max + 1
    assert offered == [] if far else len(offered) == 1


# --- History --------------------------------------------------------------------------------------
def test_a_pupil_who_made_no_progress_in_x_sees_x_ranked_lower_with_the_reason():
    x = twin(candidate(), "Apple Reading", "apple")
    y = twin(candidate(), "Bramble Reading", "bramble")
    assert [r.candidate.slug for r in rank(pupil(), [y, x])] == ["apple", "bramble"]

    ranked = rank(pupil(history={"apple": "no_response"}), [x, y])

    assert [r.candidate.slug for r in ranked] == ["bramble", "apple"]
    reason = (
        "made no progress with Apple Reading before: "
        "try something different or change how it is delivered"
    )
    assert reason in texts(ranked[1])
    assert reason in explain(ranked[1])


def test_what_is_already_in_place_is_not_recommended_again_and_says_why():
    x = twin(candidate(), "Apple Reading", "apple")
    y = twin(candidate(), "Bramble Reading", "bramble")
    p = pupil(history={"apple": "ongoing"})

    assert [r.candidate.slug for r in rank(p, [x, y])] == ["bramble"]
    in_place = already_in_place(p, [x, y])
    assert [r.candidate.slug for r in in_place] == ["apple"]
    assert in_place[0].cautions[0] == (
        "Apple Reading is already in place: review it rather than adding it again"
    )


def test_progress_with_it_before_counts_in_its_favour():
    before = assess(pupil(), candidate()).score
    after = assess(pupil(history={"catch-up-literacy": "responded"}), candidate())
    assert after.score == before + WEIGHTS.responded
    assert "made progress with Catch Up Literacy before" in texts(after)


# --- Need and skills ------------------------------------------------------------------------------
def test_an_entry_that_matches_none_of_the_pupils_needs_is_not_recommended():
    friends = candidate(
        name="FRIENDS",
        need_codes=frozenset({"SEMH"}),
        areas=frozenset({"semh"}),
        skills=frozenset({"anxiety"}),
    )
    assert rank(pupil(), [friends]) == []
    assert assess(pupil(), friends).cautions[0] == matching_weights.CAUTION_NO_MATCH


def test_the_primary_need_counts_more_than_the_secondary_and_an_area_least():
    p = pupil(primary_need="SPLD", secondary_need="SEMH", skills={}, areas=frozenset())
    for_primary = candidate(need_codes=frozenset({"SPLD"}))
    for_secondary = candidate(need_codes=frozenset({"SEMH"}), areas=frozenset({"semh"}))
    for_area = candidate(need_codes=frozenset({"MLD"}))
    scores = [assess(p, c).score for c in (for_primary, for_secondary, for_area)]
    assert scores[0] > scores[1] > scores[2]
    assert "works on cognition and learning" in texts(assess(p, for_area))


def test_a_severe_difficulty_counts_more_than_a_mild_one():
    severe = assess(pupil(skills={"decoding": 3}), candidate()).score
    mild = assess(pupil(skills={"decoding": 1}), candidate()).score
    assert severe > mild


def test_a_long_list_of_skills_cannot_win_on_length_alone():
    p = pupil(skills=dict.fromkeys(SKILL_SLUGS, 3))
    rec = assess(p, candidate(skills=frozenset(SKILL_SLUGS)))
    assert next(f for f in rec.factors if f.key == "skills").points == WEIGHTS.skill_cap


@settings(max_examples=200)
@given(
    skills=st.dictionaries(st.sampled_from(SKILL_SLUGS), st.integers(1, 3)),
    offered=st.frozensets(st.sampled_from(SKILL_SLUGS)),
    extra=st.sampled_from(SKILL_SLUGS),
    severity=st.integers(1, 3),
)
def test_more_matched_skills_never_lower_a_score(skills, offered, extra, severity):
    p = pupil(skills=skills)
    fewer = assess(p, candidate(skills=offered))
    assert assess(p, candidate(skills=offered | {extra})).score >= fewer.score
    more_needs = pupil(skills={**skills, extra: skills.get(extra, severity)})
    assert assess(more_needs, candidate(skills=offered)).score >= fewer.score


# --- Evidence -------------------------------------------------------------------------------------
def test_pooled_evidence_reads_as_months_trials_and_pupils():
    rec = assess(pupil(), candidate())
    assert "+4 months (moderate impact) in 4 trials of 1,234 pupils, interval +2 to +7 months" in (
        texts(rec)
    )


def test_an_interval_that_reaches_zero_is_said_and_counts_for_less():
    sure = assess(pupil(), candidate())
    unsure = assess(pupil(), candidate(pooled_ci_low=-0.05))
    assert unsure.score < sure.score
    assert any(t.endswith("but the interval includes no effect") for t in texts(unsure))


def test_a_single_trial_is_flagged():
    rec = assess(pupil(), candidate(strength=Strength.SINGLE.value, pooled_k=1, pooled_n=300))
    assert any("in a single trial of 300 pupils" in t for t in texts(rec))
    assert matching_weights.CAUTION_SINGLE in rec.cautions


def test_a_toolkit_strand_counts_less_than_the_programmes_own_trials():
    strand = candidate(
        strength=Strength.TOOLKIT.value,
        pooled_estimate=None,
        pooled_ci_low=None,
        pooled_ci_high=None,
        pooled_k=0,
        pooled_n=None,
        eef_months=4,
    )
    rec = assess(pupil(), strand)
    assert "EEF Toolkit: +4 months for this kind of approach, not this programme itself" in texts(
        rec
    )
    assert rec.score < assess(pupil(), candidate()).score


def test_no_evaluation_is_said_with_a_caution():
    bare = candidate(strength=Strength.NONE.value, pooled_estimate=None, pooled_k=0)
    rec = assess(pupil(), bare)
    assert "no published evaluation" in texts(rec)
    assert matching_weights.CAUTION_NO_EVALUATION in rec.cautions


def test_an_intervention_with_better_evidence_ranks_above_an_otherwise_identical_one():
    weak = twin(candidate(strength=Strength.SINGLE.value, pooled_k=1), "Apple", "apple")
    strong = twin(candidate(), "Bramble", "bramble")
    assert [r.candidate.slug for r in rank(pupil(), [weak, strong])] == ["bramble", "apple"]


evidence = st.fixed_dictionaries(
    {
        "strength": st.sampled_from([s.value for s in Strength]),
        "pooled_estimate": st.floats(-0.5, 1.2),
        "low_gap": st.floats(0, 0.6),
        "pooled_k": st.integers(1, 8),
    }
)


def with_evidence(name, slug, e):
    low = e["pooled_estimate"] - e["low_gap"]
    return candidate(
        name=name,
        slug=slug,
        strength=e["strength"],
        pooled_estimate=e["pooled_estimate"],
        pooled_ci_low=low,
        pooled_ci_high=e["pooled_estimate"] + e["low_gap"],
        pooled_k=e["pooled_k"],
    )


@settings(max_examples=200)
@given(e=evidence, bigger=st.floats(0, 0.5), more=st.integers(0, 4), stronger=st.booleans())
def test_better_evidence_never_scores_lower_than_otherwise_identical_evidence(
    e, bigger, more, stronger
):
    better = {
        **e,
        "pooled_estimate": e["pooled_estimate"] + bigger,
        "pooled_k": e["pooled_k"] + more,
    }
    order = matching_weights.STRENGTHS
    if stronger and e["strength"] != order[0]:
        better["strength"] = order[order.index(e["strength"]) - 1]
    worse_rec = assess(pupil(), with_evidence("A", "a", e))
    better_rec = assess(pupil(), with_evidence("B", "b", better))
    assert better_rec.score >= worse_rec.score


@settings(max_examples=200)
@given(effect=st.floats(0.05, 0.9), gain=st.floats(0.05, 0.6))
def test_more_months_of_progress_ranks_above_an_otherwise_identical_entry(effect, gain):
    def entry(name, estimate):
        return candidate(
            name=name,
            slug=name.lower(),
            pooled_estimate=estimate,
            pooled_ci_low=estimate - 0.04,
            pooled_ci_high=estimate + 0.04,
        )

    smaller, larger = entry("Apple", effect), entry("Bramble", effect + gain)
    if stats.eef_months(effect + gain) > stats.eef_months(effect):
        assert [r.candidate.name for r in rank(pupil(), [smaller, larger])] == ["Bramble", "Apple"]


# --- This school's results ------------------------------------------------------------------------
def test_what_worked_for_similar_pupils_here_is_shown_and_counts():
    rec = assess(pupil(), candidate(local=LocalEvidence(similar_pupils=9, responded=7)))
    assert "worked for 7 of 9 similar pupils here" in texts(rec)
    assert rec.score > assess(pupil(), candidate()).score


def test_a_poor_record_here_counts_against_it_with_a_caution():
    rec = assess(pupil(), candidate(local=LocalEvidence(similar_pupils=8, responded=1)))
    assert rec.score < assess(pupil(), candidate()).score
    assert "worked for fewer than half of similar pupils here" in rec.cautions


def test_three_of_three_counts_for_less_than_thirty_of_thirty():
    few = assess(pupil(), candidate(local=LocalEvidence(3, 3))).score
    many = assess(pupil(), candidate(local=LocalEvidence(30, 30))).score
    assert few < many


def test_trust_results_are_used_at_half_weight_when_the_school_has_too_few():
    school = assess(pupil(), candidate(local=LocalEvidence(10, 8)))
    trust = assess(
        pupil(), candidate(local=LocalEvidence(2, 2), trust=LocalEvidence(10, 8, "trust"))
    )
    base = assess(pupil(), candidate()).score
    assert trust.score - base == pytest.approx((school.score - base) / 2, abs=0.01)
    assert "worked for 8 of 10 similar pupils in the trust's other schools" in texts(trust)


@given(similar=st.integers(0, 2), data=st.data())
def test_local_evidence_from_fewer_than_3_pupils_changes_nothing(similar, data):
    responded = data.draw(st.integers(0, similar))
    none = assess(pupil(), candidate())
    few = assess(pupil(), candidate(local=LocalEvidence(similar, responded)))
    assert (few.score, few.factors, few.cautions) == (none.score, none.factors, none.cautions)
    assert "not enough school data yet" in texts(few)


# --- Delivery and cost ----------------------------------------------------------------------------
def test_a_trained_member_of_staff_with_a_free_slot_is_named():
    staff = (
        StaffOption("Mr Lee", False, ("Monday 10:00",)),
        StaffOption("Mrs Khan", True, ("Tuesday 9:00",)),
    )
    rec = assess(pupil(), candidate(staff=staff))
    assert "Mrs Khan is trained and has Tuesday 9:00 free" in texts(rec)
    assert rec.score == assess(pupil(), candidate()).score + WEIGHTS.delivery_ready


def test_nobody_trained_is_a_caution_but_not_for_a_classroom_strategy_or_a_computer_program():
    untrained = (StaffOption("Mr Lee", False, ("Monday 10:00",)),)
    assert (
        matching_weights.CAUTION_NOBODY_TRAINED
        in assess(pupil(), candidate(staff=untrained)).cautions
    )
    strategy = candidate(kind=Kind.STRATEGY.value)
    program = candidate(delivered_by="computer")
    for c in (strategy, program):
        assert matching_weights.CAUTION_NOBODY_TRAINED not in assess(pupil(), c).cautions


def test_trained_but_fully_booked_staff_are_named_in_a_caution():
    rec = assess(pupil(), candidate(staff=(StaffOption("Mrs Khan", True, ()),)))
    assert (
        "Mrs Khan is trained but has no free slot: the timetable would need to change"
        in rec.cautions
    )


def test_cost_is_shown_in_words_and_never_changes_the_score():
    rec = assess(pupil(), candidate(cost_note="Training £300 a person."))
    assert "cost: Training £300 a person." in texts(rec)
    assert rec.score == assess(pupil(), candidate()).score
    assert "£300" not in explain(rec)


def test_a_free_place_in_a_running_group_is_named_and_counts_as_ready_to_start():
    groups = (
        GroupOption("Year 4 readers", "Monday 09:10", taken=4, places=4),
        GroupOption("Tuesday decoders", "Tuesday 09:10 and Thursday 09:10", taken=2, places=4),
    )
    rec = assess(pupil(), candidate(groups=groups))
    assert (
        "a place is free in Tuesday decoders (Tuesday 09:10 and Thursday 09:10, "
        "2 of 4 places taken)" in texts(rec)
    )
    assert rec.score == assess(pupil(), candidate()).score + WEIGHTS.delivery_ready
    assert matching_weights.CAUTION_GROUPS_FULL not in rec.cautions


def test_when_every_group_is_full_it_says_so_and_falls_back_to_trained_staff():
    full = (GroupOption("Year 4 readers", "Monday 09:10", taken=4, places=4),)
    staff = (StaffOption("Mrs Khan", True, ("Tuesday 13:15\u201314:45",)),)
    rec = assess(pupil(), candidate(groups=full, staff=staff))
    assert matching_weights.CAUTION_GROUPS_FULL in rec.cautions
    assert "Mrs Khan is trained and has Tuesday 13:15\u201314:45 free" in texts(rec)


def test_free_time_on_several_days_is_listed_in_words():
    staff = (
        StaffOption("Mrs Khan", True, ("Monday 09:00\u201310:00", "Wednesday 09:00\u201310:00")),
    )
    rec = assess(pupil(), candidate(staff=staff))
    assert (
        "Mrs Khan is trained and has Monday 09:00\u201310:00 and Wednesday 09:00\u201310:00 free"
        in texts(rec)
    )


def test_a_cost_within_the_budget_left_is_shown_and_does_not_change_the_score():
    rec = assess(pupil(), candidate(cost_per_pupil=120.0, budget_left=2300.0))
    assert "costs \u00a3120 a pupil here; \u00a32,300 of this year's budget left" in texts(rec)
    assert rec.score == assess(pupil(), candidate()).score


def test_a_cost_above_the_budget_left_counts_against_it_with_the_figures():
    within = assess(pupil(), candidate(cost_per_pupil=120.0, budget_left=2300.0))
    over = assess(pupil(), candidate(cost_per_pupil=400.0, budget_left=250.0))
    assert over.score == within.score + WEIGHTS.over_budget
    assert (
        "costs \u00a3400 a pupil, more than the \u00a3250 left in this year's budget"
        in over.cautions
    )
    assert "\u00a3400" in explain(over)


def test_the_schools_own_cost_replaces_the_published_note_and_an_unknown_budget_is_not_a_guess():
    rec = assess(pupil(), candidate(cost_note="Very low cost", cost_per_pupil=80.0))
    assert "costs \u00a380 a pupil here" in texts(rec)
    assert not any("Very low cost" in t for t in texts(rec))
    assert rec.score == assess(pupil(), candidate()).score


def test_a_pupil_learning_english_is_cautioned_on_a_language_programme():
    talk = candidate(skills=frozenset({"vocabulary"}), need_codes=frozenset({"SLCN"}))
    p = pupil(primary_need="SLCN", skills={"vocabulary": 2})
    assert matching_weights.CAUTION_EAL in assess(dataclasses.replace(p, eal=True), talk).cautions
    assert matching_weights.CAUTION_EAL not in assess(p, talk).cautions


# --- The sentence ---------------------------------------------------------------------------------
def test_explain_gives_one_plain_english_sentence():
    rec = assess(
        pupil(),
        candidate(local=LocalEvidence(9, 7), staff=(StaffOption("Mrs Khan", True, ("Tuesday",)),)),
    )
    assert explain(rec) == (
        "Matches decoding and reading fluency; made for specific learning difficulty, the "
        "primary need; +4 months (moderate impact) in 4 trials of 1,234 pupils, interval +2 to "
        "+7 months; worked for 7 of 9 similar pupils here; Mrs Khan is trained and has Tuesday free."
    )


# --- Ranking --------------------------------------------------------------------------------------
def test_equal_scores_are_listed_by_name_and_limit_keeps_the_best():
    cs = [twin(candidate(), name, name.lower()) for name in ("Cedar", "Apple", "Birch")]
    assert [r.candidate.name for r in rank(pupil(), cs)] == ["Apple", "Birch", "Cedar"]
    assert [r.candidate.name for r in rank(pupil(), cs, limit=2)] == ["Apple", "Birch"]


def test_the_weights_can_be_changed_in_one_place():
    x = twin(candidate(), "Apple", "apple")
    y = twin(candidate(), "Bramble", "bramble")
    p = pupil(history={"apple": "no_response"})
    forgiving = Weights(no_response=0.0)
    assert [r.candidate.slug for r in rank(p, [x, y], weights=forgiving)] == ["apple", "bramble"]


pupils = st.builds(
    PupilNeeds,
    nc_year=st.integers(0, 13),
    primary_need=st.sampled_from(NEEDS),
    secondary_need=st.sampled_from(["", *NEEDS]),
    areas=st.frozensets(st.sampled_from(AREAS)),
    skills=st.dictionaries(st.sampled_from(SKILL_SLUGS), st.integers(1, 3)),
    eal=st.booleans(),
    history=st.dictionaries(
        st.sampled_from(["a", "b", "c", "d"]), st.sampled_from(matching_weights.HISTORY_VALUES)
    ),
)


staff_options = st.lists(
    st.builds(
        StaffOption,
        name=st.sampled_from(["Mrs Khan", "Mr Lee"]),
        trained=st.booleans(),
        free_slots=st.sampled_from([(), ("Tuesday 9:00",)]),
    ),
    max_size=2,
).map(tuple)


# The strategies a candidate is drawn from, built once: building them inside the composite would
# have Hypothesis build and validate every one of them again for each of the thousands of draws.
CANDIDATE_PARTS = {
    "low": st.integers(0, 13),
    "estimate": st.none() | st.floats(-1.5, 1.5),
    "gap": st.floats(0, 1),
    "similar": st.integers(0, 12),
    "name": st.sampled_from(["Apple", "Birch", "Cedar"]),
    "kind": st.sampled_from([k.value for k in Kind]),
    "need_codes": st.frozensets(st.sampled_from(NEEDS)),
    "areas": st.frozensets(st.sampled_from(AREAS)),
    "skills": st.frozensets(st.sampled_from(SKILL_SLUGS)),
    "strength": st.sampled_from([s.value for s in Strength]),
    "pooled_k": st.integers(0, 9),
    "pooled_n": st.none() | st.integers(1, 5000),
    "eef_months": st.none() | st.integers(-3, 12),
    "cost_note": st.sampled_from(["", "Free"]),
    "delivered_by": st.sampled_from(["", "teacher", "teaching_assistant", "computer"]),
}
YEAR_MAX_FROM = {low: st.integers(low, 13) for low in range(14)}
LOCAL_WITH = {
    similar: st.none() | st.builds(LocalEvidence, st.just(similar), st.integers(0, similar))
    for similar in range(13)
}


@st.composite
def candidates(draw, slug):
    part = CANDIDATE_PARTS
    low = draw(part["low"])
    estimate = draw(part["estimate"])
    gap = draw(part["gap"])
    similar = draw(part["similar"])
    return Candidate(
        slug=slug,
        name=draw(part["name"]) + " " + slug,
        kind=draw(part["kind"]),
        need_codes=draw(part["need_codes"]),
        areas=draw(part["areas"]),
        skills=draw(part["skills"]),
        year_min=low,
        year_max=draw(YEAR_MAX_FROM[low]),
        strength=draw(part["strength"]),
        pooled_estimate=estimate,
        pooled_ci_low=None if estimate is None else estimate - gap,
        pooled_ci_high=None if estimate is None else estimate + gap,
        pooled_k=draw(part["pooled_k"]),
        pooled_n=draw(part["pooled_n"]),
        eef_months=draw(part["eef_months"]),
        cost_note=draw(part["cost_note"]),
        delivered_by=draw(part["delivered_by"]),
        local=draw(LOCAL_WITH[similar]),
        staff=draw(staff_options),
    )


catalogues = st.tuples(*(candidates(slug) for slug in "abcdef"))


@settings(max_examples=150)
@given(p=pupils, catalogue=catalogues, order=st.randoms(use_true_random=False))
def test_ranking_is_deterministic_whatever_order_the_catalogue_comes_in(p, catalogue, order):
    shuffled = list(catalogue)
    order.shuffle(shuffled)
    assert rank(p, catalogue) == rank(p, shuffled) == rank(p, catalogue)


@settings(max_examples=150)
@given(p=pupils, catalogue=catalogues)
def test_every_recommendation_is_explained_and_its_score_is_a_real_number(p, catalogue):
    ranked = rank(p, catalogue)
    scores = [r.score for r in ranked]
    assert scores == sorted(scores, reverse=True)
    for rec in ranked:
        assert rec.eligible and rec.factors and all(f.text for f in rec.factors)
        assert math.isfinite(rec.score)
        assert rec.score == pytest.approx(sum(f.points for f in rec.factors), abs=0.011)
        assert explain(rec).endswith(".") and explain(rec)[0].isupper()
        assert p.history.get(rec.candidate.slug) != "ongoing"
        assert not rec.outside_age or matching_weights.CAUTION_OUTSIDE_AGE in rec.cautions


# --- Bad input ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: rank(pupil(skills={"decoding": 4}), []), "Skill severity must be 1"),
        (lambda: rank(pupil(history={"x": "finished"}), []), "History must say"),
        (lambda: rank(pupil(), [candidate(year_min=6, year_max=2)]), "youngest year"),
        (lambda: LocalEvidence(similar_pupils=3, responded=4), "Responders must be"),
        (lambda: LocalEvidence(3, 1, scope="county"), "scope must be"),
        (lambda: GroupOption("G", "Monday", taken=-1, places=4), "at least one place"),
        (lambda: GroupOption("G", "Monday", taken=0, places=0), "at least one place"),
        (lambda: rank(pupil(), [candidate(cost_per_pupil=math.nan, budget_left=5.0)]), "finite"),
        (lambda: rank(pupil(), [candidate(pooled_estimate=math.nan)]), "finite"),
        (lambda: rank(pupil(), [candidate(pooled_ci_low=math.inf)]), "finite"),
    ],
)
def test_bad_input_is_refused_with_a_clear_error(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_the_matcher_knows_every_strength_and_kind_of_the_catalogue():
    assert set(matching_weights.STRENGTHS) == set(Strength.values)
    assert set(matching_weights.KINDS) == set(Kind.values)
    assert len({WEIGHTS.strength_points(s) for s in matching_weights.STRENGTHS}) == len(Strength)


def test_the_weights_module_is_pure_too():
    for module in (matching, matching_weights, matching_types):
        for node in ast.walk(ast.parse(Path(module.__file__).read_text())):
            if isinstance(node, ast.ImportFrom | ast.Import):
                names = (
                    [node.module or ""]
                    if isinstance(node, ast.ImportFrom)
                    else [a.name for a in node.names]
                )
                assert not any(n.split(".")[0] == "django" for n in names)


def test_when_staff_training_is_not_recorded_the_matcher_says_so_instead_of_nobody_trained():
    from sendwise.planning import matching, matching_weights

    pupil = matching.PupilNeeds(
        nc_year=4, primary_need="SPLD", secondary_need="", areas=frozenset(), skills={}
    )
    candidate = matching.Candidate(
        slug="x",
        name="X",
        kind="targeted_intervention",
        need_codes=frozenset({"SPLD"}),
        areas=frozenset(),
        skills=frozenset(),
        year_min=2,
        year_max=6,
        strength="none",
        delivered_by="teaching_assistant",
        staff_known=False,
    )
    rec = matching.rank(pupil, [candidate])[0]
    assert matching_weights.CAUTION_STAFF_UNKNOWN in rec.cautions
    assert matching_weights.CAUTION_NOBODY_TRAINED not in rec.cautions


def test_well_evidenced_interventions_with_no_benefit_gain_nothing_from_their_evidence():
    from sendwise.planning import matching, matching_weights

    pupil = matching.PupilNeeds(
        nc_year=4, primary_need="SPLD", secondary_need="", areas=frozenset(), skills={}
    )

    def candidate(slug, estimate, k):
        return matching.Candidate(
            slug=slug,
            name=slug,
            kind="targeted_intervention",
            need_codes=frozenset({"SPLD"}),
            areas=frozenset(),
            skills=frozenset(),
            year_min=2,
            year_max=6,
            strength=pooling.STRENGTH_POOLED if k > 1 else pooling.STRENGTH_SINGLE,
            pooled_estimate=estimate,
            pooled_ci_low=estimate - 0.1,
            pooled_ci_high=estimate + 0.1,
            pooled_k=k,
            pooled_n=300 * k,
            staff_known=False,
        )

    null_but_many = candidate("null", 0.0, 3)
    small_but_positive = candidate("small", 0.2, 1)
    ranked = matching.rank(pupil, [null_but_many, small_but_positive])
    assert [r.candidate.slug for r in ranked] == ["small", "null"]
    assert matching_weights.CAUTION_NO_BENEFIT in ranked[1].cautions


def test_many_trials_whose_interval_includes_no_effect_do_not_outrank_one_clear_positive_trial():
    from sendwise.planning import matching

    pupil = matching.PupilNeeds(
        nc_year=4, primary_need="SPLD", secondary_need="", areas=frozenset(), skills={}
    )
    common = {
        "kind": "targeted_intervention",
        "need_codes": frozenset({"SPLD"}),
        "areas": frozenset(),
        "skills": frozenset(),
        "year_min": 2,
        "year_max": 6,
        "staff_known": False,
    }
    uncertain = matching.Candidate(
        slug="u",
        name="u",
        strength=pooling.STRENGTH_POOLED,
        pooled_estimate=0.05,
        pooled_ci_low=-0.1,
        pooled_ci_high=0.2,
        pooled_k=4,
        pooled_n=900,
        **common,
    )
    clear = matching.Candidate(
        slug="c",
        name="c",
        strength=pooling.STRENGTH_SINGLE,
        pooled_estimate=0.3,
        pooled_ci_low=0.1,
        pooled_ci_high=0.5,
        pooled_k=1,
        pooled_n=300,
        **common,
    )
    assert [r.candidate.slug for r in matching.rank(pupil, [uncertain, clear])] == ["c", "u"]
