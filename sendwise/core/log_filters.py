"""Logging filters: what the server log keeps of a request that went wrong.

A refused request (any 4xx: permission denied, not found, bad request) is the app working as
meant, not a fault, so Django's ``django.request`` record of it is cut to one line naming who
asked, the path and the status, without the traceback that came with it (a crawl as every role
wrote 1,072 tracebacks for 403s alone). Server errors (5xx) keep their traceback.
"""

from __future__ import annotations

import logging


class RefusedRequestOneLine(logging.Filter):
    """One line, no traceback, for a ``django.request`` record of a 4xx response."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is None or status >= 500:
            return True
        request = getattr(record, "request", None)
        user = getattr(request, "user", None)
        who = f"user {user.pk}" if getattr(user, "is_authenticated", False) else "anonymous"
        path = getattr(request, "path", "?")
        record.msg, record.args = "Refused %s: %s %s", (status, who, path)
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True
