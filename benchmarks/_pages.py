"""Signed-in page requests as production serves them, and a page against every statement it
sent: shared by ``dashboard.py``, ``impact.py`` and ``callgrind_pages.py``. Import it after
``_setup.django_setup``.

Pages are requested the way gunicorn requests them: a WSGI environ (the path, the query and the
session cookie) handed to Django's ``WSGIHandler``, the body read and closed, with the
request_started and request_finished signals sent. The person is signed in with a second
factor, as a SENCO is in production (django-otp reads the device on every request). Two
trivial pages behind the same middleware and sign-in, an empty response and a heading in the
base template, show what every signed-in page costs before its own work: the floor any page's
ratio to its SQL starts from (ADR 0027).
"""

import statistics
import time
from http.cookies import SimpleCookie

from _setup import capture_statements, min_median, reads, replay, writes
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.http import HttpResponse
from django.template import engines
from django.test import Client, RequestFactory
from django.urls import include, path
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from sendwise.core.access import SESSION_SCHOOL_KEY
from sendwise.core.models import User

# The reads every signed-in page makes before its own: the session, the user, the second
# factor's device (django-otp) and the memberships (the actor).
SIGN_IN_TABLES = ("django_session", "core_user", "otp_totp_totpdevice", "core_membership")
RATIO_GOAL = 3.0


@login_required
def empty_page(request):
    return HttpResponse("ok")


BARE = engines["django"].from_string(
    '{% extends "base.html" %}{% block title %}Bare{% endblock %}'
    '{% block content %}<h1 class="govuk-heading-l">Bare</h1>{% endblock %}'
)


@login_required
def bare_page(request):
    return HttpResponse(BARE.render({}, request))


class BenchUrls:
    """The project's URLs and two trivial pages (same middleware, same sign-in) to compare."""

    urlpatterns = [
        path("bench/empty/", empty_page),
        path("bench/bare/", bare_page),
        path("", include("sendwise.urls")),
    ]


BENCH_URLCONF = BenchUrls
BASELINES = [
    ("an empty response (middleware and sign-in only)", "/bench/empty/"),
    ("a trivial page in the base template (+ header, menu)", "/bench/bare/"),
]


class Browser:
    """A signed-in browser whose requests reach Django as gunicorn hands them over: a WSGI
    environ with the browser's cookies, through ``WSGIHandler``, the body read and closed. Like
    a browser it keeps the cookies a response sets (the CSRF cookie of the first page), so a
    page does not make a new CSRF secret every time."""

    def __init__(self, cookie: str):
        self.handler = WSGIHandler()
        self.cookies = SimpleCookie({settings.SESSION_COOKIE_NAME: cookie})
        self.factory = RequestFactory()

    def get(self, url: str) -> tuple[str, bytes]:
        path_, _, query = url.partition("?")
        environ = self.factory._base_environ(
            PATH_INFO=path_,
            QUERY_STRING=query,
            REQUEST_METHOD="GET",
            HTTP_COOKIE="; ".join(f"{k}={m.value}" for k, m in self.cookies.items()),
        )
        status = []

        def start_response(line, headers):
            status.append(line)
            for name, value in headers:
                if name.lower() == "set-cookie":
                    self.cookies.load(value)

        response = self.handler(environ, start_response)
        try:
            body = b"".join(response)
        finally:
            response.close()  # sends request_finished, as the server does
        return status[0], body


def signed_in(user: User, school_id: int | None = None) -> Browser:
    """A browser signed in as ``user`` with their second factor, as a SENCO is in production
    (a confirmed authenticator; the session carries the device, which django-otp reads on
    every request), working in ``school_id`` when given. The test client only signs in."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="Benchmark phone", defaults={"confirmed": True}
    )
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    if school_id is not None:
        session[SESSION_SCHOOL_KEY] = school_id
    session.save()
    return Browser(client.cookies[settings.SESSION_COOKIE_NAME].value)


def check(browser: Browser, url: str) -> bytes:
    status, body = browser.get(url)
    assert status.startswith("200"), (url, status)
    return body


def both_runs(fn, runs: int) -> dict[str, list[float]]:
    """Milliseconds of wall clock and of this process's CPU time for each of ``runs`` calls of
    ``fn`` (after one warm-up call): on a shared machine a long request is preempted more
    often than a short replay, so the CPU time compares more fairly."""
    fn()
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        cpu.append((time.process_time() - start_cpu) * 1000)
        wall.append((time.perf_counter() - start) * 1000)
    return {"wall": wall, "CPU": cpu}


def against_statements(browser: Browser, label: str, url: str, runs: int) -> float:
    """Print ``url``'s time next to every statement it sent, replayed raw (issue 12's bare
    SQL: the sign-in's reads as well as the page's own; a write is counted, not replayed), and
    next to its data reads alone; return the wall-clock ratio of the medians (page / every
    statement)."""
    statements = capture_statements(connection, lambda: check(browser, url))
    every = reads(statements)
    data = [s for s in every if not any(f'FROM "{t}"' in s[0] for t in SIGN_IN_TABLES)]
    page = both_runs(lambda: browser.get(url), runs)
    bare = both_runs(lambda: replay(connection, every), runs)
    own = both_runs(lambda: replay(connection, data), runs)
    print(
        f"  {label:<30} {len(statements)} queries ({len(data)} for its data, "
        f"{len(every) - len(data)} for the sign-in, {len(writes(statements))} writes "
        f"not replayed)"
    )
    for kind in ("wall", "CPU"):
        p, b, o = page[kind], bare[kind], own[kind]
        print(
            f"    {kind:<4} page {min_median(p)}; every statement it sent ({len(every)}) "
            f"replayed raw {min_median(b)}; page / SQL = "
            f"{statistics.median(p) / statistics.median(b):.1f}x"
        )
        if data:
            print(
                f"    {'':<4} {'':<36} its {len(data)} data reads alone {min_median(o)}; "
                f"page / data = {statistics.median(p) / statistics.median(o):.1f}x"
            )
    return statistics.median(page["wall"]) / statistics.median(bare["wall"])


def floor(browser: Browser, runs: int) -> None:
    """What every signed-in page costs before its own work: the two trivial pages, each next
    to the statements it sent (the sign-in's reads only), the same way as a real page."""
    print("\nWhat every signed-in page costs before its own work (same browser, same middleware):")
    for label, url in BASELINES:
        against_statements(browser, label, url, runs)
