"""The governors' summary for a past year reads the roll on 31 August from the pupils' history
(``pupils.roll_selectors.roll_on``): CPU time of that one query, and its plan, without and
with the index migration pupils 0006 adds (``pupil_history_roll``: school, pupil, moment saved).

Data, in its own database (var/bench_roll.sqlite3, or BENCH_DATABASE_URL): ten schools of
2,000 pupils each (20,000 pupils), every pupil with eight versions of their record spread over
three school years (created, then a change of provision, need or year group about once a
term; one in twelve archived along the way), written with bulk_create. The roll is read for
the first school on 31 August of the middle year. Both sides are warm; each figure is the
process's CPU time (``time.process_time``) of one call, repeated, given as min and median,
with the machine's load. The index is dropped by migrating pupils back to 0005 and made again
by migrating forward, so both sides read the same rows.

Usage: .venv/bin/python benchmarks/roll_history.py [--runs 30]
"""

import argparse
import random
import statistics
import time
from datetime import date, datetime, timedelta

from _setup import django_setup, machine_load

django_setup("bench_roll")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from sendwise.core.access import Actor  # noqa: E402
from sendwise.core.models import School, Trust  # noqa: E402
from sendwise.pupils.models import Pupil  # noqa: E402
from sendwise.pupils.roll_selectors import roll_on  # noqa: E402

SCHOOLS, PUPILS, VERSIONS = 10, 2000, 8
NEEDS = ["SPLD", "MLD", "SEMH", "SLCN", "ASD", ""]
HISTORY = Pupil.history.model


def fill() -> School:
    first = School.objects.filter(urn="900000").first()
    if first is not None:
        return first
    rng = random.Random(12)
    trust = Trust.objects.create(name="Benchmark trust")
    schools = School.objects.bulk_create(
        School(urn=f"9{n:05d}", name=f"School {n}", phase="primary", la_code="999",
               la_name="Benchmark", trust=trust)
        for n in range(SCHOOLS)
    )  # fmt: skip
    start = timezone.make_aware(datetime(2023, 9, 4, 9))  # noqa: DTZ001 - made aware here
    for school in schools:
        pupils = Pupil.unscoped.bulk_create(
            Pupil(school=school, upn=f"B{school.pk:04d}{n:08d}", first_name="Pupil",
                  last_name=str(n), date_of_birth=date(2015, 1, 1) + timedelta(days=n % 365),
                  nc_year=1 + n % 6, gender="F" if n % 2 else "M")
            for n in range(PUPILS)
        )  # fmt: skip
        versions = []
        for pupil in pupils:
            moment = start + timedelta(days=rng.randint(0, 60), minutes=rng.randint(0, 600))
            provision, need, archived = "N", "", None
            for v in range(VERSIONS):
                if v:
                    moment += timedelta(days=rng.randint(60, 120), minutes=rng.randint(0, 600))
                    provision = rng.choice("NKKE")
                    need = "" if provision == "N" else rng.choice(NEEDS[:-1])
                    if archived is None and rng.random() < 1 / 12 / VERSIONS * 8:
                        archived = moment
                versions.append(
                    HISTORY(id=pupil.pk, school_id=school.pk, upn=pupil.upn,
                            first_name=pupil.first_name, last_name=pupil.last_name,
                            date_of_birth=pupil.date_of_birth, nc_year=pupil.nc_year,
                            gender=pupil.gender, home_language="ENG", sen_provision=provision,
                            primary_need=need, archived_at=archived, history_date=moment,
                            history_type="+" if v == 0 else "~")
                )  # fmt: skip
        HISTORY.objects.bulk_create(versions, batch_size=2000)
    return schools[0]


def cpu_ms(fn, runs: int) -> list[float]:
    fn()
    found = []
    for _ in range(runs):
        start = time.process_time()
        fn()
        found.append((time.process_time() - start) * 1000)
    return found


def analyse() -> None:
    """Statistics for the planner; on PostgreSQL also the visibility map autovacuum keeps in
    production (without it, freshly loaded rows make every index-only scan visit the table)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
        else:
            cursor.execute("VACUUM ANALYZE pupils_historicalpupil")


def server_ms(actor, day, runs: int) -> list[float]:
    """PostgreSQL's own execution time of the query (EXPLAIN ANALYZE), which the client's CPU
    time does not include."""
    sql, params = _statement(actor, day)
    found = []
    with connection.cursor() as cursor:
        for _ in range(runs + 1):
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
            found.append(cursor.fetchone()[0][0]["Execution Time"])
    return found[1:]


def _statement(actor, day):
    from sendwise.pupils import roll_selectors

    queries = []

    def record(execute, sql, params, many, context):
        queries.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        roll_selectors.roll_on(actor=actor, day=day)
    return queries[-1]


def plan(actor, day) -> str:
    sql, params = _statement(actor, day)
    explain = (
        "EXPLAIN QUERY PLAN "
        if connection.vendor == "sqlite"
        else "EXPLAIN (ANALYZE, BUFFERS OFF, TIMING OFF) "
    )
    with connection.cursor() as cursor:
        cursor.execute(explain + sql, params)
        rows = cursor.fetchall()
    return "\n".join("    " + " ".join(str(c) for c in row) for row in rows)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    school = fill()
    actor = Actor(user=None, school=school, roles=frozenset({"senco"}))
    day = date(2025, 8, 31)
    rows = HISTORY.objects.count()
    print(f"{connection.vendor}: {rows} pupil versions in {SCHOOLS} schools; {machine_load()}")
    for label, target in (
        ("without the index (pupils 0005)", "0005"),
        ("with pupil_history_roll (pupils 0006)", "0006"),
    ):
        call_command("migrate", "pupils", target, verbosity=0)
        analyse()
        counted = sum(n for *_k, n in roll_on(actor=actor, day=day))
        times = cpu_ms(lambda: roll_on(actor=actor, day=day), args.runs)
        print(f"\n{label}: {counted} pupils on roll on {day}")
        print(f"  CPU a call: min {min(times):.1f} ms, median {statistics.median(times):.1f} ms "
              f"({args.runs} runs; {machine_load()})")  # fmt: skip
        if connection.vendor == "postgresql":
            times = server_ms(actor, day, args.runs)
            print(f"  PostgreSQL's execution time: min {min(times):.1f} ms, "
                  f"median {statistics.median(times):.1f} ms ({args.runs} runs)")  # fmt: skip
        print("  plan:\n" + plan(actor, day))


if __name__ == "__main__":
    main()
