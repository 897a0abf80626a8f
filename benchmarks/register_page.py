"""Register page speed and query count on a 2,000-pupil school, next to the bare SQL.

Prints, for the SEND register as the SENCO sees it: the number of queries and the median time
of the whole page (Django test client, no network), and the min and median time of the bare
SQL: the page's own statements, captured from the page and replayed raw (all of them, with the
parameters the page sent, not a simpler query that fetches the same rows). Then the query count on schools of
other sizes, to show it does not grow with the number of pupils.

Usage: .venv/bin/python benchmarks/register_page.py [--runs 30] [--la]
(--la also builds the 100,000-pupil local authority and times the adviser's dashboard.)
"""

import argparse
import statistics
import time

from _setup import (
    capture_statements,
    django_setup,
    machine_load,
    min_median,
    reads,
    replay,
    timed_runs,
    writes,
)

django_setup("bench_register")

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from sendwise.core.access import SESSION_SCHOOL_KEY  # noqa: E402
from sendwise.core.models import School, Trust, User  # noqa: E402
from sendwise.demo import generate as demo  # noqa: E402
from sendwise.pupils.models import Pupil  # noqa: E402

# Users sign in with ``force_login``: the second sign-in step (required of SENCOs and advisers)
# is not what is timed, so it is off here as in the test settings (else every page is a redirect).
override_settings(SECOND_FACTOR_ENFORCED=False).enable()


def timed(fn, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def page_figures(client, url, runs):
    client.get(url)  # warm up
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    # Counted now: the captured queries are a slice of the connection's log, which the next
    # request (the timing below) clears.
    count = len(queries.captured_queries)
    assert response.status_code == 200, response.status_code
    return count, timed(lambda: client.get(url), runs)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--la", action="store_true")
    args = parser.parse_args()

    if not School.objects.filter(urn=demo.MAIN_URN).exists():
        start = time.perf_counter()
        demo.demo_load(seed=2026, main_pupils=2000)
        print(
            f"built the demo trust with a 2,000-pupil main school in {time.perf_counter() - start:.1f} s"
        )
    main_school = School.objects.get(urn=demo.MAIN_URN)
    senco = User.objects.get(email=f"senco@{demo.DEMO_DOMAIN}")
    client = Client()
    client.force_login(senco)
    on_roll = Pupil.unscoped.filter(school=main_school).count()
    sen = Pupil.unscoped.filter(school=main_school).exclude(sen_provision="N").count()
    print(f"\nSEND register, {main_school.name}: {on_roll} pupils on roll, {sen} with SEN")

    for label, url in [
        ("register (SEN pupils)", "/pupils/"),
        ("register, all pupils", "/pupils/?provision=all"),
        ("register, search 'smith'", "/pupils/?q=smith&provision=all"),
        ("register, last page", "/pupils/?provision=all&page=last"),
    ]:
        n, ms = page_figures(client, url, args.runs)
        print(f"  {label:<28} {n:>2} queries, median {ms:6.1f} ms")

    # Bare SQL: the page's own statements (every query the SEN register page sends, with its
    # parameters), captured from the page and replayed raw, so the comparison is like for like.
    url = "/pupils/"
    statements = capture_statements(connection, lambda: client.get(url))
    selects = reads(statements)
    # Every statement the page sent is either replayed (a read) or counted as a write.
    assert len(selects) + len(writes(statements)) == len(statements)
    page_times = timed_runs(lambda: client.get(url), args.runs)
    bare_times = timed_runs(lambda: replay(connection, selects), args.runs)
    print(f"  {'register page':<28} {len(statements):>2} queries, {min_median(page_times)}")
    print(
        f"  {'bare SQL, its reads replayed':<28} {len(selects):>2} queries, {min_median(bare_times)}"
        f"  ({len(statements) - len(selects)} writes not replayed)"
    )
    print(f"  ({machine_load()})")

    print("\nQuery count by school size (the SENCO works in two schools):")
    for school in School.objects.filter(memberships__user=senco).distinct():
        session = client.session
        session[SESSION_SCHOOL_KEY] = school.id
        session.save()
        n, ms = page_figures(client, "/pupils/?provision=all", 5)
        size = Pupil.unscoped.filter(school=school).count()
        print(f"  {school.name:<30} {size:>5} pupils: {n} queries, median {ms:6.1f} ms")

    if args.la:
        if not Trust.objects.filter(name="Benchmark Local Authority").exists():
            start = time.perf_counter()
            la = demo.local_authority_build(seed=2026, pupils=100_000, support=False)
            print(
                f"\nbuilt {la.name}: {la.schools.count()} schools in {time.perf_counter() - start:.1f} s"
            )
        la = Trust.objects.get(name="Benchmark Local Authority")
        from sendwise.core.models import Membership

        adviser, _ = User.objects.get_or_create(
            email="bench-adviser@example.test", defaults={"full_name": "Bench"}
        )
        Membership.objects.get_or_create(user=adviser, trust=la, role="la_adviser")
        adviser_client = Client()
        adviser_client.force_login(adviser)
        n, ms = page_figures(adviser_client, "/", 5)
        total = Pupil.unscoped.filter(school__trust=la).count()
        print(
            f"adviser dashboard over {total} pupils in {la.schools.count()} schools: {n} queries, median {ms:.1f} ms"
        )


if __name__ == "__main__":
    main()
