"""An import that stopped part-way is shown as not finished, changed nothing, and can be tried again."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.db.models.query import QuerySet
from django.urls import reverse
from django.utils import timezone

from sendwise.core.models import AuditEntry
from sendwise.core.tasks.models import TaskProgress
from sendwise.exchange import recovery, services
from sendwise.exchange.models import ImportBatch
from sendwise.exchange.samples import make_csv
from sendwise.pupils.models import Pupil


def upload(client, name, data) -> ImportBatch:
    client.post(reverse("exchange:start"), {"file": SimpleUploadedFile(name, data)})
    return ImportBatch.objects.order_by("-id").first()


def applying_since(batch, minutes: float) -> ImportBatch:
    """Time travel: the batch has been applying since `minutes` ago."""
    started = timezone.now() - timedelta(minutes=minutes)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.APPLYING, apply_started_at=started
    )
    return ImportBatch.objects.get(pk=batch.pk)


def heartbeat(batch, seconds_ago: float) -> None:
    """A worker has been applying the batch; it last showed it was alive `seconds_ago`."""
    at = timezone.now() - timedelta(seconds=seconds_ago)
    TaskProgress.objects.update_or_create(
        key=batch.progress_key,
        defaults={
            "done": 500, "total": 1000, "stage": "creating pupils",
            "queued_at": batch.apply_started_at, "started_at": batch.apply_started_at,
            "beat_at": at,
        },
    )  # fmt: skip


def url(name, batch) -> str:
    return reverse(f"exchange:{name}", kwargs={"batch_id": batch.pk})


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def retry_audits(batch):
    return AuditEntry.objects.filter(
        object_type="import", object_id=str(batch.pk), action=AuditEntry.Action.UPDATE
    )


# --- What counts as stalled --------------------------------------------------------------------


def test_an_import_applying_for_longer_than_the_setting_with_no_progress_is_stalled(
    world, client_as, settings
):
    settings.IMPORT_STALLED_AFTER_SECONDS = 600
    batch = upload(client_as("senco"), "a.csv", make_csv(3, seed=41))
    assert recovery.import_is_stalled(batch=applying_since(batch, 11))
    assert not recovery.import_is_stalled(batch=applying_since(batch, 9))
    settings.IMPORT_STALLED_AFTER_SECONDS = 60
    assert recovery.import_is_stalled(batch=applying_since(batch, 9))


def test_a_worker_whose_heartbeat_stopped_is_noticed_within_seconds_not_minutes(
    world, client_as, settings
):
    settings.TASK_DEAD_AFTER_SECONDS = 20
    batch = applying_since(upload(client_as("senco"), "a.csv", make_csv(3, seed=42)), 1)
    heartbeat(batch, 5)
    assert not recovery.import_is_stalled(batch=batch)
    heartbeat(batch, 25)
    assert recovery.import_is_stalled(batch=batch)  # a minute in, far short of 10 minutes
    assert recovery.last_sign_of_life(batch=batch) > batch.apply_started_at


def test_a_live_heartbeat_keeps_a_long_import_alive(world, client_as):
    batch = applying_since(upload(client_as("senco"), "a.csv", make_csv(3, seed=60)), 45)
    heartbeat(batch, 2)
    assert not recovery.import_is_stalled(batch=batch)


def test_imports_waiting_applied_or_cancelled_are_never_stalled(world, client_as):
    batch = upload(client_as("senco"), "a.csv", make_csv(3, seed=43))
    long_ago = timezone.now() - timedelta(days=2)
    for status in ("preview", "applied", "cancelled"):
        ImportBatch.objects.filter(pk=batch.pk).update(status=status, apply_started_at=long_ago)
        batch.refresh_from_db()
        assert not recovery.import_is_stalled(batch=batch)


def test_an_import_left_applying_from_before_the_start_time_was_kept_uses_its_upload_time(
    world, client_as
):
    batch = upload(client_as("senco"), "a.csv", make_csv(3, seed=44))
    ImportBatch.objects.filter(pk=batch.pk).update(
        status="applying", apply_started_at=None, created_at=timezone.now() - timedelta(hours=1)
    )
    batch.refresh_from_db()
    assert recovery.import_is_stalled(batch=batch)


def test_a_queued_apply_waits_for_a_worker_and_is_not_stalled(world, client_as, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client = client_as("senco")
    batch = upload(client, "a.csv", make_csv(3, seed=45))
    client.post(url("confirm", batch), {"action": "apply"})  # queued; no worker runs it
    batch.refresh_from_db()
    assert batch.status == "applying"
    assert timezone.now() - batch.apply_started_at < timedelta(minutes=1)
    progress = TaskProgress.objects.get(key=batch.progress_key)
    assert progress.queued_at is not None and progress.beat_at is None
    assert not recovery.import_is_stalled(batch=batch)
    html = client.get(url("preview", batch)).content.decode()
    assert "Waiting for a background worker to start the import" in html
    assert "Try again" not in html


# --- What the SENCO sees -----------------------------------------------------------------------


def test_a_stale_heartbeat_shows_that_the_import_did_not_finish_and_offers_to_try_again(
    world, client_as
):
    client = client_as("senco")
    batch = applying_since(upload(client, "a.csv", make_csv(3, seed=46)), 2)
    heartbeat(batch, 60)  # the worker was killed a minute ago
    html = client.get(url("preview", batch)).content.decode()
    assert "The import did not finish" in html
    assert "This import did not finish, and nothing was changed." in html
    assert "It has shown no sign of life since" in html
    assert f'action="{url("retry", batch)}"' in html and "Try again" in html
    assert "hx-get" not in html  # no longer polls
    progress = client.get(url("progress", batch))
    assert progress.status_code == 200
    assert "Try again" in progress.content.decode() and "<h1" in progress.content.decode()
    partial = client.get(url("progress", batch), HTTP_HX_REQUEST="true")
    assert partial["HX-Refresh"] == "true"  # a page still polling reloads to show it


def test_an_import_never_started_by_a_worker_says_so_once_stalled(world, client_as):
    client = client_as("senco")
    batch = applying_since(upload(client, "a.csv", make_csv(3, seed=61)), 30)
    html = client.get(url("preview", batch)).content.decode()
    assert "This import did not finish, and nothing was changed." in html
    assert "No background worker has started it since" in html and "Try again" in html


def test_a_live_heartbeat_shows_the_progress_and_no_try_again(world, client_as):
    client = client_as("senco")
    batch = applying_since(upload(client, "a.csv", make_csv(3, seed=47)), 30)
    heartbeat(batch, 1)
    html = client.get(url("preview", batch)).content.decode()
    assert "Applied 500 of 1,000 pupils" in html and 'hx-trigger="every 1s"' in html
    assert "Try again" not in html and "did not finish" not in html
    partial = client.get(url("progress", batch), HTTP_HX_REQUEST="true")
    assert not partial.has_header("HX-Refresh") and "<h1" not in partial.content.decode()


# --- Trying again ------------------------------------------------------------------------------


def test_try_again_returns_the_import_to_preview_and_a_confirm_applies_it_exactly_once(
    world, client_as
):
    client = client_as("senco")
    batch = applying_since(upload(client, "a.csv", make_csv(5, seed=48)), 30)
    before = Pupil.unscoped.count()
    response = client.post(url("retry", batch))
    assert response["Location"] == url("preview", batch)
    batch.refresh_from_db()
    assert batch.status == "preview" and batch.summary["error"] == recovery.DID_NOT_FINISH
    assert retry_audits(batch).count() == 1
    assert retry_audits(batch).get().user == world.users["senco"]
    html = client.get(url("preview", batch)).content.decode()
    assert "did not finish, so nothing was changed" in html and "Apply 5 changes" in html
    client.post(url("confirm", batch), {"action": "apply"})
    again = client.post(url("confirm", batch), {"action": "apply"})  # a second click
    assert services.ALREADY_APPLIED in messages_of(again)
    batch.refresh_from_db()
    assert batch.status == "applied" and "error" not in batch.summary
    assert Pupil.unscoped.count() == before + 5
    assert AuditEntry.objects.filter(action="create", detail="Imported from a.csv").count() == 5


def test_a_double_submitted_try_again_changes_the_import_once(world, client_as):
    client = client_as("senco")
    batch = applying_since(upload(client, "a.csv", make_csv(3, seed=49)), 30)
    client.post(url("retry", batch))
    second = client.post(url("retry", batch))
    assert second["Location"] == url("preview", batch)
    assert recovery.NOT_APPLYING in messages_of(second)
    assert retry_audits(batch).count() == 1
    assert ImportBatch.objects.get(pk=batch.pk).status == "preview"


def test_try_again_on_an_import_still_being_applied_is_refused_with_a_clear_message(
    world, client_as, settings
):
    settings.IMPORT_STALLED_AFTER_SECONDS = 600
    client = client_as("senco")
    batch = applying_since(upload(client, "a.csv", make_csv(3, seed=50)), 3)
    response = client.post(url("retry", batch))
    assert response["Location"] == url("preview", batch)
    assert recovery.NOT_STALLED.format(minutes=10) in messages_of(response)
    assert ImportBatch.objects.get(pk=batch.pk).status == "applying"
    assert not retry_audits(batch).exists()


def test_try_again_while_the_worker_is_alive_is_refused(world, client_as):
    client = client_as("senco")
    batch = applying_since(upload(client, "a.csv", make_csv(3, seed=62)), 30)
    heartbeat(batch, 2)
    response = client.post(url("retry", batch))
    assert recovery.STILL_RUNNING in messages_of(response)
    assert ImportBatch.objects.get(pk=batch.pk).status == "applying"
    assert not retry_audits(batch).exists()


def test_try_again_is_refused_when_an_apply_still_holds_the_lock(world, client_as, monkeypatch):
    """PostgreSQL's NOWAIT (or SQLite's busy database) says an apply is alive: leave it be."""
    client = client_as("senco")
    batch = applying_since(upload(client, "a.csv", make_csv(3, seed=51)), 30)

    def locked(self, **kwargs):
        raise OperationalError("could not obtain lock on row in relation")

    monkeypatch.setattr(QuerySet, "select_for_update", locked)
    response = client.post(url("retry", batch))
    assert recovery.STILL_RUNNING in messages_of(response)
    assert ImportBatch.objects.get(pk=batch.pk).status == "applying"


def test_try_again_on_an_applied_or_cancelled_import_changes_nothing(world, client_as):
    client = client_as("senco")
    batch = upload(client, "a.csv", make_csv(3, seed=52))
    for status, message in (
        ("applied", services.ALREADY_APPLIED),
        ("cancelled", services.NOT_WAITING),
    ):
        ImportBatch.objects.filter(pk=batch.pk).update(status=status)
        assert message in messages_of(client.post(url("retry", batch)))
        assert ImportBatch.objects.get(pk=batch.pk).status == status


@pytest.mark.parametrize(("who", "status"), [("teacher", 403), ("other_school_senco", 404)])
def test_only_the_schools_import_staff_can_try_a_stalled_import_again(
    who, status, world, client_as
):
    batch = applying_since(upload(client_as("senco"), "a.csv", make_csv(3, seed=53)), 30)
    assert client_as(who).post(url("retry", batch)).status_code == status
    assert ImportBatch.objects.get(pk=batch.pk).status == "applying"


def test_try_again_is_post_only(world, client_as):
    batch = applying_since(upload(client_as("senco"), "a.csv", make_csv(3, seed=54)), 30)
    assert client_as("senco").get(url("retry", batch)).status_code == 405
    assert ImportBatch.objects.get(pk=batch.pk).status == "applying"


# --- A real stop part-way ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_an_apply_that_dies_part_way_writes_nothing_and_can_be_tried_again(
    world, client_as, settings, monkeypatch
):
    """The task stops after the first chunk is written, without its failure handler running
    (as when the worker is killed): the batch is left applying, and nothing was saved."""
    settings.TASK_DEAD_AFTER_SECONDS = 20
    client = client_as("senco")
    batch = upload(client, "a.csv", make_csv(700, seed=55))  # two chunks of pupils
    real_sen, calls = services._sen_records, []

    def die_on_the_second_chunk(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise SystemExit  # not an Exception: skips the handler that frees the batch
        return real_sen(*args, **kwargs)

    monkeypatch.setattr(services, "_sen_records", die_on_the_second_chunk)
    before, history = Pupil.unscoped.count(), Pupil.history.count()
    client.post(url("confirm", batch), {"action": "apply"})
    assert len(calls) == 2  # the first chunk had been written inside the transaction
    batch.refresh_from_db()
    assert batch.status == "applying"
    assert (Pupil.unscoped.count(), Pupil.history.count()) == (before, history)
    assert not recovery.import_is_stalled(batch=batch)  # its heartbeat is seconds old

    later = timezone.now() + timedelta(seconds=21)  # and nothing has touched it since
    assert recovery.import_is_stalled(batch=batch, now=later)
    assert recovery.import_progress_state(batch=batch, now=later)["stalled"]
    TaskProgress.objects.filter(key=batch.progress_key).update(
        beat_at=timezone.now() - timedelta(seconds=21)
    )
    assert client.post(url("retry", batch))["Location"] == url("preview", batch)
    monkeypatch.setattr(services, "_sen_records", real_sen)
    client.post(url("confirm", batch), {"action": "apply"})
    batch.refresh_from_db()
    assert batch.status == "applied" and batch.summary["applied"]["new"] == 700
    assert Pupil.unscoped.count() == before + 700


# --- The command -------------------------------------------------------------------------------


def run(*args) -> str:
    out = StringIO()
    call_command("import_recover_stalled", *args, stdout=out)
    return out.getvalue()


def test_the_command_puts_stalled_imports_back_to_preview_and_leaves_live_ones(world, client_as):
    client = client_as("senco")
    stalled = applying_since(upload(client, "stalled.csv", make_csv(3, seed=56)), 30)
    live = applying_since(upload(client, "live.csv", make_csv(3, seed=57)), 2)
    upload(client, "waiting.csv", make_csv(3, seed=58))
    out = run()
    assert f"Import {stalled.pk} (stalled.csv, Alpha Primary): stalled, put back" in out
    assert f"Import {live.pk} (live.csv, Alpha Primary): left alone" in out
    assert "waiting.csv" not in out
    assert "Put back to preview: 1 of 2" in out
    statuses = dict(ImportBatch.objects.values_list("filename", "status"))
    assert statuses == {"stalled.csv": "preview", "live.csv": "applying", "waiting.csv": "preview"}
    audit = retry_audits(stalled).get()
    assert audit.user is None and audit.school == world.school
    again = run()  # a second run: only the live one is left, and it is left alone again
    assert "Put back to preview: 0 of 1" in again and f"Import {live.pk}" in again


def test_the_command_puts_back_an_import_whose_worker_died_and_leaves_a_live_one(
    world, client_as, settings
):
    settings.TASK_DEAD_AFTER_SECONDS = 20
    client = client_as("senco")
    dead = applying_since(upload(client, "dead.csv", make_csv(3, seed=63)), 2)
    heartbeat(dead, 90)
    live = applying_since(upload(client, "live.csv", make_csv(3, seed=64)), 2)
    heartbeat(live, 1)
    out = run()
    assert f"Import {dead.pk} (dead.csv, Alpha Primary): stalled, put back" in out
    assert (
        f"Import {live.pk} (live.csv, Alpha Primary): left alone: {recovery.STILL_RUNNING}" in out
    )
    assert "no heartbeat from its worker for 20 seconds" in out
    statuses = dict(ImportBatch.objects.values_list("filename", "status"))
    assert statuses == {"dead.csv": "preview", "live.csv": "applying"}


def test_the_command_dry_run_and_school_options(world, client_as):
    batch = applying_since(upload(client_as("senco"), "a.csv", make_csv(3, seed=59)), 30)
    out = run("--dry-run")
    assert "stalled (dry run: not changed)" in out and "Dry run: nothing was changed." in out
    assert ImportBatch.objects.get(pk=batch.pk).status == "applying"
    assert "nothing to do" in run("--school", world.other_school.urn)
    assert ImportBatch.objects.get(pk=batch.pk).status == "applying"
    with pytest.raises(CommandError, match="No school has the URN 999999"):
        run("--school", "999999")
    assert "stalled, put back" in run("--school", world.school.urn)
    assert ImportBatch.objects.get(pk=batch.pk).status == "preview"


def test_the_command_with_nothing_applying_says_so(db):
    assert run().strip() == "No import is being applied: nothing to do."
