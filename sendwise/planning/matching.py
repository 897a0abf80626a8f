"""Which interventions and classroom strategies fit a pupil, best first, and why. Pure: no Django.

The caller (the planning app's selectors) turns a pupil's needs profile into a
:class:`PupilNeeds` and catalogue rows into :class:`Candidate` objects, with what this school
has seen (:class:`LocalEvidence`) and who could deliver (:class:`StaffOption`); this module
scores them. Every score is the sum of its :class:`Factor` points, each with a sentence, and
every number comes from ``matching_weights.WEIGHTS``, documented there.

Rules a SENCO can rely on:

* more than ``max_years_outside`` years outside a programme's evaluated age range: never
  recommended (a Year 9 pupil is never offered a Reception programme); one year outside:
  offered lower down, flagged ``outside_age`` with a caution to record a reason;
* something already in place (``ongoing``) is not recommended again; :func:`already_in_place`
  lists it with the reason;
* something the pupil made no progress with is ranked lower, and says so;
* an entry that matches none of the pupil's needs, areas or skills is not recommended;
* a school's own results count only from ``local_min_pupils`` similar pupils up.

:func:`rank` is linear in the number of candidates, with no lookups: the pupil is checked
once, and what depends on a candidate alone (evidence, local results, staff) is worked out once
and reused for every pupil, so ranking a catalogue for a whole school stays cheap.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from sendwise.evidence import pooling
from sendwise.maths import stats
from sendwise.planning import matching_weights as w
from sendwise.planning.matching_types import (  # noqa: F401  (re-exported for callers)
    ERR_GROUP,
    ERR_HISTORY,
    ERR_LOCAL,
    ERR_SCOPE,
    ERR_SEVERITY,
    ERR_YEARS,
    Candidate,
    Factor,
    GroupOption,
    LocalEvidence,
    PupilNeeds,
    Recommendation,
    StaffOption,
)
from sendwise.planning.matching_weights import WEIGHTS, Weights
from sendwise.pupils.skills import SKILLS

_SKILL_WORDS = {slug: name.lower() for slug, name, _area, _what in SKILLS}


def rank(
    pupil: PupilNeeds,
    candidates: Iterable[Candidate],
    *,
    limit: int | None = None,
    weights: Weights = WEIGHTS,
) -> list[Recommendation]:
    """The eligible candidates for this pupil, best first; equal scores in name order."""
    profile = _Profile(pupil)
    recs = [_assess(profile, c, weights) for c in candidates]
    recs = sorted((r for r in recs if r.eligible), key=_order)
    return recs if limit is None else recs[:limit]


def assess(
    pupil: PupilNeeds, candidate: Candidate, *, weights: Weights = WEIGHTS
) -> Recommendation:
    """One candidate for one pupil, eligible or not (for "why is X not suggested?")."""
    return _assess(_Profile(pupil), candidate, weights)


def already_in_place(
    pupil: PupilNeeds, candidates: Iterable[Candidate], *, weights: Weights = WEIGHTS
) -> list[Recommendation]:
    """What the pupil is having now (history ``ongoing``), in name order; the reason comes
    first in each one's ``cautions``."""
    profile = _Profile(pupil)
    ongoing = (c for c in candidates if profile.history.get(c.slug) == w.ONGOING)
    recs = [_assess(profile, c, weights) for c in ongoing]
    return sorted(recs, key=lambda r: (r.candidate.name, r.candidate.slug))


def explain(rec: Recommendation) -> str:
    """One plain-English sentence saying why (or, if not eligible, why not)."""
    if not rec.eligible:
        return w.TEXT_NOT_RECOMMENDED.format(reason=rec.cautions[0])
    texts = [f.text for f in rec.factors if f.key not in ("cost", "age") or f.points < 0]
    sentence = "; ".join(texts)
    return sentence[:1].upper() + sentence[1:] + "."


def _order(rec: Recommendation):
    return (-rec.score, rec.candidate.name, rec.candidate.slug)


