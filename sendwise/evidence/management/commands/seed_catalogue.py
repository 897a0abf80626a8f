"""Load the shared evidence catalogue and measures from sendwise/evidence/seed/. Idempotent."""

from django.core.management.base import BaseCommand, CommandError

from sendwise.evidence.seeding import SeedError
from sendwise.evidence.services import catalogue_seed


class Command(BaseCommand):
    help = "Add or update the shared catalogue from the seed YAML files (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--directory", help="read the seed files from here instead")

    def handle(self, *args, directory=None, **options):
        try:
            summary = catalogue_seed(directory=directory)
        except SeedError as error:
            raise CommandError("\n".join(["Nothing was loaded."] + error.problems)) from error
        self.stdout.write(str(summary))
