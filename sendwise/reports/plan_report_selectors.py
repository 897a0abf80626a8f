"""A pupil's support plan and review record for their parents, in plain language (issue 12.6).

Reads for a pupil already checked with ``pupils.selectors.pupil_for``: what the school is doing
(the current plan's classroom strategies and interventions, with how much of the planned time
has happened), the goals and how they are going (the parents' chart and sentence from
``monitoring.progress_selectors.child_progress``), what was decided at the last review, and what
helps the child (from their profiles), which is what a parent can do at home too.

The report is what the parents receive, whoever prints it: a review is in it only once the SENCO
has shared it with them (as on the review page), so a report printed by staff, or in a class's
pack, never hands parents a record not yet ready for them. Staff see a note saying which review
is waiting to be shared. Drafts are never printed: a draft is not yet what was agreed. Notes the
review form marks "staff only" (on an outcome or a decision) are never printed either.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sendwise.core.access import Actor
from sendwise.delivery.session_selectors import dose_for_placements
from sendwise.monitoring.models import Review
from sendwise.monitoring.progress_selectors import OutcomeProgress, child_progress
from sendwise.monitoring.review_selectors import plan_review_get, reviews_of_plans
from sendwise.planning.models import Plan
from sendwise.planning.selectors import current_support, plans_for_pupil
from sendwise.pupils.models import Pupil
from sendwise.pupils.profile_selectors import needs_profile, one_page_profile

#: Plain words for each decision about an intervention, as a parent reads them.
DECISION_WORDS = {
    "continue": "will carry on as it is",
    "change_dose": "will carry on, with a different amount of time",
    "change_intervention": "will be replaced by a different kind of support",
    "stop": "will stop: it is no longer needed",
    "escalate_ehc": "the school will ask the local authority for an EHC needs assessment",
    "escalate_advice": "the school will ask for advice from a specialist outside the school",
}
RESULT_WORDS = {
    "achieved": "Achieved",
    "partly": "Partly achieved",
    "not": "Not achieved yet",
    "": "Not judged",
}


@dataclass
class PlanReport:
    pupil: Pupil
    plan: Plan | None
    goals: list[OutcomeProgress]
    strategies: list
    interventions: list
    review: Review | None
    review_plan: Plan | None
    #: A newer completed review the SENCO has not yet shared (staff only: it is not printed).
    not_yet_shared: Review | None = None
    decisions: list[tuple[str, str]] = field(default_factory=list)
    #: (the goal, how it went): never the reviewer's note, which the review form marks staff-only.
    outcome_results: list[tuple[str, str]] = field(default_factory=list)
    helps: list[tuple[str, str]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return self.plan is None and self.review is None


def last_reviews(*, pupil: Pupil) -> tuple[Review | None, Plan | None, Review | None]:
    """The newest completed review shared with the parents, with its plan; and a newer completed
    review not shared yet, if there is one (for the staff's note). Three to seven queries."""
    plans = plans_for_pupil(pupil=pupil)
    reviews = reviews_of_plans(school_id=pupil.school_id, plans=plans)
    waiting = None
    for plan in plans:  # newest cycle first
        review = reviews.get(plan.pk)
        if review is None or review.status != Review.Status.COMPLETE:
            continue
        if review.shared_with_parent_at is None:
            waiting = waiting or review
            continue
        return plan_review_get(plan=plan), plan, waiting
    return None, None, waiting


def plan_report(*, actor: Actor, pupil: Pupil) -> PlanReport:
    """Everything the parents' report shows, for a pupil ``pupil_for`` already checked."""
    plan, goals = child_progress(pupil=pupil)
    support = {
        # A draft plan is not yet agreed (parents do not see it on the plans page either).
        kind: [p for p in placements if p.plan.status != Plan.Status.DRAFT]
        for kind, placements in current_support(pupil=pupil).items()
    }
    doses = dose_for_placements(school_id=pupil.school_id, placements=support["interventions"])
    for placement in support["interventions"]:
        placement.dose = doses.get(placement.pk)
    review, review_plan, waiting = last_reviews(pupil=pupil)
    report = PlanReport(
        pupil=pupil,
        plan=plan,
        goals=goals,
        strategies=support["strategies"],
        interventions=support["interventions"],
        review=review,
        review_plan=review_plan,
        not_yet_shared=waiting if actor.is_staff_member else None,
    )
    if review is not None:
        report.decisions = [
            (d.placement.intervention.name, DECISION_WORDS.get(d.decision, "not decided yet"))
            for d in review.decisions.all()
        ]
        report.outcome_results = [
            (r.outcome.text, RESULT_WORDS.get(r.result, r.result))
            for r in review.outcome_reviews.all()
        ]
    report.helps = what_helps(pupil=pupil)
    return report


def what_helps(*, pupil: Pupil) -> list[tuple[str, str]]:
    """What the school has written down as helping the child (the needs profile's "what helps"
    and the one-page profile's "how best to support me"): what works in school is the best
    starting point for home too. Empty where nothing is written. Two queries."""
    found = []
    needs = needs_profile(pupil=pupil)
    if needs is not None and needs.what_helps.strip():
        found.append(("What helps", needs.what_helps.strip()))
    page = one_page_profile(pupil=pupil)
    if page is not None and page.how_to_support.strip():
        found.append(("How best to support me, in " + pupil.first_name + "'s words",
                      page.how_to_support.strip()))  # fmt: skip
    return found