# --- Scoring ------------------------------------------------------------------------------------
class _Profile:
    """The pupil, checked once and indexed for scoring many candidates."""

    def __init__(self, pupil: PupilNeeds):
        for skill, severity in pupil.skills.items():
            if isinstance(severity, bool) or severity not in (1, 2, 3):
                raise ValueError(ERR_SEVERITY.format(skill=skill))
        for slug, outcome in pupil.history.items():
            if outcome not in w.HISTORY_VALUES:
                raise ValueError(ERR_HISTORY.format(slug=slug))
        self.pupil = pupil
        self.skills = dict(pupil.skills)
        self.history = dict(pupil.history)
        codes = (pupil.primary_need, pupil.secondary_need)
        self.areas = frozenset(pupil.areas) | {
            w.AREA_OF_NEED[c] for c in codes if c in w.AREA_OF_NEED
        }


def _assess(profile: _Profile, c: Candidate, weights: Weights) -> Recommendation:
    if c.year_min > c.year_max:
        raise ValueError(ERR_YEARS.format(slug=c.slug))
    pupil = profile.pupil
    factors: list[Factor] = []
    cautions: list[str] = []
    refusals: list[str] = []

    need_matched = _need_factors(profile, c, weights, factors)
    skills = _skill_factor(profile, c, weights, factors)
    if not (need_matched or skills):
        refusals.append(w.CAUTION_NO_MATCH)
    outside = _age_factor(pupil.nc_year, c, weights, factors, cautions, refusals)
    fixed_factors, fixed_cautions = _candidate_part(c, weights)
    factors += fixed_factors
    cautions += fixed_cautions
    outcome = profile.history.get(c.slug)
    if outcome == w.NO_RESPONSE:
        factors.append(
            Factor("history", weights.no_response, w.TEXT_NO_PROGRESS.format(name=c.name))
        )
    elif outcome == w.RESPONDED:
        factors.append(Factor("history", weights.responded, w.TEXT_PROGRESS.format(name=c.name)))
    elif outcome == w.ONGOING:
        refusals.insert(0, w.TEXT_IN_PLACE.format(name=c.name))
    # Code of Practice 6.24: a difficulty that is only about learning English is not SEN.
    slcn = "SLCN" in c.need_codes and "SLCN" in (pupil.primary_need, pupil.secondary_need)
    language = slcn or w.LANGUAGE_SKILLS.intersection(skills)
    if pupil.eal and language:
        cautions.append(w.CAUTION_EAL)
    # Points to 2 decimals so a page shows "5.77", not 5.769230769; + 0.0 turns -0.0 into 0.0.
    factors = [Factor(f.key, round(f.points, 2) + 0.0, f.text) for f in factors]
    return Recommendation(
        candidate=c,
        score=round(sum(f.points for f in factors), 2) + 0.0,
        factors=tuple(factors),
        cautions=tuple(refusals + cautions),
        eligible=not refusals,
        outside_age=outside,
    )


def _candidate_part(c: Candidate, weights: Weights):
    """The factors that depend on the candidate alone (evidence, local results, delivery),
    worked out once per candidate and reused for every pupil when the candidate is hashable."""
    try:
        return _candidate_part_cached(c, weights)
    except TypeError:  # a list or dict inside the candidate: not hashable, so not cached
        return _candidate_part_uncached(c, weights)


def _candidate_part_uncached(c: Candidate, weights: Weights):
    factors: list[Factor] = []
    cautions: list[str] = []
    _evidence_factor(c, weights, factors, cautions)
    _local_factor(c, weights, factors, cautions)
    _delivery_factor(c, weights, factors, cautions)
    _cost_factor(c, weights, factors, cautions)
    return tuple(factors), tuple(cautions)


_candidate_part_cached = lru_cache(maxsize=4096)(_candidate_part_uncached)


def _need_factors(profile: _Profile, c: Candidate, weights: Weights, factors) -> bool:
    pupil = profile.pupil
    primary = bool(pupil.primary_need) and pupil.primary_need in c.need_codes
    secondary = (
        bool(pupil.secondary_need)
        and pupil.secondary_need != pupil.primary_need
        and pupil.secondary_need in c.need_codes
    )
    words = w.NEED_WORDS
    if primary and secondary:
        text = w.TEXT_BOTH.format(
            primary=words.get(pupil.primary_need, pupil.primary_need),
            secondary=words.get(pupil.secondary_need, pupil.secondary_need),
        )
        factors.append(Factor("need", weights.primary_need + weights.secondary_need, text))
    elif primary:
        need = words.get(pupil.primary_need, pupil.primary_need)
        factors.append(Factor("need", weights.primary_need, w.TEXT_PRIMARY.format(need=need)))
    elif secondary:
        need = words.get(pupil.secondary_need, pupil.secondary_need)
        factors.append(Factor("need", weights.secondary_need, w.TEXT_SECONDARY.format(need=need)))
    else:
        areas = sorted(profile.areas.intersection(c.areas))
        if not areas:
            return False
        text = w.TEXT_AREA.format(area=w.and_list([w.AREA_WORDS.get(a, a) for a in areas]))
        factors.append(Factor("area", weights.broad_area, text))
    return True


