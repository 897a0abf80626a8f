"""An MIS import that changes a pupil's details (written in bulk, so no post_save) keeps the
pupil's stored results in step: the subgroups read the new values."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sendwise.exchange.models import ImportBatch
from sendwise.exchange.samples import make_csv
from sendwise.impact.models import PlacementResult
from sendwise.impact.result_services import impact_rebuild
from sendwise.pupils.models import Pupil
from tests.evidence.factories import InterventionFactory
from tests.impact.test_selectors import place


def import_file(client, data: bytes) -> None:
    client.post(reverse("exchange:start"), {"file": SimpleUploadedFile("mis.csv", data)})
    batch = ImportBatch.objects.order_by("-id").first()
    client.post(reverse("exchange:confirm", kwargs={"batch_id": batch.pk}), {"action": "apply"})


def with_pupil_premium_flipped(data: bytes, upn: str) -> bytes:
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    for r in rows:
        if r["UPN"] == upn:
            r["Pupil Premium"] = "N" if r["Pupil Premium"] == "Y" else "Y"
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def test_a_pupil_premium_change_in_the_mis_reaches_the_stored_result(
    world, client_as, django_capture_on_commit_callbacks
):
    client = client_as("senco")
    data = make_csv(3, seed=6)
    import_file(client, data)
    pupil = Pupil.unscoped.filter(school=world.school).order_by("-id").first()
    place(world.school, InterventionFactory(name="Catch-up reading"), pupil=pupil)
    impact_rebuild(school_id=world.school.pk)
    before = PlacementResult.objects.get(pupil=pupil).pupil_premium

    with django_capture_on_commit_callbacks(execute=True):
        import_file(client, with_pupil_premium_flipped(data, pupil.upn))

    pupil.refresh_from_db()
    assert pupil.pupil_premium is not before
    assert PlacementResult.objects.get(pupil=pupil).pupil_premium is pupil.pupil_premium
