"""Load: 50 signed-in staff using the main pages as people do, against the production server.

What it does, in one run:

1. Prepares its own database (``var/bench_load.sqlite3``, or ``BENCH_DATABASE_URL`` for
   PostgreSQL): migrated, the demo trust loaded once, and 50 staff accounts added to the demo's
   main school (``load-NN@demo.sendwise.test``: the demo domain, which signs in with the password alone while SENDWISE_DEMO_MODE is on): 10 SENCOs, 5 heads, 5 admins, 15 class teachers
   and 15 teaching assistants; each teacher and assistant is added to one of the school's classes
   through ``class_staff_add``, so they reach pupils the way real class staff do (``PupilAccess``
   rows, ADR 0006), and walk their class's pages.
2. Starts gunicorn with ``deploy/gunicorn.conf.py`` (the server ``make run`` and deploy/ use) on a
   free loopback port, with the demo setting on (the demo's sign-ins need no second factor).
3. Signs each of the 50 in (its own cookie jar: 50 sessions), then for ``--duration`` seconds each
   walks its role's pages in a loop with a pause of 1.5-2.5 s between requests ("as people do"),
   and prints requests per second, p50/p95/p99 and errors.
4. Raises the rate by shortening the pause step by step (1 s, 0.5 s, 0.25 s, 0.1 s, 0) for
   ``--step`` seconds each, prints the same figures per step, and stops once p95 passes 150 ms:
   the capacity printed is the highest rate whose p95 stayed under 150 ms.

The clients are threads in this process, on the same 2-core machine as the server: a client's
time is part of the figures (it reads every byte of every page), which makes them pessimistic.
Latency is measured from the request's first byte sent to the response's last byte read.

Usage::

    .venv/bin/python benchmarks/load.py [--users 50] [--duration 60] [--step 20]
    BENCH_DATABASE_URL=postgres://USER@HOST:5432/sendwise_bench .venv/bin/python benchmarks/load.py

(the PostgreSQL database must exist; its user needs a password in ~/.pgpass or in the URL)
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from _setup import ROOT, django_setup

BENCH_DB = "bench_load"
PASSWORD = "load-bench-password-1"  # noqa: S105  # pragma: allowlist secret
P95_GOAL_MS = 150.0
THINK = (1.5, 2.5)
RATE_STEPS = (1.0, 0.5, 0.25, 0.1, 0.0)
ROLES = (
    ("senco", 10),
    ("head", 5),
    ("admin", 5),
    ("teacher", 15),
    ("intervention_specialist", 15),
)


@dataclass
class Staff:
    email: str
    role: str
    pages: list[str]


@dataclass
class Tally:
    """Every request's latency (ms) and every error, across threads (appends are atomic)."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    by_page: dict[str, list[float]] = field(default_factory=dict)

    def add(self, path: str, ms: float) -> None:
        self.latencies.append(ms)
        self.by_page.setdefault(re.sub(r"/\d+/", "/<id>/", path), []).append(ms)

    def slowest(self, count: int = 5) -> None:
        """The pages with the highest p95, to say where the time goes."""
        rows = []
        for page, times in self.by_page.items():
            if len(times) >= 5:
                p95 = statistics.quantiles(times, n=20, method="inclusive")[18]
                rows.append((p95, statistics.median(times), len(times), page))
        for p95, median, n, page in sorted(rows, reverse=True)[:count]:
            print(f"    {page}: p95 {p95:.0f} ms, median {median:.0f} ms, n {n}")

    def report(self, label: str, seconds: float) -> tuple[float, float]:
        n = len(self.latencies)
        rate = n / seconds if seconds else 0.0
        if not n:
            print(f"{label}: no requests, {len(self.errors)} errors")
            return rate, float("inf")
        cuts = statistics.quantiles(self.latencies, n=100, method="inclusive")
        p50, p95, p99 = cuts[49], cuts[94], cuts[98]
        print(
            f"{label}: {n} requests in {seconds:.0f} s = {rate:.1f} req/s; "
            f"p50 {p50:.0f} ms, p95 {p95:.0f} ms, p99 {p99:.0f} ms, max {max(self.latencies):.0f} ms; "
            f"errors {len(self.errors)}"
        )
        for error in sorted(set(self.errors))[:5]:
            print(f"    error: {error}")
        return rate, p95


