"""Time and queries to preview and apply a 2,000-pupil import, from a MIS CSV and from a CTF.

Goal (issue 5): under 10 s each, with a query count that does not grow per row (bulk writes).
Each file is imported into a fresh, empty school, then imported again (all unchanged), and a
second run with 500 pupils shows whether queries grow with the number of rows.

Usage: .venv/bin/python benchmarks/import_pupils.py [--pupils 2000]
"""

import argparse
import time

from _setup import django_setup

django_setup("bench_import")

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from sendwise.core.access import actor_for  # noqa: E402
from sendwise.core.models import Membership, School, User  # noqa: E402
from sendwise.exchange import services  # noqa: E402
from sendwise.exchange.samples import make_csv, make_ctf  # noqa: E402


def fresh_school(tag: str):
    School.objects.filter(urn=tag).delete()
    school = School.objects.create(
        urn=tag, name=f"Import bench {tag}", phase="primary", la_code="873", la_name="Bench"
    )
    user, _ = User.objects.get_or_create(
        email=f"bench-{tag}@example.test", defaults={"full_name": "Bench"}
    )
    Membership.objects.get_or_create(user=user, school=school, role="senco")
    return actor_for(user, school.id)


def measure(label, fn):
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - start
    print(f"  {label:<34} {seconds:6.2f} s  {len(queries):>4} queries")
    return result


def run(kind: str, n: int, tag: str):
    data = make_csv(n, seed=1) if kind == "csv" else make_ctf(n, seed=1)
    actor = fresh_school(tag)
    print(f"{kind.upper()}, {n} pupils ({len(data) / 1_000_000:.2f} MB):")
    batch = measure(
        "upload (parse and keep)",
        lambda: services.import_upload(actor=actor, filename=f"b.{kind}", data=data),
    )
    preview = measure("preview (parse, compare)", lambda: services.import_preview(batch=batch))
    print(f"  {'':<34} new {len(preview.plan.new)}, rejected {len(preview.parsed.rejected_rows)}")
    measure("apply (one transaction)", lambda: services.import_apply(actor=actor, batch=batch))
    again = services.import_upload(actor=actor, filename=f"again.{kind}", data=data)
    counts = measure(
        "re-import the same file", lambda: services.import_apply(actor=actor, batch=again)
    )
    print(f"  {'':<34} {counts}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pupils", type=int, default=2000)
    args = parser.parse_args()
    for kind in ("csv", "ctf"):
        run(kind, args.pupils, "990001" if kind == "csv" else "990002")
        run(kind, 500, "990003" if kind == "csv" else "990004")


if __name__ == "__main__":
    main()
