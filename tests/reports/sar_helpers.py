"""Opening a subject-access ZIP as the family would: the PDF's text and each JSON file."""

import io
import json
import zipfile
from datetime import date

from sendwise.core.access import actor_for
from sendwise.monitoring.models import Score
from sendwise.pupils import profile_services
from tests.concerns.factories import ConcernFactory, ObservationFactory
from tests.monitoring.factories import complete_review, plan_to_review, reading_measure
from tests.reports.pdftext import pdf_text


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
