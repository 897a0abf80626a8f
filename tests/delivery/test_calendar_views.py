"""The school calendar page through HTTP: the SENCO, the head and the administrator add, change
and remove closures; an intervention specialist reads them; bad input is shown as errors and
changes nothing; the page runs a fixed number of queries."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from sendwise.delivery import calendar_services as services
from sendwise.delivery.models import Closure
from tests.delivery.factories import make_closure
from tests.queries import assert_database_query_count, capture_queries

URL = reverse("delivery:calendar")


def text(response) -> str:
    return response.content.decode()


def soon(days: int) -> date:
    return timezone.localdate() + timedelta(days=days)


def form(name="Spring half-term", kind="holiday", first=None, last=None) -> dict:
    return {
        "name": name,
        "kind": kind,
        "first_day": (first or soon(70)).isoformat() if first != "" else "",
        "last_day": (last or soon(74)).isoformat() if last != "" else "",
    }


def test_an_empty_calendar_explains_what_closures_are_for(world, client_as):
    page = text(client_as("senco").get(URL))
    assert "No closures entered" in page
    assert "Add a closure" in page


def test_the_senco_adds_a_half_term_and_sees_it_listed(world, client_as):
    client = client_as("senco")
    response = client.post(URL, form())
    assert response.status_code == 302
    closure = Closure.objects.get()
    assert (closure.school, closure.first_day, closure.last_day) == (
        world.school,
        soon(70),
        soon(74),
    )
    page = text(client.get(URL))
    assert "Spring half-term" in page and "added to the school calendar" in page


def test_a_closure_ending_before_it_starts_shows_the_error_and_saves_nothing(world, client_as):
    response = client_as("head").post(URL, form(first=soon(74), last=soon(70)))
    page = text(response)
    assert response.status_code == 200
    assert "<title>Error:" in page
    assert services.LAST_BEFORE_FIRST in page
    assert not Closure.objects.exists()


def test_an_empty_form_says_what_each_field_needs(world, client_as):
    page = text(client_as("admin").post(URL, {"name": "", "first_day": "", "last_day": ""}))
    for message in (services.NAME_REQUIRED, services.KIND_REQUIRED, services.FIRST_REQUIRED):
        assert message in page
    assert not Closure.objects.exists()


def test_an_overlapping_closure_is_refused_on_the_page(world, client_as):
    make_closure(world.school, soon(72), soon(72), name="INSET day", kind="inset")
    page = text(client_as("senco").post(URL, form()))
    assert "These dates overlap INSET day" in page
    assert Closure.objects.count() == 1


def test_an_intervention_specialist_reads_the_calendar_but_cannot_change_it(world, client_as):
    closure = make_closure(world.school, soon(70), soon(74), name="Spring half-term")
    client = client_as("intervention_specialist")
    page = text(client.get(URL))
    assert "Spring half-term" in page
    assert "Add a closure" not in page and "Remove" not in page
    assert (
        client.post(URL, form(name="Extra holiday", first=soon(90), last=soon(90))).status_code
        == 403
    )
    edit = reverse("delivery:closure_edit", args=[closure.pk])
    assert client.post(edit, form(name="Changed")).status_code == 403
    remove = reverse("delivery:closure_remove", args=[closure.pk])
    assert client.post(remove).status_code == 403
    closure.refresh_from_db()
    assert closure.name == "Spring half-term"


def test_the_head_changes_a_closure_and_the_administrator_removes_it(world, client_as):
    closure = make_closure(world.school, soon(70), soon(74), name="Spring half-term")
    edit = reverse("delivery:closure_edit", args=[closure.pk])
    assert 'value="Spring half-term"' in text(client_as("head").get(edit))
    response = client_as("head").post(edit, form(last=soon(77)))
    assert response.status_code == 302
    closure.refresh_from_db()
    assert closure.last_day == soon(77)
    remove = reverse("delivery:closure_remove", args=[closure.pk])
    assert client_as("admin").post(remove).status_code == 302
    assert not Closure.objects.exists()


def test_another_schools_senco_cannot_find_a_closure(world, client_as):
    closure = make_closure(world.school, soon(70), soon(74))
    client = client_as("other_school_senco")
    assert client.get(reverse("delivery:closure_edit", args=[closure.pk])).status_code == 404
    assert client.post(reverse("delivery:closure_remove", args=[closure.pk])).status_code == 404
    assert "Half-term" not in text(client.get(URL))
    assert Closure.objects.filter(pk=closure.pk).exists()


def test_earlier_years_closures_are_kept_apart_from_this_years(world, client_as):
    make_closure(world.school, timezone.localdate() - timedelta(days=400), name="Old half-term")
    page = text(client_as("senco").get(URL))
    assert "Earlier school years (1)" in page and "Old half-term" in page


def test_the_calendar_runs_the_same_queries_with_one_closure_or_twenty(world, client_as):
    client = client_as("senco")
    make_closure(world.school, soon(10))
    client.get(URL)
    with capture_queries() as one:
        assert client.get(URL).status_code == 200
    for n in range(1, 20):
        make_closure(world.school, soon(10 + 2 * n), name=f"Closure {n}")
    with assert_database_query_count(one):
        assert client.get(URL).status_code == 200
