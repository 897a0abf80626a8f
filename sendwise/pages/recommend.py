"""Turn a pupil's recorded needs and the catalogue into the matcher's inputs, and rank.

The ranking itself is the pure `planning.matching`; this module only reads (through the
selectors of each app: the pupil's needs and history from planning, how similar pupils
responded here and in the trust from impact's sums (one query per primary need, so a pupil's
recommendations never scan the trust's placements),
the catalogue from evidence, staff, groups and money from delivery) and translates. It lives
above planning and delivery because it needs both. Three queries for the pupil's needs and history, and a
fixed number for the school's catalogue, results, staff, groups and budget (``CandidatePool``),
whatever the size of the catalogue or the school; a pool can be reused across pupils. Three
more for the pupil's class lessons, their groups' times and the school's lesson rules: a group
with a place counts as ready only where joining it keeps the rule on missed lessons.

A request for one pupil reads the school's candidates for the pupil's primary need from the
cache (one read), kept under the stamps of the catalogue, the school and its trust
(``core.stamps``): ``recommend_signals`` renews them after any change the candidates are made
from, so a new intervention, a member of staff trained or a group's place taken shows in the
next recommendation (issue 12: the pool was the larger part of a pupil's recommendations).
"""

from dataclasses import replace

from django.utils import timezone

from sendwise.core import stamps
from sendwise.core.access import Actor
from sendwise.delivery import selectors as delivery_selectors
from sendwise.delivery.lesson_selectors import joining_breaks_rule, pupil_lesson_rule
from sendwise.evidence.selectors import interventions_visible
from sendwise.impact.response_selectors import similar_pupils
from sendwise.planning import matching
from sendwise.planning.selectors import pupil_needs
from sendwise.pupils.models import Pupil


class CandidatePool:
    """The catalogue as the matcher sees it for one school, read once (a fixed number of
    queries) and turned into candidates per primary need, since "similar pupils" means pupils
    with the same primary need."""

    def __init__(self, *, actor: Actor):
        self.rows = list(interventions_visible(actor=actor))
        self.delivery = delivery_selectors.matcher_inputs(actor=actor, interventions=self.rows)
        self.actor = actor
        self._by_need: dict[str, list[matching.Candidate]] = {}

    def for_need(self, primary_need: str) -> list[matching.Candidate]:
        if primary_need not in self._by_need:
            # How similar pupils responded: one query on the sums for this need (impact).
            local, trust = similar_pupils(actor=self.actor, primary_need=primary_need)
            self._by_need[primary_need] = [
                self._candidate(i, primary_need, local, trust) for i in self.rows
            ]
        return self._by_need[primary_need]

    def _candidate(self, i, need: str, local: dict, trust: dict) -> matching.Candidate:
        d = self.delivery
        return matching.Candidate(
            slug=i.slug,
            name=i.name,
            kind=i.kind,
            need_codes=frozenset(i.need_codes),
            areas=frozenset(i.broad_areas),
            skills=frozenset(i.skills),
            year_min=i.nc_year_min,
            year_max=i.nc_year_max,
            strength=i.evidence_strength,
            pooled_estimate=i.pooled_estimate,
            pooled_ci_low=i.pooled_ci_low,
            pooled_ci_high=i.pooled_ci_high,
            pooled_k=i.pooled_k,
            pooled_n=i.pooled_n,
            eef_months=i.eef_months,
            cost_note=i.cost_note,
            delivered_by=i.delivered_by,
            local=_evidence(local, i.pk, matching.w.SCHOOL),
            trust=_evidence(trust, i.pk, matching.w.TRUST),
            staff=d.staff.get(i.pk, ()),
            staff_known=d.staff_known,
            groups=d.groups.get(i.pk, ()),
            cost_per_pupil=d.costs.get(i.pk),
            budget_left=d.budget_left if i.pk in d.costs else None,
        )


def _evidence(counts: dict, intervention_id: int, scope: str):
    if intervention_id not in counts:
        return None
    pupils, responded = counts[intervention_id]
    return matching.LocalEvidence(similar_pupils=pupils, responded=responded, scope=scope)


def candidates(*, actor: Actor, primary_need: str = "") -> list[matching.Candidate]:
    """Every catalogue entry the actor's school can use, with its evidence, this school's
    results for pupils with ``primary_need``, and who could deliver it."""
    return CandidatePool(actor=actor).for_need(primary_need)


def school_candidates(*, actor: Actor, primary_need: str) -> tuple[list, dict]:
    """The school's candidates for pupils with ``primary_need`` and its groups' times, from the
    cache while the catalogue, the school and its trust are unchanged since they were read
    (``core.stamps``); read afresh otherwise (and for anyone but the school's staff, who see
    no catalogue)."""

    def build():
        pool = CandidatePool(actor=actor)
        return pool.for_need(primary_need), pool.delivery.group_slots

    school = actor.school
    if actor.user is None or school is None or not actor.is_staff_member:
        return build()
    names = [stamps.EVERYTHING, stamps.school(school.pk)]
    if school.trust_id:
        names.append(stamps.trust(school.trust_id))
    key = f"recommend:candidates:{school.pk}:{primary_need}"
    return stamps.cached(key, names, build, today=timezone.localdate())


def recommendations_for(
    *, actor: Actor, pupil: Pupil, limit: int = 10, pool: CandidatePool | None = None
) -> dict:
    """Ranked, explained targeted interventions and classroom strategies for one pupil."""
    needs = pupil_needs(pupil=pupil)
    if pool is not None:
        found, group_slots = pool.for_need(needs.primary_need), pool.delivery.group_slots
    else:
        found, group_slots = school_candidates(actor=actor, primary_need=needs.primary_need)
    candidates = _keeping_lessons(found, group_slots, pupil_lesson_rule(actor=actor, pupil=pupil))
    ranked = matching.rank(needs, candidates)
    targeted = [r for r in ranked if r.candidate.kind == "targeted_intervention"][:limit]
    strategies = [r for r in ranked if r.candidate.kind == "classroom_strategy"][:limit]
    return {
        "needs": needs,
        "targeted": [(r, matching.explain(r)) for r in targeted],
        "strategies": [(r, matching.explain(r)) for r in strategies],
        "in_place": matching.already_in_place(needs, candidates),
    }


def _keeping_lessons(candidates, group_slots, rule) -> list[matching.Candidate]:
    """The candidates with each running group marked where joining it would take this pupil
    out of the same subject more often than the school allows (their class lessons and the
    groups they are in already counted): the matcher then does not count it as ready."""
    if not rule.lessons:
        return candidates  # no class timetable: nothing to protect, nothing to say
    marked = []
    for c in candidates:
        groups = tuple(
            replace(g, breaks_rule=joining_breaks_rule(rule, group_slots.get(g.key, ())))
            if g.has_place
            else g
            for g in c.groups
        )
        marked.append(replace(c, groups=groups) if groups != c.groups else c)
    return marked
