"""Shared fixtures: a small school world with one person in every role, and a second school;
query counts that print the SQL; Hypothesis seeded from pytest-randomly's seed."""

import os
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

# Keep compiled test modules between runs. Each pytest process (each xdist worker) otherwise
# re-parses, assert-rewrites and compiles all ~300 test modules, about 12 CPU-seconds a process
# on this machine, whenever PYTHONDONTWRITEBYTECODE is set (as it is in our shells). The bytecode
# goes under var/pycache (git-ignored), never beside the sources; `make test` also sets this in
# the environment, so Django's and the app's modules, imported before this file, are kept too.
# SENDWISE_TEST_BYTECODE=0 leaves Python's setting alone.
if sys.dont_write_bytecode and os.environ.get("SENDWISE_TEST_BYTECODE", "1") != "0":
    sys.pycache_prefix = sys.pycache_prefix or str(
        Path(__file__).resolve().parent.parent / "var" / "pycache"
    )
    sys.dont_write_bytecode = False

import hypothesis
import pytest
from django.core.cache import caches
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import TransactionTestCase
from hypothesis import HealthCheck, settings

from sendwise.core.models import School, User
from sendwise.core.roles import Role
from sendwise.pupils.models import Pupil
from tests import db_template
from tests.factories import (
    ClassGroupFactory,
    ClassStaffFactory,
    ContactFactory,
    MembershipFactory,
    PupilFactory,
    SchoolFactory,
    UserFactory,
)
from tests.queries import assert_database_query_count

db_template.install()

# After each transactional test (browser journeys on live_server, `transaction=True`) Django
# empties every table with `flush`, then sends post_migrate, which re-creates every content type
# and permission from scratch: about 0.23 CPU-seconds a test here, against 0.005 for emptying
# the tables. Nothing the tests do changes those two tables (no test adds a content type or a
# permission), so emptying every other table leaves the database as flush + post_migrate did.
KEPT_BY_FLUSH = {"django_content_type", "auth_permission"}
_django_fixture_teardown = TransactionTestCase._fixture_teardown


def _flush_keeping_content_types(self):
    if self.available_apps is not None or self.serialized_rollback:
        return _django_fixture_teardown(self)
    for alias in self._databases_names(include_mirrors=False):
        connection = connections[alias]
        tables = connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
        statements = connection.ops.sql_flush(
            no_style(), [table for table in tables if table not in KEPT_BY_FLUSH]
        )
        connection.ops.execute_sql_flush(statements)


TransactionTestCase._fixture_teardown = _flush_keeping_content_types

# Property tests check what holds for every input, not how fast: on a busy CI machine a slow
# example must not fail the run. Example counts stay as each test sets them.
settings.register_profile("sendwise", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("sendwise")


@dataclass
class World:
    school: School
    other_school: School
    users: dict[str, User]
    pupil_in_class: Pupil  # in the teacher's and assistant's class; the parent's child
    pupil_elsewhere: Pupil  # same school, another class, not the parent's child
    pupil_other_school: Pupil


ROLES = [role.value for role in Role]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (settings_test: a memory cache per process), so a
    chart drawn by one test is never read by the next."""
    yield
    caches["default"].clear()


@pytest.fixture
def world(db) -> World:
    return make_world()


def make_world() -> World:
    """The school world, for the `world` fixture and for modules that share one (shared_data)."""
    school = SchoolFactory(name="Alpha Primary")
    other_school = SchoolFactory(name="Beta Primary", trust=school.trust)
    class_a = ClassGroupFactory(school=school, name="4 Ash")
    class_b = ClassGroupFactory(school=school, name="4 Birch")
    users = {}
    for role in ROLES:
        if role == Role.LA_ADVISER:
            user = UserFactory(full_name="Adviser")
            MembershipFactory(user=user, school=None, trust=school.trust, role=role)
        else:
            user = UserFactory(full_name=f"{role} person")
            MembershipFactory(user=user, school=school, role=role)
        users[role] = user
    users["other_school_senco"] = UserFactory(full_name="Other SENCO")
    MembershipFactory(user=users["other_school_senco"], school=other_school, role=Role.SENCO)
    ClassStaffFactory(class_group=class_a, user=users[Role.TEACHER], kind="teacher")
    ClassStaffFactory(
        class_group=class_a, user=users[Role.INTERVENTION_SPECIALIST], kind="assistant"
    )
    pupil_in_class = PupilFactory(
        school=school, class_group=class_a, first_name="Amara", last_name="Ng"
    )
    pupil_elsewhere = PupilFactory(
        school=school, class_group=class_b, first_name="Ben", last_name="Ode"
    )
    pupil_other_school = PupilFactory(school=other_school, first_name="Cara", last_name="Zed")
    ContactFactory(pupil=pupil_in_class, user=users[Role.PARENT], name="Parent person")
    return World(school, other_school, users, pupil_in_class, pupil_elsewhere, pupil_other_school)


@pytest.fixture
def client_as(client, world):
    """A test client signed in as the person holding `who` (a role, or 'other_school_senco')."""

    def sign_in(who: str):
        if who != "anonymous":
            client.force_login(world.users[who])
        return client

    return sign_in


@pytest.fixture
def django_assert_num_queries():
    """pytest-django's fixture, through tests/queries.py: a wrong count lists every query."""

    def check(num, exact=True, connection=None, info=None, *, using=DEFAULT_DB_ALIAS):
        assert connection is None, "pass using= (a database alias) instead"
        return assert_database_query_count(num, at_most=not exact, info=info or "", using=using)

    return check


@pytest.fixture
def django_assert_max_num_queries(django_assert_num_queries):
    return lambda num, **kwargs: django_assert_num_queries(num, exact=False, **kwargs)


def pytest_collection_modifyitems(config, items):
    """Give Hypothesis the run's pytest-randomly seed, so `--randomly-seed=N` repeats a run
    whole: the order of the tests, the data factories make, and the examples Hypothesis tries.

    Hypothesis draws its examples from its own generator, not from the `random` module that
    pytest-randomly reseeds (and it resets `random` for each example itself), so without this
    its examples would differ on every run whatever the seed. Each test's seed is the run's
    seed plus its name, so it does not depend on which tests ran before it. A seed switches off
    Hypothesis's example database, which a run that passes its own seed does not need; with
    `-p no:randomly`, or an explicit `--hypothesis-seed`, Hypothesis seeds itself as usual.
    """
    seed = getattr(config.option, "randomly_seed", None)
    if not isinstance(seed, int) or config.getoption("hypothesis_seed", None) is not None:
        return
    for item in items:
        test = getattr(item, "obj", None)
        if hypothesis.is_hypothesis_test(test):
            hypothesis.seed(seed + zlib.crc32(item.nodeid.split("[")[0].encode()))(test)
