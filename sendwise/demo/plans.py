"""Demo support plans: most pupils with SEN in the main school have a plan in place, with the
intervention the matcher ranks first, a SMART outcome, and a baseline score where it fits.

About a third of the pupils with a plan are in their second cycle: their first plan ran for the
summer term of last school year with the school's usual programme for their area of need, was
reviewed at the end of that year (with a judgement of how they responded) and has a follow-up
score on the outcome's measure. So the school has results of its own, and the detail pages of
its usual programmes show "What our practice shows" (issue 6).

The current plans started in the first weeks of this school year (see `term_dates.demo_year`),
except a few pupils who joined support in the last three weeks (too few points to tell yet).
Review dates are spread around today: some passed and not yet held, some due in the next two
weeks, the rest later. Every current outcome that has a measure gets a designed response
pattern (`scores.PATTERNS`: on track, ahead, not responding, too few points) that the demo
scores follow.

Made-up data so the SENCO sees a working school, not empty pages. The follow-up scores are
plausible, not real: on standard scores (mean 100, SD 15) gains are mostly 0 to 8 points with
some falls (spread about as widely as a test's measurement error alone would spread them); on
the SDQ (lower is better) difficulties mostly ease by a few points. The review judgements
follow the gains. Needs the catalogue seeded; does nothing if it is empty.
"""

import dataclasses
import math
import random
from collections import Counter
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from sendwise.core.access import actor_for
from sendwise.core.codes import AREA_OF_NEED
from sendwise.core.models import School, User
from sendwise.delivery.models import Group, GroupMember, Training
from sendwise.demo import scores as demo_scores
from sendwise.demo import term_dates
from sendwise.evidence.models import Intervention, Measure
from sendwise.monitoring.models import OutcomeReview, PlacementDecision, Review, Score
from sendwise.pages import recommend
from sendwise.planning import matching
from sendwise.planning import selectors as planning_selectors
from sendwise.planning.models import Outcome, Placement, Plan, Response
from sendwise.pupils.models import Pupil

OUTCOMES = {
    "cognition_learning": "By the review, {name} will read and spell the words of the current phonics phase with 90% accuracy.",
    "communication_interaction": "By the review, {name} will retell a short story in order using three linking words.",
    "semh": "By the review, {name} will use a calm-down strategy on their own in 4 out of 5 difficult moments.",
    "sensory_physical": "By the review, {name} will write a sentence legibly on the line, with correct letter formation.",
}
#: What each area's outcome above is about, as needs-profile skills (``pupils.skills``): the
#: support planned for it works on one of them, so a reading goal measured on a reading test is
#: not paired with a maths programme that the matcher ranked first for the same pupil.
OUTCOME_SKILLS = {
    "cognition_learning": frozenset(
        {"phonological_awareness", "phonics", "decoding", "reading_fluency", "spelling"}
    ),
    "communication_interaction": frozenset(
        {"narrative", "expressive_language", "receptive_language", "vocabulary", "listening"}
    ),
    "semh": frozenset({"emotional_regulation", "self_regulation", "anxiety", "behaviour"}),
    "sensory_physical": frozenset({"handwriting", "fine_motor"}),
}
READING = "yarc_passage_primary"
#: Oral reading fluency (words correct per minute), probed weekly in primary reading plans.
PROBE = "orf_wcpm_hasbrouck_tindal"
#: What progress is measured on, by area of need, for a first cycle: (primary, secondary years).
FIRST_CYCLE_MEASURES = {
    "cognition_learning": (READING, "towre"),
    "communication_interaction": ("celf5_uk_test_scaled_score", "celf5_uk_test_scaled_score"),
    "semh": ("sdq_teacher", "sdq_teacher"),
}
#: Pupils in each area's first-cycle group: a third of the area's plans, and at least this many
#: (when there are enough) so that the school's results can be shown (practice.MIN_PUPILS is 5).
FIRST_CYCLE_AT_LEAST = 6
BLOCK = timedelta(weeks=12)


@dataclasses.dataclass
class _Chosen:
    pupil: Pupil
    needs: matching.PupilNeeds
    area: str
    targeted: list  # the matcher's top targeted interventions for the pupil
    start_after: int  # school days after the year's first day when a first-cycle plan started


def _fitting(area: str, targeted: list) -> list:
    """The pupil's ranked targeted interventions that work on what the area's outcome is about
    (all of them for an area with no such list), in the matcher's order."""
    wanted = OUTCOME_SKILLS.get(area)
    if wanted is None:
        return targeted
    fitting = [r for r in targeted if wanted & r.candidate.skills]
    # A pupil whose matches all work on something else (a maths need only) keeps them: a plan
    # with support that does not fit its goal is rarer than one with none.
    return fitting or targeted


