"""The browser journeys' demo (tests/browser/demo_world.py): a copy is the build, row for row,
and a journey that has written something is never given a copy over it."""

import hashlib

import pytest
from django.db import connection
from django.test import TransactionTestCase

from sendwise.core.models import Trust, User
from tests.browser import demo_world as world
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def every_row() -> dict[str, str]:
    """Each table's rows, as a digest, but the cache's (its entries expire by the clock)."""
    digests = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.django_table_names(only_existing=True)):
            if table == "sendwise_cache":
                continue
            cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')  # noqa: S608 (Django's tables)
            digests[table] = hashlib.sha256(repr(cursor.fetchall()).encode()).hexdigest()
    return digests


def flush() -> None:
    """What the end of every transactional test does (tests/conftest.py)."""
    TransactionTestCase("__init__")._fixture_teardown()


@pytest.fixture
def no_copies(monkeypatch):
    monkeypatch.setattr(world, "_COPIES", {})


@pytest.mark.skipif(connection.vendor != "sqlite", reason="copies are made of SQLite only")
def test_the_demo_copied_in_is_the_demo_built_row_for_row(no_copies):
    built = world.demo_world(seed=3)
    rows = every_row()
    assert world._COPIES, "the first build was not kept"
    flush()
    assert not Trust.objects.exists()

    copied = world.demo_world(seed=3)

    assert copied.pk == built.pk
    assert every_row() == rows


def test_a_journey_that_wrote_first_gets_a_build_not_a_copy_over_its_rows(no_copies):
    world.demo_world(seed=3)
    flush()
    mine = UserFactory(email="someone.already.here@example.test")

    world.demo_world(seed=3)

    assert User.objects.filter(pk=mine.pk).exists()
    assert Trust.objects.count() == 1
