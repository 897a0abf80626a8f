"""List pages run the same number of queries with 1 row and with 20 (no query per row)."""

from datetime import date

import pytest
from django.urls import reverse

from sendwise.core.access import actor_for
from sendwise.core.services import audit_record
from sendwise.planning import services as planning
from tests.factories import ClassGroupFactory, MembershipFactory, PupilFactory, UserFactory
from tests.queries import assert_database_query_count, capture_queries


def add_rows(world, page: str, n: int) -> None:
    senco = actor_for(world.users["senco"])
    for i in range(n):
        if page == "audit_log":
            audit_record(
                actor=senco, action="view", object_type="pupil", object_id=i, object_repr=f"P{i}"
            )
        elif page == "staff":
            MembershipFactory(user=UserFactory(), school=world.school, role="teacher")
        elif page == "classes":
            ClassGroupFactory(school=world.school, nc_year=5)
        elif page == "census_checks":
            PupilFactory(school=world.school)  # at K without a dated record: fails the check
        elif page == "planning:plans":
            plan = planning.plan_create(
                actor=senco,
                pupil=world.pupil_in_class,
                start_date=date(2020 + i, 9, 1),
                review_date=date(2020 + i, 12, 1),
            )
            planning.plan_review(
                actor=senco, plan=plan, reviewed_on=date(2020 + i, 12, 1), summary="Reviewed"
            )


def url(world, page: str) -> str:
    if page == "planning:plans":
        return reverse(page, kwargs={"pupil_id": world.pupil_in_class.pk})
    if page == "census_checks":
        return reverse("pupils:census_checks")
    return reverse(page)


def get(client, address: str) -> None:
    assert client.get(address).status_code == 200


@pytest.mark.parametrize(
    "page", ["audit_log", "staff", "classes", "census_checks", "planning:plans"]
)
def test_list_page_queries_do_not_grow_with_rows(page, world, client_as):
    client = client_as("senco")
    add_rows(world, page, 1)
    client.get(url(world, page))  # warm the session
    with capture_queries() as one_row:
        get(client, url(world, page))
    add_rows(world, page, 19)
    client.get(url(world, page))
    with assert_database_query_count(one_row, info=f"{page} with 20 rows, against 1 row"):
        get(client, url(world, page))
