"""Where a request's time goes: the most used pages, and what every request pays.

On the demo trust (``load_demo``, its own SQLite file ``var/bench_profile.sqlite3``, or
``BENCH_DATABASE_URL``), through Django's test client (no network, no server), as the demo SENCO
and the demo intervention specialist, it prints:

1. For the pupil page, the register, ``/delivery/``, an intervention page and the staff home:
   the number of queries, the min and median CPU time of the request (``time.process_time``:
   the machine is shared, so wall time says as much about the neighbours as about the page),
   and the functions with the most cumulative time under cProfile.
2. What every request pays: each middleware on its own (the CPU time of a trivial signed-in
   view through the stack cut after that middleware, less the stack cut before it), building
   the actor (one query), each context processor, and the base template with an empty page.

Usage: .venv/bin/python benchmarks/profile_pages.py [--runs 30] [--top 15] [--no-profile]
"""

import argparse
import cProfile
import io
import os
import pstats
import re
import statistics
import time

from _setup import django_setup, machine_load

# The demo accounts sign in with the password alone only in demo mode (ADR 0015).
os.environ.setdefault("SENDWISE_DEMO_MODE", "1")
django_setup("bench_profile")

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client, RequestFactory, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import path  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402

from sendwise.core.access import actor_for  # noqa: E402
from sendwise.core.models import User  # noqa: E402
from sendwise.delivery.models import Group  # noqa: E402
from sendwise.pupils.models import PupilAccess  # noqa: E402
from sendwise.urls import urlpatterns as site_patterns  # noqa: E402

SENCO = "senco@demo.sendwise.test"
ASSISTANT = "ta@demo.sendwise.test"


def ok(request):
    """The cheapest signed-in page: what is left is what the stack costs."""
    return HttpResponse("ok")


# This module is the URLconf of the middleware measurement: the trivial page, then the site's.
urlpatterns = [path("__profile/ok", ok, name="profile_ok"), *site_patterns]


def count_queries(fn) -> list[str]:
    """The statements ``fn`` sends (the log is emptied first: a full log counts nothing)."""
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        fn()
    return queries.captured_queries


def cpu_runs(fn, runs: int) -> list[float]:
    """CPU milliseconds of each of ``runs`` calls of ``fn`` (after one warm-up call)."""
    fn()
    times = []
    for _ in range(runs):
        start = time.process_time()
        fn()
        times.append((time.process_time() - start) * 1000)
    return times


def figures(times: list[float]) -> str:
    return f"min {min(times):6.2f} ms, median {statistics.median(times):6.2f} ms CPU"


def signed_in(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def top_functions(fn, runs: int, top: int) -> str:
    """The project's own functions by cumulative time (the middleware chain left out: each
    link's cumulative time is the whole request), then every function by its own time."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        fn()
    profiler.disable()
    parts = []
    for order, restriction in (
        ("cumulative", r"sendwise/(?!core/middleware)"),
        ("tottime", ""),
    ):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats(order)
        stats.print_stats(restriction, top) if restriction else stats.print_stats(top)
        # Keep the table, not pstats' preamble; shorten the paths.
        lines = out.getvalue().splitlines()
        start = next(i for i, line in enumerate(lines) if "ncalls" in line)
        parts.append(f"    by {order} ({runs} requests):")
        parts += [
            "      " + re.sub(r"/\S*/(site-packages|wt-[a-z]+)/", "", line)
            for line in lines[start:]
            if line.strip()
        ]
    return "\n".join(parts)


def pages_for(email: str) -> list[str]:
    user = User.objects.get(email=email)
    actor = actor_for(user)
    if actor.roles & {"senco", "head", "admin"}:
        pupil_id = (
            PupilAccess.objects.filter(school=actor.school, basis="group_deliverer")
            .values_list("pupil_id", flat=True)
            .first()
        )
    else:
        pupil_id = (
            PupilAccess.objects.filter(user=user, ends_at__isnull=True)
            .values_list("pupil_id", flat=True)
            .first()
        )
    # The intervention of one of the school's groups: a page with this school's results.
    slug = (
        Group.objects.filter(school=actor.school)
        .order_by("id")
        .values_list("intervention__slug", flat=True)
        .first()
    )
    return ["/", "/pupils/", f"/pupils/{pupil_id}/", "/delivery/", f"/interventions/{slug}/"]


def page_report(email: str, runs: int, top: int, profile: bool) -> None:
    client = signed_in(email)
    print(f"\n== {email}")
    for url in pages_for(email):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        queries = count_queries(lambda url=url: client.get(url))
        times = cpu_runs(lambda url=url: client.get(url), runs)
        print(f"  {url}: {len(queries)} queries, {figures(times)}")
        if profile:
            print(top_functions(lambda url=url: client.get(url), max(5, runs // 3), top))


def middleware_report(runs: int) -> None:
    """Each middleware's own cost: the trivial page through the stack cut after it, less the
    stack cut before it (each middleware needs only those above it)."""
    print("\n== Every request: middleware, one by one (a trivial signed-in page)")
    stack = list(settings.MIDDLEWARE)
    before = 0.0
    for i, name in enumerate(stack, start=1):
        with override_settings(MIDDLEWARE=stack[:i], ROOT_URLCONF=__name__):
            client = signed_in(SENCO)
            queries = count_queries(lambda client=client: client.get("/__profile/ok"))
            times = cpu_runs(lambda client=client: client.get("/__profile/ok"), runs)
        # The least CPU a run took: on a shared machine the minimum is the steadiest figure to
        # subtract (the medians move with the neighbours' load; both are printed).
        least = min(times)
        print(
            f"  + {name.rsplit('.', 1)[-1]:32} {least - before:+6.2f} ms "
            f"(stack min {least:6.2f}, median {statistics.median(times):6.2f} ms, "
            f"{len(queries)} queries)"
        )
        before = least


def per_page_report(runs: int) -> None:
    print("\n== Every page: the actor, the context processors, the base template")
    factory = RequestFactory()
    user = User.objects.get(email=SENCO)
    actor = actor_for(user)
    queries = count_queries(lambda: actor_for(user))
    times = cpu_runs(lambda: actor_for(user), runs)
    print(f"  actor_for (memberships):          {figures(times)}, {len(queries)} queries")
    request = factory.get("/pupils/")
    request.user, request.actor = user, actor
    request.session = {}
    for name in settings.TEMPLATES[0]["OPTIONS"]["context_processors"]:
        processor = import_string(name)
        queries = count_queries(lambda processor=processor: processor(request))
        times = cpu_runs(lambda processor=processor: processor(request), runs)
        print(f"  {name.rsplit('.', 1)[-1]:34}{figures(times)}, {len(queries)} queries")
    engine = engines["django"]
    empty = engine.from_string('{% extends "base.html" %}{% block content %}{% endblock %}')
    times = cpu_runs(lambda: empty.render({}, request), runs)
    print(f"  base template, empty page:        {figures(times)}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--no-profile", action="store_true")
    args = parser.parse_args()
    call_command("load_demo", "--if-empty", verbosity=0)
    settings.ALLOWED_HOSTS = ["*"]
    print(f"Database: {connection.vendor}; {machine_load()}")
    for email in (SENCO, ASSISTANT):
        page_report(email, args.runs, args.top, not args.no_profile)
    middleware_report(args.runs)
    per_page_report(args.runs)
    print(f"\n{machine_load()}")


if __name__ == "__main__":
    main()
