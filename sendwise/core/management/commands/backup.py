"""`manage.py backup [PATH]`: copy the embedded SQLite database while the app is in use.

Without PATH the copy goes to var/backups/sendwise-YYYYMMDD-HHMMSS.sqlite3. PostgreSQL is
backed up with its own tools (pg_dump; docs/operations.md), so this refuses there. The task
queue's small database (var/sendwise-tasks.sqlite3) is not copied: it holds only queued work
and progress, and `migrate --database tasks` makes a new one.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils import timezone

from sendwise.core import backups

POSTGRES_DOCS = "https://www.postgresql.org/docs/current/backup-dump.html"
NOT_SQLITE = (
    "This database is {vendor}, not the embedded SQLite: back it up with pg_dump "
    "(see docs/operations.md and " + POSTGRES_DOCS + ")."
)


def sqlite_connection(alias: str):
    """The raw sqlite3 connection of a database alias; refuses any other database."""
    connection = connections[alias]
    if connection.vendor != "sqlite":
        raise CommandError(NOT_SQLITE.format(vendor=connection.display_name))
    connection.ensure_connection()
    return connection


class Command(BaseCommand):
    help = "Copy the embedded SQLite database, consistently, while SENDwise is in use."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="where to write it (default var/backups/)")
        parser.add_argument("--database", default="default")

    def handle(self, *args, path=None, database="default", **options):
        connection = sqlite_connection(database)
        name = backups.backup_name(timezone.localtime())
        target = Path(path) if path else settings.VAR_DIR / "backups" / name
        if target.is_dir():
            target = target / name
        if target.exists():
            raise CommandError(f"{target} exists already: give another path.")
        backups.backup_to(connection.connection, target)
        size = target.stat().st_size / 1_000_000
        self.stdout.write(
            f"Backed up to {target} ({size:.1f} MB). It holds pupils' records: keep it safe."
        )
