"""Adding a score from the pupil page, and seeing it there."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sendwise.core.access import actor_for
from sendwise.monitoring import services
from sendwise.monitoring.models import Score
from tests.queries import assert_database_query_count, capture_queries


def add_url(pupil):
    return reverse("monitoring:score_add", kwargs={"pupil_id": pupil.pk})


def detail_url(pupil):
    return reverse("pupils:detail", kwargs={"pupil_id": pupil.pk})


def test_a_score_out_of_range_shows_the_error_summary_and_saves_nothing(
    world, client_as, standardised
):
    response = client_as("senco").post(
        add_url(world.pupil_in_class),
        {"measure": standardised.pk, "value": "150", "taken_on": str(timezone.localdate())},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "<title>Error: " in content
    assert "govuk-error-summary" in content
    assert "The score must be between 70 and 130 on Reading comprehension" in content
    assert not Score.objects.exists()


def test_an_empty_form_asks_for_each_field(world, client_as, standardised):
    empty = {"measure": "", "value": "", "taken_on": "", "note": ""}
    response = client_as("teacher").post(add_url(world.pupil_in_class), empty)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Choose the measure the score is on" in content
    assert "Enter the score" in content
    assert "Enter the date the assessment was taken" in content
    assert not Score.objects.exists()


def test_a_future_date_is_shown_against_the_date_field(world, client_as, standardised):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_as("senco").post(
        add_url(world.pupil_in_class),
        {"measure": standardised.pk, "value": "100", "taken_on": str(tomorrow)},
    )
    assert services.SCORE_IN_FUTURE in response.content.decode()
    assert 'href="#id_taken_on"' in response.content.decode()
    assert not Score.objects.exists()


@pytest.mark.parametrize("who", ["senco", "teacher"])
def test_a_saved_score_shows_on_the_pupil_page(world, client_as, standardised, who):
    client = client_as(who)
    response = client.post(
        add_url(world.pupil_in_class),
        {
            "measure": standardised.pk,
            "value": "84",
            "taken_on": str(timezone.localdate()),
            "note": "Form A",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == detail_url(world.pupil_in_class)
    page = client.get(detail_url(world.pupil_in_class)).content.decode()
    assert "Assessment scores" in page
    assert standardised.name in page
    assert ">84<" in page
    assert "higher is better" in page
    assert str(world.users[who]) in page
    assert "Add a score" in page
    assert Score.objects.get().entered_by == world.users[who]


def test_the_pupil_page_shows_an_empty_state_and_no_link_for_a_head(world, client_as):
    page = client_as("head").get(detail_url(world.pupil_in_class)).content.decode()
    assert "No scores recorded yet. Record a baseline before support starts" in page
    assert add_url(world.pupil_in_class) not in page


def test_the_pupil_page_runs_a_fixed_number_of_queries_whatever_the_scores(
    world, client_as, standardised, open_ended
):
    """Counted with 1 score, then required to be the same with 10 (the page's other sections
    belong to other apps, so the figure is measured here rather than written down)."""
    senco = actor_for(world.users["senco"])
    today = timezone.localdate()

    def add_scores(first, last):
        for n in range(first, last):
            services.score_add(
                actor=senco,
                pupil=world.pupil_in_class,
                measure=standardised if n % 2 else open_ended,
                value=90 + n,
                taken_on=today - timedelta(days=n),
            )

    client = client_as("senco")
    url = detail_url(world.pupil_in_class)
    add_scores(0, 1)
    client.get(url)  # warm the session
    with capture_queries() as one_score:
        client.get(url)
    add_scores(1, 10)
    client.get(url)
    with assert_database_query_count(one_score, info="10 scores, against 1"):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("govuk-table__cell--numeric") == 10


def test_a_score_of_60_digits_is_refused_with_the_measures_own_range(
    world, client_as, standardised
):
    response = client_as("senco").post(
        add_url(world.pupil_in_class),
        {"measure": standardised.pk, "value": "9" * 60, "taken_on": str(timezone.localdate())},
    )
    content = response.content.decode()
    assert "The score must be between 70 and 130 on Reading comprehension" in content
    assert "1,000,000" not in content and "100,000" not in content
    assert not Score.objects.exists()
