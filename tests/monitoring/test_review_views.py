"""The review meeting pages as their users see them: the SENCO holds the review with the
evidence beside each outcome, submits once even when the form is sent twice, shares it; the
parent reads it in plain words once shared; the reviews due list for the SENCO and the
intervention specialist."""

from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from sendwise.core.access import actor_for
from sendwise.delivery.models import Group, GroupMember
from sendwise.monitoring import review_services as services
from sendwise.monitoring.models import PlacementDecision, Review
from sendwise.monitoring.review_selectors import reliable_change_text
from sendwise.planning import services as planning_services
from sendwise.planning.models import Plan
from sendwise.pupils.access_services import pupil_access_grant
from sendwise.pupils.models import PupilAccess
from tests.evidence.factories import InterventionFactory
from tests.factories import PupilFactory
from tests.monitoring.factories import (
    TODAY,
    add_score,
    complete_review,
    plan_to_review,
    reading_measure,
)
from tests.queries import assert_database_query_count, capture_queries


@pytest.fixture
def senco(world):
    return actor_for(world.users["senco"])


@pytest.fixture
def reviewed(world, senco):
    return plan_to_review(senco, world.pupil_in_class)


def review_url(name, plan):
    return reverse(name, kwargs={"pupil_id": plan.pupil_id, "plan_id": plan.pk})


def complete_form(plan, first, second, outcome, **changes):
    data = {
        "held_on": TODAY().isoformat(),
        "attendee_name_0": "Sam Senco",
        "attendee_role_0": "SENCO",
        "attendee_name_1": "Pat Ng",
        "attendee_role_1": "Parent",
        "pupil_views": "The reading games are fun",
        "parent_views": "She reads at bedtime now",
        "summary": "Amara's reading has improved. Number sense stops.",
        f"result_{outcome.pk}": "partly",
        f"outcome_note_{outcome.pk}": "STAFF ONLY: check the test form used",
        f"response_{first.pk}": "responded",
        f"decision_{first.pk}": "continue",
        f"decision_{second.pk}": "escalate_ehc",
        f"note_{second.pk}": "STAFF ONLY: speak to the EP first",
        "action": "complete",
    }
    data.update(changes)
    return data


# --- Holding the review ---------------------------------------------------------------------------
def test_the_review_page_shows_the_evidence_beside_each_outcome_and_intervention(
    world, senco, reviewed, client_as
):
    plan, _first, _second, _outcome = reviewed
    add_score(world.pupil_in_class, reading_measure(), 85, TODAY() - timedelta(weeks=6))
    page = client_as("senco").get(review_url("planning:review", plan)).content.decode()
    # Six weeks into twelve, the goal line from 80 to 92 is at 86.
    assert "85 on" in page and "the goal line expected 86 by then" in page
    assert "within what measurement error alone could explain" in page  # 80 -> 85, RC 0.75
    assert "Reading catch-up" in page and "No sessions due yet" not in page
    # 3 a week for 12 weeks, and the pupil was never put in a group: waiting, not 0% delivered.
    assert (
        "Not placed in a group yet, so no sessions could be timetabled (36 planned by now)" in page
    )
    assert "What happens next to Number sense?" in page


def test_reliable_change_against_hand_worked_figures(world, senco, reviewed):
    """SD 15, reliability 0.9: SEM = 15 * sqrt(0.1) = 4.743, S_diff = sqrt(2) * SEM = 6.708
    (Jacobson & Truax 1991). 80 -> 92 is RC 1.79 (not reliable); 80 -> 95 is RC 2.24."""
    outcome = reviewed[3]
    measure = reading_measure()
    twelve = add_score(world.pupil_in_class, measure, 92, TODAY())
    assert "reliable change index 1.79" in reliable_change_text(outcome, twelve)
    assert "within what measurement error" in reliable_change_text(outcome, twelve)
    fifteen = add_score(world.pupil_in_class, measure, 95, TODAY())
    assert "a reliable improvement" in reliable_change_text(outcome, fifteen)
    assert "reliable change index 2.24" in reliable_change_text(outcome, fifteen)
    # The coefficient is maths.reliability's choice, named as on the impact pages (this
    # measure records one figure and no list of sources, so it is used as recorded).
    assert "(reliable change index 2.24, with its recorded reliability 0.90)" in (
        reliable_change_text(outcome, fifteen)
    )


