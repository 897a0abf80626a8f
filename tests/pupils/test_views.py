"""The register and pupil pages as the SENCO, teachers and parents use them."""

import pytest
from django.urls import reverse

from sendwise.core.models import AuditEntry
from sendwise.pupils.models import Pupil
from tests.factories import PupilFactory
from tests.queries import assert_database_query_count


def test_register_lists_pupils_with_links_and_a_count(world, client_as):
    response = client_as("senco").get(reverse("pupils:register"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 pupils found" in html
    assert reverse("pupils:detail", kwargs={"pupil_id": world.pupil_in_class.pk}) in html


def test_register_search_keeps_the_filters_in_the_form(world, client_as):
    response = client_as("senco").get(reverse("pupils:register"), {"q": "Ng", "need": "SPLD"})
    html = response.content.decode()
    assert "1 pupil found" in html and "Ng, Amara" in html and "Ode, Ben" not in html
    assert 'value="Ng"' in html


def test_htmx_search_returns_only_the_results_partial(world, client_as):
    response = client_as("senco").get(
        reverse("pupils:register"), {"q": "Ode"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "Ode, Ben" in html and "<html" not in html


def test_an_invalid_filter_value_shows_the_default_register_not_an_error(world, client_as):
    response = client_as("senco").get(reverse("pupils:register"), {"year": "99", "page": "abc"})
    assert response.status_code == 200


def test_viewing_the_register_and_a_pupil_is_audit_logged(world, client_as):
    client = client_as("teacher")
    client.get(reverse("pupils:register"))
    client.get(reverse("pupils:detail", kwargs={"pupil_id": world.pupil_in_class.pk}))
    entries = AuditEntry.objects.filter(user=world.users["teacher"]).order_by("id")
    assert [(e.action, e.object_type) for e in entries] == [("view", "register"), ("view", "pupil")]
    assert entries[1].object_id == str(world.pupil_in_class.pk)
    assert entries[1].ip == "127.0.0.1"


@pytest.mark.parametrize("rows", [1, 30])
def test_register_page_runs_a_fixed_number_of_queries(world, client_as, rows):
    for _ in range(rows):
        PupilFactory(school=world.school)
    client = client_as("senco")
    client.get(reverse("pupils:register"))  # warm the session
    # session, user, memberships, classes and skills (filters), count, page of rows,
    # counts by provision and need together (chart), audit insert
    with assert_database_query_count(9):
        response = client.get(reverse("pupils:register"))
    assert response.status_code == 200


def test_the_edit_form_with_bad_data_shows_the_error_summary_and_saves_nothing(world, client_as):
    pupil = world.pupil_in_class
    url = reverse("pupils:edit", kwargs={"pupil_id": pupil.pk})
    client = client_as("senco")
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update({"secondary_need": "SPLD", "date_of_birth": "2030-01-01", "eal": ""})
    data.pop("eal")
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert "There is a problem" in html
    assert "The secondary need must be different from the primary need" in html
    assert "Date of birth must be in the past" in html
    assert 'href="#id_secondary_need"' in html
    assert Pupil.unscoped.get(pk=pupil.pk).secondary_need == ""


def test_the_senco_changes_a_pupils_need_and_sees_it_in_the_history(world, client_as):
    pupil = world.pupil_in_class
    url = reverse("pupils:edit", kwargs={"pupil_id": pupil.pk})
    client = client_as("senco")
    data = {k: v for k, v in client.get(url).context["form"].initial.items() if v is not None}
    data.update({"primary_need": "SLCN", "secondary_need": "SPLD"})
    data.pop("eal")
    data.pop("pupil_premium")
    response = client.post(url, data)
    assert response.status_code == 302
    page = client.get(reverse("pupils:detail", kwargs={"pupil_id": pupil.pk})).content.decode()
    assert "Speech, language and communication needs (SLCN)" in page
    changes = reverse("pupils:changes", kwargs={"pupil_id": pupil.pk})
    assert "Changes to this record" in page and f'href="{changes}"' in page
    history = client.get(changes).content.decode()
    assert "Pupil record changed" in history and "secondary_need" in history


def test_archiving_from_the_page_takes_the_pupil_off_the_register(world, client_as):
    pupil = world.pupil_in_class
    client = client_as("senco")
    url = reverse("pupils:archive", kwargs={"pupil_id": pupil.pk})
    empty = client.post(url, {"reason": ""})
    assert "Enter why this pupil&#x27;s record is being archived" in empty.content.decode()
    response = client.post(url, {"reason": "Left the school"})
    assert response.status_code == 302
    detail = client.get(reverse("pupils:detail", kwargs={"pupil_id": pupil.pk}))
    assert detail.status_code == 404


def test_parent_sees_their_childs_page_without_other_contacts_or_history(world, client_as):
    response = client_as("parent").get(
        reverse("pupils:detail", kwargs={"pupil_id": world.pupil_in_class.pk})
    )
    html = response.content.decode()
    assert "Amara Ng" in html
    assert "Changes to this record" not in html
    assert reverse("pupils:changes", kwargs={"pupil_id": world.pupil_in_class.pk}) not in html
    assert "Change details" not in html


def test_parent_reads_needs_in_words_without_census_codes_upn_or_staff_instructions(
    world, client_as
):
    """The tester's finding: a parent read "SEN support (K)", "(SLCN)", the UPN and "Record a
    baseline before support starts"; staff still see the codes they use with the census."""
    pupil = world.pupil_in_class
    pupil.sen_provision, pupil.primary_need = "K", "SLCN"
    pupil.save()
    url = reverse("pupils:detail", kwargs={"pupil_id": pupil.pk})
    parent = client_as("parent").get(url).content.decode()
    assert "Speech, language and communication needs" in parent
    assert "(SLCN)" not in parent and "(K)" not in parent
    assert pupil.upn not in parent
    assert "No scores recorded yet." in parent and "Record a baseline" not in parent
    senco = client_as("senco").get(url).content.decode()
    assert "(SLCN)" in senco and "(K)" in senco and pupil.upn in senco
    assert "Record a baseline" in senco


def test_an_empty_form_submission_shows_the_error_summary(world, client_as):
    url = reverse("pupils:archive", kwargs={"pupil_id": world.pupil_in_class.pk})
    html = client_as("senco").post(url, {}).content.decode()
    assert "There is a problem" in html and "<title>Error: " in html
