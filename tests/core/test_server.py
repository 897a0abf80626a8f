"""The server `make run` and production use: gunicorn with deploy/gunicorn.conf.py answers,
names no version, sends the security headers, and leaves query strings out of its access log."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str, deadline: float):
    while True:
        try:
            return urllib.request.urlopen(url, timeout=10)  # noqa: S310 - a loopback address
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def test_gunicorn_serves_pages_and_static_files_without_naming_its_version(tmp_path):
    port = free_port()
    log = tmp_path / "access.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "sendwise.settings_test",
        "WEB_CONCURRENCY": "1",
        "ACCESS_LOG": str(log),
        # An empty database: the sign-in page and static files need none (as on a fresh clone).
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
    }
    server = subprocess.Popen(  # noqa: S603 - this interpreter, fixed arguments
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
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        page = get(f"http://127.0.0.1:{port}/accounts/login/?next=/pupils/?q=Amara", deadline)
        static = get(f"http://127.0.0.1:{port}/static/sendwise/app.css", deadline)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    assert page.status == 200 and static.status == 200
    assert page.headers["Server"] == "gunicorn"  # the name alone, no version
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert "no-store" in page.headers["Cache-Control"]
    logged = log.read_text()
    assert '"GET /accounts/login/" 200' in logged
    assert "Amara" not in logged
