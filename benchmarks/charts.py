"""The intervention page with its forest plot drawn on every request (before) and drawn once and
then read from the cache (after), on the shared catalogue's entries with the most trials.

"Before" is the page with a cache that keeps nothing (Django's DummyCache), which is what every
request did before charts were cached: draw the plot with matplotlib. "After" is the page with
the project's default cache (the database cache), warm: the plot is one cache read. Both sides
are signed in as a SENCO and warm (one request first); each figure is the median and the
minimum of the repeats. The drawing alone and the cache read alone are timed too.

Usage: .venv/bin/python benchmarks/charts.py [--runs 30] [--entries 3]
"""

import argparse
import os
import statistics
import time

from _setup import django_setup

django_setup("bench_charts")

from django.core.cache import caches  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from sendwise.core.chart_cache import CACHE_ALIAS, cached_svg  # noqa: E402
from sendwise.core.models import Membership, School, User  # noqa: E402
from sendwise.core.roles import Role  # noqa: E402
from sendwise.evidence import charts  # noqa: E402
from sendwise.evidence.models import Intervention  # noqa: E402
from sendwise.evidence.pooling import synthesise  # noqa: E402
from sendwise.evidence.services import catalogue_seed_if_empty  # noqa: E402

NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def timed(fn, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times)


def senco() -> User:
    school, _ = School.objects.get_or_create(
        urn="999001",
        defaults={"name": "Chart Bench Primary", "phase": "primary", "la_code": "873",
                  "la_name": "Cambridgeshire"},
    )  # fmt: skip
    user = User.objects.filter(email="senco@charts.bench").first()
    if user is None:
        user = User.objects.create_user(email="senco@charts.bench", password=None)
        user.full_name = "Bench SENCO"
        user.save()
        Membership.objects.create(user=user, school=school, role=Role.SENCO)
    return user


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--entries", type=int, default=3)
    args = parser.parse_args()
    print(f"machine load (1, 5, 15 min): {os.getloadavg()}")
    catalogue_seed_if_empty()
    client = Client()
    client.force_login(senco())
    entries = []  # the entries with the most trials that have a forest plot
    for entry in (
        Intervention.objects.filter(school__isnull=True, archived=False)
        .annotate(trials=Count("studies"))
        .order_by("-trials", "slug")
    ):
        synthesis = synthesise(list(entry.studies.order_by("position")))
        data = charts.forest_data(synthesis, title=entry.name)
        if data is not None:
            entries.append((entry, data))
        if len(entries) == args.entries:
            break
    print(f"{args.runs} requests each; times in ms as median (min)\n")
    heads = ("before: drawn", "after: cached", "draw alone", "cache read")
    print(f"{'entry':<40} {'trials':>6}  " + "  ".join(f"{h:>16}" for h in heads))
    for entry, data in entries:
        url = f"/interventions/{entry.slug}/"
        with override_settings(CACHES=NO_CACHE):
            assert client.get(url).status_code == 200
            before = timed(lambda url=url: client.get(url), args.runs)
        caches[CACHE_ALIAS].clear()
        assert client.get(url).status_code == 200  # draws once, and keeps it
        after = timed(lambda url=url: client.get(url), args.runs)
        draw = timed(lambda data=data: charts.draw_forest(data), args.runs)
        read = timed(lambda data=data: cached_svg(charts.draw_forest, data), args.runs)
        print(
            f"{entry.name[:40]:<40} {entry.trials:>6}  "
            + "  ".join(f"{m:8.1f} ({n:5.1f})" for m, n in (before, after, draw, read))
        )


if __name__ == "__main__":
    main()
