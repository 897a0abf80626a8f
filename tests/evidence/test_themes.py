"""The key research messages page: every message once, by theme, searchable, scoped to the school."""

from pathlib import Path

import pytest
from django.urls import reverse

from sendwise.evidence import services
from sendwise.evidence.models import GuidanceMessage, Intervention
from tests.evidence.factories import InterventionFactory, KeyMessageFactory, own_intervention
from tests.queries import assert_database_query_count

FIXTURES = Path(__file__).parent / "fixtures"
THEMES = reverse("evidence:themes")


@pytest.fixture
def seeded(world):
    services.catalogue_seed(directory=FIXTURES)
    pooled = Intervention.objects.get(slug="pooled_reading")
    guidance = GuidanceMessage.objects.create(
        slug="ta-structured",
        theme="teaching_assistants",
        position=0,
        text="Teaching assistants do most good running structured sessions.",
        sources=["https://example.org/ta-guidance"],
    )
    guidance.interventions.set([pooled])
    return world


def all_texts(response) -> list[str]:
    texts = []
    for group in response.context["groups"]:
        texts += [m.text for m in group.guidance]
        texts += [m.text for entry in group.entries for m in entry.messages]
    return texts


def test_staff_see_every_message_once_under_its_theme_with_its_source_and_entries(
    seeded, client_as
):
    response = client_as("teacher").get(THEMES)
    assert response.status_code == 200
    texts = all_texts(response)
    shared = Intervention.objects.filter(school__isnull=True)
    expected = sum(i.key_messages.filter(archived=False).count() for i in shared) + 1
    assert len(texts) == len(set(texts)) == expected
    groups = {g.theme: g for g in response.context["groups"]}
    assert [m.slug for m in groups["teaching_assistants"].guidance] == ["ta-structured"]
    html = response.content.decode()
    assert 'href="https://example.org/ta-guidance"' in html
    assert f'href="{reverse("evidence:detail", args=["pooled_reading"])}"' in html


def test_search_keeps_only_messages_with_every_word(seeded, client_as):
    response = client_as("senco").get(THEMES, {"q": "structured sessions"})
    assert all_texts(response) == ["Teaching assistants do most good running structured sessions."]
    assert "1 message found for “structured sessions”" in response.content.decode()
    response = client_as("senco").get(THEMES, {"q": "no such words anywhere"})
    assert response.context["groups"] == []
    assert "No key message matches" in response.content.decode()


def test_the_schools_own_messages_show_but_never_another_schools(seeded, client_as):
    own = own_intervention(seeded)
    KeyMessageFactory(intervention=own, school=own.school, text="Our club helps at lunchtime.")
    other = InterventionFactory(school=seeded.other_school, name="Beta's secret club")
    KeyMessageFactory(intervention=other, school=other.school, text="Beta's private finding.")
    texts = all_texts(client_as("teacher").get(THEMES))
    assert "Our club helps at lunchtime." in texts
    assert "Beta's private finding." not in texts


def test_the_entry_page_shows_the_guidance_that_names_it(seeded, client_as):
    response = client_as("teacher").get(reverse("evidence:detail", args=["pooled_reading"]))
    assert [m.slug for m in response.context["guidance_list"]] == ["ta-structured"]
    assert "Guidance that applies to it" in response.content.decode()


@pytest.mark.parametrize("messages", [1, 20])
def test_themes_page_runs_a_fixed_number_of_queries(world, client_as, messages):
    entry = InterventionFactory()
    for i in range(messages):
        KeyMessageFactory(intervention=entry, school=None, text=f"Message {i}", position=i)
        guidance = GuidanceMessage.objects.create(
            slug=f"g{i}", theme="literacy", position=i, text=f"Guidance {i}", sources=["x 2020"]
        )
        guidance.interventions.set([entry])
    client = client_as("senco")
    client.get(THEMES)  # warm the session
    # session, user, memberships, key messages with their entries, guidance messages, their
    # entries
    with assert_database_query_count(6):
        response = client.get(THEMES)
    assert len(all_texts(response)) == 2 * messages
