"""Opening a subject-access ZIP as the family would: the PDF's text and each JSON file."""

import io
import json
import zipfile
from datetime import date

from django.urls import reverse

from sendwise.core.access import actor_for
from sendwise.monitoring.models import Score
from sendwise.pupils import profile_services
from sendwise.reports.sar_models import SubjectAccessExport
from tests.concerns.factories import ConcernFactory, ObservationFactory
from tests.monitoring.factories import complete_review, plan_to_review, reading_measure
from tests.reports.pdftext import pdf_text


def export_zip(client, pupil):
    """Ask for the export as the signed-in person, follow it to its page, download the ZIP
    (the tests' task backend makes it at once)."""
    asked = client.post(reverse("records:subject_access", kwargs={"pupil_id": pupil.pk}))
    assert asked.status_code == 302, asked.content[:300]
    page = client.get(asked["Location"])
    assert page.status_code == 200
    assert b"The export is ready" in page.content
    export = SubjectAccessExport.objects.latest("pk")
    response = client.get(reverse("records:export_download", kwargs={"export_id": export.pk}))
    assert response.status_code == 200, response.content[:300]
    return response


def open_export(content: bytes) -> tuple[dict[str, dict], str, str]:
    """(JSON files by kind, the PDF's text, the README) of a subject-access ZIP."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert archive.testzip() is None
    data = {
        name.removeprefix("data/").removesuffix(".json"): json.loads(archive.read(name))
        for name in archive.namelist()
        if name.startswith("data/")
    }
    return data, pdf_text(archive.read("subject-access.pdf")), archive.read("README.txt").decode()


def amaras_file(world):
    """Amara's file: a voice, a plan reviewed with two interventions and an outcome, a score
    corrected once, and a concern with an observation."""
    pupil = world.pupil_in_class
    senco = actor_for(world.users["senco"], world.school.pk)
    profile_services.voice_add(
        actor=senco, pupil=pupil, kind="pupil", text="I like reading with Miss Hall."
    )
    plan, *_ = plan_to_review(senco, pupil)
    complete_review(senco, plan)
    score = Score.objects.create(
        school=world.school, pupil=pupil, measure=reading_measure(), value=84,
        taken_on=date(2026, 10, 5), entered_by=world.users["teacher"],
    )  # fmt: skip
    score.value = 86
    score.save()
    concern = ConcernFactory(pupil=pupil, raised_by=world.users["teacher"])
    ObservationFactory(request__concern=concern, example="Settles after a movement break.")
    return world
