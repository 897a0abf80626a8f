"""Do once, before a web server worker takes its first request, what it would otherwise do on
its first requests: import every view (the URLconf, and with it the statistics, chart and
report libraries), fill the URL reverser, and compile every template of the project.

Measured on the demo (the set-up of benchmarks/profile_pages.py): a fresh process spent about
2 s of CPU on its first request and 20-40 ms more on the first visit of each page than on the
next; each of gunicorn's workers paid that in its first visitors' requests, and again whenever
it is replaced after ``max_requests`` or a reload. gunicorn's ``post_worker_init`` hook
(deploy/gunicorn.conf.py) calls ``warm_up`` after the worker has loaded the application and
before it accepts a connection, so the others serve while it warms.

Nothing here reads the database; connections are closed at the end all the same.
"""

import logging
from pathlib import Path

from django.db import connections
from django.forms.renderers import get_default_renderer
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.template.utils import get_app_template_dirs
from django.urls import get_resolver

logger = logging.getLogger(__name__)
#: Only the project's own templates: third-party apps ship some for pages it does not serve.
PROJECT = Path(__file__).resolve().parents[1]

#: The form widgets' templates the project's pages render (core.form_renderer draws selects).
WIDGET_TEMPLATES = (
    "django/forms/widgets/input.html",
    "django/forms/widgets/text.html",
    "django/forms/widgets/email.html",
    "django/forms/widgets/password.html",
    "django/forms/widgets/number.html",
    "django/forms/widgets/date.html",
    "django/forms/widgets/textarea.html",
    "django/forms/widgets/checkbox.html",
    "django/forms/widgets/hidden.html",
    "django/forms/widgets/attrs.html",
    "django/forms/widgets/radio.html",
    "django/forms/widgets/checkbox_select.html",
    "django/forms/widgets/multiple_input.html",
    "django/forms/widgets/input_option.html",
    "django/forms/widgets/radio_option.html",
    "django/forms/widgets/checkbox_option.html",
)


def template_names(directories) -> list[str]:
    """Every template under ``directories``, as the name a view asks for."""
    names = []
    for directory in directories:
        root = Path(directory).resolve()
        if root.is_dir() and root.is_relative_to(PROJECT):
            names += [
                str(path.relative_to(root))
                for path in sorted(root.rglob("*"))
                if path.suffix in {".html", ".txt"}
            ]
    return names


def warm_up(progress=lambda: None) -> int:
    """Import the views, fill the reverser, compile the templates; returns how many templates.

    ``progress`` is called after each step: gunicorn passes its worker's heartbeat, so a
    worker warming up on a busy machine is not taken for a stuck one (``timeout``)."""
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018  # importing the URLconf imports every view
    resolver.reverse_dict  # noqa: B018  # the reverser's tables, filled once
    progress()
    compiled = 0
    for engine in engines.all():
        directories = [*engine.engine.dirs]
        if engine.engine.app_dirs:
            directories += get_app_template_dirs("templates")
        for name in template_names(directories):
            try:
                engine.get_template(name)
                compiled += 1
                progress()
            except (TemplateDoesNotExist, TemplateSyntaxError) as error:
                # The page that uses it says so when asked for; starting the server is not
                # the place to refuse.
                logger.warning("Template %s not compiled at start-up: %s", name, error)
    forms_engine = get_default_renderer().engine
    for name in WIDGET_TEMPLATES:
        forms_engine.get_template(name)
    connections.close_all()
    return compiled
