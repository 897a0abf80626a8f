"""Register page speed and query count on a 2,000-pupil school, next to the bare SQL.

Prints, for the SEND register as the SENCO sees it: the number of queries and the median time
of the whole page (Django test client, no network), and the median time of the two bare SQL
statements that fetch the same rows (count and first page). Then the query count on schools of
other sizes, to show it does not grow with the number of pupils.

Usage: .venv/bin/python benchmarks/register_page.py [--runs 30] [--la]
(--la also builds the 100,000-pupil local authority and times the adviser's dashboard.)
"""

import argparse
import statistics
import time

from _setup import django_setup

django_setup("bench_register")

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from sendwise.core.access import SESSION_SCHOOL_KEY  # noqa: E402
from sendwise.core.models import School, Trust, User  # noqa: E402
from sendwise.demo import generate as demo  # noqa: E402
from sendwise.pupils.models import Pupil  # noqa: E402


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
    assert response.status_code == 200, response.status_code
    return len(queries), timed(lambda: client.get(url), runs)


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

    with connection.cursor() as cursor:

        def bare():
            cursor.execute(
                "SELECT COUNT(*) FROM pupils_pupil WHERE school_id = %s AND archived_at IS NULL "
                "AND sen_provision IN ('K', 'E')",
                [main_school.id],
            )
            cursor.fetchone()
            cursor.execute(
                "SELECT p.id, p.first_name, p.last_name, p.upn, p.nc_year, p.sen_provision, "
                "p.primary_need, p.secondary_need, c.name FROM pupils_pupil p "
                "LEFT JOIN pupils_classgroup c ON c.id = p.class_group_id "
                "WHERE p.school_id = %s AND p.archived_at IS NULL AND p.sen_provision IN ('K', 'E') "
                "ORDER BY p.last_name, p.first_name, p.id LIMIT 25",
                [main_school.id],
            )
            cursor.fetchall()

        print(f"  {'bare SQL, same rows':<28}  2 queries, median {timed(bare, args.runs):6.1f} ms")

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
            la = demo.local_authority_build(seed=2026, pupils=100_000)
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
