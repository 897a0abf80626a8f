"""Turn a pupil's recorded needs and the catalogue into the matcher's inputs, and rank.

The ranking itself is the pure `planning.matching`; this module only reads (through the
selectors of each app) and translates. Three queries for the pupil's needs and history, one for
the catalogue, whatever the catalogue's size.
"""

from sendwise.core.access import Actor
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


def candidates(*, actor: Actor) -> list[matching.Candidate]:
    """Every catalogue entry the actor's school can use, with its stored evidence summary."""
    return [
        matching.Candidate(
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
            staff_known=False,  # training and timetables arrive with the delivery app
        )
        for i in interventions_visible(actor=actor)
    ]


def recommendations_for(*, actor: Actor, pupil: Pupil, limit: int = 10) -> dict:
    """Ranked, explained targeted interventions and classroom strategies for one pupil."""
    needs = pupil_needs(pupil=pupil)
    pool = candidates(actor=actor)
    ranked = matching.rank(needs, pool)
    targeted = [r for r in ranked if r.candidate.kind == "targeted_intervention"][:limit]
    strategies = [r for r in ranked if r.candidate.kind == "classroom_strategy"][:limit]
    return {
        "needs": needs,
        "targeted": [(r, matching.explain(r)) for r in targeted],
        "strategies": [(r, matching.explain(r)) for r in strategies],
        "in_place": matching.already_in_place(needs, pool),
    }
