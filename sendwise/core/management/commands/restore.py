"""`manage.py restore FILE [--force]`: put a backup made by `manage.py backup` back.

Stop the web server and the task worker first. The file is checked before anything changes: it
must be a SQLite database, pass SQLite's integrity check, be a SENDwise database, and have no
migration this version does not know. A database that holds data is not overwritten unless
--force is given. After restoring a backup from an older version, run `manage.py migrate`.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.migrations.loader import MigrationLoader

from sendwise.core import backups
from sendwise.core.management.commands.backup import sqlite_connection

IN_USE = (
    "The database holds {schools} schools and {people} people already. Restoring replaces all of it: take a backup of it "
    "first (manage.py backup), then run restore again with --force."
)


class Command(BaseCommand):
    help = "Replace the embedded SQLite database with a backup made by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup file")
        parser.add_argument("--force", action="store_true", help="overwrite a database in use")
        parser.add_argument("--database", default="default")

    def handle(self, *args, file, force=False, database="default", **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{path} does not exist or is not a file.")
        connection = sqlite_connection(database)
        known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
        found = backups.problems(path, known)
        if found:
            raise CommandError(" ".join(found))
        schools, people = backups.in_use(connection.connection)
        if (schools or people) and not force:
            raise CommandError(IN_USE.format(schools=schools, people=people))
        backups.restore_into(connection.connection, path)
        connection.close()  # nothing cached from before the restore is used again
        self.stdout.write(
            f"Restored {path}. Run `manage.py migrate` if it came from an older version."
        )
