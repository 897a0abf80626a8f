"""Demo support plans: most pupils with SEN in the main school have a plan in place, with the
intervention the matcher ranks first, a SMART outcome, and a baseline score where it fits.

Made-up data so the SENCO sees a working school, not empty pages. Needs the catalogue seeded;
does nothing if it is empty.
"""

import random
from datetime import date, timedelta

from sendwise.core.access import actor_for
from sendwise.core.models import School, User
from sendwise.evidence.models import Intervention, Measure
from sendwise.monitoring.models import Score
from sendwise.planning import matching, recommend
from sendwise.planning.models import Outcome, Placement, Plan
from sendwise.pupils.models import Pupil

OUTCOMES = {
    "cognition_learning": "By the review, {name} will read and spell the words of the current phonics phase with 90% accuracy.",
    "communication_interaction": "By the review, {name} will retell a short story in order using three linking words.",
    "semh": "By the review, {name} will use a calm-down strategy on their own in 4 out of 5 difficult moments.",
    "sensory_physical": "By the review, {name} will write a sentence legibly on the line, with correct letter formation.",
}


def plans_build(rng: random.Random, school: School, senco: User, today: date) -> int:
    """A current plan for about three in four pupils with SEN; returns how many were made."""
    if not Intervention.objects.filter(school__isnull=True).exists():
        return 0
    actor = actor_for(senco, school.id)
    pool = recommend.candidates(actor=actor)
    measure = Measure.objects.filter(slug="yarc_passage_primary").first()
    pupils = list(Pupil.objects.filter(school=school).exclude(sen_provision="N").order_by("id"))
    plans, chosen = [], []
    for pupil in pupils:
        if rng.random() > 0.75:
            continue
        ranked = matching.rank(recommend.pupil_needs(pupil=pupil), pool, limit=3)
        targeted = [r for r in ranked if r.candidate.kind == "targeted_intervention"]
        start = today - timedelta(weeks=rng.randrange(2, 8))
        plans.append(
            Plan(
                school=school,
                pupil=pupil,
                cycle=1,
                status=Plan.Status.ACTIVE,
                start_date=start,
                review_date=start + timedelta(weeks=12),
                created_by=senco,
            )
        )
        chosen.append((pupil, targeted[0] if targeted else None, start))
    Plan.objects.bulk_create(plans)
    by_pupil = {p.pupil_id: p for p in Plan.objects.filter(school=school)}
    slugs = {i.slug: i for i in Intervention.objects.filter(school__isnull=True)}
    placements, outcomes, scores = [], [], []
    for pupil, rec, start in chosen:
        plan = by_pupil[pupil.pk]
        area = next(iter(recommend.pupil_needs(pupil=pupil).areas), "cognition_learning")
        outcomes.append(
            Outcome(school=school, plan=plan, text=OUTCOMES[area].format(name=pupil.first_name))
        )
        if rec is not None:
            intervention = slugs[rec.candidate.slug]
            placements.append(
                Placement(
                    school=school,
                    plan=plan,
                    intervention=intervention,
                    recommendation_rank=1,
                    sessions_per_week=intervention.sessions_per_week,
                    minutes_per_session=intervention.minutes_per_session,
                    weeks=intervention.weeks,
                    why_chosen=matching.explain(rec)[:1000],
                )
            )
        if measure is not None and area == "cognition_learning" and 1 <= pupil.nc_year <= 6:
            scores.append(
                Score(
                    school=school,
                    pupil=pupil,
                    measure=measure,
                    value=rng.randrange(72, 92),
                    taken_on=start - timedelta(days=3),
                    entered_by=senco,
                    note="Baseline",
                )
            )
    Placement.objects.bulk_create(placements)
    Outcome.objects.bulk_create(outcomes)
    Score.objects.bulk_create(scores)
    return len(plans)
