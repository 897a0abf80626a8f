"""Test databases copied from a migrated template instead of migrated afresh on every run.

Migrating an empty SQLite test database takes each pytest-xdist worker 10–15 seconds on this
machine, nearly all of it Django rebuilding its in-memory picture of the models after each of
the migrations' operations (the SQL itself takes about 2 seconds). The result is the same every
time for the same migrations, so the first worker to migrate writes the database to a file under
``var/test-db/``, and later runs copy that file into their in-memory database with SQLite's
online backup API (well under a second).

The file's name is a hash of everything that decides its contents: every migration file in the
project, the pinned requirements (third-party apps' migrations), the test settings, the task
database router (which tables live on which alias) and Django's version. Change any of them and
the name changes, so a stale template is never used; old ones are removed when a new one is
written. Two workers that both miss the template both migrate, as before, and each replaces the
file atomically, so they cannot corrupt it.

Only in-memory SQLite test databases are copied (the default). PostgreSQL, or a test database
kept on disk with ``--reuse-db``, is created by Django as usual. ``SENDWISE_TEST_DB_TEMPLATE=0``
turns the copy off.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from contextlib import closing
from pathlib import Path

import django
from django.conf import settings
from django.core.management import call_command
from django.db.backends.sqlite3.creation import DatabaseCreation

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_DIR = ROOT / "var" / "test-db"
INPUTS = [
    "requirements.txt",
    "sendwise/settings.py",
    "sendwise/settings_test.py",
    "sendwise/core/tasks/router.py",
]


def fingerprint() -> str:
    """A hash of the files and versions that decide what a migrated test database holds."""
    digest = hashlib.sha256(django.__version__.encode())
    paths = sorted((ROOT / "sendwise").glob("**/migrations/*.py")) + [ROOT / p for p in INPUTS]
    for path in paths:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def template_path(alias: str, key: str) -> Path:
    return TEMPLATE_DIR / f"{alias}-{key}.sqlite3"


def _copy(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    source.backup(target)


def install() -> None:
    """Wrap SQLite's test database creation so it copies a template when one fits."""
    if os.environ.get("SENDWISE_TEST_DB_TEMPLATE", "1") == "0":
        return
    original = DatabaseCreation.create_test_db
    key = fingerprint()

    def create_test_db(self, verbosity=1, autoclobber=False, serialize=True, keepdb=False):
        connection = self.connection
        if keepdb or not self.is_in_memory_db(self._get_test_db_name()):
            return original(self, verbosity, autoclobber, serialize, keepdb)
        template = template_path(connection.alias, key)
        if not template.exists():
            name = original(self, verbosity, autoclobber, serialize, keepdb)
            _save(connection, template)
            return name
        # What create_test_db does, with the migrate step replaced by the copy.
        name = self._get_test_db_name()
        self._create_test_db(verbosity, autoclobber, keepdb)
        connection.close()
        settings.DATABASES[connection.alias]["NAME"] = name
        connection.settings_dict["NAME"] = name
        connection.ensure_connection()
        with closing(sqlite3.connect(template)) as source:
            _copy(source, connection.connection)
        if serialize:
            connection._test_serialized_contents = self.serialize_db_to_string()
        call_command("createcachetable", database=connection.alias)
        return name

    DatabaseCreation.create_test_db = create_test_db


def _save(connection, template: Path) -> None:
    """Write the freshly migrated database to the template file, atomically."""
    TEMPLATE_DIR.mkdir(parents=True, exist_ok=True)
    partial = template.with_name(f"{template.name}.{os.getpid()}.partial")
    connection.ensure_connection()
    with closing(sqlite3.connect(partial)) as target:
        _copy(connection.connection, target)
    os.replace(partial, template)
    alias = template.name.split("-")[0]
    for old in TEMPLATE_DIR.glob(f"{alias}-*.sqlite3"):
        if old != template:
            old.unlink(missing_ok=True)
