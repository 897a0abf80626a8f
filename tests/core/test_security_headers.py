"""Headers that keep pupils' data where it belongs: no copy in a browser's or proxy's cache, no
script or style but the site's own files, HTTPS only in production, no server version."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = [*ROOT.joinpath("sendwise").rglob("templates/**/*.html")]


def assert_not_stored(response):
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control


def csp(response) -> dict[str, list[str]]:
    return {
        name: values
        for name, *values in (
            part.split() for part in response["Content-Security-Policy"].split(";")
        )
    }


def test_a_pupil_record_is_not_stored_and_runs_only_the_sites_own_scripts(world, client_as):
    response = client_as("senco").get(reverse("pupils:detail", args=[world.pupil_in_class.pk]))

    assert response.status_code == 200
    assert_not_stored(response)
    policy = csp(response)
    assert policy["default-src"] == ["'none'"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["object-src"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Server" not in response


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_export_of_the_register_is_not_stored(world, client_as, file_format):
    response = client_as("senco").get(reverse("pupils:export"), {"format": file_format})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert_not_stored(response)


def test_a_refusal_to_a_signed_in_parent_is_not_stored_either(world, client_as):
    response = client_as("parent").get(reverse("pupils:detail", args=[world.pupil_elsewhere.pk]))

    assert response.status_code == 404
    assert_not_stored(response)


def test_static_files_stay_cacheable_for_a_signed_in_person(world, client_as):
    """They hold no pupil data; caching them keeps every page quick."""
    response = client_as("senco").get("/static/sendwise/app.css")

    assert response.status_code == 200
    assert "no-store" not in response["Cache-Control"]
    assert "public" in response["Cache-Control"]


def test_no_template_has_an_inline_script_style_or_event_handler():
    """The policy refuses them, so they would silently do nothing: scripts and styles are
    static files (sendwise/static/sendwise/), behaviours are bound in init.js."""
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>")
    inline_style = re.compile(r"<style\b|\sstyle=")
    handler = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
    found = [
        f"{path.relative_to(ROOT)}: {kind}"
        for path in TEMPLATES
        for kind, pattern in (
            ("<script>", inline_script),
            ("style", inline_style),
            ("on…=", handler),
        )
        if pattern.search(path.read_text())
    ]
    assert found == []


def production_settings(**environment) -> str:
    """Import the production settings in a fresh interpreter; print the security settings."""
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, "
        "settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS, settings.DEBUG)"
    )
    env = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "sendwise.settings_production"}
    return subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_serve_only_over_https_with_secure_cookies_and_hsts(tmp_path):
    run = production_settings(
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="sendwise.example",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )

    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["True", "True", "True", "31536000", "False"]


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    run = production_settings(
        ALLOWED_HOSTS="sendwise.example", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}"
    )

    assert run.returncode != 0
    assert "SECRET_KEY must be set in the environment for production" in run.stderr


@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_SSL_REDIRECT=False)
def test_hsts_is_sent_on_https_requests(world, client_as):
    response = client_as("senco").get(reverse("home"), secure=True)

    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_the_embedded_default_sends_no_hsts_over_plain_http():
    """`make run` serves plain HTTP on the loopback: HSTS there would lock a browser out of
    every other local site on that name for a year."""
    assert not getattr(settings, "SECURE_HSTS_SECONDS", 0)
    assert not settings.SESSION_COOKIE_SECURE
