"""Charts drawn once per change of what they show, not once per request (issue 12, point 7).

matplotlib takes 50–200 ms to draw a chart, many times a page's SQL; the same values always
give the same SVG (``core.figures`` fixes the ids' salt). So :func:`cached_svg` keeps each SVG
in Django's cache under a hash of

* the values the chart draws (a frozen dataclass or tuples of numbers, dates and text; never a
  database id or an object's address, so two pages showing the same figures share one drawing,
  and a changed score, label or size is a new key),
* the source of the module that draws it, and matplotlib's version (new drawing code or a new
  matplotlib draws afresh, with nothing to clear by hand).

The cache is Django's ``default`` (settings.CACHES: the database cache, shared by every gunicorn
worker and every machine that shares the database). Nothing in a chart is secret beyond the
figures of the page it sits on, and a key can only be made by someone who already has those
figures, so sharing drawings between users leaks nothing. A cache that cannot be read or
written costs a drawing, never the page.
"""

from __future__ import annotations

import hashlib
import inspect
import logging
import sys
from collections.abc import Callable
from functools import cache

import matplotlib
from django.core.cache import caches
from django.db import DatabaseError, connections, router

log = logging.getLogger(__name__)

#: The Django cache alias that holds the drawings.
CACHE_ALIAS = "default"
#: How long a drawing is kept unused (the cache culls the oldest first when it is full).
TIMEOUT = 30 * 24 * 3600
#: A key's prefix, so the drawings can be told apart from anything else in the cache.
PREFIX = "chart"


@cache
def code_version(module_name: str) -> str:
    """A digest of the drawing module's source and matplotlib's version."""
    module = sys.modules[module_name]
    try:
        source = inspect.getsource(module)
    except (OSError, TypeError):  # no source (a frozen build): the version alone
        source = ""
    text = f"{matplotlib.__version__}\n{source}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def chart_key(draw: Callable[..., str], content: object) -> str:
    """The cache key of ``draw(content…)``: the drawing's name, its code, and the values."""
    name = f"{draw.__module__}.{draw.__qualname__}"
    values = repr(content)
    digest = hashlib.sha256(f"{name}\n{code_version(draw.__module__)}\n{values}".encode())
    return f"{PREFIX}:{draw.__qualname__}:{digest.hexdigest()}"


def cached_svg(draw: Callable[..., str], *args, **kwargs) -> str:
    """``draw(*args, **kwargs)``, drawn once for the same arguments and kept in the cache.

    ``draw`` must be a pure function of its arguments, and the arguments plain values whose
    ``repr`` shows everything drawn (frozen dataclasses, tuples, numbers, dates, text)."""
    key = chart_key(draw, (args, sorted(kwargs.items())))
    store = caches[CACHE_ALIAS]
    try:
        svg = store.get(key)
    except DatabaseError:  # the cache table is missing or locked: draw, and say so
        log.warning("Chart cache unreadable; drawing %s", key, exc_info=True)
        return draw(*args, **kwargs)
    if svg is not None:
        return svg
    svg = draw(*args, **kwargs)
    try:
        store.set(key, svg, TIMEOUT)
    except DatabaseError:
        log.warning("Chart cache unwritable; %s not kept", key, exc_info=True)
    return svg


def forget_charts() -> int:
    """Remove every kept drawing, so no chart of a removed pupil's scores outlives the record.

    A drawing names nobody, but it shows a pupil's points; when retention removes a record
    (UK GDPR storage limitation) the drawings of its charts go too. Which drawings were a given
    pupil's cannot be told from the key (a hash of the values), so all are removed and drawn
    again on demand. On the database cache only the chart rows go (a key range on the made
    prefix); any other backend is cleared whole, as it holds nothing else (settings.CACHES).
    Returns the rows removed, or -1 when a whole cache was cleared."""
    store = caches[CACHE_ALIAS]
    table = getattr(store, "_table", None)
    if table is None:
        store.clear()
        return -1
    first = store.make_key(f"{PREFIX}:")
    past = first[:-1] + chr(ord(first[-1]) + 1)  # the first key after every "chart:" one
    connection = connections[router.db_for_write(store.cache_model_class)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {connection.ops.quote_name(table)} "  # noqa: S608 (a settings name)
            "WHERE cache_key >= %s AND cache_key < %s",
            [first, past],
        )
        return cursor.rowcount
