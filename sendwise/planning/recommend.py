"""Turn a pupil's recorded needs and the catalogue into the matcher's inputs, and rank.

The ranking itself is the pure `planning.matching`; this module only reads (through the
selectors of each app) and translates. Three queries for the pupil's needs and history, and a
fixed number for the school's catalogue, results, staff, groups and budget (``CandidatePool``),
whatever the size of the catalogue or the school; a pool can be reused across pupils.
"""

from django.db.models import Count, Q

from sendwise.core.access import Actor
from sendwise.core.disclosure import THRESHOLD
from sendwise.delivery import selectors as delivery_selectors
from sendwise.evidence.selectors import interventions_visible
from sendwise.planning import matching
from sendwise.planning.models import Placement, Plan, Response
from sendwise.pupils.codes import AREA_OF_NEED
from sendwise.pupils.models import Pupil, SkillNeed


def pupil_needs(*, pupil: Pupil) -> matching.PupilNeeds:
    """The pupil as the matcher sees them: year, needs, areas, skills and what they have had."""
    codes = [c for c in (pupil.primary_need, pupil.secondary_need) if c]
    areas = frozenset(str(AREA_OF_NEED[c]) for c in codes if c in AREA_OF_NEED)
    skills = dict(
        SkillNeed.objects.filter(school=pupil.school_id, pupil=pupil).values_list(
            "skill__slug", "severity"
        )
    )
    history: dict[str, str] = {}
    placements = Placement.objects.filter(school=pupil.school_id, plan__pupil=pupil).select_related(
        "plan", "intervention"
    )
    # Oldest cycle first, so the latest judgement of each intervention wins.
    for placement in placements.order_by("plan__cycle"):
        if placement.plan.status != Plan.Status.REVIEWED:
            history[placement.intervention.slug] = "ongoing"
        elif placement.response in (Response.RESPONDED, Response.NO_RESPONSE):
            history[placement.intervention.slug] = placement.response
    return matching.PupilNeeds(
        nc_year=pupil.nc_year,
        primary_need=pupil.primary_need,
        secondary_need=pupil.secondary_need,
        areas=areas,
        skills=skills,
        eal=pupil.eal,
        history=history,
    )


def local_results(*, actor: Actor) -> tuple[dict, dict]:
    """How pupils responded to each intervention at their reviews, by primary need: in the
    actor's school, and aggregated across its trust. Two queries.

    Keys are ``(intervention id, primary need)``; values ``(pupils judged, responded)``. Only
    "made good progress" and "little or no progress" count; "too early to tell" is no result.
    Across the trust only counts of the trust's *other* schools leave this function, never
    pupils, and only from ``THRESHOLD`` pupils up.
    """
    if actor.user is None or actor.school is None:
        return {}, {}
    judged = Placement.objects.filter(
        plan__status=Plan.Status.REVIEWED,
        response__in=(Response.RESPONDED, Response.NO_RESPONSE),
    )

    def counts(rows):
        return {
            (r["intervention_id"], r["plan__pupil__primary_need"]): (r["n"], r["r"])
            for r in rows.values("intervention_id", "plan__pupil__primary_need").annotate(
                n=Count("id"), r=Count("id", filter=Q(response=Response.RESPONDED))
            )
        }

    school = counts(judged.filter(school=actor.school))
    trust_id = actor.school.trust_id
    trust = {}
    if trust_id:
        # Other schools only, and only from THRESHOLD pupils up: with the school's own pupils
        # mixed in, or with 1 to 4 others, a SENCO could work out how another school's
        # individual pupils did (the same small-number rule as the advisers' pages).
        others = counts(judged.filter(school__trust=trust_id).exclude(school=actor.school))
        trust = {key: value for key, value in others.items() if value[0] >= THRESHOLD}
    return school, trust


class CandidatePool:
    """The catalogue as the matcher sees it for one school, read once (a fixed number of
    queries) and turned into candidates per primary need, since "similar pupils" means pupils
    with the same primary need."""

    def __init__(self, *, actor: Actor):
        self.rows = list(interventions_visible(actor=actor))
        self.delivery = delivery_selectors.matcher_inputs(actor=actor, interventions=self.rows)
        self.local, self.trust = local_results(actor=actor)
        self._by_need: dict[str, list[matching.Candidate]] = {}

    def for_need(self, primary_need: str) -> list[matching.Candidate]:
        if primary_need not in self._by_need:
            self._by_need[primary_need] = [self._candidate(i, primary_need) for i in self.rows]
        return self._by_need[primary_need]

    def _candidate(self, i, need: str) -> matching.Candidate:
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
            local=_evidence(self.local, i.pk, need, matching.w.SCHOOL),
            trust=_evidence(self.trust, i.pk, need, matching.w.TRUST),
            staff=d.staff.get(i.pk, ()),
            staff_known=d.staff_known,
            groups=d.groups.get(i.pk, ()),
            cost_per_pupil=d.costs.get(i.pk),
            budget_left=d.budget_left if i.pk in d.costs else None,
        )


def _evidence(counts: dict, intervention_id: int, need: str, scope: str):
    if not need or (intervention_id, need) not in counts:
        return None
    pupils, responded = counts[(intervention_id, need)]
    return matching.LocalEvidence(similar_pupils=pupils, responded=responded, scope=scope)


def candidates(*, actor: Actor, primary_need: str = "") -> list[matching.Candidate]:
    """Every catalogue entry the actor's school can use, with its evidence, this school's
    results for pupils with ``primary_need``, and who could deliver it."""
    return CandidatePool(actor=actor).for_need(primary_need)


def recommendations_for(
    *, actor: Actor, pupil: Pupil, limit: int = 10, pool: CandidatePool | None = None
) -> dict:
    """Ranked, explained targeted interventions and classroom strategies for one pupil."""
    needs = pupil_needs(pupil=pupil)
    pool = (pool or CandidatePool(actor=actor)).for_need(needs.primary_need)
    ranked = matching.rank(needs, pool)
    targeted = [r for r in ranked if r.candidate.kind == "targeted_intervention"][:limit]
    strategies = [r for r in ranked if r.candidate.kind == "classroom_strategy"][:limit]
    return {
        "needs": needs,
        "targeted": [(r, matching.explain(r)) for r in targeted],
        "strategies": [(r, matching.explain(r)) for r in strategies],
        "in_place": matching.already_in_place(needs, pool),
    }
