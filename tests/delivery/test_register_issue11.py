"""Issue 11, item 3, the session register: a recorded register says what was recorded, not that
everyone is present; and text typed about an adaptation with "Nothing adapted" chosen is
refused with a message and kept, never dropped."""

from django.utils.html import escape

from sendwise.delivery.models import Adaptation, Session
from sendwise.delivery.session_forms import ADAPTATION_KIND_REQUIRED
from tests.delivery.factories import running_group
from tests.delivery.test_session_views import form_data, register_url, text


def test_a_recorded_register_with_an_absent_pupil_says_so_not_everyone_present(world, client_as):
    group, members = running_group(world, pupils=3)
    client = client_as("intervention_specialist")
    absent = {
        f"member_{members[1].pk}": "absent",
        f"member_{members[1].pk}_reason": "ill",
        f"member_{members[2].pk}": "late",
    }
    assert client.post(register_url(group), form_data(members, **absent)).status_code == 302
    page = text(client.get(register_url(group)))
    assert "Everyone is marked present" not in page
    assert "Everyone starts as present" not in page
    assert "As recorded: 1 present, 1 late, 1 absent. Change only what is wrong." in page


def test_a_new_register_says_everyone_starts_as_present(world, client_as):
    group, _members = running_group(world, pupils=2)
    page = text(client_as("intervention_specialist").get(register_url(group)))
    assert "Everyone starts as present. Change only those who were late or absent." in page
    assert 'data-testid="attendance-recorded"' not in page


def test_a_cancelled_session_does_not_claim_an_attendance(world, client_as):
    group, members = running_group(world, pupils=2)
    client = client_as("intervention_specialist")
    cancelled = form_data(members, status="cancelled", cancel_reason="staff_absent", minutes="")
    assert client.post(register_url(group), cancelled).status_code == 302
    page = text(client.get(register_url(group)))
    assert "recorded as cancelled, so no attendance was kept" in page


def test_what_you_changed_typed_with_nothing_adapted_is_refused_and_kept(world, client_as):
    group, members = running_group(world, pupils=2)
    data = form_data(
        members,
        adaptation_kind="",
        adaptation_what="Used magnetic letters instead of cards",
        adaptation_why="Cards were too small for him to handle",
    )
    response = client_as("intervention_specialist").post(register_url(group), data)
    page = text(response)
    assert response.status_code == 200 and "<title>Error: " in page
    assert f'<a href="#id_adaptation_kind">{escape(ADAPTATION_KIND_REQUIRED)}' in page
    assert "Used magnetic letters instead of cards" in page
    assert "Cards were too small for him to handle" in page
    assert not Session.objects.exists() and not Adaptation.objects.exists()
    # Choosing the kind then records the session and the adaptation as typed.
    data["adaptation_kind"] = "materials"
    again = client_as("intervention_specialist").post(register_url(group), data)
    assert again.status_code == 302
    (adaptation,) = Adaptation.objects.all()
    assert adaptation.what == "Used magnetic letters instead of cards"


def test_nothing_adapted_with_the_boxes_empty_records_the_session(world, client_as):
    group, members = running_group(world, pupils=2)
    data = form_data(members, adaptation_kind="", adaptation_what="  ", adaptation_why="")
    assert client_as("intervention_specialist").post(register_url(group), data).status_code == 302
    assert Session.objects.count() == 1 and not Adaptation.objects.exists()
