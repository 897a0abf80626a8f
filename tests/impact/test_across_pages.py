"""Heads compare their trust's schools and advisers see their authority's, from aggregates only:
no count of 1 to 4 pupils shows, not even through a total, on the page or in the download."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sendwise.core.roles import Role
from sendwise.evidence.models import Measure
from tests.evidence.factories import InterventionFactory
from tests.factories import MembershipFactory, SchoolFactory, TrustFactory, UserFactory
from tests.impact.factories import aggregate
from tests.queries import assert_database_query_count, capture_queries


@pytest.fixture
def reading(db):
    return Measure.objects.create(
        slug="reading-ss", name="Reading test", kind="standardised", mean=100, sd=15,
        higher_is_better=True,
    )  # fmt: skip


@pytest.fixture
def authority(db, reading):
    """Three schools ran Fast Phonics in 2025/26: 12 pupils at Ash, 3 at Birch, 9 at Cedar."""
    trust = TrustFactory(name="Northshire", kind="la")
    ash, birch, cedar = (
        SchoolFactory(name=f"{n} Primary", trust=trust) for n in ("Ash", "Birch", "Cedar")
    )
    phonics = InterventionFactory(name="Fast Phonics")
    gains = [0.1, 0.3, 0.5, 0.2, 0.4, 0.3]
    aggregate(school=ash, intervention=phonics, measure=reading, gains=gains, term="autumn")
    aggregate(school=ash, intervention=phonics, measure=reading, gains=gains, term="spring")
    aggregate(school=birch, intervention=phonics, measure=reading, gains=[0.9, 0.8, 1.0])
    aggregate(school=cedar, intervention=phonics, measure=reading, gains=[0.1] * 4 + [0.2] * 5)
    adviser = UserFactory()
    MembershipFactory(user=adviser, school=None, trust=trust, role=Role.LA_ADVISER)
    head = UserFactory()
    MembershipFactory(user=head, school=ash, role=Role.HEAD)
    return {"trust": trust, "ash": ash, "birch": birch, "cedar": cedar, "phonics": phonics,
            "adviser": adviser, "head": head}  # fmt: skip


def page(client, user, name="across:authority", **query):
    client.force_login(user)
    return client.get(reverse(name), query)


def schools_table(html: str) -> dict[str, str]:
    table = html.split('data-testid="schools"')[1].split("</table>")[0]
    rows = re.findall(r'<th scope="row"[^>]*>(.*?)</th>(.*?)</tr>', table, re.S)
    return {re.sub(r"<.*?>", "", name).split(" Your")[0].strip(): cells for name, cells in rows}


def test_adviser_sees_a_school_with_three_pupils_suppressed_and_the_next_smallest_too(
    client, authority
):
    response = page(client, authority["adviser"], intervention=authority["phonics"].pk)
    assert response.status_code == 200
    rows = schools_table(response.content.decode())
    assert "suppressed" not in rows["Ash Primary"] and ">12<" in rows["Ash Primary"]
    assert "suppressed" in rows["Birch Primary"] and ">3<" not in rows["Birch Primary"]
    # 24 in all, 12 shown: had Cedar's 9 been shown, 24 - 12 - 9 would give Birch's 3.
    assert "suppressed" in rows["Cedar Primary"] and ">9<" not in rows["Cedar Primary"]
    interventions = response.content.decode().split('data-testid="interventions"')[1]
    assert ">24<" in interventions


def test_every_effect_shown_has_its_interval_and_n(client, authority):
    html = page(client, authority["adviser"], intervention=authority["phonics"].pk)
    effects = re.findall(r'data-testid="effect">(.*?)</p>', html.content.decode(), re.S)
    shown = [e for e in effects if "months" in e or "SD" in e]
    assert shown, "the authority's and Ash's progress are shown"
    for effect in shown:
        assert "95% interval" in effect and re.search(r"n = \d+", effect), effect
    # Ash: 12 gains, mean 0.3 SD: four EEF months.
    assert any("+4 months" in e and "n = 12" in e for e in shown)


def test_the_download_has_the_same_suppression_as_the_page(client, authority):
    response = page(client, authority["adviser"], "across:authority_xlsx", year=2025)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    schools = list(book.worksheets[1].iter_rows(values_only=True))
    by_school = {row[1]: row for row in schools[2:]}
    assert by_school["Ash Primary"][2] == 12
    assert by_school["Birch Primary"][2] == "suppressed"
    assert by_school["Cedar Primary"][2] == "suppressed"
    assert all(3 not in row[2:4] for row in schools[2:] if row[1] == "Birch Primary")
    totals = list(book.worksheets[0].iter_rows(values_only=True))
    assert totals[2][0] == "Fast Phonics" and totals[2][1] == 24


def test_head_compares_the_trust_and_sees_their_own_school_marked(client, authority):
    response = page(client, authority["head"], "across:trust", intervention=authority["phonics"].pk)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your school" in html
    assert "suppressed" in schools_table(html)["Birch Primary"]


def test_an_adviser_of_another_authority_sees_none_of_these_schools(client, authority):
    other = UserFactory()
    MembershipFactory(user=other, school=None, trust=TrustFactory(), role=Role.LA_ADVISER)
    html = page(client, other).content.decode()
    assert "Ash Primary" not in html and "Fast Phonics" not in html
    assert "No results yet" in html


def test_a_year_that_is_not_a_year_is_refused_with_a_clear_error(client, authority):
    response = page(client, authority["adviser"], year="1e308")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose a school year from the list" in html
    assert "<title>Error:" in html
    assert "Fast Phonics" in html, "the newest year is shown instead"


def test_the_authority_view_runs_the_same_queries_for_three_schools_as_for_thirty(
    client, authority, reading
):
    client.force_login(authority["adviser"])
    url = reverse("across:authority") + f"?intervention={authority['phonics'].pk}"
    client.get(url)
    with capture_queries() as few:
        assert client.get(url).status_code == 200
    for n in range(27):
        school = SchoolFactory(name=f"School {n:02d}", trust=authority["trust"])
        other = InterventionFactory()
        aggregate(school=school, intervention=authority["phonics"], measure=reading,
                  gains=[0.1, 0.2, 0.3, 0.4, 0.5, 0.6])  # fmt: skip
        aggregate(school=school, intervention=other, measure=None, unscored=n % 7)
    with assert_database_query_count(few):
        assert client.get(url).status_code == 200


def test_the_school_year_is_written_as_everywhere_else(client, authority):
    """ "2025/26", as the governors' summary, the impact page and the provision map write it,
    not "2025 to 2026"."""
    html = page(client, authority["adviser"], intervention=authority["phonics"].pk).content
    text = html.decode()
    assert "Interventions in 2025/26, all schools together" in text
    assert '<option value="2025" selected>2025/26</option>' in text
    assert not re.search(r"\b20\d\d to 20\d\d\b", text)


def test_the_placements_count_is_labelled_as_pupils_placed_not_those_waiting(client, authority):
    """The count is of pupils put in a group (the stored results leave those still waiting
    for a place out of every figure): the page says so."""
    text = page(client, authority["adviser"], intervention=authority["phonics"].pk).content.decode()
    assert "each term they had the intervention" not in text
    assert "Placements count each pupil put in a group for the intervention" in text
    assert "still waiting for a place in a group have received nothing of it" in text
