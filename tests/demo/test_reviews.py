"""The demo's review meetings, as the people signing in to the demo meet them: the parent reads
their child's shared review (partly achieved, one more session a week); the SENCO has an overdue
review half written, an escalation to an EHC needs assessment for a pupil who is not responding,
and a draft next plan with an intervention still to choose.

The demo trust is loaded once for the module with the published seed (tests/shared_data.py)."""

import copy

import pytest
from django.urls import reverse
from django.utils import timezone

from sendwise.core.models import AuditEntry, School, User
from sendwise.demo import generate as demo
from sendwise.demo import term_dates
from sendwise.evidence.services import catalogue_seed
from sendwise.monitoring.models import Flag, OutcomeReview, PlacementDecision, Review
from sendwise.planning.models import Plan
from sendwise.pupils.models import Contact
from tests.demo import demo_meetings
from tests.shared_data import rows_for_module

D = PlacementDecision.Decision


def load() -> School:
    catalogue_seed()
    demo.demo_load()  # the published seed: what a newcomer signs in to
    return School.objects.get(urn=demo.MAIN_URN)


@pytest.fixture(scope="module", autouse=True)
def shared_main_school(django_db_setup, django_db_blocker):
    yield from rows_for_module(django_db_blocker, load)


@pytest.fixture
def main_school(shared_main_school, db):
    return copy.deepcopy(shared_main_school)


def signed_in(client, who: str):
    client.force_login(User.objects.get(email=f"{who}@{demo.DEMO_DOMAIN}"))
    return client


def review_with(decision: str) -> Review:
    return demo_meetings(School.objects.get(urn=demo.MAIN_URN)).get(
        status=Review.Status.COMPLETE, decisions__decision=decision
    )


def url(name: str, plan: Plan) -> str:
    return reverse(name, kwargs={"pupil_id": plan.pupil_id, "plan_id": plan.pk})


def test_every_meeting_was_held_on_a_school_day_before_today_within_its_plan(main_school):
    reviews = list(demo_meetings(main_school).select_related("plan"))
    assert len(reviews) == 4
    for review in reviews:
        assert term_dates.is_school_day(review.held_on)
        assert review.plan.start_date < review.held_on < timezone.localdate()
        assert review.held_on <= review.plan.review_date
        assert review.created_by.email == f"senco@{demo.DEMO_DOMAIN}"
        # Written through the services: history and the audit trail name the SENCO.
        assert review.history.filter(history_user=review.created_by).exists()
        assert AuditEntry.objects.filter(
            object_type="pupil", object_id=str(review.plan.pupil_id), detail__contains="Review"
        ).exists()


def test_the_parent_reads_their_childs_review_partly_achieved_with_more_sessions(
    main_school, client
):
    child = Contact.objects.get(user__email=f"parent@{demo.DEMO_DOMAIN}", pupil__nc_year=4).pupil
    review = demo_meetings(child.school).get(plan__pupil=child)
    assert review.shared_with_parent_at is not None
    assert {r.result for r in review.outcome_reviews.all()} == {OutcomeReview.Result.PARTLY}
    decision = review.decisions.get()
    assert decision.decision == D.CHANGE_DOSE
    assert decision.sessions_per_week == decision.placement.sessions_per_week + 1
    # The evidence agrees: the latest score before the meeting is part of the way to the goal.
    outcome = review.plan.outcomes.get()
    latest = (
        child.scores.filter(measure=outcome.measure, taken_on__lte=review.held_on)
        .order_by("-taken_on")
        .first()
    )
    assert latest.taken_on > outcome.baseline_date
    assert outcome.baseline < latest.value < outcome.target
    # The SENCO put the next plan in place, at the new dose.
    nxt = review.next_plan
    assert nxt.status == Plan.Status.ACTIVE
    assert nxt.placements.get().sessions_per_week == decision.sessions_per_week

    page = signed_in(client, "parent").get(url("planning:review_record", review.plan))
    text = page.content.decode()
    assert page.status_code == 200
    assert f"{child.first_name}'s review meeting" in text
    assert "Part of the way there" in text
    assert "one more time each week" in text
    for hidden in ("Staff note", "change_dose", "partly"):
        assert hidden not in text


def test_an_overdue_plan_has_its_review_half_written(main_school, client):
    review = demo_meetings(main_school).get(status=Review.Status.DRAFT)
    plan = review.plan
    today = timezone.localdate()
    assert plan.status == Plan.Status.ACTIVE and plan.review_date < today
    assert review.attendees and review.pupil_views and not review.summary
    assert review.outcome_reviews.count() == 1 and not review.decisions.exists()
    assert Flag.objects.get(plan=plan, kind=Flag.Kind.REVIEW_OVERDUE).needs_decision

    senco = signed_in(client, "senco")
    listed = senco.get(reverse("reviews_due"), {"state": "draft"}).content.decode()
    assert plan.pupil.first_name in listed and "Carry on the review" in listed
    form = senco.get(url("planning:review", plan))
    assert form.status_code == 200
    assert review.pupil_views in form.content.decode()
    # Nobody can read a draft but staff.
    assert signed_in(client, "parent").get(url("planning:review_record", plan)).status_code == 404


def test_a_pupil_not_responding_is_escalated_to_an_ehc_needs_assessment(main_school, client):
    review = review_with(D.ESCALATE_EHC)
    pupil = review.plan.pupil
    assert pupil.sen_provision == "K"
    assert {r.result for r in review.outcome_reviews.all()} == {OutcomeReview.Result.NOT}
    # Their scores follow the demo's "not responding" pattern: the last ones below the aimline.
    outcome = review.plan.outcomes.get()
    latest = pupil.scores.filter(measure=outcome.measure).order_by("-taken_on").first()
    assert latest.value < outcome.target
    # The intervention goes on in the next (draft) plan while the assessment is sought.
    old = review.decisions.get().placement
    nxt = review.next_plan
    assert nxt.status == Plan.Status.DRAFT
    assert nxt.placements.get().intervention_id == old.intervention_id

    # The SENCO's list of escalations agreed at reviews names the pupil.
    page = signed_in(client, "senco").get(reverse("reviews_due")).content.decode()
    escalations = page.split("Escalations agreed at reviews")[1]
    assert pupil.first_name in escalations and "No review has agreed" not in escalations


def test_a_change_of_intervention_leaves_the_next_plan_still_to_choose(main_school, client):
    review = review_with(D.CHANGE_INTERVENTION)
    nxt = review.next_plan
    assert nxt.status == Plan.Status.DRAFT and not nxt.placements.exists()
    name = review.decisions.get().placement.intervention.name
    page = signed_in(client, "senco").get(
        reverse("planning:plans", kwargs={"pupil_id": nxt.pupil_id})
    )
    text = page.content.decode()
    assert "Still to choose" in text and f"replace {name}" in text
    assert "See recommendations" in text
