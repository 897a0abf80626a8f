"""Judge every school's (or one school's) progress flags again: the nightly progress check.

By default it queues one ``progress_check`` task per school for the workers (``db_worker``);
``--now`` runs the checks in this process instead. Safe to run at any time: only flags whose
state changed are written. Schedule it nightly (README: "The nightly progress check").
"""

from django.core.management.base import BaseCommand, CommandError

from sendwise.core.models import School
from sendwise.monitoring.flag_services import flags_evaluate_school
from sendwise.monitoring.tasks import progress_check_enqueue


class Command(BaseCommand):
    help = "Re-judge the decision-rule flags of every school (or one) nightly: queued, or --now."

    def add_arguments(self, parser):
        parser.add_argument("--school", metavar="URN", help="only this school (its URN)")
        parser.add_argument(
            "--now", action="store_true", help="run the checks here instead of queueing them"
        )

    def handle(self, *args, school, now, **options):
        schools = School.objects.order_by("urn")
        if school:
            schools = schools.filter(urn=school)
            if not schools.exists():
                raise CommandError(f"No school has the URN {school}")
        schools = list(schools)
        if not now:
            progress_check_enqueue(schools=schools)
            self.stdout.write(f"Queued the progress check for {len(schools)} school(s).")
            return
        for each in schools:
            changes = flags_evaluate_school(school_id=each.pk)
            self.stdout.write(
                f"{each.name}: {changes.created} flag(s) raised for the first time, "
                f"{changes.updated} changed, {changes.unchanged} unchanged."
            )