def _skill_factor(profile: _Profile, c: Candidate, weights: Weights, factors) -> list[str]:
    """The pupil's skills this candidate works on, most severe first (and their factor)."""
    matched = sorted(profile.skills.keys() & set(c.skills), key=lambda s: (-profile.skills[s], s))
    if not matched:
        return matched
    points = min(
        weights.skill_cap, weights.skill_per_severity * sum(profile.skills[s] for s in matched)
    )
    names = [_SKILL_WORDS.get(s, s.replace("_", " ")) for s in matched]
    factors.insert(0, Factor("skills", points, w.TEXT_SKILLS.format(skills=w.and_list(names))))
    return matched


def _age_factor(year: int, c: Candidate, weights: Weights, factors, cautions, refusals) -> bool:
    span = (
        w.year_label(c.year_min)
        if c.year_min == c.year_max
        else f"{w.year_label(c.year_min)} to {w.year_label(c.year_max)}"
    )
    distance = max(c.year_min - year, year - c.year_max, 0)
    if distance == 0:
        text = w.TEXT_AGE_INSIDE.format(range=span, year=w.year_label(year))
        factors.append(Factor("age", weights.inside_age, text))
        return False
    if distance > weights.max_years_outside:
        refusals.append(w.CAUTION_TOO_FAR.format(range=span, year=w.year_label(year)))
        return True
    text = w.TEXT_AGE_OUTSIDE.format(year=w.year_label(year), range=span)
    factors.append(Factor("age", weights.outside_age_by_one, text))
    cautions.append(w.CAUTION_OUTSIDE_AGE)
    return True


def _evidence_factor(c: Candidate, weights: Weights, factors, cautions) -> None:
    points = weights.strength_points(c.strength)
    if c.pooled_estimate is not None:
        months = stats.eef_months(c.pooled_estimate)
        trials = {0: "published research", 1: "a single trial"}.get(
            c.pooled_k, f"{c.pooled_k} trials"
        )
        pupils = f" of {c.pooled_n:,} pupils" if c.pooled_n else ""
        text = w.TEXT_TRIALS.format(
            months=pooling.signed_months(months),
            label=stats.eef_label(months),
            trials=trials,
            pupils=pupils,
        )
        size = weights.per_month * months
        uncertain = False
        if c.pooled_ci_low is not None and c.pooled_ci_high is not None:
            low = stats.real(c.pooled_ci_low, "pooled_ci_low")
            high = stats.real(c.pooled_ci_high, "pooled_ci_high")
            if low <= 0:
                text += w.TEXT_INTERVAL_NO_EFFECT
                if size > 0:
                    size *= weights.no_effect_share
                # Many trials that cannot rule out no effect are not strong evidence of benefit:
                # the strength points shrink the same way, and extra trials add nothing.
                points *= weights.no_effect_share
                uncertain = True
            else:
                text += w.TEXT_INTERVAL.format(
                    low=w.signed_months_of(low), high=w.signed_months_of(high)
                )
        extra = 0 if uncertain else min(max(c.pooled_k - 1, 0), weights.extra_trials_cap)
        if months <= 0:
            # Good evidence that it makes no difference is no reason to choose it: the strength
            # and number of trials add nothing when the pooled estimate is zero months or less.
            points, extra = 0.0, 0
            if months == 0:
                cautions.append(w.CAUTION_NO_BENEFIT)
        points += size + weights.per_extra_trial * extra
        if c.pooled_k == 1 or c.strength == pooling.STRENGTH_SINGLE:
            cautions.append(w.CAUTION_SINGLE)
        if months < 0:
            cautions.append(w.CAUTION_NEGATIVE)
    else:
        text = w.STRENGTH_TEXT.get(c.strength, "")
        if c.eef_months is not None:
            # No estimate of its own: the EEF Toolkit strand says what this kind of approach
            # does on average, and counts for less (see Weights.per_toolkit_month).
            months = max(-12, min(12, int(c.eef_months)))
            points += weights.per_toolkit_month * months
            toolkit = w.TEXT_TOOLKIT.format(months=pooling.signed_months(months))
            text = f"{text} ({toolkit})" if text else toolkit
        if not text:
            text = w.TEXT_NO_EVALUATION
            cautions.append(w.CAUTION_NO_EVALUATION)
    factors.append(Factor("evidence", points, text))


