"""Backups of the embedded database: `manage.py backup` copies it while in use, `restore` puts
it back only when the file is a sound SENDwise database and nothing would be lost by surprise."""

import sqlite3
import stat

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from sendwise.core import backups
from sendwise.core.models import School
from tests.conftest import make_world
from tests.factories import PupilFactory, SchoolFactory

# The backup API reads what is committed: these tests commit, as the app does.
pytestmark = pytest.mark.django_db(transaction=True)
# The embedded database's own backup: PostgreSQL is backed up with pg_dump (docs/operations.md),
# and `test_postgresql_is_pointed_to_pg_dump` checks the commands say so on any database.
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="backs up the embedded SQLite"
)


def populate():
    world = make_world()
    pupil = world.pupil_in_class
    pupil.first_name = "Amarachi"  # a second row in the pupil's history
    pupil.save()
    PupilFactory.create_batch(5, school=world.school)
    return world


def live():
    """The live test database through plain sqlite3, which reads values as stored (Django's
    connection turns dates into datetimes)."""
    connection.ensure_connection()
    return sqlite3.connect(connection.settings_dict["NAME"], uri=True)


@sqlite_only
def test_a_backup_restored_into_an_empty_database_reproduces_every_table(tmp_path):
    populate()
    call_command("backup", str(tmp_path / "backup.sqlite3"))
    empty = sqlite3.connect(tmp_path / "new.sqlite3")
    assert backups.table_names(empty) == [] and backups.in_use(empty) == (0, 0)

    backups.restore_into(empty, tmp_path / "backup.sqlite3")

    tables = backups.table_names(live())
    assert backups.table_names(empty) == tables
    restored, original = backups.every_row(empty, tables), backups.every_row(live(), tables)
    for table in tables:
        assert restored[table] == original[table], table
    filled = [table for table in tables if original[table]]
    assert {"core_school", "pupils_pupil", "pupils_historicalpupil", "core_user"} <= set(filled)
    assert len(original["pupils_pupil"]) == 8


@sqlite_only
def test_the_backup_is_one_file_readable_by_its_owner_only(tmp_path, capsys):
    populate()

    call_command("backup", str(tmp_path))

    (made,) = tmp_path.glob("sendwise-*.sqlite3")
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    assert not list(tmp_path.glob("*-wal")) and not list(tmp_path.glob("*.partial"))
    assert f"Backed up to {made}" in capsys.readouterr().out


@sqlite_only
def test_a_backup_never_overwrites_an_earlier_one(tmp_path):
    populate()
    call_command("backup", str(tmp_path / "backup.sqlite3"))

    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", str(tmp_path / "backup.sqlite3"))


@sqlite_only
def test_restore_refuses_to_overwrite_a_database_in_use_without_force(tmp_path):
    populate()
    call_command("backup", str(tmp_path / "backup.sqlite3"))
    SchoolFactory(name="Opened after the backup")

    with pytest.raises(CommandError, match=r"holds 3 schools and 8 people already.*--force"):
        call_command("restore", str(tmp_path / "backup.sqlite3"))
    assert School.objects.filter(name="Opened after the backup").exists()

    call_command("restore", str(tmp_path / "backup.sqlite3"), force=True)
    assert not School.objects.filter(name="Opened after the backup").exists()
    assert School.objects.filter(name="Alpha Primary").exists()


@sqlite_only
def test_restore_refuses_a_file_that_is_not_a_sqlite_database(tmp_path):
    populate()
    notes = tmp_path / "notes.sqlite3"
    notes.write_text("Meeting notes, not a database")

    with pytest.raises(CommandError, match="is not a SQLite database"):
        call_command("restore", str(notes), force=True)
    assert School.objects.filter(name="Alpha Primary").exists()


@sqlite_only
def test_restore_refuses_another_apps_database(tmp_path):
    populate()
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE django_migrations (id, app, name, applied)")
        db.execute("CREATE TABLE blog_post (id, title)")

    with pytest.raises(CommandError, match="is not a SENDwise database: it has no core_school"):
        call_command("restore", str(other), force=True)


@sqlite_only
def test_restore_refuses_a_backup_from_a_newer_version(tmp_path):
    populate()
    call_command("backup", str(tmp_path / "backup.sqlite3"))
    with sqlite3.connect(tmp_path / "backup.sqlite3") as db:
        db.execute(
            "INSERT INTO django_migrations (app, name, applied) "
            "VALUES ('pupils', '9999_from_the_future', '2030-01-01')"
        )

    with pytest.raises(CommandError, match=r"newer version of SENDwise.*pupils/9999_from_the_fu"):
        call_command("restore", str(tmp_path / "backup.sqlite3"), force=True)


def test_postgresql_is_pointed_to_pg_dump(tmp_path, monkeypatch):
    monkeypatch.setattr(connection, "vendor", "postgresql")
    monkeypatch.setattr(connection, "display_name", "PostgreSQL")

    with pytest.raises(CommandError, match=r"PostgreSQL, not the embedded SQLite.*pg_dump"):
        call_command("backup", str(tmp_path / "backup.sqlite3"))
    with pytest.raises(CommandError, match="pg_dump"):
        call_command("restore", __file__)
