"""Recompute who may see which pupil from the relationships and compare with `PupilAccess`.

Reports, per basis, the rows the relationships call for, the open rows found, and any missing
or extra rows; exits with status 1 when there is drift (so a scheduled job or CI can alert).
`--fix` opens the missing rows and ends the extra ones. It lives in `delivery`, the highest app
whose relationships grant access, so no lower app imports a higher one.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from sendwise.core.models import School
from sendwise.delivery.access import expected_pupil_access
from sendwise.pupils.access_check import CHECKED, access_drift, access_drift_fix
from sendwise.pupils.models import PupilAccess

#: How many missing or extra rows are listed (the counts are always whole).
SHOWN = 20


class Command(BaseCommand):
    help = (
        "Check the pupil access rows against class staff, groups, named deliverers and parents; "
        "exit 1 on drift. --fix repairs it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--school", metavar="URN", help="only this school (its URN)")
        parser.add_argument(
            "--fix", action="store_true", help="open missing rows and end extra ones"
        )

    def handle(self, *args, school, fix, **options):
        school_id = None
        if school:
            found = School.objects.filter(urn=school).first()
            if found is None:
                raise CommandError(f"No school has the URN {school}")
            school_id = found.pk
        started = time.perf_counter()
        drift = access_drift(
            expected=expected_pupil_access(school_id=school_id), school_id=school_id
        )
        self._report(drift)
        self.stdout.write(f"Checked in {time.perf_counter() - started:.2f} s.")
        if drift.ok:
            self.stdout.write("No drift: every open row matches a relationship.")
            return
        if not fix:
            raise CommandError(
                f"Drift: {len(drift.missing)} missing, {len(drift.extra)} extra. "
                "Run with --fix to repair.",
                returncode=1,
            )
        access_drift_fix(drift=drift)
        again = access_drift(
            expected=expected_pupil_access(school_id=school_id), school_id=school_id
        )
        if not again.ok:
            raise CommandError("Drift remains after --fix.", returncode=1)
        self.stdout.write(
            f"Fixed: opened {len(drift.missing)} row(s), ended {len(drift.extra)}. No drift now."
        )

    def _report(self, drift) -> None:
        labels = dict(PupilAccess.Basis.choices)
        self.stdout.write(f"{'basis':<18}{'expected':>10}{'open':>10}{'missing':>10}{'extra':>10}")
        for basis in CHECKED:
            missing = sum(g.basis == basis for g in drift.missing)
            extra = sum(g.basis == basis for g in drift.extra)
            self.stdout.write(
                f"{basis:<18}{drift.expected[basis]:>10}{drift.found[basis]:>10}"
                f"{missing:>10}{extra:>10}  ({labels[basis]})"
            )
        self.stdout.write(
            f"{PupilAccess.Basis.PROFESSIONAL:<18}{'-':>10}{drift.professional:>10}"
            f"{'-':>10}{'-':>10}  (recorded consent: not computed, not checked)"
        )
        for title, grants in (("Missing", sorted(drift.missing)), ("Extra", sorted(drift.extra))):
            for g in grants[:SHOWN]:
                self.stdout.write(
                    f"{title}: user {g.user_id} may see pupil {g.pupil_id} "
                    f"(school {g.school_id}, {g.basis} from row {g.source_id})"
                )
            if len(grants) > SHOWN:
                self.stdout.write(f"{title}: ... and {len(grants) - SHOWN} more")
