"""Instructions a request of the SENCO's pupils who need a decision, the school's impact page,
and the two trivial signed-in pages, counted by valgrind's callgrind: a figure that does not move with the load of
a shared machine (CPU time does, by 20-50% on a busy one), so a change's effect can be compared
across sittings.

It uses the database and the requests of ``benchmarks/dashboard.py`` (build it first by running
that script once): the same signed-in SENCO, the same WSGI handler. Run as below; it starts
itself again under callgrind (with instrumentation off until the requests begin: Django's
start-up is not counted), warms each page, then counts ``--requests`` requests of each and
prints the instructions per request. It needs ``valgrind`` and takes a few minutes.

Usage: .venv/bin/python benchmarks/callgrind_pages.py [--requests 10]
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

PAGES = [
    ("an empty response (middleware and sign-in only)", "/bench/empty/"),
    ("a trivial page in the base template", "/bench/bare/"),
    ("pupils who need a decision, every pupil (first 50)", "/monitoring/decisions/"),
    ("pupils who need a decision, a class with none", "/monitoring/decisions/?class_group={quiet}"),
    ("the school's impact page, every year", "/impact/"),
]
UNDER_VALGRIND = "SENDWISE_UNDER_CALLGRIND"


def count(requests: int) -> None:
    """Inside callgrind: warm each page, then dump the counts of ``requests`` requests each."""
    import dashboard
    from django.db import connections
    from django.test import override_settings

    for alias in connections:
        connections[alias].settings_dict["CONN_MAX_AGE"] = None
    from sendwise.monitoring.models import Flag
    from sendwise.pupils.models import ClassGroup

    senco = dashboard.User.objects.get(email=f"senco@{dashboard.demo.DEMO_DOMAIN}")
    browser = dashboard.signed_in(senco)
    school = dashboard.School.objects.get(urn=dashboard.demo.MAIN_URN)
    flagged = Flag.objects.filter(school=school, needs_decision=True)
    quiet = (
        ClassGroup.objects.filter(school=school)
        .exclude(pk__in=flagged.values("pupil__class_group"))
        .order_by("pk")
        .first()
    )
    pages = [(label, url.format(quiet=quiet.pk)) for label, url in PAGES]
    pid = str(os.getpid())

    def control(*args):
        subprocess.run(  # noqa: S603 - our own fixed command line
            ["callgrind_control", *args, pid],  # noqa: S607
            check=True,
            capture_output=True,
        )

    with override_settings(ROOT_URLCONF=dashboard.BENCH_URLCONF):
        for _, url in pages:
            for _ in range(3):
                dashboard.check(browser, url)
        control("-i", "on")
        for _, url in pages:  # once more each, so callgrind has translated the code
            for _ in range(2):
                browser.get(url)
        for n, (_, url) in enumerate(pages):
            control("-z")
            for _ in range(requests):
                browser.get(url)
            control(f"--dump=page{n}")
        control("-i", "off")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=10)
    args = parser.parse_args()
    if os.environ.get(UNDER_VALGRIND):
        count(args.requests)
        return
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        run = subprocess.run(  # noqa: S603 - our own fixed command line
            ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}",  # noqa: S607
             sys.executable, __file__, "--requests", str(args.requests)],
            env={**os.environ, UNDER_VALGRIND: "1"}, capture_output=True, text=True,
        )  # fmt: skip
        if run.returncode:
            sys.exit(f"callgrind run failed:\n{run.stderr[-3000:]}")
        totals = {}
        for dump in Path(folder).glob("callgrind.out.*"):
            text = dump.read_text(errors="replace")
            trigger = re.search(r"^desc: Trigger: .*dump page(\d+)", text, re.M)
            summary = re.search(r"^(?:summary|totals): (\d+)", text, re.M)
            if trigger and summary:
                totals[int(trigger.group(1))] = int(summary.group(1))
    print(f"Instructions a request (callgrind, {args.requests} requests each, after warming):")
    for n, (label, _url) in enumerate(PAGES):
        if n in totals:
            print(f"  {label:<52} {totals[n] / args.requests / 1e6:7.2f} million")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
