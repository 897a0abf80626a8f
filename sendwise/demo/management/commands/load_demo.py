"""Load the demo trust (and, for benchmarks, larger generated data). Idempotent."""

import time

from django.core.management.base import BaseCommand

from sendwise.core.models import School, Trust
from sendwise.demo import generate as demo
from sendwise.evidence.services import catalogue_seed, catalogue_seed_if_empty
from sendwise.impact import signals as impact_upkeep
from sendwise.impact.result_services import impact_rebuild


class Command(BaseCommand):
    help = "Build the demo trust and its sign-ins; --pupils and --la-pupils make benchmark data."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--pupils", type=int, help="pupils in the main school (default 600)")
        parser.add_argument("--la-pupils", type=int, help="also build a local authority this big")
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing if any school exists"
        )

    def handle(self, *args, seed, pupils, la_pupils, if_empty, **options):
        if if_empty and School.objects.exists():
            if catalogue_seed_if_empty() is not None:
                self.stdout.write("Loaded the evidence catalogue.")
            self.stdout.write("Database already has schools: demo not loaded again.")
            return
        started = time.perf_counter()
        # The shared evidence catalogue comes first: later parts of the demo may refer to it.
        self.stdout.write(f"Evidence catalogue: {catalogue_seed()}")
        if School.objects.filter(urn=demo.MAIN_URN).exists():
            self.stdout.write("The demo trust is already loaded.")
        else:
            with impact_upkeep.paused():  # worked out once, at the end
                trust = demo.demo_load(seed=seed, main_pupils=pupils)
            self.stdout.write(f"Loaded {trust.name} ({trust.schools.count()} schools).")
        if la_pupils and not Trust.objects.filter(name="Benchmark Local Authority").exists():
            with impact_upkeep.paused():
                la = demo.local_authority_build(seed=seed, pupils=la_pupils)
            self.stdout.write(f"Built {la.name} with {la.schools.count()} schools.")
        # The demo writes scores and sessions in bulk: work every impact result out at the end.
        results = sum(
            impact_rebuild(school_id=pk).results
            for pk in School.objects.values_list("pk", flat=True)
        )
        self.stdout.write(f"Impact results worked out: {results}.")
        self.stdout.write(f"Done in {time.perf_counter() - started:.1f} s.")