def prepare(users: int) -> list[Staff]:
    """The database with the demo and the load-test staff; each staff member's page list."""
    django_setup(BENCH_DB)
    from django.core.management import call_command

    from sendwise.core.access import actor_for
    from sendwise.core.models import Membership, School, User
    from sendwise.core.roles import Role
    from sendwise.evidence.models import Intervention
    from sendwise.pupils.access_services import class_staff_add
    from sendwise.pupils.models import ClassGroup, ClassStaff, Pupil

    call_command("load_demo", "--if-empty", verbosity=0)
    school = School.objects.order_by("id").first()
    senco = Membership.objects.filter(school=school, role=Role.SENCO).order_by("id").first().user
    classes = list(ClassGroup.objects.filter(school=school).order_by("id"))
    pupils_by_class: dict[int, list[int]] = {}
    for pupil_id, class_id in (
        Pupil.unscoped.filter(school=school, archived_at__isnull=True)
        .order_by("id")
        .values_list("id", "class_group_id")
    ):
        pupils_by_class.setdefault(class_id, []).append(pupil_id)
    everyone = [pid for ids in pupils_by_class.values() for pid in ids]
    slugs = list(Intervention.objects.order_by("id").values_list("slug", flat=True)[:40])

    staff: list[Staff] = []
    wanted = [role for role, count in ROLES for _ in range(count)][:users]
    for i, role in enumerate(wanted):
        email = f"load-{i:02d}@demo.sendwise.test"
        user, created = User.objects.get_or_create(
            email=email, defaults={"full_name": f"Load Tester {i:02d}"}
        )
        if created:
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(user=user, school=school, defaults={"role": role})
        rng = random.Random(i)
        if role in (Role.TEACHER, Role.INTERVENTION_SPECIALIST):
            class_group = classes[i % len(classes)]
            if not ClassStaff.objects.filter(class_group=class_group, user=user).exists():
                kind = (
                    ClassStaff.Kind.TEACHER if role == Role.TEACHER else ClassStaff.Kind.ASSISTANT
                )
                class_staff_add(
                    actor=actor_for(senco, school), class_group=class_group, user=user, kind=kind
                )
            mine = pupils_by_class.get(class_group.pk, [])
            pages = ["/", "/pupils/", f"/delivery/classes/{class_group.pk}/this-week/"]
            pages += [f"/pupils/{pid}/" for pid in rng.sample(mine, min(4, len(mine)))]
            if role == Role.INTERVENTION_SPECIALIST:
                pages += ["/delivery/", "/delivery/sessions/"]
        else:
            # The pages each role may open (tests/core/test_authorization.py): an administrator
            # has no reviews, decisions or withdrawals pages.
            pages = ["/", "/pupils/", "/interventions/", "/delivery/"]
            pages += [f"/pupils/{pid}/" for pid in rng.sample(everyone, 6)]
            pages += [f"/interventions/{slug}/" for slug in rng.sample(slugs, 2)]
            if role in (Role.SENCO, Role.HEAD):
                pages += ["/reviews/", "/monitoring/decisions/", "/delivery/withdrawals/"]
        staff.append(Staff(email=email, role=role, pages=pages))
    return staff


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "SENDWISE_DEMO_MODE": "1",
        "ACCESS_LOG": "",
        "GUNICORN_LOG_LEVEL": "warning",
    }
    server = subprocess.Popen(  # noqa: S603  # a fixed command: this venv's gunicorn
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "deploy/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    # Each worker imports every view and compiles every template before it serves
    # (deploy/gunicorn.conf.py, post_worker_init): a few seconds on a quiet machine, a minute
    # or more on a busy one.
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read()
            return server
        except OSError:  # refused, reset or timed out while the workers start
            time.sleep(0.3)
    stop_server(server)
    raise SystemExit("gunicorn did not answer /healthz within 180 s")


def stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)


