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


def capture_statements(connection, fn):
    """Run ``fn`` and return every statement it sent (SQL and parameters, as the database
    received them), so that "bare SQL" can replay a page's own queries, no simpler ones."""
    statements = []

    def record(execute, sql, params, many, context):
        statements.append((sql, params, many))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        fn()
    return statements


def _reads(sql: str) -> bool:
    # A compound query (UNION) opens with a bracket on PostgreSQL: "(SELECT ...) UNION (...)".
    return sql.lstrip(" \n\t(").upper().startswith(("SELECT", "WITH", "VALUES"))


def reads(statements):
    """The statements that read (SELECT, WITH, a bracketed UNION): what a replay sends. A page's
    writes (the session, the read audit) are counted apart, since sending them again would add
    rows."""
    return [s for s in statements if _reads(s[0])]


def writes(statements):
    """Every other statement (INSERT, UPDATE, DELETE, SAVEPOINT ...): not replayed."""
    return [s for s in statements if not _reads(s[0])]


def replay(connection, statements) -> None:
    """Send ``statements`` (from ``capture_statements``) again and fetch every row they return."""
    with connection.cursor() as cursor:
        for sql, params, many in statements:
            if many:
                cursor.executemany(sql, params)
                continue
            cursor.execute(sql, params)
            if cursor.description is not None:
                cursor.fetchall()


def timed_runs(fn, runs: int) -> list[float]:
    """Milliseconds each of ``runs`` calls of ``fn`` took (after one warm-up call)."""
    import time

    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return times


def min_median(times: list[float]) -> str:
    import statistics

    return f"min {min(times):7.1f} ms, median {statistics.median(times):7.1f} ms"


def machine_load() -> str:
    """The load average, printed beside every figure (the machine is shared)."""
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return "load unknown"
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} CPUs"
