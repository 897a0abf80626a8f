"""The demo trust for a browser journey: built by the first journey of a worker that asks for
it, copied in for the others.

A journey that opens on the demo used to build it (``demo.demo_load``, and often the
catalogue's seed before it): about 2.8 s and 2.5 s of CPU at each test, a third of the Python
time of the journeys. The same seed on the same day builds the same rows, so after the first
build the database is copied into memory with SQLite's online backup API (as
``tests/db_template.py`` copies the migrated template in), and a later journey asking for the
same demo gets the copy back in a few milliseconds. Each journey still starts from an empty
database (the flush after every transactional test) and is flushed after it, so what one
journey changes never reaches another.

Only in-memory SQLite test databases (the default) are copied; on PostgreSQL, or with the test
databases in files, every journey builds its demo as before. A journey that has already
written something when it asks is given a fresh build, never a copy over its rows.
"""

from __future__ import annotations

import sqlite3

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from sendwise.core import stamps
from sendwise.core.models import School, Trust, User
from sendwise.demo import generate as demo
from sendwise.evidence.models import Intervention
from sendwise.evidence.services import catalogue_seed

#: (seed, with the catalogue, day) → the trust's id and a copy of each test database.
_COPIES: dict[tuple, tuple[int, dict[str, sqlite3.Connection]]] = {}


def demo_world(*, seed: int, catalogue: bool = False) -> Trust:
    """The demo trust (``demo.demo_load(seed=seed)``), after the catalogue's seed files if
    ``catalogue``: built, or copied from the first build of the same seed in this worker."""
    key = (seed, catalogue, timezone.localdate())
    # The journeys use the main database alone (the task tables' own database is refused to
    # them: pytest-django's live server tests name only "default").
    aliases = [DEFAULT_DB_ALIAS]
    copyable = all(_in_memory_sqlite(alias) for alias in aliases) and _empty()
    if copyable and key in _COPIES:
        trust_id, copies = _COPIES[key]
        for alias, copy in copies.items():
            copy.backup(connections[alias].connection)
        # Values cached under the stamps (charts, the catalogue's facets) were worked out from
        # other journeys' rows: as after a build, nothing cached before counts.
        stamps.renew(stamps.EVERYTHING)
        return Trust.objects.get(pk=trust_id)
    if catalogue:
        catalogue_seed()
    trust = demo.demo_load(seed=seed)
    if copyable:
        copies = {}
        for alias in aliases:
            copy = sqlite3.connect(":memory:", check_same_thread=False)
            connections[alias].connection.backup(copy)
            copies[alias] = copy
        _COPIES[key] = (trust.pk, copies)
    return trust


def _in_memory_sqlite(alias: str) -> bool:
    connection = connections[alias]
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        return False
    connection.ensure_connection()
    return not connection.in_atomic_block


def _empty() -> bool:
    """Nothing of a world yet: the state every journey starts from."""
    return not (User.objects.exists() or School.objects.exists() or Intervention.objects.exists())
