"""Stamps: what lets a result read from many tables be kept in the cache and never served
stale. A stamp is a random token in the cache, renewed (after the commit) whenever a row it
covers changes; a cached value remembers the stamps it was built under and counts only while
they are still the same.

Rule: a value is built only after its stamps are read, and stamps are renewed only once the
change is committed, so a value built from rows read before a change always carries a stamp
that the change has since replaced (it is built again), never the new one. A token, not a
counter: two renewals at once both replace it, with no read-modify-write to race.

Stamps: ``everything`` (the shared catalogue, people's names, and any bulk load that writes
without saving row by row), ``trust:<id>`` and ``school:<id>``. What renews which is said by
the listeners of the module that caches (``pages.recommend_signals``); a bulk writer calls
:func:`renew` itself.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from datetime import date

from django.core.cache import cache
from django.db import transaction

EVERYTHING = "everything"
_PREFIX = "stamp:"

_local = threading.local()


def school(school_id: int) -> str:
    return f"school:{school_id}"


def trust(trust_id: int) -> str:
    return f"trust:{trust_id}"


def _pending() -> set[str]:
    """The stamps this thread's current transaction will renew (what a transaction rolled
    back noted is dropped when another starts, or renewed needlessly, never harmfully, by the
    next commit of the same atomic block)."""
    connection = transaction.get_connection()
    owner = connection.atomic_blocks[0] if connection.in_atomic_block else None
    if getattr(_local, "owner", None) is not owner or not hasattr(_local, "pending"):
        _local.pending, _local.owner = set(), owner
    return _local.pending


def _write() -> None:
    names = sorted(getattr(_local, "pending", ()))
    if hasattr(_local, "pending"):
        _local.pending = set()
    if names:
        cache.set_many({_PREFIX + name: uuid.uuid4().hex for name in names}, timeout=None)


def renew(*names: str) -> None:
    """Replace these stamps once the current transaction commits (at once outside one), so
    every value built under the old ones is built again: written once a transaction, however
    many of its rows changed (the first callback writes them all, the others find none)."""
    if names:
        _pending().update(names)
        transaction.on_commit(_write, robust=True)


def cached(key: str, names: list[str], build: Callable[[], object], *, today: date):
    """The value under ``key`` if it was built under today's stamps ``names`` (one cache read),
    else ``build()``'s, kept for the next request. ``today`` is part of the stamp, since a value
    can depend on the date (this school year, groups running now)."""
    keys = [_PREFIX + name for name in names]
    found = cache.get_many([*keys, key])
    missing = [k for k in keys if k not in found]
    if missing:
        # First use (or the cache was cleared): start the stamps; whoever starts one first wins.
        for k in missing:
            cache.add(k, uuid.uuid4().hex, timeout=None)
        found.update(cache.get_many(missing))
    stamp = (today.isoformat(), *(found.get(k) for k in keys))
    entry = found.get(key)
    if entry is not None and entry[0] == stamp and None not in stamp:
        return entry[1]
    value = build()
    cache.set(key, (stamp, value))
    return value
