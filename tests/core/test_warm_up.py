"""A web server worker warms up before its first request: every view imported, every template
of the project compiled (sendwise.core.warm_up, from deploy/gunicorn.conf.py)."""

import runpy
from pathlib import Path

from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext

from sendwise.core import warm_up as warm

ROOT = Path(__file__).resolve().parents[2]


def project_templates() -> set[str]:
    names = set()
    for directory in ROOT.joinpath("sendwise").rglob("templates"):
        names |= {
            str(p.relative_to(directory))
            for p in directory.rglob("*")
            if p.suffix in {".html", ".txt"}
        }
    return names


def test_every_template_of_the_project_is_compiled_and_no_query_is_made(db):
    beats = []
    with CaptureQueriesContext(connection) as queries:
        compiled = warm.warm_up(progress=lambda: beats.append(1))
    assert compiled >= len(project_templates()) > 100
    assert len(queries) == 0
    assert len(beats) == compiled + 1  # a heartbeat after the views, then after each template
    loader = engines["django"].engine.template_loaders[0]
    assert loader.get_template_cache.keys() >= {"base.html", "pupils/detail.html"}


def test_third_party_templates_for_pages_not_served_are_left_alone():
    names = warm.template_names(["/usr/share", str(ROOT / "sendwise" / "templates")])
    assert "base.html" in names and not any(n.startswith("doc/") for n in names)


def test_gunicorn_warms_each_worker_before_its_first_request(monkeypatch):
    calls = []
    monkeypatch.setattr(warm, "warm_up", lambda progress: progress() or 3)
    config = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))

    class Worker:
        @staticmethod
        def notify():
            calls.append("heartbeat")

        class log:
            @staticmethod
            def info(message, *args):
                calls.append(message % args)

    config["post_worker_init"](Worker())
    assert calls == ["heartbeat", "Worker ready: 3 templates compiled"]
