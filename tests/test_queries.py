"""A wrong query count fails with every query of the run listed, so the extra one can be read."""

import pytest

from sendwise.core.models import School, Trust
from tests.queries import assert_database_query_count, capture_queries


def run_two_queries():
    list(Trust.objects.all())
    list(School.objects.filter(name="Alpha Primary"))


def failure(check) -> str:
    """The message with which `check` (a query-count context manager) fails two queries."""
    with pytest.raises(pytest.fail.Exception) as failed, check:
        run_two_queries()
    return str(failed.value)


def test_a_wrong_count_lists_every_query_it_ran(db):
    message = failure(assert_database_query_count(1, info="the trusts page"))
    assert message.startswith("Expected 1 queries, but 2 ran.\nthe trusts page\n")
    assert '   1. SELECT "core_trust"' in message
    assert '   2. SELECT "core_school"' in message and "Alpha Primary" in message


def test_a_count_compared_with_an_earlier_run_lists_both_runs(db):
    with capture_queries() as one:
        list(Trust.objects.all())
    ran, earlier = failure(assert_database_query_count(one)).split(
        "Queries of the run it was compared with:"
    )
    assert ran.count("SELECT") == 2 and earlier.count("SELECT") == 1


def test_the_right_count_passes_and_at_most_allows_fewer(db):
    with assert_database_query_count(2) as ran:
        run_two_queries()
    assert len(ran) == 2
    with assert_database_query_count(3, at_most=True):
        run_two_queries()
    message = failure(assert_database_query_count(1, at_most=True))
    assert message.startswith("Expected at most 1 queries, but 2 ran.")


def test_pytest_djangos_fixture_lists_the_queries_too(db, django_assert_num_queries):
    message = failure(django_assert_num_queries(1))
    assert '   2. SELECT "core_school"' in message
