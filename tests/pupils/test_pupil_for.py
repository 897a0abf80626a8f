"""The one road to a pupil: `pupil_for` finds the pupil in one query, answers 404 alike for
missing, archived and forbidden, and writes the read, or the refused attempt, to the audit log
itself, with its purpose and where it came from."""

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from sendwise.core.access import actor_for
from sendwise.core.models import AuditEntry
from sendwise.pupils.selectors import pupil_for
from tests.queries import assert_database_query_count


def test_a_permitted_read_returns_the_pupil_and_writes_one_audit_entry_with_its_purpose(world):
    teacher = actor_for(world.users["teacher"], ip="203.0.113.9")
    pupil = pupil_for(actor=teacher, pupil_id=world.pupil_in_class.pk, purpose="add score")
    assert pupil == world.pupil_in_class
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_type, entry.object_id) == ("view", "pupil", str(pupil.pk))
    assert (entry.user, entry.school, entry.ip) == (teacher.user, world.school, "203.0.113.9")
    assert (entry.object_repr, entry.detail) == ("Amara Ng", "Add score")


@pytest.mark.parametrize("who", ["senco", "teacher"])
def test_finding_the_pupil_is_one_query_and_the_audit_entry_another(world, who):
    actor = actor_for(world.users[who])
    with assert_database_query_count(2):
        pupil = pupil_for(actor=actor, pupil_id=world.pupil_in_class.pk, purpose="record")
    with assert_database_query_count(0):
        assert (pupil.school.name, pupil.class_group.name) == ("Alpha Primary", "4 Ash")


def refused(world, who, pupil_id):
    actor = actor_for(world.users[who], ip="198.51.100.7")
    with pytest.raises(Http404) as caught:
        pupil_for(actor=actor, pupil_id=pupil_id, purpose="record")
    return str(caught.value)


def test_missing_archived_and_forbidden_pupils_get_the_same_404_and_a_refused_entry(world):
    world.pupil_elsewhere.archived_at = timezone.now()
    world.pupil_elsewhere.save()
    cases = [
        ("teacher", world.pupil_in_class.pk + 1000),  # missing
        ("senco", world.pupil_elsewhere.pk),  # archived
        ("senco", world.pupil_other_school.pk),  # another school's
        ("parent", world.pupil_elsewhere.pk),  # not their child
    ]
    messages = {refused(world, who, pupil_id) for who, pupil_id in cases}
    assert messages == {"No such pupil"}
    entries = AuditEntry.objects.order_by("id")
    assert [e.action for e in entries] == ["refused"] * 4
    assert [e.object_id for e in entries] == [str(pupil_id) for _who, pupil_id in cases]
    assert {e.school for e in entries} == {world.school}  # the asker's school, not the pupil's
    assert {e.ip for e in entries} == {"198.51.100.7"}
    # A refusal never reveals whom the id belongs to.
    assert not any("Cara" in e.object_repr or "Ben" in e.object_repr for e in entries)
    assert entries[2].object_repr == f"Pupil no. {world.pupil_other_school.pk}"


def test_the_audit_log_shows_refusals_readably(world, client_as):
    refused(world, "teacher", world.pupil_other_school.pk)
    html = client_as("senco").get(reverse("audit_log"), {"action": "refused"}).content.decode()
    assert "Refused</strong>" in html
    assert f"Pupil no. {world.pupil_other_school.pk}" in html
    assert "Record: no such pupil here, or not theirs to see" in html
    assert "198.51.100.7" in html
    assert "Cara" not in html


def test_the_address_of_the_request_reaches_the_audit_through_the_actor(world, client_as):
    client = client_as("senco")
    url = reverse("pupils:detail", kwargs={"pupil_id": world.pupil_in_class.pk})
    client.get(url, REMOTE_ADDR="192.0.2.44")
    assert AuditEntry.objects.filter(object_type="pupil").get().ip == "192.0.2.44"
