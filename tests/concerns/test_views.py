"""The concern pages as teachers, the SENCO and the head use them."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from sendwise.concerns import services
from sendwise.concerns.models import Area, Concern, Observation, ObservationRequest
from sendwise.core.access import actor_for
from sendwise.core.models import AuditEntry
from sendwise.pupils.models import Pupil
from tests.concerns.factories import ConcernFactory, ObservationRequestFactory, concern_url
from tests.factories import PupilFactory, UserFactory
from tests.queries import assert_database_query_count

TODAY = timezone.localdate


@pytest.fixture
def new_pupil(world):
    return PupilFactory(
        school=world.school,
        class_group=world.pupil_in_class.class_group,
        sen_provision="N",
        primary_need="",
        first_name="Dev",
        last_name="Rao",
    )


@pytest.fixture
def concern(world, new_pupil):
    return ConcernFactory(pupil=new_pupil, raised_by=world.users["teacher"])


def test_staff_see_a_raise_a_concern_link_on_the_pupil_page_and_parents_do_not(world, client_as):
    url = reverse("pupils:detail", kwargs={"pupil_id": world.pupil_in_class.pk})
    raise_url = reverse("concerns:raise", kwargs={"pupil_id": world.pupil_in_class.pk})
    assert raise_url in client_as("teacher").get(url).content.decode()
    assert raise_url not in client_as("parent").get(url).content.decode()


def test_a_teacher_raises_a_concern_and_sees_the_confirmation(world, client_as, new_pupil):
    client = client_as("teacher")
    response = client.post(
        reverse("concerns:raise", kwargs={"pupil_id": new_pupil.pk}),
        {
            "areas": ["attention", "self_management"],
            "what_seen": "Starts tasks but rarely finishes them.",
            "raised_on": TODAY().isoformat(),
        },
    )
    concern = Concern.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("concerns:raised", kwargs={"concern_id": concern.pk})
    html = client.get(response["Location"]).content.decode()
    assert "Concern raised" in html and "Dev Rao" in html
    assert concern.areas == ["attention", "self_management"]


def test_an_empty_concern_form_shows_the_error_summary_and_saves_nothing(
    world, client_as, new_pupil
):
    response = client_as("teacher").post(
        reverse("concerns:raise", kwargs={"pupil_id": new_pupil.pk}),
        {"raised_on": "2026-02-31"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html and "There is a problem" in html
    assert services.AREAS_REQUIRED in html and services.WHAT_SEEN_REQUIRED in html
    assert "The date you noticed this must be a real date" in html
    assert 'href="#id_areas_0"' in html  # the summary links to the first checkbox
    assert not Concern.objects.exists()


def test_a_future_date_is_refused_with_the_services_message(world, client_as, new_pupil):
    response = client_as("teacher").post(
        reverse("concerns:raise", kwargs={"pupil_id": new_pupil.pk}),
        {
            "areas": ["memory"],
            "what_seen": "x",
            "raised_on": (TODAY() + timedelta(days=3)).isoformat(),
        },
    )
    assert services.RAISED_ON_FUTURE in response.content.decode()
    assert not Concern.objects.exists()


def test_the_senco_asks_for_observations_from_a_list_of_staff(world, client_as, concern):
    url = reverse("concerns:ask", kwargs={"concern_id": concern.pk})
    client = client_as("senco")
    html = client.get(url).content.decode()
    assert "teacher person" in html and "intervention_specialist person" in html
    assert "head person" not in html and "Parent person" not in html
    response = client.post(
        url,
        {"teachers": [world.users["teacher"].pk, world.users["intervention_specialist"].pk]},
    )
    assert response.status_code == 302
    assert ObservationRequest.objects.filter(concern=concern).count() == 2


def test_asking_someone_not_on_the_list_shows_an_error(world, client_as, concern):
    response = client_as("senco").post(
        reverse("concerns:ask", kwargs={"concern_id": concern.pk}),
        {"teachers": [world.users["head"].pk]},
    )
    assert services.TEACHER_NOT_ALLOWED in response.content.decode()
    assert not ObservationRequest.objects.exists()


def test_the_asked_teacher_sees_the_request_on_their_dashboard_and_others_do_not(
    world, client_as, concern
):
    obs_request = ObservationRequestFactory(
        concern=concern, teacher=world.users["teacher"], requested_by=world.users["senco"]
    )
    link = reverse("concerns:observe", kwargs={"request_id": obs_request.pk})
    html = client_as("teacher").get(reverse("home")).content.decode()
    assert "Observations asked of you" in html and link in html
    html = client_as("intervention_specialist").get(reverse("home")).content.decode()
    assert "Observations asked of you" not in html


def observation_data(rating="none", **overrides):
    data = {f"{area.value}_rating": rating for area in Area}
    data.update(overrides)
    return data


def test_the_asked_teacher_sends_observations_and_sees_them(world, client_as, concern):
    obs_request = ObservationRequestFactory(
        concern=concern, teacher=world.users["teacher"], requested_by=world.users["senco"]
    )
    url = reverse("concerns:observe", kwargs={"request_id": obs_request.pk})
    client = client_as("teacher")
    assert concern.what_seen not in client.get(url).content.decode()  # kept independent
    response = client.post(
        url,
        observation_data(attention_rating="significant", attention_example="Out of seat often."),
    )
    assert response.status_code == 302 and response["Location"] == url
    html = client.get(url).content.decode()
    assert "Observations sent" in html and "Out of seat often." in html
    assert Observation.objects.filter(request=obs_request).count() == len(Area)
    assert "Observations asked of you" not in client.get(reverse("home")).content.decode()


def test_a_concern_rated_without_an_example_shows_the_error_by_the_field(world, client_as, concern):
    obs_request = ObservationRequestFactory(
        concern=concern, teacher=world.users["teacher"], requested_by=world.users["senco"]
    )
    url = reverse("concerns:observe", kwargs={"request_id": obs_request.pk})
    data = observation_data(memory_rating="some")
    del data["physical_rating"]
    html = client_as("teacher").post(url, data).content.decode()
    assert "<title>Error: " in html
    assert services.EXAMPLE_REQUIRED.format(area="memory") not in html  # form errors come first
    assert services.RATING_REQUIRED.format(area="physical and sensory") in html
    assert 'href="#id_physical_rating_0"' in html
    data["physical_rating"] = "not_observed"
    html = client_as("teacher").post(url, data).content.decode()
    assert services.EXAMPLE_REQUIRED.format(area="memory") in html
    assert 'href="#id_memory_example"' in html
    assert not Observation.objects.exists()


def test_a_teacher_posting_to_someone_elses_request_gets_404_and_nothing_is_saved(
    world, client_as, concern
):
    obs_request = ObservationRequestFactory(
        concern=concern,
        teacher=world.users["intervention_specialist"],
        requested_by=world.users["senco"],
    )
    url = reverse("concerns:observe", kwargs={"request_id": obs_request.pk})
    response = client_as("teacher").post(url, observation_data())
    assert response.status_code == 404
    assert b"Dev Rao" not in response.content
    assert not Observation.objects.exists()


def test_the_senco_closes_at_sen_support_and_the_pupil_page_shows_it(
    world, client_as, concern, new_pupil
):
    services.concern_parents_informed(
        actor=actor_for(world.users["senco"]),
        concern=concern,
        informed_on=TODAY(),
        how="meeting",
        response="Agreed.",
    )
    client = client_as("senco")
    response = client.post(
        reverse("concerns:close", kwargs={"concern_id": concern.pk}),
        {"outcome": "sen_support", "primary_need": "SEMH", "reasons": "Seen in every lesson."},
    )
    assert response.status_code == 302
    new_pupil.refresh_from_db()
    assert (new_pupil.sen_provision, new_pupil.primary_need) == ("K", "SEMH")
    html = client.get(reverse("concerns:detail", kwargs={"concern_id": concern.pk})).content
    assert b"Seen in every lesson." in html and b"Closed" in html
    # A closed concern's forms go back to the concern.
    response = client.get(reverse("concerns:ask", kwargs={"concern_id": concern.pk}))
    assert response.status_code == 302


def test_closing_without_answers_lists_every_problem(world, client_as, concern, new_pupil):
    response = client_as("senco").post(
        reverse("concerns:close", kwargs={"concern_id": concern.pk}),
        {"outcome": "sen_support", "secondary_need": "XYZ"},
    )
    html = response.content.decode()
    assert "<title>Error: " in html
    assert services.NEED_UNKNOWN in html
    response = client_as("senco").post(
        reverse("concerns:close", kwargs={"concern_id": concern.pk}), {"outcome": "sen_support"}
    )
    html = response.content.decode()
    for message in (
        services.PRIMARY_NEED_REQUIRED,
        services.REASONS_REQUIRED,
        services.PARENTS_NOT_INFORMED,
    ):
        assert escape(message) in html
    assert Pupil.unscoped.get(pk=new_pupil.pk).sen_provision == "N"
    assert Concern.objects.get(pk=concern.pk).is_open


def test_the_senco_records_parents_told_from_the_form(world, client_as, concern):
    url = reverse("concerns:parents", kwargs={"concern_id": concern.pk})
    client = client_as("senco")
    bad = client.post(url, {"informed_on": TODAY().isoformat(), "how": "meeting"})
    assert services.RESPONSE_REQUIRED in bad.content.decode()
    response = client.post(
        url, {"informed_on": TODAY().isoformat(), "how": "phone", "response": "Relieved."}
    )
    assert response.status_code == 302
    concern.refresh_from_db()
    assert concern.parents_response == "Relieved."


def test_the_head_reads_a_concern_but_has_no_buttons_and_cannot_post(world, client_as, concern):
    client = client_as("head")
    html = client.get(reverse("concerns:detail", kwargs={"concern_id": concern.pk})).content
    assert b"Dev Rao" in html and b"Close with an outcome" not in html
    response = client.post(
        reverse("concerns:close", kwargs={"concern_id": concern.pk}),
        {"outcome": "no_further_action", "reasons": "x"},
    )
    assert response.status_code == 403
    assert Concern.objects.get(pk=concern.pk).is_open


def test_viewing_a_concern_is_audit_logged(world, client_as, concern):
    client_as("senco").get(reverse("concerns:detail", kwargs={"concern_id": concern.pk}))
    assert AuditEntry.objects.filter(
        action="view", object_type="concern", object_id=str(concern.pk)
    ).exists()


@pytest.mark.parametrize(("who", "shown"), [("senco", True), ("head", True), ("teacher", False)])
def test_the_concerns_menu_item_is_for_the_senco_and_head(world, client_as, who, shown):
    html = client_as(who).get(reverse("home")).content.decode()
    assert (f'href="{reverse("concerns:list")}"' in html) is shown


@pytest.mark.parametrize("rows", [1, 20])
def test_the_concern_list_runs_a_fixed_number_of_queries(world, client_as, rows):
    for _ in range(rows):
        concern = ConcernFactory(
            pupil=PupilFactory(school=world.school, sen_provision="N", primary_need=""),
            raised_by=UserFactory(),
        )
        ObservationRequestFactory(concern=concern, teacher=world.users["teacher"])
    client = client_as("senco")
    client.get(reverse("concerns:list"))  # warm the session
    # session, user, memberships, count, page of rows, audit insert
    with assert_database_query_count(6):
        response = client.get(reverse("concerns:list"), {"status": "all"})
    assert response.status_code == 200
    assert response.content.decode().count("0 of 1") == rows


def test_a_request_on_a_closed_concern_says_it_is_no_longer_needed_and_takes_no_answers(
    world, client_as, concern
):
    obs_request = ObservationRequestFactory(
        concern=concern, teacher=world.users["teacher"], requested_by=world.users["senco"]
    )
    services.concern_close(
        actor=actor_for(world.users["senco"]),
        concern=concern,
        outcome="no_further_action",
        reasons="Settled.",
    )
    url = reverse("concerns:observe", kwargs={"request_id": obs_request.pk})
    client = client_as("teacher")
    response = client.post(url, observation_data())
    assert response.status_code == 200
    assert "no longer needed" in response.content.decode()
    assert not Observation.objects.exists()
    assert "Observations asked of you" not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("name", ["concerns:raise", "concerns:close", "pupils:edit"])
def test_a_date_box_has_no_example_date_beside_it_as_the_browser_shows_its_own_format(
    name, world, client_as
):
    """Date boxes are the browser's own (type=date), which show the format they take; an
    example written as 2026-03-27 beside one reads like a format to type, so none is given."""
    url = (
        reverse(name, kwargs={"pupil_id": world.pupil_in_class.pk})
        if name != "concerns:close"
        else concern_url(name, world)
    )
    page = client_as("senco").get(url).content.decode()
    assert 'type="date"' in page
    assert not re.search(r"For example,? \d{4}-\d{2}-\d{2}", page)
