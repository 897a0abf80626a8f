"""A long import shows its progress, and stays all or nothing when applied in the background."""

import signal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sendwise.core.access import actor_for
from sendwise.core.tasks.models import TaskProgress
from sendwise.exchange import selectors, services
from sendwise.exchange.models import ImportBatch
from sendwise.exchange.samples import make_csv
from sendwise.pupils.models import Pupil


def upload(client, name, data) -> ImportBatch:
    client.post(reverse("exchange:start"), {"file": SimpleUploadedFile(name, data)})
    return ImportBatch.objects.order_by("-id").first()


def confirm(client, batch):
    return client.post(
        reverse("exchange:confirm", kwargs={"batch_id": batch.pk}), {"action": "apply"}
    )


def progress_url(batch) -> str:
    return reverse("exchange:progress", kwargs={"batch_id": batch.pk})


def test_the_progress_callback_counts_up_to_the_total_chunk_by_chunk(world, client_as):
    batch = upload(client_as("senco"), "big.csv", make_csv(1200, seed=21))
    calls = []
    actor = actor_for(world.users["senco"], world.school.pk)
    counts = services.import_apply(
        actor=actor, batch=batch, progress=lambda *args: calls.append(args)
    )
    done = [d for d, _total, _stage in calls]
    assert counts["new"] == 1200
    assert {total for _d, total, _s in calls} == {1200}
    assert done == sorted(done) and done[0] == 0 and done[-1] == 1200
    assert {500, 1000} <= set(done)  # after each chunk of 500
    stages = [stage for _d, _t, stage in calls]
    assert {"creating pupils", "recording SEN records", "writing the audit trail"} <= set(stages)


def test_changed_pupils_are_reported_too(world, client_as):
    client = client_as("senco")
    data = make_csv(30, seed=22)
    services.import_apply(
        actor=actor_for(world.users["senco"], world.school.pk), batch=upload(client, "a.csv", data)
    )
    changed = data.decode().replace(",Y,", ",N,").encode()
    batch = upload(client, "b.csv", changed)
    calls = []
    counts = services.import_apply(
        actor=actor_for(world.users["senco"], world.school.pk),
        batch=batch,
        progress=lambda *args: calls.append(args),
    )
    assert counts["changed"] > 0
    assert ("updating pupils" in {s for _d, _t, s in calls}) and calls[-1][0] == counts["changed"]


def test_the_progress_partial_shows_the_progress_from_the_tasks_database(world, client_as):
    client = client_as("senco")
    batch = upload(client, "a.csv", make_csv(3, seed=23))
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.APPLYING, apply_started_at=timezone.now()
    )
    now = timezone.now()
    TaskProgress.objects.create(
        key=batch.progress_key, done=1000, total=2000, stage="creating pupils",
        queued_at=now, started_at=now, beat_at=now,
    )  # fmt: skip
    html = client.get(progress_url(batch)).content.decode()
    assert "Applied 1,000 of 2,000 pupils: creating pupils" in html
    assert 'max="2000"' in html and 'value="1000"' in html
    assert 'role="status"' in html and 'hx-trigger="every 1s"' in html
    page = client.get(reverse("exchange:preview", kwargs={"batch_id": batch.pk}))
    assert "Applied 1,000 of 2,000 pupils" in page.content.decode()


def test_the_progress_partial_reloads_the_page_once_applied(world, client_as):
    client = client_as("senco")
    batch = upload(client, "a.csv", make_csv(3, seed=24))
    confirm(client, batch)  # the immediate backend (test settings) applies it in the request
    response = client.get(progress_url(batch), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response["HX-Refresh"] == "true"
    assert "Import applied: 3 new" in html and "hx-get" not in html


def test_a_batch_being_applied_cannot_be_confirmed_again(world, client_as):
    client = client_as("senco")
    batch = upload(client, "a.csv", make_csv(3, seed=25))
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.APPLYING)
    follow = confirm(client, batch)
    assert follow.status_code == 302
    assert ImportBatch.objects.get(pk=batch.pk).status == "applying"
    html = client.get(follow["Location"]).content.decode()
    assert "already being applied" in html


def test_the_task_applies_the_import_and_its_progress_ends_at_the_total(world, client_as):
    client = client_as("senco")
    batch = upload(client, "a.csv", make_csv(40, seed=26))
    before = Pupil.unscoped.count()
    response = confirm(client, batch)
    assert response["Location"] == reverse("exchange:preview", kwargs={"batch_id": batch.pk})
    batch.refresh_from_db()
    assert batch.status == "applied" and batch.summary["applied"]["new"] == 40
    assert Pupil.unscoped.count() == before + 40
    progress = TaskProgress.objects.get(key=batch.progress_key)
    assert (progress.done, progress.total) == (40, 40)
    assert progress.school_id == world.school.pk and progress.task_id
    assert progress.queued_at <= progress.started_at <= progress.beat_at <= progress.finished_at
    assert "Import applied: 40 new" in client.get(progress_url(batch)).content.decode()
    page = client.get(response["Location"]).content.decode()
    assert "Import applied: 40 new, 0 changed" in page


def test_a_failure_in_the_task_applies_nothing_and_shows_the_error(world, client_as, monkeypatch):
    client = client_as("senco")
    batch = upload(client, "a.csv", make_csv(700, seed=27))  # two chunks: the first is written

    calls = []

    def fail_on_the_second_chunk(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real_sen(*args, **kwargs)

    real_sen = services._sen_records
    monkeypatch.setattr(services, "_sen_records", fail_on_the_second_chunk)
    before = Pupil.unscoped.count()
    confirm(client, batch)
    assert len(calls) == 2  # the first chunk was written before the failure
    assert Pupil.unscoped.count() == before
    batch.refresh_from_db()
    assert batch.status == "preview" and "disk full" in batch.summary["error"]
    html = client.get(reverse("exchange:preview", kwargs={"batch_id": batch.pk})).content.decode()
    assert "There is a problem" in html and "nothing was changed: disk full" in html
    assert "Apply 700 changes" in html  # it can be tried again


@pytest.fixture
def database_queue(settings):
    """The real queue (django-tasks-db) instead of the immediate backend: a task waits in the
    database until `db_worker` runs it. The worker sets signal handlers, put back afterwards."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in handlers.items():
        signal.signal(sig, handler)


@pytest.mark.django_db(transaction=True)
def test_a_confirmed_import_waits_in_the_queue_until_a_worker_applies_it(
    world, client_as, database_queue
):
    client = client_as("senco")
    batch = upload(client, "a.csv", make_csv(30, seed=28))
    before = Pupil.unscoped.count()
    confirm(client, batch)
    batch.refresh_from_db()
    assert batch.status == "applying" and Pupil.unscoped.count() == before
    queued = DBTaskResult.objects.get()
    assert (
        queued.status == "READY" and queued.task_path == "sendwise.exchange.tasks.import_apply_task"
    )
    assert set(queued.args_kwargs["kwargs"]) == {"batch_id", "user_id", "school_id", "claimed_at"}
    html = client.get(progress_url(batch)).content.decode()
    assert "Waiting for a background worker to start the import" in html
    assert 'hx-trigger="every 1s"' in html and "Try again" not in html

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    batch.refresh_from_db()
    assert batch.status == "applied" and Pupil.unscoped.count() == before + 30
    queued.refresh_from_db()
    assert queued.status == "SUCCESSFUL" and queued.return_value["new"] == 30
    assert selectors.import_progress(batch=batch)["done"] == 30
    assert "Import applied: 30 new" in client.get(progress_url(batch)).content.decode()
