"""Work out every placement's result and every aggregate cell again from the raw rows.

Run it after loading data written around the services (the demo, a bulk import), and nightly
beside ``progress_check``: a dose "to date" grows with the calendar even on a day nobody saves
anything (README, "The nightly progress check and impact rebuild"). ``--queue`` puts one task
per school on the queue for the workers (``db_worker``), as the nightly cron line does; without
it the schools are rebuilt here, one after another. Idempotent.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from sendwise.core.models import School
from sendwise.impact.result_services import impact_rebuild
from sendwise.impact.tasks import impact_rebuild_enqueue


class Command(BaseCommand):
    help = "Rebuild the impact results and aggregates of every school (or one, by URN)."

    def add_arguments(self, parser):
        parser.add_argument("--school", metavar="URN", help="only this school (its URN)")
        parser.add_argument(
            "--queue", action="store_true", help="queue one task per school for the workers"
        )

    def handle(self, *args, school=None, queue=False, **options):
        schools = School.objects.order_by("pk")
        if school:
            schools = schools.filter(urn=school)
            if not schools.exists():
                raise CommandError(f"No school has the URN {school}")
        if queue:
            queued = impact_rebuild_enqueue(schools=list(schools))
            self.stdout.write(f"Queued the impact rebuild for {len(queued)} school(s).")
            return
        for found in schools:
            started = time.perf_counter()
            done = impact_rebuild(school_id=found.pk)
            self.stdout.write(
                f"{found.name}: {done.results} results, {done.cells} aggregate cells, "
                f"{done.removed} removed, in {time.perf_counter() - started:.2f} s."
            )
