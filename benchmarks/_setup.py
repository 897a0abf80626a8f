"""Shared set-up for benchmark scripts: a separate database, migrated and filled once."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def django_setup(db_name: str) -> None:
    """Use var/<db_name>.sqlite3 unless BENCH_DATABASE_URL names another database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sendwise.settings")
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{ROOT / 'var' / (db_name + '.sqlite3')}"
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
