"""The import apply as a background task: it takes ids, applies all or nothing, skips a claim
that was replaced, and its progress and heartbeat are seen from another connection while the
apply's transaction is still open (ADR 0010)."""

import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection, connections
from django.urls import reverse
from django_tasks import TaskResultStatus

from sendwise.core.access import actor_for
from sendwise.core.tasks.models import TaskProgress
from sendwise.exchange import services, tasks
from sendwise.exchange.models import ImportBatch
from sendwise.exchange.samples import make_csv
from sendwise.pupils.models import Pupil

#: The tests that look from another connection need the "tasks" alias as production has it.
BOTH_DATABASES = pytest.mark.django_db(transaction=True, databases=["default", "tasks"])


def upload(client, name, data) -> ImportBatch:
    client.post(reverse("exchange:start"), {"file": SimpleUploadedFile(name, data)})
    return ImportBatch.objects.order_by("-id").first()


def from_another_connection(read):
    """read() run in another thread, so on connections of its own, as a web process would.

    In-memory SQLite test databases share one cache, where a reader can meet a writer's table
    lock for an instant: it tries again, as a page polling every second would.
    """
    result = {}

    def run():
        try:
            for _attempt in range(50):
                try:
                    result["value"] = read()
                    return
                except OperationalError as error:
                    if "locked" not in str(error):
                        raise
                    time.sleep(0.02)
        finally:
            for alias in ("default", "tasks"):
                connections[alias].close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    return result["value"]


def test_the_task_takes_ids_and_rebuilds_the_actor(world, client_as):
    batch = upload(client_as("senco"), "a.csv", make_csv(12, seed=71))
    actor = actor_for(world.users["senco"], world.school.pk)
    result = tasks.import_apply_in_background(actor=actor, batch=batch)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.kwargs == {
        "batch_id": batch.pk,
        "user_id": world.users["senco"].pk,
        "school_id": world.school.pk,
        "claimed_at": ImportBatch.objects.get(pk=batch.pk).apply_started_at.isoformat(),
    }
    assert result.return_value == {"new": 12, "changed": 0, "unchanged": 0, "rejected": 0}
    assert Pupil.history.filter(history_user=world.users["senco"]).count() == 12


def test_a_task_for_a_claim_that_was_replaced_writes_nothing(world, client_as, settings):
    """A task still queued from before a "Try again" must not apply, nor touch the new claim."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client = client_as("senco")
    batch = upload(client, "a.csv", make_csv(5, seed=72))
    actor = actor_for(world.users["senco"], world.school.pk)
    old = tasks.import_apply_in_background(actor=actor, batch=batch)  # queued, never run
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportBatch.Status.PREVIEW)  # retried
    new_claim = services.import_apply_claim(actor=actor, batch=batch)
    before = Pupil.unscoped.count()

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    result = tasks.import_apply_task.enqueue(**old.kwargs)  # a worker reaches the old task

    assert result.return_value == {"skipped": services.SUPERSEDED}
    assert Pupil.unscoped.count() == before
    current = ImportBatch.objects.get(pk=batch.pk)
    assert current.status == "applying" and current.apply_started_at == new_claim.apply_started_at
    assert TaskProgress.objects.get(key=batch.progress_key).started_at is None  # still queued


def test_a_task_whose_confirmer_left_the_school_applies_nothing_and_says_why(world, client_as):
    batch = upload(client_as("senco"), "a.csv", make_csv(5, seed=73))
    actor = actor_for(world.users["senco"], world.school.pk)
    world.users["senco"].memberships.all().delete()  # left between confirming and the run
    before = Pupil.unscoped.count()
    result = tasks.import_apply_in_background(actor=actor, batch=batch)
    assert result.status == TaskResultStatus.FAILED
    assert Pupil.unscoped.count() == before
    batch.refresh_from_db()
    assert batch.status == "preview" and tasks.NOT_A_MEMBER in batch.summary["error"]


@BOTH_DATABASES
def test_progress_is_seen_from_another_connection_while_the_apply_is_uncommitted(
    world, client_as, settings, monkeypatch
):
    settings.TASK_DATABASE = "tasks"  # as in production: not the apply's own connection
    batch = upload(client_as("senco"), "a.csv", make_csv(700, seed=74))  # two chunks
    before = Pupil.unscoped.count()
    seen = {}
    real_sen = services._sen_records

    def look_during_the_second_chunk(*args, **kwargs):
        if len(args[1]) == 200:  # the second chunk: 500 pupils are written, not committed
            progress = from_another_connection(
                lambda: TaskProgress.objects.values("done", "total", "stage").get(
                    key=batch.progress_key
                )
            )
            seen["progress"] = progress
            if connection.vendor == "postgresql":  # SQLite's shared test cache cannot show it
                seen["pupils"] = from_another_connection(lambda: Pupil.unscoped.count())
            seen["inside"] = Pupil.unscoped.count()
        return real_sen(*args, **kwargs)

    monkeypatch.setattr(services, "_sen_records", look_during_the_second_chunk)
    actor = actor_for(world.users["senco"], world.school.pk)
    tasks.import_apply_in_background(actor=actor, batch=batch)

    assert seen["progress"] == {"done": 500, "total": 700, "stage": "recording SEN records"}
    assert seen["inside"] == before + 700  # the apply's own transaction sees its writes
    if "pupils" in seen:
        assert seen["pupils"] == before  # nobody else does until it commits
    assert ImportBatch.objects.get(pk=batch.pk).status == "applied"
    assert Pupil.unscoped.count() == before + 700
    if connections["tasks"].settings_dict["NAME"] != connection.settings_dict["NAME"]:
        assert not TaskProgress.objects.using("default").exists()  # SQLite: the other file


@BOTH_DATABASES
def test_the_heartbeat_goes_on_while_a_long_step_reports_nothing(
    world, client_as, settings, monkeypatch
):
    settings.TASK_DATABASE = "tasks"
    settings.TASK_HEARTBEAT_SECONDS = 0.05
    batch = upload(client_as("senco"), "a.csv", make_csv(20, seed=75))
    beats = []
    real_sen = services._sen_records

    def slow_step(*args, **kwargs):
        for _ in range(3):  # no progress is reported for 0.6 s
            beats.append(
                from_another_connection(
                    lambda: TaskProgress.objects.get(key=batch.progress_key).beat_at
                )
            )
            time.sleep(0.3)
        return real_sen(*args, **kwargs)

    monkeypatch.setattr(services, "_sen_records", slow_step)
    actor = actor_for(world.users["senco"], world.school.pk)
    tasks.import_apply_in_background(actor=actor, batch=batch)

    assert beats == sorted(beats) and len(set(beats)) == 3  # touched by the heartbeat thread
    assert ImportBatch.objects.get(pk=batch.pk).status == "applied"
    progress = TaskProgress.objects.get(key=batch.progress_key)
    assert progress.finished_at is not None and progress.beat_at <= progress.finished_at
    assert not any(t.name.startswith("heartbeat") for t in threading.enumerate())  # stopped
