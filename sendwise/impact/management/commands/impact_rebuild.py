"""Work out every placement's result and every aggregate cell again from the raw rows.

Run it after loading data written around the services (the demo, a bulk import), and nightly:
a dose "to date" grows with the calendar even on a day nobody saves anything. Idempotent.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from sendwise.core.models import School
from sendwise.impact.result_services import impact_rebuild


class Command(BaseCommand):
    help = "Rebuild the impact results and aggregates of every school (or one, by URN)."

    def add_arguments(self, parser):
        parser.add_argument("--school", metavar="URN", help="only this school (its URN)")

    def handle(self, *args, school=None, **options):
        schools = School.objects.order_by("pk")
        if school:
            schools = schools.filter(urn=school)
            if not schools.exists():
                raise CommandError(f"No school has the URN {school}")
        for found in schools:
            started = time.perf_counter()
            done = impact_rebuild(school_id=found.pk)
            self.stdout.write(
                f"{found.name}: {done.results} results, {done.cells} aggregate cells, "
                f"{done.removed} removed, in {time.perf_counter() - started:.2f} s."
            )
