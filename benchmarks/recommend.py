"""Time to rank the catalogue for every pupil with SEN in the 2,000-pupil school.

Goal (issue 6): under 50 ms a pupil, with a fixed number of queries per pupil whatever the
size of the catalogue. Prints the median and 95th percentile time per pupil and the queries
one recommendation page's data takes. Each call is a request's: the school's candidates for
the pupil's primary need come from the cache once the first pupil with that need has read
them (``core.stamps``, ADR 0020), so the queries are the pupil's own plus one cache read.

Usage: .venv/bin/python benchmarks/recommend.py
"""

import statistics
import time

from _setup import django_setup

django_setup("bench_recommend")

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from sendwise.core.access import actor_for  # noqa: E402
from sendwise.core.models import School, User  # noqa: E402
from sendwise.demo import generate as demo  # noqa: E402
from sendwise.evidence.models import Intervention  # noqa: E402
from sendwise.evidence.services import catalogue_seed  # noqa: E402
from sendwise.pages import recommend  # noqa: E402
from sendwise.pupils.models import Pupil  # noqa: E402


def main():
    if not Intervention.objects.exists():
        catalogue_seed()
    if not School.objects.filter(urn=demo.MAIN_URN).exists():
        demo.demo_load(seed=2026, main_pupils=2000)
    school = School.objects.get(urn=demo.MAIN_URN)
    actor = actor_for(User.objects.get(email=f"senco@{demo.DEMO_DOMAIN}"), school.id)
    pupils = list(Pupil.unscoped.filter(school=school).exclude(sen_provision="N"))
    catalogue = Intervention.objects.filter(school__isnull=True).count()
    print(
        f"{school.name}: {Pupil.unscoped.filter(school=school).count()} pupils, {len(pupils)} with SEN; "
        f"catalogue of {catalogue} entries"
    )
    recommend.recommendations_for(actor=actor, pupil=pupils[0])  # warm up
    times, counts = [], set()
    for pupil in pupils:
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            recommend.recommendations_for(actor=actor, pupil=pupil)
            times.append((time.perf_counter() - start) * 1000)
        counts.add(len(queries))
    times.sort()
    p95 = times[int(0.95 * (len(times) - 1))]
    print(
        f"rank for each pupil: median {statistics.median(times):.1f} ms, 95th percentile {p95:.1f} ms, "
        f"max {times[-1]:.1f} ms (goal: under 50 ms)"
    )
    print(
        f"queries per pupil: {sorted(counts)} (needs, history, lessons and one cache read; the "
        "first pupil of each primary need also reads the school's catalogue, results, staff, "
        "groups and budget)"
    )
    print(f"all {len(pupils)} pupils: {sum(times) / 1000:.2f} s")
    # A batch (a report over every pupil) reads the school's catalogue, results, staff, groups
    # and budget once and reuses them.
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        pool = recommend.CandidatePool(actor=actor)
        for pupil in pupils:
            recommend.recommendations_for(actor=actor, pupil=pupil, pool=pool)
    batch = time.perf_counter() - start
    print(
        f"batch with one shared pool: {batch:.2f} s in all, {batch * 1000 / len(pupils):.1f} ms "
        f"a pupil, {len(queries)} queries (the pool once, then 3 a pupil)"
    )


if __name__ == "__main__":
    main()