def test_a_draft_is_saved_and_shown_again_to_finish(senco, reviewed, client_as):
    plan, first, second, outcome = reviewed
    client = client_as("senco")
    data = complete_form(plan, first, second, outcome, action="draft", summary="Half way")
    response = client.post(review_url("planning:review", plan), data)
    assert response.status_code == 302
    page = client.get(review_url("planning:review", plan)).content.decode()
    assert "Draft saved" in page and "Half way" in page and 'value="Pat Ng"' in page
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ACTIVE


def test_a_review_submitted_twice_is_recorded_once_and_the_second_shows_what_was_saved(
    senco, reviewed, client_as
):
    plan, first, second, outcome = reviewed
    client = client_as("senco")
    data = complete_form(plan, first, second, outcome)
    first_answer = client.post(review_url("planning:review", plan), data)
    assert first_answer["Location"] == review_url("planning:review_record", plan)
    again = client.post(review_url("planning:review", plan), data, follow=True)
    page = again.content.decode()
    assert "This review was already completed" in page and "nothing was changed" in page
    assert "Amara&#x27;s reading has improved" in page
    assert Review.objects.filter(plan=plan).count() == 1
    assert Plan.objects.filter(pupil=plan.pupil).count() == 2


def test_a_future_meeting_date_shows_an_error_and_saves_nothing(senco, reviewed, client_as):
    plan, first, second, outcome = reviewed
    tomorrow = (TODAY() + timedelta(days=1)).isoformat()
    response = client_as("senco").post(
        review_url("planning:review", plan),
        complete_form(plan, first, second, outcome, held_on=tomorrow),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in page and services.HELD_IN_FUTURE in page
    assert not Review.objects.exists()


def test_completing_without_a_result_names_the_outcome_field(senco, reviewed, client_as):
    plan, first, second, outcome = reviewed
    data = complete_form(plan, first, second, outcome)
    del data[f"result_{outcome.pk}"]
    page = client_as("senco").post(review_url("planning:review", plan), data).content.decode()
    assert f'href="#id_result_{outcome.pk}_0"' in page and services.RESULT_REQUIRED in page
    assert not Review.objects.exists()


# --- Sharing with the parent ----------------------------------------------------------------------
def test_the_parent_reads_the_review_only_once_shared_in_plain_words(senco, reviewed, client_as):
    plan, first, second, outcome = reviewed
    client = client_as("senco")
    client.post(review_url("planning:review", plan), complete_form(plan, first, second, outcome))
    parent = client_as("parent")
    assert parent.get(review_url("planning:review_record", plan)).status_code == 404
    plans_page = parent.get(reverse("planning:plans", kwargs={"pupil_id": plan.pupil_id}))
    # Before it is shared, neither the summary nor the draft next plan shows to the parent.
    assert "reading has improved" not in plans_page.content.decode()
    assert "Plan 2" not in plans_page.content.decode()
    client_as("senco").post(review_url("planning:review_share", plan))
    response = client_as("parent").get(review_url("planning:review_record", plan))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Amara's review meeting" in page
    assert "Part of the way there" in page
    assert "education, health and care plan" in page
    for hidden in ("STAFF ONLY", "Staff note", "escalate_ehc", "partly", "EHC", "RCI"):
        assert hidden not in page


def test_the_plans_page_links_the_review_and_lists_what_is_still_to_choose(
    senco, reviewed, client_as
):
    plan, first, second, outcome = reviewed
    data = complete_form(plan, first, second, outcome)
    data[f"decision_{second.pk}"] = "change_intervention"
    client = client_as("senco")
    client.post(review_url("planning:review", plan), data)
    page = client.get(reverse("planning:plans", kwargs={"pupil_id": plan.pupil_id})).content
    page = page.decode()
    assert "Still to choose" in page and "replace Number sense" in page
    assert "Read the review meeting" in page and "Put plan 2 in place" in page
    nxt = Plan.objects.get(pupil=plan.pupil, cycle=2)
    client.post(review_url("planning:plan_activate", nxt))
    nxt.refresh_from_db()
    assert nxt.status == Plan.Status.ACTIVE


# --- Reviews due ----------------------------------------------------------------------------------
def due_plan(senco, school, review_in_days: int, **pupil):
    start = TODAY() - timedelta(weeks=10)
    return planning_services.plan_create(
        actor=senco,
        pupil=PupilFactory(school=school, **pupil),
        start_date=start,
        review_date=TODAY() + timedelta(days=review_in_days),
    )


def test_the_senco_sees_overdue_reviews_and_those_due_in_two_weeks(world, senco, client_as):
    overdue = due_plan(senco, world.school, -3, first_name="Olly")
    soon = due_plan(senco, world.school, 10, first_name="Sana")
    due_plan(senco, world.school, 20, first_name="Later")
    due_plan(senco, world.other_school, 1, first_name="Elsewhere")
    client = client_as("senco")
    assert 'href="/reviews/"' in client.get(reverse("home")).content.decode()
    page = client.get(reverse("reviews_due")).content.decode()
    assert "Olly" in page and "Sana" in page and "Overdue" in page
    assert "Later" not in page and "Elsewhere" not in page
    overdue_only = client.get(reverse("reviews_due"), {"when": "overdue"}).content.decode()
    assert "Olly" in overdue_only and "Sana" not in overdue_only
    services.review_save(
        actor=senco, plan=soon, held_on=TODAY(), attendees=[services.Attendee("Sam")]
    )
    started = client.get(reverse("reviews_due"), {"state": "draft"}).content.decode()
    assert "Sana" in started and "Carry on the review" in started and "Olly" not in started
    assert overdue.pupil.first_name == "Olly"


def test_the_specialist_sees_the_reviews_due_of_their_groups_pupils_only(world, senco, client_as):
    specialist = world.users["intervention_specialist"]
    in_group = due_plan(senco, world.school, 2, first_name="Grouped")
    due_plan(senco, world.school, 2, first_name="Ungrouped")
    placement = planning_services.placement_add(
        actor=senco,
        plan=in_group,
        intervention=InterventionFactory(),
    )
    group = Group.objects.create(
        school=world.school, intervention=placement.intervention, name="G", places=4
    )
    group.deliverer = specialist
    group.save()
    GroupMember.objects.create(
        school=world.school, group=group, placement=placement, joined_on=TODAY()
    )
    pupil_access_grant(
        school_id=world.school.pk,
        basis=PupilAccess.Basis.GROUP_DELIVERER,
        source_id=placement.pk,
        user_id=specialist.pk,
        pupil_ids=[in_group.pupil_id],
    )
    page = client_as("intervention_specialist").get(reverse("reviews_due")).content.decode()
    assert "Grouped" in page and "Ungrouped" not in page
    assert "Escalations agreed" not in page


def test_the_reviews_due_page_runs_the_same_queries_for_1_and_20_rows(world, senco, client_as):
    def add(n):
        for _ in range(n):
            plan = due_plan(senco, world.school, 3)
            placement = planning_services.placement_add(
                actor=senco,
                plan=plan,
                intervention=InterventionFactory(),
            )
            review = Review.objects.create(
                school=world.school, plan=plan, held_on=TODAY(), status="complete"
            )
            PlacementDecision.objects.create(
                school=world.school, review=review, placement=placement, decision="escalate_ehc"
            )

    client = client_as("senco")
    add(1)
    client.get(reverse("reviews_due"))
    with capture_queries() as one_row:
        assert client.get(reverse("reviews_due")).status_code == 200
    add(19)
    with assert_database_query_count(one_row, info="reviews due, 20 rows against 1"):
        page = client.get(reverse("reviews_due")).content.decode()
    assert "20 reviews" in page and page.count("Request an EHC needs assessment") == 20


def test_completed_reviews_list_their_escalations_for_the_senco(senco, reviewed, client_as):
    complete_review(senco, reviewed[0], decision="escalate_advice")
    page = client_as("senco").get(reverse("reviews_due")).content.decode()
    assert page.count("Seek advice from outside the school") == 2


def test_an_over_long_note_is_refused_with_its_bound_and_saves_nothing(senco, reviewed, client_as):
    plan, first, second, outcome = reviewed
    data = complete_form(plan, first, second, outcome, **{f"note_{first.pk}": "x" * 1001})
    page = client_as("senco").post(review_url("planning:review", plan), data).content.decode()
    assert "Note on Reading catch-up must be 1000 characters or fewer" in page
    assert not Review.objects.exists()


def test_every_problem_shows_in_one_round_each_linked_to_its_field(senco, reviewed, client_as):
    """A note too long (the form's check) and no result, no summary and a future date (the
    review's rules) all show after the first submit, not the rules only after the note is
    fixed."""
    plan, first, second, outcome = reviewed
    tomorrow = (TODAY() + timedelta(days=1)).isoformat()
    data = complete_form(
        plan, first, second, outcome, held_on=tomorrow, summary="",
        **{f"note_{first.pk}": "x" * 1001},
    )  # fmt: skip
    del data[f"result_{outcome.pk}"]
    page = client_as("senco").post(review_url("planning:review", plan), data).content.decode()
    assert "<title>Error:" in page
    for href, message in [
        ("#id_held_on", services.HELD_IN_FUTURE),
        ("#id_summary", services.SUMMARY_REQUIRED),
        (f"#id_result_{outcome.pk}_0", services.RESULT_REQUIRED),
        (f"#id_note_{first.pk}", "Note on Reading catch-up must be 1000 characters or fewer"),
    ]:
        assert f'<a href="{href}">{message}' in page
    assert not Review.objects.exists()


def test_a_dose_the_form_cannot_read_is_not_also_reported_as_missing(senco, reviewed, client_as):
    plan, first, second, outcome = reviewed
    data = complete_form(
        plan, first, second, outcome,
        **{f"decision_{first.pk}": "change_dose", f"sessions_per_week_{first.pk}": "4",
           f"minutes_per_session_{first.pk}": "lots", f"note_{second.pk}": "x" * 1001},
    )  # fmt: skip
    page = client_as("senco").post(review_url("planning:review", plan), data).content.decode()
    assert f'href="#id_minutes_per_session_{first.pk}"' in page
    assert services.DOSE_REQUIRED not in page
    assert not Review.objects.exists()


def test_a_role_without_a_name_links_to_that_persons_name_box(senco, reviewed, client_as):
    plan, first, second, outcome = reviewed
    data = complete_form(plan, first, second, outcome, attendee_role_2="Class teacher")
    page = client_as("senco").post(review_url("planning:review", plan), data).content.decode()
    assert f'<a href="#id_attendee_name_2">{services.ATTENDEE_NAME_MISSING}' in page
    assert not Review.objects.exists()


def _first_submit_button_of_the_review_form(page: str) -> str:
    """The button a browser clicks when Enter is pressed in a text box of the review form: the
    form's first submit button in the page's order (HTML's implicit submission)."""

    class Forms(HTMLParser):
        def __init__(self):
            super().__init__()
            self.forms: list[list[str | None]] = []
            self.open = False

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "form":
                self.forms.append([])
                self.open = True
            elif self.open and tag == "button" and attrs.get("type", "submit") == "submit":
                self.forms[-1].append(attrs.get("value"))

        def handle_endtag(self, tag):
            if tag == "form":
                self.open = False

    parser = Forms()
    parser.feed(page)
    [buttons] = [b for b in parser.forms if "complete" in b]
    return buttons[0]


def test_pressing_enter_in_the_who_attended_box_saves_a_draft_and_does_not_close_the_plan(
    senco, reviewed, client_as
):
    plan, first, second, outcome = reviewed
    client = client_as("senco")
    page = client.get(review_url("planning:review", plan)).content.decode()
    enter_clicks = _first_submit_button_of_the_review_form(page)
    assert enter_clicks == "draft"
    # What the browser then sends: the form with the first button's name and value.
    data = complete_form(plan, first, second, outcome, action=enter_clicks)
    assert client.post(review_url("planning:review", plan), data).status_code == 302
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ACTIVE
    assert Review.objects.get().is_draft


def test_a_dose_box_that_is_not_a_whole_number_names_its_intervention_and_the_range(
    senco, reviewed, client_as
):
    plan, first, second, outcome = reviewed
    data = complete_form(
        plan, first, second, outcome,
        **{f"decision_{first.pk}": "change_dose", f"sessions_per_week_{first.pk}": "2.5"},
    )  # fmt: skip
    page = client_as("senco").post(review_url("planning:review", plan), data).content.decode()
    name = first.intervention.name
    assert f"Sessions a week for {name} must be a whole number from 1 to 10" in page
    assert "Enter a whole number." not in page
    assert not Review.objects.exists()
