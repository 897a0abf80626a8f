"""Print the demo sign-ins (used by `make run`)."""

from django.core.management.base import BaseCommand

from sendwise.demo.generate import DEMO_DOMAIN, DEMO_PASSWORD, DEMO_SIGNINS


class Command(BaseCommand):
    help = "Print the demo sign-ins and their password."

    def handle(self, *args, **options):
        self.stdout.write(f"\nSENDwise demo sign-ins (password for all: {DEMO_PASSWORD}):")
        for key, role in DEMO_SIGNINS.items():
            self.stdout.write(f"  {key}@{DEMO_DOMAIN:<22} {role.label}")
        self.stdout.write("Open http://127.0.0.1:<PORT>/ (PORT defaults to 8000).\n")