def _area(pupil: Pupil, needs: matching.PupilNeeds) -> str:
    """The area of the pupil's primary need (sorted, so the same every run, whatever the hash)."""
    area = AREA_OF_NEED.get(pupil.primary_need)
    return str(area) if area else min(needs.areas, default="cognition_learning")


def _measure_for(area: str, nc_year: int, measures: dict) -> Measure | None:
    slugs = FIRST_CYCLE_MEASURES.get(area)
    return measures.get(slugs[0] if nc_year <= 6 else slugs[1]) if slugs else None


def _first_cycle_groups(rng, chosen: list[_Chosen], measures: dict) -> dict[int, str]:
    """pupil id -> the slug of their area's usual programme, for about a third of the pupils.

    A school runs a few programmes, not a different one for each pupil: each area's usual
    programme is a targeted intervention in the top five of enough of its pupils, one with
    pooled trials where there is one (schools tend to pick programmes with evidence), else the
    commonest; each area has a different one.
    """
    picked: dict[int, str] = {}
    for area in FIRST_CYCLE_MEASURES:
        in_area = [c for c in chosen if c.area == area]
        fit = [
            c
            for c in in_area
            if c.pupil.nc_year >= 1 and _measure_for(area, c.pupil.nc_year, measures)
        ]
        used = set(picked.values())
        tally = Counter(r.candidate.slug for c in fit for r in c.targeted)
        tally = Counter({slug: n for slug, n in tally.items() if slug not in used})
        if not tally:
            continue
        pooled = {r.candidate.slug for c in fit for r in c.targeted if r.candidate.pooled_k}
        enough = [slug for slug, n in tally.items() if n >= FIRST_CYCLE_AT_LEAST] or list(tally)
        usual = min(enough, key=lambda slug: (slug not in pooled, -tally[slug], slug))
        members = [c for c in fit if any(r.candidate.slug == usual for r in c.targeted)]
        size = min(len(members), max(FIRST_CYCLE_AT_LEAST, round(len(in_area) / 3)))
        for c in rng.sample(members, size):
            picked[c.pupil.pk] = usual
    return picked


def _made_up_result(rng, measure: Measure) -> tuple[float, float, str]:
    """A starting score, a follow-up score a term later, and a review judgement that fits."""
    if measure.higher_is_better is False:  # SDQ total difficulties, 0-40, lower is better
        pre = rng.randrange(16, 29)
        better = max(-4, min(10, round(rng.gauss(2.5, 3))))
        post = pre - better
    else:
        # A standard score (mean 100, SD 15); pupils placed score well below average. The
        # spread of gains is about what measurement error alone gives on a test with
        # reliability 0.9 (15 x sqrt(2 x 0.1) = 6.7 points), so not every pupil gains.
        # Both scores are whole on the measure's own norms (a test scaled score has mean 10,
        # SD 3, so a gain moves in steps of 5 standard points there), and the judgement is
        # made on the scores as written down, as a SENCO would make it.
        pre = demo_scores.on_scale(measure, rng.randrange(70, 90))
        drawn = max(-8, min(16, round(rng.gauss(3.5, 5.5))))
        unit = demo_scores.standard_point(measure)
        gain = max(math.ceil(-8 * unit), min(math.floor(16 * unit), round(drawn * unit)))
        post = pre + gain
        better = gain / unit  # in standard-score points again
    good, none = (3, 0) if measure.higher_is_better is False else (4, 0)
    if better >= good:
        response = Response.RESPONDED
    elif better <= none:
        response = Response.NO_RESPONSE
    else:
        response = Response.TOO_EARLY
    return float(pre), float(post), response


def _aimline(measure: Measure, baseline: float) -> float:
    """Last year's goal: 4 down on a scale where lower is better, else 6 standard-score points
    up, a whole number on a measure scored in whole numbers (``demo_scores.whole_goal``)."""
    if measure.higher_is_better is False:
        return demo_scores.whole_goal(measure, baseline, baseline - 4)
    return demo_scores.whole_goal(measure, baseline, baseline + demo_scores.points(measure, 6))


