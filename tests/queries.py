"""Query counts that print the SQL when they are wrong (after Zulip's
`assert_database_query_count` in zerver/lib/test_classes.py).

A failing count says how many queries ran and lists every one of them, numbered, so the extra
query (usually one per row) can be read straight from the test output, without re-running
under `-v` or a debugger:

    with assert_database_query_count(6):
        client.get(url)

"The same number with 20 rows as with 1" is measured, then required, with the same helper; a
failure then lists the queries of both runs:

    with capture_queries() as one_row:
        client.get(url)
    add_rows(19)
    with assert_database_query_count(one_row):
        client.get(url)

`django_assert_num_queries` and `django_assert_max_num_queries` (pytest-django) are routed
through this module by tests/conftest.py, so they print the SQL too.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.test.utils import CaptureQueriesContext


@dataclass
class Queries:
    """The SQL of the queries run inside a `capture_queries` block, in order.

    Filled when the block ends (Django clears its query log at the start of each request, so
    the statements are copied out rather than read later)."""

    sql: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.sql)

    def listing(self) -> str:
        if not self.sql:
            return "    (no queries)"
        return "\n".join(f"{n:4}. {sql}" for n, sql in enumerate(self.sql, start=1))


@contextmanager
def capture_queries(*, using: str = DEFAULT_DB_ALIAS) -> Iterator[Queries]:
    queries = Queries()
    with CaptureQueriesContext(connections[using]) as context:
        yield queries
    queries.sql = [query["sql"] for query in context.captured_queries]


@contextmanager
def assert_database_query_count(
    expected: "int | Queries",
    *,
    at_most: bool = False,
    info: str = "",
    using: str = DEFAULT_DB_ALIAS,
) -> Iterator[Queries]:
    """Fail, listing every query, unless the block runs exactly `expected` queries (or at most
    that many with `at_most=True`). `expected` is a number, or the `Queries` of an earlier
    block that this one must match."""
    baseline = expected if isinstance(expected, Queries) else None
    wanted = len(expected) if baseline is not None else expected
    with capture_queries(using=using) as ran:
        yield ran
    if (len(ran) <= wanted) if at_most else (len(ran) == wanted):
        return
    bound = "at most " if at_most else ""
    lines = [f"Expected {bound}{wanted} queries, but {len(ran)} ran."]
    if info:
        lines.append(info)
    lines += ["", "Queries run:", ran.listing()]
    if baseline is not None:
        lines += ["", "Queries of the run it was compared with:", baseline.listing()]
    pytest.fail("\n".join(lines), pytrace=False)
