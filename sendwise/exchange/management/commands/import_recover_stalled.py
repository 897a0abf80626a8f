"""Put imports that stopped part-way back to preview, so they can be confirmed again.

For an administrator, or a scheduled job (cron, or a nightly task) every few minutes. Safe to run
at any time: an import whose worker is alive is left alone (exchange.recovery). Prints what it did.
"""

from django.core.management.base import BaseCommand, CommandError

from sendwise.core.models import School
from sendwise.core.tasks.selectors import dead_after
from sendwise.exchange.recovery import import_recover_stalled, stalled_after


class Command(BaseCommand):
    help = (
        "Imports shown as 'being applied' whose worker died (no heartbeat for "
        "TASK_DEAD_AFTER_SECONDS), or that no worker started within IMPORT_STALLED_AFTER_SECONDS, "
        "go back to 'waiting for confirmation' (nothing was written by them)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--school", metavar="URN", help="only this school (its URN)")
        parser.add_argument(
            "--dry-run", action="store_true", help="say what would be done, change nothing"
        )

    def handle(self, *args, school, dry_run, **options):
        where = None
        if school:
            where = School.objects.filter(urn=school).first()
            if where is None:
                raise CommandError(f"No school has the URN {school}")
        results = import_recover_stalled(school=where, dry_run=dry_run)
        if not results:
            self.stdout.write("No import is being applied: nothing to do.")
            return
        for result in results:
            batch = result.batch
            name = f"Import {batch.pk} ({batch.filename}, {batch.school.name})"
            if result.retried:
                self.stdout.write(f"{name}: stalled, put back to waiting for confirmation.")
            else:
                self.stdout.write(f"{name}: left alone: {result.reason}.")
        retried = sum(r.retried for r in results)
        minutes = stalled_after().total_seconds() / 60
        self.stdout.write(
            f"Put back to preview: {retried} of {len(results)} import(s) being applied "
            f"(stalled means no heartbeat from its worker for {dead_after().total_seconds():g} "
            f"seconds, or no worker started it within {minutes:g} minutes)."
            + (" Dry run: nothing was changed." if dry_run else "")
        )
