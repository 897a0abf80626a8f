"""Rows made once for a whole test module, like Django's `TestCase.setUpTestData`.

A module-scoped fixture builds its rows inside a transaction that stays open while the module's
tests run and is rolled back when the module ends. Each test still runs in its own savepoint
inside it (pytest-django's `db` fixture), so what one test writes is gone before the next one
starts, and each test gets deep copies of the shared objects (as `setUpTestData` does), so
changing one in memory cannot leak either.

    @pytest.fixture(scope="module", autouse=True)
    def shared(django_db_setup, django_db_blocker):
        yield from rows_for_module(django_db_blocker, build)

    @pytest.fixture
    def world(shared, db):
        return copy.deepcopy(shared)

Make the module fixture `autouse`: once it is set up, every later test of the module runs
inside its transaction and sees its rows, so a test that needs an empty database belongs in
another module. Transactional tests (`transaction=True`, `live_server`) cannot run inside it.
"""

import sys
from collections.abc import Callable, Iterator
from typing import TypeVar

from django.db import connections, transaction

T = TypeVar("T")


def rows_for_module(django_db_blocker, build: Callable[[], T]) -> Iterator[T]:
    """Yield what `build()` returns, made in a transaction (one on each database: the main one
    and the tasks one) rolled back after the module."""
    with django_db_blocker.unblock():
        aliases = test_databases()
        module_transactions = [transaction.atomic(using=alias) for alias in aliases]
        for module_transaction in module_transactions:
            module_transaction.__enter__()
        try:
            built = build()
        except BaseException:
            for module_transaction in reversed(module_transactions):
                module_transaction.__exit__(*sys.exc_info())
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            for alias, module_transaction in zip(
                reversed(aliases), reversed(module_transactions), strict=True
            ):
                transaction.set_rollback(True, using=alias)
                module_transaction.__exit__(None, None, None)


def test_databases() -> list[str]:
    """The aliases that point at a test database. pytest-django sets up only the databases the
    collected tests ask for, so in a run of a few modules the "tasks" alias may still name the
    real var/sendwise-tasks.sqlite3: a transaction there would take its write lock (and wait on,
    or block, anyone else using that file)."""
    return [
        alias
        for alias in connections
        if connections[alias].settings_dict["NAME"]
        == connections[alias].creation._get_test_db_name()
    ]
