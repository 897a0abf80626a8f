"""The server log: a refused request is one line (who, path, status) with no traceback; a
server error keeps its traceback."""

import logging
import sys

from django.test import RequestFactory
from django.urls import reverse

from sendwise.core.log_filters import RefusedRequestOneLine


def test_a_refused_page_writes_one_line_naming_who_the_path_and_the_status(
    world, client_as, caplog
):
    caplog.set_level(logging.WARNING, logger="django.request")
    url = reverse("audit_log")
    assert client_as("intervention_specialist").get(url).status_code == 403
    [record] = [r for r in caplog.records if r.name == "django.request"]
    line = record.getMessage()
    assert line == f"Refused 403: user {world.users['intervention_specialist'].pk} {url}"
    assert record.exc_info is None and "Traceback" not in caplog.text


def test_a_server_error_keeps_its_traceback():
    request = RequestFactory().get("/broken/")
    try:
        raise RuntimeError("the database went away")
    except RuntimeError:
        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Internal Server Error: %s",
            ("/broken/",), sys.exc_info(),
        )  # fmt: skip
    record.status_code, record.request = 500, request
    assert RefusedRequestOneLine().filter(record)
    assert record.exc_info is not None and record.getMessage() == "Internal Server Error: /broken/"
