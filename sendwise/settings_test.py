"""Test settings: the real settings with a fast password hasher (argon2 is slow on purpose)."""

import os

from sendwise.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tests sign people in with `client.force_login` (no second factor) and test the pages, not the
# sign-in; the tests of the second factor turn this on (tests/core/test_second_factor.py and
# tests/browser/test_invitation_journey.py), and production settings refuse to turn it off.
SECOND_FACTOR_ENFORCED = False

# Tasks run at once, in the request that enqueues them, inside the test's transaction: task
# progress is read and written on "default" too, and no heartbeat thread is started (its own
# connection could not see the test's rows). The task tables are also created on the "tasks"
# alias, for the tests that check that progress is seen from another connection while the
# work's transaction is open (they switch TASK_DATABASE and the heartbeat back on).
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default"],
    }
}
TASK_DATABASE = "default"
TASK_TABLES_IN = ("default", "tasks")
TASK_HEARTBEAT_SECONDS = 0

# SENDWISE_TEST_DB=file puts the SQLite test databases in files (under var/) instead of memory,
# for the tests that need two real connections racing (tests/delivery/test_session_race.py;
# in-memory databases share one cache, where a second writer fails at once instead of waiting).
if os.environ.get("SENDWISE_TEST_DB") == "file" and "sqlite3" in DATABASES["default"]["ENGINE"]:  # noqa: F405
    for _alias in ("default", "tasks"):
        DATABASES[_alias]["TEST"] = {"NAME": str(VAR_DIR / f"test-{_alias}.sqlite3")}  # noqa: F405

# The cache: a memory cache per test process, emptied after each test (tests/conftest.py), so a
# page's query count is its own data's: the database cache adds a read per chart, and a write the
# first time, which would make a count depend on what an earlier request drew. The database
# cache itself is exercised by tests/core/test_figures.py.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
