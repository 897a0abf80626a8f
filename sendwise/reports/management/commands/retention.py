"""`manage.py retention [--school URN] [--apply]`: archived pupils' records past retention.

Without `--apply` (the default) it only reports which records would be removed and why. With
`--apply` it removes them, each school in one transaction: all of that school's due records, or
none (sendwise/reports/retention.py says what is removed and what the audit log keeps).
"""

import argparse
import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from sendwise.core.models import School
from sendwise.reports.retention_selectors import retention_report
from sendwise.reports.retention_services import retention_apply


class Command(BaseCommand):
    help = "Report (default) or remove (--apply) archived pupils' records past retention."

    def add_arguments(self, parser):
        parser.add_argument("--school", help="the school's URN (default: every school)")
        parser.add_argument("--apply", action="store_true", help="remove them (default: report)")
        parser.add_argument("--dry-run", action="store_true", help="report only (the default)")
        # For tests and for checking a date ahead: the day the rule is applied on.
        parser.add_argument("--today", type=dt.date.fromisoformat, help=argparse.SUPPRESS)

    def handle(self, *args, school=None, apply=False, dry_run=False, today=None, **options):
        if apply and dry_run:
            raise CommandError("Choose --apply or --dry-run, not both.")
        today = today or timezone.localdate()
        schools = School.objects.all()
        if school:
            schools = schools.filter(urn=school)
            if not schools.exists():
                raise CommandError(f"No school has the URN {school}.")
        total = 0
        for each in schools:
            if apply:
                try:
                    report = retention_apply(school=each, today=today)
                except ValidationError as error:
                    raise CommandError(f"{each.name}: {' '.join(error.messages)}") from error
            else:
                report = retention_report(school=each, today=today)
            total += len(report.due)
            verb = "Removed" if apply else "Would remove"
            self.stdout.write(
                f"{each.name} (URN {each.urn}): keeps archived SEN records until "
                f"date of birth + {report.years} years; {len(report.due)} due, "
                f"{report.archived_kept} archived and kept."
            )
            for due in report.due:
                self.stdout.write(
                    f"  {verb} pupil no. {due.pupil_id}: born {due.date_of_birth:%-d %b %Y}, "
                    f"archived {timezone.localtime(due.archived_at):%-d %b %Y}, retention ended "
                    f"{due.remove_from:%-d %b %Y}; {due.records} records"
                )
        if not apply:
            self.stdout.write(
                f"Dry run: nothing removed ({total} due). Run with --apply to remove."
            )
        else:
            self.stdout.write(f"Removed {total} archived pupils' records.")
