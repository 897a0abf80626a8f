"""The EHC needs-assessment evidence pack for one pupil: the graduated approach assembled.

Reads for a pupil already checked with ``pupils.selectors.pupil_for`` (the SENCO or the head):
needs over time (SEN provision and type-of-need records, the skills profile, the needs and
one-page profiles), every cycle of support oldest first (outcomes and their results at review,
the interventions with the dose delivered against the dose planned and what each achieved),
every recorded view of the pupil and the parents, concerns with classroom observations, and the
reviews that sought outside advice. ``ehc_checklist`` says what is present and what is missing.

A fixed number of queries whatever the number of cycles (each read below is one query or one
prefetch), so a pupil with years of records still prints quickly.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch

from sendwise.concerns.models import Concern, ObservationRequest
from sendwise.delivery.session_selectors import dose_for_placements
from sendwise.evidence.codes import Kind
from sendwise.impact.models import PlacementResult
from sendwise.monitoring.models import PlacementDecision, Review, Score
from sendwise.monitoring.progress_selectors import outcome_chart
from sendwise.planning.models import Plan
from sendwise.planning.selectors import plans_for_pupil
from sendwise.pupils.models import Pupil, SenNeed, SenProvisionRecord, SkillNeed, Voice
from sendwise.pupils.profile_selectors import needs_profile, one_page_profile
from sendwise.reports import ehc_checklist


@dataclass
class OutcomeLine:
    outcome: object
    result: str  # the review's judgement in words, or ""
    note: str
    latest: Score | None
    chart: str


@dataclass
class Cycle:
    plan: Plan
    review: Review | None
    outcomes: list[OutcomeLine]
    placements: list  # each with .dose and .impact_result (PlacementResult or None)
    decisions: list[PlacementDecision]


@dataclass
class EhcPack:
    pupil: Pupil
    provision_records: list[SenProvisionRecord]
    need_records: list[SenNeed]
    skill_needs: list[SkillNeed]
    needs_profile: object
    one_page_profile: object
    cycles: list[Cycle]
    voices: list[Voice]
    concerns: list[Concern]
    advice_sought: list[PlacementDecision]
    checklist: list[ehc_checklist.Item] = field(default_factory=list)

    @property
    def missing(self) -> list[ehc_checklist.Item]:
        return ehc_checklist.missing_essentials(self.checklist)

    @property
    def observation_count(self) -> int:
        return sum(len(r.observations.all()) for c in self.concerns for r in c.requests.all())


def _profile_written(needs, page) -> bool:
    fields = []
    if needs is not None:
        fields += [needs.strengths, needs.what_helps, needs.what_does_not_help, needs.interests]
    if page is not None:
        fields += [page.appreciation, page.important_to_me, page.how_to_support]
    return any(text.strip() for text in fields)


def ehc_pack(*, pupil: Pupil) -> EhcPack:
    """The whole pack for one pupil ``pupil_for`` already checked (about 20 queries)."""
    school = pupil.school_id
    plans = list(reversed(plans_for_pupil(pupil=pupil)))  # oldest cycle first
    reviews = {
        r.plan_id: r
        for r in Review.objects.filter(
            school=school, plan__in=[p.pk for p in plans]
        ).prefetch_related(
            "outcome_reviews",
            Prefetch(
                "decisions",
                queryset=PlacementDecision.objects.select_related("placement__intervention"),
            ),
        )
    }
    placements = [p for plan in plans for p in plan.placements.all()]
    targeted = [p for p in placements if p.intervention.kind != Kind.STRATEGY]
    doses = dose_for_placements(school_id=school, placements=targeted)
    results = {
        r.placement_id: r
        for r in PlacementResult.objects.filter(
            school=school, placement__in=[p.pk for p in placements]
        )
    }
    scores_by_measure: dict[int, list[Score]] = defaultdict(list)
    for score in Score.objects.current().filter(school=school, pupil=pupil).order_by("taken_on"):
        scores_by_measure[score.measure_id].append(score)
    cycles = []
    for plan in plans:
        review = reviews.get(plan.pk)
        judged = {r.outcome_id: r for r in review.outcome_reviews.all()} if review else {}
        lines = []
        for outcome in plan.outcomes.all():
            scores = scores_by_measure.get(outcome.measure_id, []) if outcome.measure_id else []
            judgement = judged.get(outcome.pk)
            lines.append(
                OutcomeLine(
                    outcome=outcome,
                    result=judgement.get_result_display() if judgement and judgement.result else "",
                    note=judgement.note if judgement else "",
                    latest=scores[-1] if scores else None,
                    chart=outcome_chart(outcome, scores) if scores else "",
                )
            )
        for placement in plan.placements.all():
            placement.dose = doses.get(placement.pk)
            placement.impact_result = results.get(placement.pk)
        cycles.append(
            Cycle(
                plan=plan,
                review=review,
                outcomes=lines,
                placements=list(plan.placements.all()),
                decisions=list(review.decisions.all()) if review else [],
            )
        )
    voices = list(Voice.objects.filter(school=school, pupil=pupil).select_related("gathered_by"))
    concerns = list(
        Concern.objects.filter(school=school, pupil=pupil)
        .select_related("raised_by")
        .prefetch_related(
            Prefetch(
                "requests",
                queryset=ObservationRequest.objects.select_related("teacher").prefetch_related(
                    "observations"
                ),
            )
        )
        .order_by("raised_on", "id")
    )
    needs, page = needs_profile(pupil=pupil), one_page_profile(pupil=pupil)
    pack = EhcPack(
        pupil=pupil,
        provision_records=list(
            SenProvisionRecord.objects.filter(school=school, pupil=pupil).order_by(
                "start_date", "id"
            )
        ),
        need_records=list(
            SenNeed.objects.filter(school=school, pupil=pupil).order_by("start_date", "rank", "id")
        ),
        skill_needs=list(
            SkillNeed.objects.filter(school=school, pupil=pupil)
            .select_related("skill")
            .order_by("-severity", "skill__name")
        ),
        needs_profile=needs,
        one_page_profile=page,
        cycles=cycles,
        voices=voices,
        concerns=concerns,
        advice_sought=[
            d for c in cycles for d in c.decisions if d.decision in PlacementDecision.ESCALATIONS
        ],
    )
    pack.checklist = ehc_checklist.checklist(_counts(pack, targeted, scores_by_measure))
    return pack


def _counts(pack: EhcPack, targeted: list, scores_by_measure: dict) -> ehc_checklist.Counts:
    cycles = pack.cycles
    # Different views, not places they appear: a next plan opens with the last one's views
    # copied in, and the same words there are one record, not two.
    pupil_views = {v.text.strip() for v in pack.voices if v.kind == Voice.Kind.PUPIL}
    parent_views = {v.text.strip() for v in pack.voices if v.kind == Voice.Kind.PARENT}
    for cycle in cycles:
        pupil_views.add(cycle.plan.pupil_contribution.strip())
        parent_views.add(cycle.plan.parent_contribution.strip())
        if cycle.review is not None:
            pupil_views.add(cycle.review.pupil_views.strip())
            parent_views.add(cycle.review.parent_views.strip())
    pupil_voice, parent_voice = len(pupil_views - {""}), len(parent_views - {""})
    measured = [line for c in cycles for line in c.outcomes if line.outcome.measure_id]
    progressed = sum(
        1
        for line in measured
        if line.outcome.baseline is not None
        and line.outcome.baseline_date is not None
        and any(
            s.taken_on > line.outcome.baseline_date
            for s in scores_by_measure.get(line.outcome.measure_id, [])
        )
    )
    return ehc_checklist.Counts(
        needs_recorded=len(pack.need_records) or int(bool(pack.pupil.primary_need)),
        profile_written=_profile_written(pack.needs_profile, pack.one_page_profile),
        plans=len(cycles),
        reviews_completed=sum(
            1 for c in cycles if c.review is not None and c.review.status == Review.Status.COMPLETE
        ),
        outcomes_with_measure=len(measured),
        scores=sum(len(scores_by_measure.get(line.outcome.measure_id, [])) for line in measured),
        interventions=len(targeted),
        interventions_with_sessions=sum(
            1 for p in targeted if p.dose is not None and p.dose.held > 0
        ),
        pupil_voice=pupil_voice,
        parent_voice=parent_voice,
        concerns=len(pack.concerns),
        observations=pack.observation_count,
        outside_advice=sum(
            1
            for d in pack.advice_sought
            if d.decision == PlacementDecision.Decision.ESCALATE_ADVICE
        ),
        outcomes_with_progress=progressed,
    )
