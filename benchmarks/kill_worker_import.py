"""Kill a task worker with SIGKILL in the middle of a 5,000-pupil import; time how soon it shows.

For each database, each run: a fresh school gets a generated 5,000-row MIS CSV upload; a real
worker process (`manage.py db_worker`) is started; the apply is queued as the confirm view does
(exchange.tasks.import_apply_in_background); once this process (not the worker) sees the
progress pass 40 %, the worker is killed with SIGKILL. Then it checks that every table of the
main database has the rows it had before (row counts of all of them, also read from here
mid-apply) and polls the import page's own state (exchange.recovery.import_progress_state, what
the progress page renders) until it says the apply did not finish; finally it tries the import
again (back to preview).

The page says so once the last heartbeat is TASK_DEAD_AFTER_SECONDS old: at most that long after
the kill, less the heartbeat's age at the kill (progress reports touch it too, every few tenths
of a second here). Prints figures, asserts no timing. SQLite always, on a scratch database made
afresh (var/bench_kill.sqlite3 and its tasks file var/bench_kill-tasks.sqlite3; never the demo
database); PostgreSQL too when DATABASE_URL names one (its scratch schools are deleted after).

Usage: .venv/bin/python benchmarks/kill_worker_import.py [--pupils 5000] [--repeat 3]
"""

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / "var" / "bench_kill.sqlite3"
#: Tables an apply killed part-way may change: the batch's own claim, and (on PostgreSQL, where
#: they share the database) the task queue and task progress.
EXPECTED_TO_CHANGE = {
    "exchange_importbatch",
    "django_tasks_database_dbtaskresult",
    "tasks_taskprogress",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pupils", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one", metavar="DATABASE_URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        run_database(args.one, args.pupils, args.repeat)
        return
    targets = [("SQLite", f"sqlite:///{SCRATCH}")]
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        targets.append(("PostgreSQL", os.environ["DATABASE_URL"]))
    for path in SCRATCH.parent.glob(SCRATCH.stem + "*"):
        path.unlink()  # a fresh scratch database every time
    print(f"Load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    summary = []
    for name, url in targets:
        print(f"\n{name}: {args.repeat} runs, {args.pupils} pupils each")
        env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "sendwise.settings"}
        command = [sys.executable, __file__, "--one", url, "--pupils", str(args.pupils)]
        command += ["--repeat", str(args.repeat)]
        child = subprocess.run(  # noqa: S603 (this script, fixed arguments)
            command, env=env, cwd=ROOT, capture_output=True, text=True, check=False
        )
        runs = []
        for line in child.stdout.splitlines():
            if line.startswith("{"):
                runs.append(json.loads(line))
            else:
                print(line)
        if child.returncode:
            print(child.stderr[-3000:])
        summary.append((name, runs))
    print(f"\nLoad average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("\nSeconds from SIGKILL to the page saying the apply did not finish:")
    for name, runs in summary:
        seconds = [r["kill_to_stalled"] for r in runs if r["kill_to_stalled"] is not None]
        unchanged = all(r["tables_unchanged"] for r in runs)
        if seconds:
            print(
                f"  {name:<11} min {min(seconds):5.1f}  median {statistics.median(seconds):5.1f}"
                f"  max {max(seconds):5.1f}  ({len(seconds)} runs; tables unchanged after every "
                f"kill: {'yes' if unchanged and len(seconds) == len(runs) else 'NO'})"
            )
        else:
            print(f"  {name:<11} no completed run")


def run_database(url: str, pupils: int, repeat: int) -> None:
    """One database, `repeat` runs; prints a line of text and a line of JSON for each."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("migrate", database="tasks", verbosity=0)
    print(
        f"  heartbeat every {settings.TASK_HEARTBEAT_SECONDS:g} s, "
        f"dead after {settings.TASK_DEAD_AFTER_SECONDS} s of silence"
    )
    for index in range(repeat):
        figures = one_run(url, pupils, index)
        print(json.dumps(figures))


def table_counts() -> dict[str, int]:
    """Rows in every table of the main database (the tasks database is left out on purpose)."""
    from django.db import connection

    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 (names from the catalogue)
            counts[table] = cursor.fetchone()[0]
    return counts


def one_run(url: str, pupils: int, index: int) -> dict:
    from django.db import connection
    from django.utils import timezone

    from sendwise.core.access import actor_for
    from sendwise.core.models import Membership, School, User
    from sendwise.core.tasks.models import TaskProgress
    from sendwise.exchange import recovery, services, tasks
    from sendwise.exchange.models import ImportBatch
    from sendwise.exchange.samples import make_csv

    urn = f"99{index + 1:04d}"
    School.objects.filter(urn=urn).delete()
    school = School.objects.create(
        urn=urn, name=f"Kill bench {urn}", phase="primary", la_code="873", la_name="Bench"
    )
    user, _ = User.objects.get_or_create(
        email=f"bench-kill-{urn}@example.test", defaults={"full_name": "Bench"}
    )
    Membership.objects.get_or_create(user=user, school=school, role="senco")
    actor = actor_for(user, school.pk)
    data = make_csv(pupils, seed=index + 1)
    batch = services.import_upload(actor=actor, filename=f"kill-{index}.csv", data=data)
    to_apply = len(services.import_preview(batch=batch).plan.new)
    before = table_counts()
    connection.close()  # the worker must not wait on anything of ours

    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "sendwise.settings"}
    worker = subprocess.Popen(  # noqa: S603 (manage.py, fixed arguments)
        [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay"]
        + ["--interval", "0.1", "--worker-id", f"bench-kill-{urn}", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
    )
    started = time.monotonic()
    result = tasks.import_apply_in_background(actor=actor, batch=batch)
    figures = {"run": index + 1, "pupils": to_apply, "kill_to_stalled": None}
    state = {}
    while time.monotonic() - started < 600:  # until this process sees the apply 40 % done
        current = ImportBatch.objects.defer("content").get(pk=batch.pk)
        state = recovery.import_progress_state(batch=current)
        if current.status != "applying" or state["progress"]["done"] >= 0.4 * to_apply:
            break
        time.sleep(0.05)
    if current.status != "applying":
        worker.kill()
        print(
            f"  run {index + 1}: the apply ended ({current.status}) before the kill: use more pupils"
        )
        return figures
    during = table_counts()  # another process sees nothing of the apply until it commits
    state = recovery.import_progress_state(batch=current)
    mid_apply = ImportBatch.objects.get(pk=batch.pk)
    seen = (state["progress"]["done"], state["progress"]["total"], state["progress"]["stage"])
    connection.close()
    os.kill(worker.pid, signal.SIGKILL)
    killed = time.monotonic()
    beat_age = (timezone.now() - state["progress"]["beat_at"]).total_seconds()
    worker.wait()
    while time.monotonic() - killed < 600:  # until the page says it did not finish
        current = ImportBatch.objects.defer("content").get(pk=batch.pk)
        if recovery.import_progress_state(batch=current)["stalled"]:
            figures["kill_to_stalled"] = round(time.monotonic() - killed, 2)
            break
        time.sleep(0.1)
    after = table_counts()
    changed = {
        t: (before.get(t), after.get(t))
        for t in set(before) | set(after)
        if t not in EXPECTED_TO_CHANGE and before.get(t) != after.get(t)
    }
    figures["tables_unchanged"] = not changed and current.status == "applying"
    figures["unchanged_mid_apply"] = all(
        during.get(t) == n for t, n in before.items() if t not in EXPECTED_TO_CHANGE
    )
    recovery.import_retry(actor=actor, batch=mid_apply)
    retried = ImportBatch.objects.get(pk=batch.pk).status
    TaskProgress.objects.filter(key=batch.progress_key).delete()
    if "postgresql" in connection.vendor:  # leave nothing behind in a shared database
        result.db_result.delete()
        school.delete()
        user.delete()
    figures.update(
        start_to_kill=round(killed - started, 2),
        progress_at_kill=f"{seen[0]} of {seen[1]} ({seen[2]})",
        heartbeat_age_at_kill=round(beat_age, 2),
        retried_to=retried,
    )
    print(
        f"  run {index + 1}: killed {figures['start_to_kill']:.1f} s after queuing, at "
        f"{figures['progress_at_kill']} (last heartbeat {beat_age:.1f} s before); seen from "
        f"here mid-apply: {'nothing' if figures['unchanged_mid_apply'] else 'CHANGES'}; tables "
        f"{'unchanged' if figures['tables_unchanged'] else f'CHANGED: {changed}'}; "
        f"'did not finish' {figures['kill_to_stalled']} s after the kill; try again -> {retried}"
    )
    return figures


if __name__ == "__main__":
    main()
