"""The catalogue pages as school staff use them."""

from pathlib import Path

import pytest
from django.urls import reverse

from sendwise.evidence import services
from sendwise.evidence.models import Intervention, KeyMessage
from tests.evidence.factories import (
    InterventionFactory,
    KeyMessageFactory,
    StudyFactory,
    own_intervention,
)
from tests.queries import assert_database_query_count

FIXTURES = Path(__file__).parent / "fixtures"
CATALOGUE = reverse("evidence:catalogue")


@pytest.fixture
def seeded(world):
    services.catalogue_seed(directory=FIXTURES)
    return world


def names_in(response) -> list[str]:
    return [i.name for i in response.context["page"].object_list]


def test_catalogue_lists_the_shared_entries_and_the_schools_own_but_not_another_schools(
    seeded, client_as
):
    own_intervention(seeded)
    InterventionFactory(school=seeded.other_school, name="Beta's secret club")
    response = client_as("teacher").get(CATALOGUE)
    assert response.status_code == 200
    assert names_in(response) == [
        "Our reading club",
        "Pooled Reading Programme",
        "Untested Motor Circuits",
        "Whole Class Talk",
    ]
    html = response.content.decode()
    assert "4 entries found" in html and "Beta's secret club" not in html
    assert (
        "Pooled from 2 or more trials: +3 months<br>(95% interval +1 to +6 months; 2 trials, 1,700 pupils)"
        in html
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "pooled"}, ["Pooled Reading Programme"]),
        ({"q": "another body"}, ["Whole Class Talk"]),  # provider
        ({"q": "full sentences"}, ["Whole Class Talk"]),  # a key message
        ({"area": "semh"}, ["Whole Class Talk"]),
        ({"need": "MLD"}, ["Pooled Reading Programme"]),
        ({"skill": "gross_motor"}, ["Untested Motor Circuits"]),
        ({"year": "5"}, ["Untested Motor Circuits"]),
        ({"format": "whole_class"}, ["Whole Class Talk"]),
        ({"kind": "classroom_strategy"}, ["Whole Class Talk"]),
        ({"strength": "toolkit_only"}, ["Whole Class Talk"]),
        ({"has_cost": "on"}, ["Pooled Reading Programme"]),
        ({"area": "cognition_learning", "year": "2", "q": "reading"}, ["Pooled Reading Programme"]),
    ],
)
def test_search_and_filters(seeded, client_as, query, expected):
    assert names_in(client_as("senco").get(CATALOGUE, query)) == expected


def test_a_need_code_matches_whole_codes_only(world, client_as):
    InterventionFactory(name="For PMLD", need_codes=["PMLD"])
    InterventionFactory(name="For MLD", need_codes=["MLD"])
    InterventionFactory(name="Skill with underscore", need_codes=[], skills=["reading_fluency"])
    client = client_as("senco")
    assert names_in(client.get(CATALOGUE, {"need": "MLD"})) == ["For MLD"]
    assert names_in(client.get(CATALOGUE, {"need": "PMLD"})) == ["For PMLD"]
    InterventionFactory(name="Lookalike skill", need_codes=[], skills=["readingXfluency"])
    # "_" is escaped, not a LIKE wildcard.
    assert names_in(client.get(CATALOGUE, {"skill": "reading_fluency"})) == [
        "Skill with underscore"
    ]


def test_invalid_filters_show_the_whole_catalogue_not_an_error(seeded, client_as):
    response = client_as("senco").get(CATALOGUE, {"year": "99", "strength": "x", "page": "z"})
    assert response.status_code == 200 and len(names_in(response)) == 3