def _local_factor(c: Candidate, weights: Weights, factors, cautions) -> None:
    enough = weights.local_min_pupils
    local = next(
        (e for e in (c.local, c.trust) if e is not None and e.similar_pupils >= enough), None
    )
    if local is None:
        factors.append(Factor("local", 0.0, w.TEXT_LOCAL_NONE))
        return
    prior = weights.local_prior_pupils
    rate = (local.responded + prior / 2) / (local.similar_pupils + prior)
    share = weights.trust_share if local.scope == w.TRUST else 1.0
    points = (2 * rate - 1) * weights.local_max * share
    where = w.WHERE[local.scope]
    text = w.TEXT_LOCAL.format(responded=local.responded, pupils=local.similar_pupils, where=where)
    factors.append(Factor("local", points, text))
    if 2 * local.responded < local.similar_pupils:
        cautions.append(w.CAUTION_LOCAL_LOW.format(where=where))


def _delivery_factor(c: Candidate, weights: Weights, factors, cautions) -> None:
    if c.kind == w.STRATEGY:
        return  # the class teacher uses it in lessons: no slot or separate training to find
    # A group is ready only with a free place at a time that keeps the school's rule on how
    # often the pupil may miss the same lesson; one that breaks it says so, in words.
    with_place = [g for g in c.groups if g.has_place]
    group = next((g for g in with_place if not g.breaks_rule), None)
    if group is not None:
        text = w.TEXT_GROUP_PLACE.format(
            group=group.name, when=group.when, taken=group.taken, places=group.places
        )
        factors.append(Factor("delivery", weights.delivery_ready, text))
        return
    for g in with_place:
        cautions.append(
            w.CAUTION_GROUP_MISSES.format(group=g.name, when=g.when, missed=g.breaks_rule)
        )
    if c.groups and not with_place:
        cautions.append(w.CAUTION_GROUPS_FULL)
    if not c.staff_known:
        if c.delivered_by not in w.NO_TRAINING_NEEDED:
            cautions.append(w.CAUTION_STAFF_UNKNOWN)
        return
    ready = next((s for s in c.staff if s.trained and s.free_slots), None)
    if ready is not None:
        text = w.TEXT_READY.format(name=ready.name, slot=w.and_list(list(ready.free_slots)))
        factors.append(Factor("delivery", weights.delivery_ready, text))
        return
    busy = next((s for s in c.staff if s.trained), None)
    if busy is not None:
        text = w.TEXT_TRAINED_BUSY.format(name=busy.name)
        factors.append(Factor("delivery", weights.delivery_trained_busy, text))
        cautions.append(w.CAUTION_TRAINED_BUSY.format(name=busy.name))
    elif c.delivered_by not in w.NO_TRAINING_NEEDED:
        cautions.append(w.CAUTION_NOBODY_TRAINED)


def _cost_factor(c: Candidate, weights: Weights, factors, cautions) -> None:
    """The school's own cost against what is left of the budget; else the published note."""
    if c.cost_per_pupil is None:
        if c.cost_note.strip():
            factors.append(Factor("cost", 0.0, w.TEXT_COST.format(cost=c.cost_note.strip())))
        return
    cost = stats.real(c.cost_per_pupil, "cost_per_pupil")
    text = w.TEXT_COST_HERE.format(cost=cost)
    if c.budget_left is None:
        factors.append(Factor("cost", 0.0, text))
        return
    left = stats.real(c.budget_left, "budget_left")
    if cost <= left:
        factors.append(Factor("cost", 0.0, text + w.TEXT_BUDGET_LEFT.format(left=max(left, 0))))
        return
    factors.append(
        Factor("cost", weights.over_budget, text + w.TEXT_BUDGET_LEFT.format(left=max(left, 0)))
    )
    cautions.append(w.CAUTION_OVER_BUDGET.format(cost=cost, left=max(left, 0)))
