"""Making an export in the background: the SENCO sees how far it has got, a worker that died,
a failure, and an export no longer kept; another school never sees it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sendwise.core.access import actor_for
from sendwise.core.tasks.models import TaskProgress
from sendwise.reports import sar_services, sar_views
from sendwise.reports.sar_models import SubjectAccessExport


@pytest.fixture
def waiting(world, client_as, monkeypatch):
    """An export asked for that no worker has started yet."""
    monkeypatch.setattr(sar_views, "subject_access_in_background", lambda export: None)
    url = reverse("records:subject_access", kwargs={"pupil_id": world.pupil_in_class.pk})
    response = client_as("senco").post(url)
    assert response.status_code == 302
    return SubjectAccessExport.objects.get()


def _actor(world):
    return actor_for(world.users["senco"], world.school.pk)


def progress_url(export):
    return reverse("records:export_progress", kwargs={"export_id": export.pk})


def download_url(export):
    return reverse("records:export_download", kwargs={"export_id": export.pk})


def test_while_waiting_the_page_says_so_and_polls_and_there_is_nothing_to_download(waiting, client):
    page = client.get(progress_url(waiting)).content.decode()
    assert "Waiting for a background worker to start the export" in page
    assert 'hx-trigger="every 2s"' in page
    assert client.get(download_url(waiting)).status_code == 404


def test_the_polled_block_reloads_the_page_once_the_export_is_ready(waiting, client, world):
    polled = client.get(progress_url(waiting), HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in polled
    sar_services.subject_access_build(actor=_actor(world), export=waiting)
    polled = client.get(progress_url(waiting), HTTP_HX_REQUEST="true")
    assert polled["HX-Refresh"] == "true"
    assert "The export is ready" in polled.content.decode()


def test_a_worker_that_went_silent_is_reported_and_polling_stops(waiting, client):
    TaskProgress.objects.filter(key=waiting.progress_key).update(
        started_at=timezone.now() - timedelta(minutes=5),
        beat_at=timezone.now() - timedelta(minutes=5),
        total=26,
        done=3,
    )
    page = client.get(progress_url(waiting)).content.decode()
    assert "This export stopped before it was finished" in page
    assert "hx-trigger" not in page


def test_a_failed_export_says_so_and_holds_nothing(world, client_as, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(sar_services, "subject_access_build", broken)
    url = reverse("records:subject_access", kwargs={"pupil_id": world.pupil_in_class.pk})
    client = client_as("senco")
    client.post(url)
    export = SubjectAccessExport.objects.get()
    assert export.status == "failed" and export.content is None
    page = client.get(progress_url(export)).content.decode()
    assert "The export could not be made" in page
    assert "disk full" not in page


def test_an_export_is_kept_a_week_then_no_longer_downloaded_or_stored(waiting, client, world):
    sar_services.subject_access_build(actor=_actor(world), export=waiting)
    assert client.get(download_url(waiting)).status_code == 200
    SubjectAccessExport.objects.filter(pk=waiting.pk).update(
        requested_at=timezone.now() - timedelta(days=8),
        finished_at=timezone.now() - timedelta(days=8),
    )
    assert client.get(download_url(waiting)).status_code == 404
    # The next export asked for empties the old ZIP.
    client.post(reverse("records:subject_access", kwargs={"pupil_id": world.pupil_in_class.pk}))
    waiting.refresh_from_db()
    assert waiting.content is None


def test_another_schools_senco_cannot_see_or_download_the_export(waiting, client_as, world):
    sar_services.subject_access_build(actor=_actor(world), export=waiting)
    other = client_as("other_school_senco")
    assert other.get(progress_url(waiting)).status_code == 404
    assert other.get(download_url(waiting)).status_code == 404
