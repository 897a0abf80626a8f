"""The EHC needs-assessment evidence pack: the SENCO checks what is there, then downloads it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sendwise.core.access import actor_for
from sendwise.core.models import AuditEntry
from sendwise.impact.models import PlacementResult
from sendwise.monitoring.models import Review, Score
from sendwise.planning.models import Outcome, Placement, Plan
from sendwise.pupils.profile_services import voice_add
from tests.concerns.factories import ObservationFactory
from tests.evidence.factories import InterventionFactory
from tests.monitoring.factories import add_score, complete_review, plan_to_review
from tests.reports.pdftext import pdf_pages, pdf_text


@pytest.fixture
def senco(world):
    return actor_for(world.users["senco"], world.school.pk)


@pytest.fixture
def history(world, senco):
    """One reviewed cycle that asked for outside advice, a pupil's view, a concern with an
    observation, and reading scores before and during the plan."""
    pupil = world.pupil_in_class
    plan, _first, _second, outcome = plan_to_review(senco, pupil)
    add_score(pupil, outcome.measure, 84, timezone.localdate() - timedelta(weeks=4))
    complete_review(senco, plan, result="partly", decision="escalate_advice")
    voice_add(actor=senco, pupil=pupil, kind="pupil", text="Reading aloud makes me worried")
    ObservationFactory(
        request__concern__pupil=pupil,
        request__concern__raised_by=world.users["teacher"],
        request__teacher=world.users["teacher"],
    )
    return plan


def preview(client, pupil):
    return client.get(reverse("reports:ehc_preview", kwargs={"pupil_id": pupil.pk}))


def test_the_preview_lists_what_is_present_and_what_is_missing(world, client_as, history):
    response = preview(client_as("senco"), world.pupil_in_class)
    assert response.status_code == 200
    page = response.content.decode()
    assert "EHC needs assessment: evidence pack" in page
    checklist = page.split('id="checklist"')[1].split("</dl>")[0]
    rows = {
        label: ("Present" in rest.split("</dd>")[0], "Missing" in rest.split("</dd>")[0])
        for label, rest in (
            chunk.split("</dt>", 1) for chunk in checklist.split('govuk-summary-list__key">')[1:]
        )
    }
    assert rows["The pupil&#x27;s views"] == (True, False)
    assert rows["The parents&#x27; views"] == (False, True)
    assert rows["At least 2 reviewed cycles of support"] == (False, True)
    assert rows["Advice from outside the school"] == (True, False)
    assert rows["Concerns and classroom observations"] == (True, False)
    assert "things a local authority expects are missing" in page


def test_the_pdf_assembles_the_graduated_approach(world, client_as, history):
    url = reverse("reports:ehc_pdf", kwargs={"pupil_id": world.pupil_in_class.pk})
    response = client_as("head").get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(
        'attachment; filename="ehc-evidence-ng-amara-'
    )
    assert "no-store" in response["Cache-Control"]
    text = " ".join(pdf_text(response.content).split())
    for expected in (
        "EHC needs assessment: evidence of the graduated approach",
        "1. Needs over time",
        "Plan 1:",
        "Reads a Year 3 passage with understanding",
        "Partly achieved",
        "Reading catch-up",
        "3. The views of Amara and of the parents",
        "Reading aloud makes me worried",
        "Loses track of instructions",
        "seek advice from outside the school",
    ):
        assert expected in text, expected
    assert 2 <= pdf_pages(response.content) <= 8


def test_each_view_and_download_is_audited_as_a_read_of_the_pupil(world, client_as, history):
    client = client_as("senco")
    before = AuditEntry.objects.filter(action="view").count()
    preview(client, world.pupil_in_class)
    client.get(reverse("reports:ehc_pdf", kwargs={"pupil_id": world.pupil_in_class.pk}))
    reads = list(AuditEntry.objects.filter(action="view").order_by("id"))[before:]
    assert [(e.object_id, e.detail) for e in reads] == [
        (str(world.pupil_in_class.pk), "EHC evidence pack"),
        (str(world.pupil_in_class.pk), "EHC evidence pack (PDF)"),
    ]


def test_a_pupil_with_nothing_recorded_gets_a_pack_that_says_what_to_gather(world, client_as):
    page = preview(client_as("senco"), world.pupil_elsewhere).content.decode()
    assert "No support plan has been made yet." in page
    assert "gather them before sending" in page


def test_the_pack_reads_a_fixed_number_of_queries_whatever_the_number_of_cycles(
    world, client_as, senco, history
):
    client = client_as("senco")
    preview(client, world.pupil_in_class)  # warm: sessions, permissions
    with CaptureQueriesContext(connection) as one_cycle:
        preview(client, world.pupil_in_class)
    second = Plan.objects.get(pupil=world.pupil_in_class, cycle=2)  # opened by the review
    Outcome.objects.create(school=world.school, plan=second, text="Spells 20 common words")
    Placement.objects.create(
        school=world.school, plan=second, intervention=InterventionFactory(), sessions_per_week=2
    )
    Review.objects.create(
        school=world.school, plan=second, held_on=timezone.localdate(), status="complete"
    )
    with CaptureQueriesContext(connection) as two_cycles:
        preview(client, world.pupil_in_class)
    assert len(two_cycles) == len(one_cycle)


def test_a_missing_post_score_is_shown_as_missing_never_as_zero(world, client_as, history):
    first = history.placements.get(intervention__name="Reading catch-up")
    second = history.placements.get(intervention__name="Number sense")
    for placement, post, gain in ((first, 95.0, 1.0), (second, None, None)):
        PlacementResult.objects.create(
            school=world.school, placement=placement, pupil=world.pupil_in_class,
            intervention=placement.intervention, academic_year=2026, term="autumn",
            pre=80.0, post=post, gain_kind="standardised" if gain else "", gain=gain,
            reliable="improved" if gain else "",
        )  # fmt: skip
    page = preview(client_as("senco"), world.pupil_in_class).content.decode()
    assert "80 → 95 (gain 1.00 SD); reliable improvement" in page
    assert "Before: 80; after: missing" in page


def checklist_rows(page: str) -> dict[str, str]:
    part = page.split('id="checklist"')[1].split("</dl>")[0]
    return {
        label: rest.split("</dd>")[0]
        for label, rest in (
            chunk.split("</dt>", 1) for chunk in part.split('govuk-summary-list__key">')[1:]
        )
    }


def test_an_outcome_with_only_its_starting_score_is_not_progress_shown(world, client_as, history):
    """The history's reading outcome has a score four weeks ago, after its baseline: present.
    Without that later score only the starting point exists: missing (a tester found it
    called present)."""
    rows = checklist_rows(preview(client_as("senco"), world.pupil_in_class).content.decode())
    assert "Present" in rows["Outcomes measured against a baseline"]
    Score.objects.filter(pupil=world.pupil_in_class).delete()
    rows = checklist_rows(preview(client_as("senco"), world.pupil_in_class).content.decode())
    assert "Missing" in rows["Outcomes measured against a baseline"]
    assert (
        "none has a score after its starting one yet"
        in rows["Outcomes measured against a baseline"]
    )


def test_the_same_view_copied_into_the_next_plan_is_one_record(world, client_as, history):
    # As the voice recorded it, copied into the plan's contribution.
    Plan.objects.filter(pk=history.pk).update(pupil_contribution="Reading aloud makes me worried")
    rows = checklist_rows(preview(client_as("senco"), world.pupil_in_class).content.decode())
    assert "1 record" in rows["The pupil&#x27;s views"]
