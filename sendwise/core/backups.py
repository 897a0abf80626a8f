"""Backups of the embedded SQLite database: copy it while it is in use, check a copy is one of
ours, restore it. `manage.py backup` and `manage.py restore` are thin wrappers over this.

The copy uses SQLite's online backup API (https://www.sqlite.org/backup.html, exposed as
`sqlite3.Connection.backup`): it reads a consistent snapshot page by page while the app goes on
serving (in WAL mode writers are not held up), which copying the file would not give (a copy
taken mid-write, or without its -wal file, can be corrupt or out of date).

A backup holds every pupil's record: it is written readable by its owner only (0600).

Pure Python (sqlite3 only): no Django.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"  # the first 16 bytes of every SQLite 3 database file
# Tables that only SENDwise has: a database without them is not one of ours.
OUR_TABLES = frozenset({"core_school", "core_user", "pupils_pupil"})

NOT_SQLITE = "{path} is not a SQLite database (its first bytes are not SQLite's header)."
DAMAGED = "{path} is damaged: SQLite's integrity check says {detail}."
NOT_OURS = "{path} is not a SENDwise database: it has no {missing} table."
NEWER = (
    "{path} was made by a newer version of SENDwise (it has migrations this copy does not "
    "know, such as {example}): upgrade this copy first, then restore."
)


def backup_name(now: datetime) -> str:
    """`sendwise-20261206-143000.sqlite3`: sorts by time, one a second."""
    return f"sendwise-{now:%Y%m%d-%H%M%S}.sqlite3"


def backup_to(source: sqlite3.Connection, path: Path) -> Path:
    """Copy the database open on `source` to `path` (a new file, owner-only), consistently,
    while it stays in use. Written beside and renamed, so a failed copy leaves no half file."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(descriptor)
    target = sqlite3.connect(partial)
    try:
        source.backup(target)
        # One self-contained file: no -wal beside it to lose.
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
    partial.replace(path)
    return path


def problems(path: Path, known_migrations: set[tuple[str, str]]) -> list[str]:
    """Why `path` cannot be restored here ([] when it can): not SQLite, damaged, not ours, or
    made by a newer version (a migration this code does not have)."""
    with open(path, "rb") as file:
        if file.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            return [NOT_SQLITE.format(path=path)]
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        detail = connection.execute("PRAGMA quick_check").fetchone()[0]
        if detail != "ok":
            return [DAMAGED.format(path=path, detail=detail)]
        tables = set(table_names(connection))
        missing = sorted((OUR_TABLES | {"django_migrations"}) - tables)
        if missing:
            return [NOT_OURS.format(path=path, missing=missing[0])]
        applied = set(connection.execute("SELECT app, name FROM django_migrations"))
    finally:
        connection.close()
    unknown = sorted(applied - known_migrations)
    if unknown:
        return [NEWER.format(path=path, example="/".join(unknown[0]))]
    return []


def restore_into(target: sqlite3.Connection, path: Path) -> None:
    """Replace everything in the database open on `target` with the backup at `path`."""
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        source.backup(target)
    finally:
        source.close()


def table_names(connection: sqlite3.Connection) -> list[str]:
    rows = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    )
    return [name for (name,) in rows]


def in_use(connection: sqlite3.Connection) -> tuple[int, int]:
    """(schools, people) the database holds: (0, 0) for a new one, safe to restore over.
    Everything a school records hangs off a school; reference lists that migrations fill (the
    skills list, say) do not count."""
    tables = set(table_names(connection))
    return tuple(
        connection.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] if name in tables else 0  # noqa: S608 - one of two fixed names
        for name in ("core_school", "core_user")
    )


def every_row(connection: sqlite3.Connection, tables: Iterable[str] | None = None) -> dict:
    """Every table's rows in primary-key order (rowid), for comparing two databases."""
    return {
        name: connection.execute(f'SELECT * FROM "{name}" ORDER BY rowid').fetchall()  # noqa: S608 - a table name read from sqlite_master
        for name in (tables if tables is not None else table_names(connection))
    }