def test_htmx_search_returns_only_the_results(seeded, client_as):
    response = client_as("senco").get(CATALOGUE, {"q": "talk"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Whole Class Talk" in html and "<html" not in html


@pytest.mark.parametrize("rows", [1, 20])
def test_catalogue_runs_a_fixed_number_of_queries(world, client_as, rows):
    for _ in range(rows):
        KeyMessageFactory(intervention=InterventionFactory())
    client = client_as("senco")
    client.get(CATALOGUE)  # warm the session
    # session, user, memberships, skills for the filter, count, page of rows
    with assert_database_query_count(6):
        response = client.get(CATALOGUE, {"q": "intervention", "area": "cognition_learning"})
    assert len(response.context["page"].object_list) == rows


@pytest.mark.parametrize("studies", [1, 10])
def test_detail_runs_a_fixed_number_of_queries(world, client_as, studies):
    intervention = InterventionFactory(slug="many")
    for _ in range(studies):
        StudyFactory(intervention=intervention)
    client = client_as("senco")
    client.get(CATALOGUE)  # warm the session
    # session, user, memberships, intervention, studies, the school's placements,
    # its adaptations, key messages, guidance messages naming it, its groups (local
    # studies), the trust's other schools' adaptations that helped
    with assert_database_query_count(11):
        response = client.get(reverse("evidence:detail", args=["many"]))
    assert response.context["research"].synthesis.k == studies


def test_detail_shows_the_pooled_estimate_interval_n_and_forest_plot(seeded, client_as):
    response = client_as("teacher").get(reverse("evidence:detail", args=["pooled_reading"]))
    assert response.status_code == 200
    html = response.content.decode()
    research = response.context["research"]
    pooled = research.synthesis.pooled
    assert research.synthesis.k == 2 and research.synthesis.n == 1700
    assert research.synthesis.months_label == "+3 months"  # effect size 0.26
    assert '<p class="govuk-heading-l govuk-!-margin-bottom-1">+3 months</p>' in html
    assert f"effect size {pooled.ci_low:.2f} to {pooled.ci_high:.2f}" in html
    assert "2 trials, 1,700 pupils" in html
    assert "1,700 pupils in 2 studies" in html  # the stats_text sentence
    assert 'width="100%" role="img" aria-label="Forest plot for Pooled Reading Programme' in html
    assert "Trials pooled" in html  # the chart's text alternative
    assert "Smaller effect at scale" in html
    assert "No: second report of the same trial" in html
    assert "No: unstandardised outcome (raw score difference)" in html
    assert "Not enough data yet:" in html
    assert "Change key messages" not in html


def test_one_trial_is_shown_with_a_single_trial_warning(world, client_as):
    study = StudyFactory(intervention__slug="solo", effect_size=0.25, n_treatment=80, n_control=90)
    response = client_as("senco").get(reverse("evidence:detail", args=[study.intervention.slug]))
    html = response.content.decode()
    assert "Single trial:" in html and "1 trial, 170 pupils" in html
    assert "the diamond" not in html


def test_an_entry_without_poolable_studies_says_so_and_names_the_toolkit_strand(seeded, client_as):
    html = client_as("senco").get(reverse("evidence:detail", args=["whole_class_talk"])).content
    html = html.decode()
    assert "No study of this classroom strategy reports a result that can be pooled" in html
    assert "Oral language interventions" in html and "<svg" not in html


def test_a_schools_own_intervention_shows_practice_based_text_and_an_edit_link_for_the_senco(
    world, client_as
):
    intervention = own_intervention(world)
    url = reverse("evidence:detail", args=[intervention.slug])
    html = client_as("senco").get(url).content.decode()
    assert "practice-based intervention: there is no published study" in html
    assert "Not enough data yet:" in html and "Pupils like reading to the dog." in html
    assert reverse("evidence:messages", args=[intervention.slug]) in html


def test_a_teacher_sees_the_schools_own_intervention_without_the_edit_link(world, client_as):
    intervention = own_intervention(world)
    html = client_as("teacher").get(reverse("evidence:detail", args=[intervention.slug])).content
    assert b"Change key messages" not in html


def test_archived_and_other_schools_entries_are_404(world, client_as):
    archived = InterventionFactory(archived=True)
    theirs = InterventionFactory(school=world.other_school)
    client = client_as("senco")
    for item in (archived, theirs):
        assert client.get(reverse("evidence:detail", args=[item.slug])).status_code == 404


def test_the_edit_page_of_a_shared_entry_is_404(seeded, client_as):
    url = reverse("evidence:messages", args=["pooled_reading"])
    assert client_as("senco").get(url).status_code == 404
    assert client_as("senco").post(url, {"message_1": "Changed"}).status_code == 404


NEW = {
    "name": "Lunchtime Lego club",
    "kind": "targeted_intervention",
    "broad_areas": ["communication_interaction"],
    "need_codes": ["ASD"],
    "skills": "turn taking",
    "nc_year_min": "3",
    "nc_year_max": "6",
    "sessions_per_week": "2",
    "key_message": "Same three pupils each week.",
}


def test_senco_adds_an_intervention_and_lands_on_its_page(world, client_as):
    response = client_as("senco").post(reverse("evidence:new"), NEW)
    created = Intervention.objects.get(school=world.school)
    assert response.status_code == 302
    assert response["Location"] == reverse("evidence:detail", args=[created.slug])
    assert created.key_messages.get().text == "Same three pupils each week."


def test_bad_input_on_the_new_page_shows_the_error_summary_and_saves_nothing(world, client_as):
    data = {**NEW, "nc_year_min": "6", "nc_year_max": "3", "weeks": "0", "broad_areas": []}
    response = client_as("senco").post(reverse("evidence:new"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html and "There is a problem" in html
    assert services.AREA_REQUIRED in html
    assert 'href="#id_broad_areas_0"' in html
    assert not Intervention.objects.exists()


def test_service_rules_are_shown_in_the_error_summary_too(world, client_as):
    data = {**NEW, "nc_year_min": "6", "nc_year_max": "3", "weeks": "0"}
    html = client_as("senco").post(reverse("evidence:new"), data).content.decode()
    assert services.YEARS_ORDER in html and 'href="#id_nc_year_max"' in html
    assert "Number of weeks must be at least 1, or left blank" in html
    assert not Intervention.objects.exists()


def test_a_teacher_cannot_post_a_new_intervention(world, client_as):
    assert client_as("teacher").post(reverse("evidence:new"), NEW).status_code == 403
    assert not Intervention.objects.exists()


def test_senco_edits_key_messages(world, client_as):
    intervention = own_intervention(world)
    url = reverse("evidence:messages", args=[intervention.slug])
    client = client_as("senco")
    form = client.get(url).context["form"]
    assert [name for _, name, _ in form.slots] == ["message_1", "message_2", "message_3"]
    response = client.post(url, {"message_1": "Changed text", "message_2": "Added text"})
    assert response.status_code == 302
    live = KeyMessage.objects.filter(intervention=intervention, archived=False)
    assert sorted(m.text for m in live) == ["Added text", "Changed text"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"message_1": " ", "message_2": ""}, services.MESSAGES_REQUIRED),
        (
            {"message_1": "ok", "message_2": "x" * 501},
            "Key message 2 must be 500 characters or fewer",
        ),
    ],
)
def test_bad_key_messages_show_an_error_and_save_nothing(world, client_as, data, message):
    intervention = own_intervention(world)
    url = reverse("evidence:messages", args=[intervention.slug])
    html = client_as("senco").post(url, data).content.decode()
    assert "<title>Error: " in html and message in html
    assert intervention.key_messages.get().text == "Pupils like reading to the dog."


def test_the_menu_shows_interventions_to_staff_only(world, client_as):
    assert b">Interventions<" in client_as("teacher").get(reverse("home")).content
    assert b">Interventions<" not in client_as("parent").get(reverse("home")).content


def test_the_catalogue_shows_and_filters_by_the_schools_own_cost_per_pupil(seeded, client_as):
    from sendwise.delivery.models import Cost

    cheap, dear, uncosted = Intervention.objects.filter(school__isnull=True).order_by("name")[:3]
    Cost.objects.create(school=seeded.school, intervention=cheap, per_pupil=80)
    Cost.objects.create(school=seeded.school, intervention=dear, per_pupil=450)
    # Another school's costs are theirs: they neither show nor count here.
    Cost.objects.create(school=seeded.other_school, intervention=uncosted, per_pupil=10)
    client = client_as("senco")
    assert names_in(client.get(CATALOGUE, {"max_cost": "100"})) == [cheap.name]
    assert names_in(client.get(CATALOGUE, {"max_cost": "500"})) == sorted([cheap.name, dear.name])
    html = client.get(CATALOGUE).content.decode()
    assert "£80" in html and "£450" in html and "£10<" not in html
    bad = client.get(CATALOGUE, {"max_cost": "-5"})
    assert bad.status_code == 200 and len(names_in(bad)) == 3
    assert "greater than or equal to 0" in bad.content.decode()


def test_the_entry_page_shows_session_components_and_programme_conditions_apart(
    tmp_path, world, client_as
):
    """The seed's programme conditions load into the catalogue and show under their own
    heading, not in the numbered list the session register ticks from."""
    (tmp_path / "interventions.yaml").write_text(
        """
- id: elsa
  name: ELSA
  kind: targeted_intervention
  nc_years: [0, 13]
  sources: [https://www.elsanetwork.org/]
  core_components:
  - Sessions work on recognising and naming feelings.
  programme_conditions:
  - The ELSA receives regular group supervision from an educational psychologist.
"""
    )
    (tmp_path / "measures.yaml").write_text("[]\n")
    services.catalogue_seed(directory=tmp_path)
    page = client_as("senco").get(reverse("evidence:detail", args=["elsa"])).content.decode()
    components = page.split('data-testid="core-components">')[1].split("</ol>")[0]
    conditions = page.split('data-testid="programme-conditions">')[1].split("</ul>")[0]
    assert "naming feelings" in components and "supervision" not in components
    assert "supervision from an educational psychologist" in conditions
    assert "Conditions of the programme as a whole" in page
