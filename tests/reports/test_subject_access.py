"""A SENCO answers a subject access request: everything held about one pupil, as one ZIP."""

import pytest
from django.http import Http404
from django.urls import reverse

from sendwise.core.access import actor_for
from sendwise.core.models import AuditEntry
from sendwise.pupils import profile_services
from sendwise.pupils.models import Skill
from sendwise.pupils.selectors import pupil_on_file_for
from sendwise.pupils.services import pupil_archive
from sendwise.reports.sar_kinds import AUDIT, KINDS
from tests.reports.sar_helpers import amaras_file, export_zip, open_export


def url(pupil):
    return reverse("records:subject_access", kwargs={"pupil_id": pupil.pk})


@pytest.fixture
def record(world):
    return amaras_file(world)


def export(client_as, pupil, who="senco"):
    return export_zip(client_as(who), pupil)


def test_the_senco_downloads_one_zip_with_a_pdf_and_a_json_file_for_every_kind(record, client_as):
    pupil = record.pupil_in_class
    response = export(client_as, pupil)
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    data, text, readme = open_export(response.content)

    assert set(data) == {k.slug for k in (*KINDS, AUDIT)} | {"lessons_missed"}
    assert "Amara Ng" in text
    for section in data.values():
        assert section["title"] in text  # each section has its heading in the PDF
    assert "Amara Ng" in readme and "other people" in readme
    # The records themselves, with their history, and dates in ISO 8601.
    assert data["pupil"]["records"][0]["first_name"] == "Amara"
    assert data["pupil"]["records"][0]["date_of_birth"] == pupil.date_of_birth.isoformat()
    assert [v["text"] for v in data["voice"]["records"]] == ["I like reading with Miss Hall."]
    assert [p["cycle"] for p in data["plans"]["records"]] == [1, 2]  # the review opened cycle 2
    assert len(data["placements"]["records"]) == 2
    assert data["placements"]["records"][0]["intervention_label"] == "Reading catch-up"
    assert len(data["outcome_reviews"]["records"]) == 1
    assert len(data["placement_decisions"]["records"]) == 2
    assert data["observations"]["records"][0]["example"] == "Settles after a movement break."
    assert "Settles after a movement break." in text
    (score,) = data["scores"]["records"]
    assert score["value"] == 86 and score["taken_on"] == "2026-10-05"
    assert score["entered_by_label"] == "teacher person"
    assert [v["value"] for v in data["scores"]["history"]] == [84, 86]
    assert [v["history_type"] for v in data["scores"]["history"]] == ["+", "~"]


def test_every_field_of_every_json_file_is_explained(record, client_as):
    data, _text, _readme = open_export(export(client_as, record.pupil_in_class).content)
    for kind, section in data.items():
        documented = {f["name"] for f in section["fields"]}
        for row in section["records"] + section.get("history", []):
            names = {n for n in row if not n.endswith("_label")}
            assert names <= documented, (kind, names - documented)
    sen = {f["name"]: f for f in data["pupil"]["fields"]}["sen_provision"]
    assert sen["choices"]["E"] == "Education, health and care plan"


def test_the_export_is_audited_and_lists_who_read_the_record(record, client_as):
    pupil = record.pupil_in_class
    client_as("teacher").get(reverse("pupils:detail", kwargs={"pupil_id": pupil.pk}))
    data, text, _ = open_export(export(client_as, pupil).content)
    actions = [(e["user_label"], e["action"]) for e in data["audit"]["records"]]
    assert ("teacher person", "view") in actions
    assert actions[-1] == ("senco person", "export")  # the export lists itself
    assert "Exported" in text or "export" in text
    made, downloaded = AuditEntry.objects.filter(object_id=str(pupil.pk), action="export")[::-1]
    assert made.user == downloaded.user == record.users["senco"]
    assert made.detail.startswith("Subject access export:")
    assert downloaded.detail.startswith("Downloaded subject access export")


def test_a_skill_removed_since_is_still_in_the_history(record, client_as):
    """A record deleted since (a skill taken off the profile) keeps its saved versions, and
    the export finds them by the pupil, not by today's rows."""
    pupil = record.pupil_in_class
    senco = actor_for(record.users["senco"], record.school.pk)
    skill = Skill.objects.create(
        school=record.school, slug="sar-skill", name="Decoding", area="cognition_learning"
    )
    need = profile_services.skill_need_set(actor=senco, pupil=pupil, skill_id=skill.pk, severity=2)
    profile_services.skill_need_remove(actor=senco, pupil=pupil, skill_need_id=need.pk)
    data, text, _ = open_export(export(client_as, pupil).content)
    assert data["skill_needs"]["records"] == []
    assert [v["history_type"] for v in data["skill_needs"]["history"]] == ["+", "-"]
    assert "Changes to skills that need work" in text


def test_an_archived_pupils_file_can_still_be_exported(record, client_as):
    pupil = record.pupil_in_class
    senco = actor_for(record.users["senco"], record.school.pk)
    pupil_archive(actor=senco, pupil=pupil, reason="Moved to another school")
    assert (
        client_as("senco").get(reverse("pupils:detail", kwargs={"pupil_id": pupil.pk})).status_code
        == 404
    )
    page = client_as("senco").get(url(pupil))
    assert page.status_code == 200
    assert b"(archived)" in page.content
    data, _text, _ = open_export(export(client_as, pupil).content)
    assert data["pupil"]["records"][0]["archived_at"] is not None


@pytest.mark.parametrize(
    "who", ["teacher", "intervention_specialist", "parent", "admin", "la_adviser"]
)
def test_only_the_senco_and_head_may_export(record, client_as, who):
    response = client_as(who).post(url(record.pupil_in_class))
    assert response.status_code == 403
    assert not AuditEntry.objects.filter(action="export").exists()


def test_another_schools_senco_gets_404_and_the_attempt_is_recorded(record, client_as):
    response = client_as("other_school_senco").post(url(record.pupil_in_class))
    assert response.status_code == 404
    refused = AuditEntry.objects.get(action="refused", school=record.other_school)
    assert "Amara" not in refused.object_repr
    assert not AuditEntry.objects.filter(action="export").exists()


def test_the_head_may_export_too(record, client_as):
    assert export(client_as, record.pupil_in_class, who="head").status_code == 200


def test_the_file_road_is_for_whole_school_roles_in_their_own_school_only(world):
    """`pupil_on_file_for` reaches archived pupils too, so it refuses everyone else with the
    same 404, whatever access rows they hold, and writes the refusal."""
    pupil = world.pupil_in_class
    teacher = actor_for(world.users["teacher"], world.school.pk)  # teaches Amara's class
    with pytest.raises(Http404):
        pupil_on_file_for(actor=teacher, pupil_id=pupil.pk, purpose="subject access")
    assert AuditEntry.objects.filter(action="refused", user=world.users["teacher"]).exists()
    senco = actor_for(world.users["senco"], world.school.pk)
    assert pupil_on_file_for(actor=senco, pupil_id=pupil.pk, purpose="subject access") == pupil
    read = AuditEntry.objects.filter(action="view", user=world.users["senco"]).get()
    assert read.detail == "Subject access"