class Client:
    """One person's browser: a cookie jar, the CSRF token, and a way to time a page."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def sign_in(self, email: str) -> None:
        page = self.opener.open(self.base + "/accounts/login/", timeout=30).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        data = urllib.parse.urlencode(
            {"username": email, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)}
        ).encode()
        request = urllib.request.Request(  # noqa: S310  # http://127.0.0.1 only
            self.base + "/accounts/login/", data=data, headers={"Referer": self.base + "/"}
        )
        response = self.opener.open(request, timeout=30)
        if "/accounts/login/" in response.geturl():
            raise SystemExit(f"{email} could not sign in (the sign-in page came back)")

    def get(self, path: str, tally: Tally) -> None:
        start = time.perf_counter()
        try:
            response = self.opener.open(self.base + path, timeout=30)
            response.read()
            status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError as error:  # refused, reset, timed out (URLError is one too)
            tally.errors.append(f"{path}: {error}")
            return
        elapsed = (time.perf_counter() - start) * 1000
        if status >= 400 or "/accounts/login/" in path:
            tally.errors.append(f"{path}: HTTP {status}")
        tally.add(path, elapsed)


def run_phase(clients, staff, *, seconds: float, think: tuple[float, float]) -> Tally:
    """Every client walks its pages until ``seconds`` have passed, pausing ``think`` between."""
    tally = Tally()
    stop_at = time.monotonic() + seconds

    def person(client: Client, who: Staff, seed: int) -> None:
        rng = random.Random(seed)
        time.sleep(rng.uniform(0, max(think[1], 0.2)))  # people do not all click at once
        while time.monotonic() < stop_at:
            client.get(rng.choice(who.pages), tally)
            if think[1]:
                time.sleep(rng.uniform(*think))

    threads = [
        threading.Thread(target=person, args=(c, s, i), daemon=True)
        for i, (c, s) in enumerate(zip(clients, staff, strict=True))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds at people's pace")
    parser.add_argument("--step", type=float, default=20.0, help="seconds per faster step")
    args = parser.parse_args()

    staff = prepare(args.users)
    from django.db import connection

    backend = connection.vendor
    connection.close()
    port = free_port()
    server = start_server(port)
    base = f"http://127.0.0.1:{port}"
    workers = os.environ.get("WEB_CONCURRENCY", f"2 × {os.cpu_count()} cores + 1")
    print(f"SENDwise load on {backend}, gunicorn workers: {workers}, {len(staff)} staff signed in")
    try:
        clients = [Client(base) for _ in staff]
        for client, who in zip(clients, staff, strict=True):
            client.sign_in(who.email)
        run_phase(clients, staff, seconds=5, think=(0.5, 1.0))  # warm every worker's caches
        tally = run_phase(clients, staff, seconds=args.duration, think=THINK)
        rate, p95 = tally.report(f"people's pace (pause {THINK[0]}-{THINK[1]} s)", args.duration)
        print("  slowest pages:")
        tally.slowest()
        verdict = "meets" if p95 < P95_GOAL_MS and not tally.errors else "misses"
        print(f"  -> {verdict} the goal: p95 under {P95_GOAL_MS:.0f} ms with no errors")
        capacity = rate if p95 < P95_GOAL_MS else 0.0
        for pause in RATE_STEPS:
            tally = run_phase(clients, staff, seconds=args.step, think=(pause * 0.5, pause * 1.5))
            rate, p95 = tally.report(f"pause about {pause} s", args.step)
            if p95 >= P95_GOAL_MS:
                break
            capacity = max(capacity, rate)
        print(
            f"capacity on this machine ({os.cpu_count()} cores): about {capacity:.0f} requests "
            f"a second with p95 under {P95_GOAL_MS:.0f} ms"
        )
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()
