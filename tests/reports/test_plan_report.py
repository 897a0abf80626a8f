"""A pupil's support plan and review record, printed for the parents."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sendwise.core.access import actor_for
from sendwise.core.models import AuditEntry
from sendwise.monitoring import review_services
from sendwise.pupils.models import NeedsProfile
from tests.monitoring.factories import TODAY, add_score, complete_review, plan_to_review
from tests.reports.pdftext import pdf_pages, pdf_text


@pytest.fixture
def senco(world):
    return actor_for(world.users["senco"], world.school.pk)


@pytest.fixture
def reviewed(world, senco):
    """A first plan reviewed (reading goal achieved, both interventions to carry on), with a
    reading score on the way, and the second plan that review opened."""
    pupil = world.pupil_in_class
    plan, _first, _second, outcome = plan_to_review(senco, pupil)
    add_score(pupil, outcome.measure, 86, timezone.localdate() - timedelta(weeks=6))
    review = complete_review(
        senco, plan, decision="continue", pupil_views="I like the reading games"
    )
    NeedsProfile.objects.create(
        school=world.school, pupil=pupil, what_helps="Short tasks with a visual timer"
    )
    return plan, review


def url(pupil):
    return reverse("reports:plan_report", kwargs={"pupil_id": pupil.pk})


def test_the_parent_downloads_their_childs_plan_once_the_review_is_shared(
    world, client_as, senco, reviewed
):
    _plan, review = reviewed
    review_services.review_share(actor=senco, review=review)
    response = client_as("parent").get(url(world.pupil_in_class))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="support-plan-ng-amara-')
    text = pdf_text(response.content)
    assert "Support plan and review record" in text
    assert "Amara" in text
    assert "Reading catch-up" in text  # what the school is doing
    assert "Reads a Year 3 passage with understanding" in text  # the goal
    assert "What was decided" in text and "will carry on as it is" in text
    assert "I like the reading games" in text
    assert "Short tasks with a visual timer" in text  # what helps, for home
    assert 1 <= pdf_pages(response.content) <= 4
    flat = " ".join(text.split())
    assert "Achieved: Reads a Year 3 passage with understanding" in flat  # result first
    assert ".:" not in flat


def test_a_review_not_yet_shared_is_in_nobodys_report_and_staff_are_told_why(
    world, client_as, reviewed
):
    """What staff print is what the parents receive: not a review the SENCO has not shared."""
    text = pdf_text(client_as("parent").get(url(world.pupil_in_class)).content)
    assert "There is no finished review to show yet." in text
    assert "I like the reading games" not in text
    assert "For staff" not in text
    staff_text = " ".join(
        pdf_text(client_as("teacher").get(url(world.pupil_in_class)).content).split()
    )
    assert "I like the reading games" not in staff_text
    assert "has not been marked ready to share with the parents" in staff_text


def test_a_pupil_with_no_plan_gets_a_report_that_says_so(world, client_as):
    text = pdf_text(client_as("senco").get(url(world.pupil_in_class)).content)
    assert "No goals have been agreed yet." in text
    assert "There is no support written into a current plan" in text


def test_the_download_is_audited_as_a_read_of_the_pupil(world, client_as):
    client_as("parent").get(url(world.pupil_in_class))
    entry = AuditEntry.objects.get(action="view")
    assert (entry.object_type, entry.object_id) == ("pupil", str(world.pupil_in_class.pk))
    assert entry.detail == "Support plan report (PDF)"
    assert entry.user == world.users["parent"]


def test_another_parents_child_is_404_and_leaks_nothing(world, client_as):
    response = client_as("parent").get(url(world.pupil_elsewhere))
    assert response.status_code == 404
    assert b"%PDF" not in response.content[:10]


def test_support_in_a_draft_plan_is_not_printed_until_it_is_agreed(
    world, client_as, senco, reviewed
):
    """The review opened plan 2 as a draft with the interventions carried on: the report shows
    the last agreed review, and no support as current until plan 2 is put in place."""
    review_services.review_share(actor=senco, review=reviewed[1])
    text = pdf_text(client_as("senco").get(url(world.pupil_in_class)).content)
    assert "There is no support written into a current plan" in text
    assert "will carry on as it is" in text


def test_the_plans_page_offers_the_parent_the_download(world, client_as):
    from sendwise.planning.models import Plan

    Plan.objects.create(
        school=world.school, pupil=world.pupil_in_class, cycle=1, status="active",
        start_date=timezone.localdate(), review_date=timezone.localdate() + timedelta(weeks=12),
    )  # fmt: skip
    page = (
        client_as("parent")
        .get(reverse("planning:plans", kwargs={"pupil_id": world.pupil_in_class.pk}))
        .content.decode()
    )
    assert url(world.pupil_in_class) in page
    assert "Build an EHC needs-assessment evidence pack" not in page


def test_staff_only_notes_from_the_review_are_never_in_the_parents_report(world, client_as, senco):
    """The review form marks the notes on each outcome and decision "staff only"; the parents'
    report prints how each goal went and what was decided, not those notes."""
    pupil = world.pupil_in_class
    plan, _first, _second, _outcome = plan_to_review(senco, pupil)
    review = review_services.review_save(
        actor=senco,
        plan=plan,
        held_on=TODAY(),
        attendees=[review_services.Attendee("Sam Senco", "SENCO")],
        summary="Reviewed together",
        outcomes=[
            review_services.OutcomeResult(o.pk, "partly", note="Needs prompting every line")
            for o in plan.outcomes.all()
        ],
        decisions=[
            review_services.Decision(p.pk, "continue", note="TA rota is thin on Fridays")
            for p in plan.placements.all()
        ],
        complete=True,
    )
    review_services.review_share(actor=senco, review=review)
    flat = " ".join(pdf_text(client_as("parent").get(url(pupil)).content).split())
    assert "Partly achieved: Reads a Year 3 passage with understanding" in flat
    assert "Needs prompting every line" not in flat
    assert "TA rota is thin on Fridays" not in flat
