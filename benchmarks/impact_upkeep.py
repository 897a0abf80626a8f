"""What keeping the impact results in step costs one score save, three ways, on the demo trust
(its main school at --pupils pupils, default 600, with its plans, groups and sessions):

- "off": the save alone (``signals.paused()``; the results go stale);
- "now": the save, then after its commit the pupil's results and their aggregate cells worked
  out in the same request (``IMPACT_UPKEEP = "now"``, the default);
- "task": the save, then after its commit one task put on the database queue
  (``IMPACT_UPKEEP = "task"``, the database queue: a row in the tasks database); the worker's
  work is timed apart ("task, worker side").

Each save is the SENCO's ``score_add`` for a pupil with a current placement and an outcome on a
named measure, in its own transaction as a request has it, with the on-commit work inside the
timing (a person waits for it). Both sides warm; min and median of --runs repeats; the load
average is printed beside.

Usage: .venv/bin/python benchmarks/impact_upkeep.py [--pupils 600] [--runs 40]

Measured on 2026-12-06, SQLite, the shared 2-CPU machine at load average about 7, 30 saves:

    off (stale results)    median  74 ms   min 32 ms   23 queries
    now (same request)     median 115 ms   min 70 ms   39 queries
    task (enqueue only)    median  71 ms   min 44 ms   23 queries (+1 on the tasks database)
    task, worker side      median  63 ms   min 40 ms   16 queries

Chosen: "now". It adds about 40 ms (16 queries, bounded by the pupil's placements and the
cells they fall in, not by the size of the school or authority) to a save a person makes a
few times a lesson, and the school's pages are right the moment the save returns, with no
worker that must be running (the embedded set-up, a worker down, the tests). A bulk save in
one transaction (a group's scores) is worked out once, at its commit. "task" stays one setting
away for a deployment whose saves must not wait.
"""

import argparse
import os
import statistics
import time
from datetime import timedelta

from _setup import django_setup

django_setup("bench_impact_upkeep")

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from sendwise.core.access import actor_for  # noqa: E402
from sendwise.core.models import School, User  # noqa: E402
from sendwise.demo import generate as demo  # noqa: E402
from sendwise.impact import signals as upkeep  # noqa: E402
from sendwise.impact.models import PlacementResult  # noqa: E402
from sendwise.impact.result_services import refresh_noted  # noqa: E402
from sendwise.monitoring.services import score_add  # noqa: E402
from sendwise.planning.models import Outcome  # noqa: E402


def timed(runs, save):
    times, queries = [], []
    for n in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            save(n)
            times.append((time.perf_counter() - started) * 1000)
        queries.append(len(captured.captured_queries))
    return times, queries


def line(label, times, queries):
    print(
        f"{label:<22} median {statistics.median(times):7.1f} ms   min {min(times):7.1f} ms   "
        f"queries {statistics.median(queries):.0f}"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pupils", type=int, default=600)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    call_command("migrate", database="tasks", verbosity=0)  # the queue's own file on SQLite
    if not School.objects.filter(urn=demo.MAIN_URN).exists():
        call_command("load_demo", pupils=args.pupils, verbosity=0)
    school = School.objects.get(urn=demo.MAIN_URN)
    senco = actor_for(User.objects.get(email=f"senco@{demo.DEMO_DOMAIN}"), school.pk)
    outcomes = list(
        Outcome.objects.current()
        .filter(
            school=school,
            plan__status="active",
            measure__isnull=False,
            baseline__isnull=False,
            plan__placements__isnull=False,
        )
        .select_related("plan__pupil", "measure")
        .distinct()[:20]
    )
    if not outcomes:
        raise SystemExit("The demo has no current outcome on a measure to score.")
    today = timezone.localdate()

    def save(n):
        outcome = outcomes[n % len(outcomes)]
        measure = outcome.measure
        value = (
            outcome.baseline
            if measure.scale_max is None
            else min(outcome.baseline + 1, measure.scale_max)
        )
        with transaction.atomic():
            score_add(
                actor=senco,
                pupil=outcome.plan.pupil,
                measure=measure,
                value=value,
                taken_on=today - timedelta(days=n % 5),
            )

    print(
        f"School of {args.pupils} pupils, {PlacementResult.objects.filter(school=school).count()}"
        f" placement results; load average {os.getloadavg()[0]:.2f}; {args.runs} saves each."
    )
    save(0)  # warm
    with upkeep.paused():
        line("off (stale results)", *timed(args.runs, save))
    with override_settings(IMPACT_UPKEEP="now"):
        line("now (same request)", *timed(args.runs, save))
    with override_settings(IMPACT_UPKEEP="task"):
        line("task (enqueue only)", *timed(args.runs, save))
    with override_settings(IMPACT_UPKEEP="now"):
        pupil_ids = [o.plan.pupil_id for o in outcomes]

        def worker(n):
            refresh_noted(school_id=school.pk, pupils=[pupil_ids[n % len(pupil_ids)]])

        line("task, worker side", *timed(args.runs, worker))
    print(f"load average after {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