def group_dose(intervention: Intervention) -> tuple[int, int]:
    """Sessions a week and minutes a session the demo school runs a programme at: the
    catalogue's dose where it gives one (at most three 45-minute sessions a week, what a TA's
    timetable fits), else twice a week for 30 minutes. The demo groups meet at this dose."""
    per_week = min(intervention.sessions_per_week or 2, 3)
    return per_week, min(intervention.minutes_per_session or 30, 45)


def _placement(school, plan, intervention, **extra) -> Placement:
    """A placement planned at the dose the school runs the programme at, for the catalogue's
    number of weeks or, when the plan runs longer, until the review."""
    per_week, minutes = group_dose(intervention)
    cycle_weeks = max(1, (plan.review_date - plan.start_date).days // 7)
    return Placement(
        school=school,
        plan=plan,
        intervention=intervention,
        sessions_per_week=per_week,
        minutes_per_session=minutes,
        weeks=max(intervention.weeks or 0, cycle_weeks),
        **extra,
    )


def _current_measure(area: str, nc_year: int, measures: dict) -> Measure | None:
    """What a first-cycle plan measures progress on: weekly reading probes in primary reading
    plans, otherwise the area's usual measure (termly standardised, or the SDQ)."""
    if area == "cognition_learning" and 1 <= nc_year <= 6:
        return measures.get(PROBE)
    return _measure_for(area, nc_year, measures)


def _review_date(rng, start: date, today: date) -> date:
    """Spread around today: about one in six overdue, one in four due in the next two weeks,
    the rest later (never sooner than six weeks after the start)."""
    roll = rng.random()
    if roll < 0.17:
        due = today - timedelta(days=rng.randrange(3, 22))
    elif roll < 0.45:
        due = today + timedelta(days=rng.randrange(1, 15))
    else:
        due = today + timedelta(days=rng.randrange(15, 50))
    due = max(due, start + timedelta(weeks=6))
    if due < today:
        return term_dates.school_day_on_or_before(due)
    return term_dates.school_day_on_or_after(due)


def plans_build(rng: random.Random, school: School, senco: User, today: date) -> dict[int, str]:
    """A current plan for about three in four pupils with SEN (a third of them in their second
    cycle, after a reviewed first one); returns each planned pupil's designed response pattern
    (`scores.PATTERNS`), by pupil id."""
    if not Intervention.objects.filter(school__isnull=True).exists():
        return {}
    actor = actor_for(senco, school.id)
    pool = recommend.candidates(actor=actor)
    slugs = {i.slug: i for i in Intervention.objects.filter(school__isnull=True)}
    wanted = {READING, PROBE} | {s for pair in FIRST_CYCLE_MEASURES.values() for s in pair}
    measures = {m.slug: m for m in Measure.objects.filter(slug__in=wanted)}
    first_day, days = term_dates.demo_year(today)
    last_year = term_dates.school_year(first_day.year - 1).school_days()
    chosen = []
    for pupil in Pupil.unscoped.filter(school=school).exclude(sen_provision="N").order_by("id"):
        if rng.random() > 0.75:
            continue
        start_after = rng.randrange(3, 20)  # drawn here, so the same seed plans the same pupils
        needs = planning_selectors.pupil_needs(pupil=pupil)
        ranked = matching.rank(needs, pool)
        targeted = [r for r in ranked if r.candidate.kind == "targeted_intervention"]
        area = _area(pupil, needs)
        chosen.append(_Chosen(pupil, needs, area, _fitting(area, targeted)[:5], start_after))
    first_cycle = _first_cycle_groups(rng, chosen, measures)
    patterns = demo_scores.PatternDeal()

    plans, outcomes, placements, scores = [], [], [], []
    result: dict[int, str] = {}
    for c in chosen:
        pupil = c.pupil
        text = OUTCOMES[c.area].format(name=pupil.first_name)
        usual = first_cycle.get(pupil.pk)
        baseline = None  # (measure, value, date) for the current plan's outcome
        if usual:
            measure = _measure_for(c.area, pupil.nc_year, measures)
            reviewed_on = last_year[-rng.randrange(2, 12)]
            first_start = term_dates.school_day_on_or_after(
                reviewed_on - BLOCK - timedelta(days=rng.randrange(0, 5))
            )
            pre, post, response = _made_up_result(rng, measure)
            pre_on = term_dates.school_day_on_or_before(first_start - timedelta(days=3))
            post_on = term_dates.school_day_on_or_before(
                reviewed_on - timedelta(days=rng.randrange(2, 10))
            )
            first = Plan(
                school=school,
                pupil=pupil,
                cycle=1,
                status=Plan.Status.REVIEWED,
                start_date=first_start,
                review_date=first_start + BLOCK,
                reviewed_on=reviewed_on,
                review_summary=f"{slugs[usual].name}: {Response(response).label.lower()}.",
                created_by=senco,
            )
            plans.append(first)
            outcomes.append(
                Outcome(
                    school=school,
                    plan=first,
                    text=text,
                    measure=measure,
                    baseline=pre,
                    baseline_date=pre_on,
                    target=_aimline(measure, pre),
                    target_date=first.review_date,
                )
            )
            placements.append(
                _placement(
                    school,
                    first,
                    slugs[usual],
                    response=response,
                    why_chosen="The school's usual programme for this area of need.",
                )
            )
            scores += [
                Score(school=school, pupil=pupil, measure=measure, value=pre, taken_on=pre_on,
                      entered_by=senco, note="Baseline"),
                Score(school=school, pupil=pupil, measure=measure, value=post, taken_on=post_on,
                      entered_by=senco, note="End of block"),
            ]  # fmt: skip
            # The next plan: ranked again, knowing how the pupil responded.
            history = {usual: response} if response != Response.TOO_EARLY else {}
            needs = dataclasses.replace(c.needs, history=history)
            ranked = matching.rank(needs, pool)
            targeted = [r for r in ranked if r.candidate.kind == "targeted_intervention"]
            targeted = _fitting(c.area, targeted)
            rec = targeted[0] if targeted else None
            start, cycle = days[min(c.start_after, len(days) - 1)], 2
            baseline = (measure, post, post_on)
            pattern = patterns.deal(measure, late_start_allowed=False)
        else:
            rec = c.targeted[0] if c.targeted else None
            measure = _current_measure(c.area, pupil.nc_year, measures)
            pattern = patterns.deal(measure, late_start_allowed=True)
            if pattern == demo_scores.TOO_FEW:  # joined support in the last three weeks
                start = days[-rng.randrange(5, min(15, len(days)))]
            else:
                start = days[min(c.start_after, len(days) - 1)]
            cycle = 1
            if measure is not None:
                value = demo_scores.baseline_value(rng, measure, pupil.nc_year)
                taken_on = term_dates.school_day_on_or_before(start - timedelta(days=3))
                scores.append(
                    Score(school=school, pupil=pupil, measure=measure, value=value,
                          taken_on=taken_on, entered_by=senco, note="Baseline")
                )  # fmt: skip
                baseline = (measure, value, taken_on)
        review_date = (
            start + BLOCK if pattern == demo_scores.TOO_FEW else _review_date(rng, start, today)
        )
        current = Plan(
            school=school,
            pupil=pupil,
            cycle=cycle,
            status=Plan.Status.ACTIVE,
            start_date=start,
            review_date=review_date,
            created_by=senco,
        )
        plans.append(current)
        outcome = Outcome(school=school, plan=current, text=text)
        if baseline is not None:
            on, value, taken_on = baseline
            outcome.measure, outcome.baseline, outcome.baseline_date = on, value, taken_on
            outcome.target = demo_scores.target_value(
                on, value, taken_on, review_date, pupil.nc_year
            )
            outcome.target_date = review_date
            result[pupil.pk] = pattern
        outcomes.append(outcome)
        if rec is not None:
            placements.append(
                _placement(
                    school,
                    current,
                    slugs[rec.candidate.slug],
                    recommendation_rank=1,
                    why_chosen=matching.explain(rec)[:1000],
                )
            )
    Plan.objects.bulk_create(plans)
    if any(plan.pk is None for plan in plans):  # a database that returns no ids from bulk inserts
        ids = {(p.pupil_id, p.cycle): p.pk for p in Plan.objects.filter(school=school)}
        for plan in plans:
            plan.pk = ids[(plan.pupil_id, plan.cycle)]
    Placement.objects.bulk_create(placements)
    Outcome.objects.bulk_create(outcomes)
    Score.objects.bulk_create(scores)
    _record_reviews(school, senco, [p for p in plans if p.status == Plan.Status.REVIEWED])
    return result


def last_years_groups_build(school: School, today: date) -> None:
    """Last year's group of each usual programme, now archived, with the pupils of the plans
    it served from the plan's start to its review. Impact counts a pupil among a programme's
    pupils only once they were placed in a group for it (a pupil still waiting received
    nothing of it: ADR 0013), so without these last year's results would all read as
    waiting. No sessions of last year are made up: their dose reads as not recorded. Built
    after this year's timetable and sessions, which are for the groups running now."""
    year_start, _days = term_dates.demo_year(today)
    placements = list(
        Placement.objects.filter(
            school=school, plan__status=Plan.Status.REVIEWED, plan__reviewed_on__lt=year_start
        ).select_related("plan", "intervention")
    )
    by_programme: dict[int, list[Placement]] = {}
    for placement in placements:
        by_programme.setdefault(placement.intervention_id, []).append(placement)
    # Run by someone trained in it (this year's deliverer of the programme where there is one).
    trained: dict[int, int] = {}
    for staff_id, intervention_id in Training.objects.filter(
        school=school, intervention_id__in=by_programme
    ).values_list("staff_id", "intervention_id"):
        trained.setdefault(intervention_id, staff_id)
    for staff_id, intervention_id in Group.objects.filter(
        school=school, archived=False, intervention_id__in=by_programme, deliverer__isnull=False
    ).values_list("deliverer_id", "intervention_id"):
        trained[intervention_id] = staff_id
    for members in by_programme.values():
        programme = members[0].intervention
        # A one-to-one programme ran as a group of one per pupil, as this year's do.
        one_each = programme.format == "one_to_one"
        for n, together in enumerate([[p] for p in members] if one_each else [members], 1):
            suffix = f" (last year, {n})" if one_each else " (last year)"
            group = Group.objects.create(
                school=school,
                intervention=programme,
                name=f"{programme.name[: 100 - len(suffix)]}{suffix}",
                places=len(together),
                archived=True,
                deliverer_id=trained.get(programme.pk),
            )
            GroupMember.objects.bulk_create(
                GroupMember(
                    school=school,
                    group=group,
                    placement=p,
                    joined_on=p.plan.start_date,
                    left_on=max(p.plan.reviewed_on, p.plan.start_date),
                )
                for p in together
            )


#: How an outcome went at the review, from how the pupil responded to the programme.
_RESULT_OF = {
    Response.RESPONDED: OutcomeReview.Result.ACHIEVED,
    Response.NO_RESPONSE: OutcomeReview.Result.NOT,
    Response.TOO_EARLY: OutcomeReview.Result.PARTLY,
}


def _record_reviews(school, senco, closed: list[Plan]) -> None:
    """The review meeting that closed each first-cycle plan, as the review page records one:
    complete, held on the plan's review day with the SENCO and a parent, each outcome judged
    from how the pupil responded, and each programme's decision (carry on where it worked,
    change it where it did not). Impact counts a plan as finished only when its review was
    recorded (``impact.selectors.review_recorded``), so a closed plan without one would read
    "closed with no review recorded" on every page of the demo."""
    if not closed:
        return
    by_plan = {plan.pk: plan for plan in closed}
    next_plan = {
        plan.pupil_id: plan
        for plan in Plan.objects.filter(school=school, pupil_id__in=[p.pupil_id for p in closed])
        .exclude(pk__in=by_plan)
        .only("pk", "pupil_id")
    }
    reviews = Review.objects.bulk_create(
        Review(
            school=school,
            plan=plan,
            held_on=plan.reviewed_on,
            status=Review.Status.COMPLETE,
            attendees=[
                {"name": senco.full_name or "SENCO", "role": "SENCO"},
                {"name": "Parent or carer", "role": "Parent or carer"},
            ],
            summary=plan.review_summary,
            created_by=senco,
            next_plan=next_plan.get(plan.pupil_id),
            completed_at=timezone.make_aware(datetime.combine(plan.reviewed_on, time(15, 30))),
        )
        for plan in closed
    )
    review_of = (
        {r.plan_id: r for r in Review.objects.filter(plan_id__in=by_plan)}
        if any(r.pk is None for r in reviews)
        else {r.plan_id: r for r in reviews}
    )
    placements = list(Placement.objects.filter(plan_id__in=by_plan))
    response_of = {p.plan_id: p.response for p in placements}
    OutcomeReview.objects.bulk_create(
        OutcomeReview(
            school=school,
            review=review_of[o.plan_id],
            outcome=o,
            result=_RESULT_OF.get(response_of.get(o.plan_id), ""),
        )
        for o in Outcome.objects.filter(plan_id__in=by_plan)
    )
    PlacementDecision.objects.bulk_create(
        PlacementDecision(
            school=school,
            review=review_of[p.plan_id],
            placement=p,
            response=p.response,
            decision=(
                PlacementDecision.Decision.CONTINUE
                if p.response == Response.RESPONDED
                else PlacementDecision.Decision.CHANGE_INTERVENTION
            ),
        )
        for p in placements
    )
