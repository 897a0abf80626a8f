"""Background work (core.tasks): the heartbeat, telling a dead worker from a busy one, and where
task rows and their migrations go."""

import threading
from datetime import timedelta

import pytest
from django.apps import apps
from django.db.migrations.state import ProjectState
from django.utils import timezone

from sendwise.core.tasks import selectors, services
from sendwise.core.tasks.models import TaskProgress
from sendwise.core.tasks.router import TaskDatabaseRouter


def heartbeat_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("heartbeat")]


def test_queuing_work_again_starts_its_progress_afresh(db):
    services.task_progress_queue(key="import:1", school_id=7)
    with services.Heartbeat("import:1", task_id="abc") as beat:
        beat.report(40, 40, "finishing")
    services.task_progress_queue(key="import:1", school_id=7)
    progress = selectors.task_progress_get(key="import:1")
    assert (progress.done, progress.total, progress.stage) == (0, 0, services.WAITING)
    assert progress.started_at is None and progress.beat_at is None and progress.task_id == ""
    assert TaskProgress.objects.count() == 1


@pytest.mark.django_db(transaction=True, databases=["default", "tasks"])
def test_the_heartbeat_thread_stops_and_the_run_is_marked_finished_even_when_the_work_fails(
    settings,
):
    settings.TASK_DATABASE = "tasks"
    settings.TASK_HEARTBEAT_SECONDS = 0.02
    services.task_progress_queue(key="report:9")
    with pytest.raises(RuntimeError), services.Heartbeat("report:9", task_id="t-1"):
        assert len(heartbeat_threads()) == 1
        raise RuntimeError("the printer caught fire")
    assert heartbeat_threads() == []
    progress = TaskProgress.objects.using("tasks").get(key="report:9")
    assert progress.task_id == "t-1" and progress.worker
    assert progress.started_at <= progress.beat_at <= progress.finished_at


def test_a_worker_is_dead_only_once_it_started_and_then_fell_silent(db, settings):
    settings.TASK_DEAD_AFTER_SECONDS = 20
    now = timezone.now()
    queued = TaskProgress(key="k", queued_at=now - timedelta(hours=1))
    assert not selectors.task_is_dead(None)
    assert not selectors.task_is_dead(queued)  # waiting for a worker is not dying
    queued.beat_at = now - timedelta(seconds=19)
    assert not selectors.task_is_dead(queued, now=now)
    queued.beat_at = now - timedelta(seconds=21)
    assert selectors.task_is_dead(queued, now=now)


@pytest.mark.parametrize(
    ("tables_in", "database", "expected"),
    [
        (("tasks",), "tasks", {"tasks": True, "django_tasks_database": True, "pupils": False}),
        (("tasks",), "default", {"tasks": False, "django_tasks_database": False, "pupils": True}),
        (("default",), "default", {"tasks": True, "django_tasks_database": True, "pupils": True}),
        (("default",), "tasks", {"tasks": False, "django_tasks_database": False, "pupils": False}),
    ],
)
def test_task_tables_are_migrated_only_where_they_live(settings, tables_in, database, expected):
    settings.TASK_TABLES_IN = tables_in
    router = TaskDatabaseRouter()
    assert {app: router.allow_migrate(database, app) for app in expected} == expected


def test_task_rows_go_to_the_task_database_and_a_migrations_own_queries_stay_with_it(settings):
    """A migration's RunPython must use the connection the migration runs on, or on PostgreSQL
    it waits for ever on the migration's own transaction."""
    settings.TASK_DATABASE, settings.TASK_TABLES_IN = "tasks", ("default",)
    router = TaskDatabaseRouter()
    historical = ProjectState.from_apps(apps).apps.get_model(
        "django_tasks_database", "DBTaskResult"
    )
    assert router.db_for_write(TaskProgress) == "tasks"
    assert router.db_for_write(historical) == "default"
    assert router.db_for_read(apps.get_model("pupils", "Pupil")) is None
