"""The most used pages (the staff home and a pupil's page: the load benchmark's two busiest)
run a fixed number of queries, whatever the number of pupils, contacts, voices or changes."""

from datetime import date

import pytest
from django.urls import reverse

from sendwise.core.access import actor_for
from sendwise.core.roles import Role
from sendwise.pupils.profile_services import voice_add
from tests.factories import ContactFactory, PupilFactory
from tests.queries import assert_database_query_count, capture_queries


def home_rows(world, n: int) -> None:
    """Pupils in the class the teacher and the assistant work in (their "my pupils" list)."""
    for _ in range(n):
        PupilFactory(school=world.school, class_group=world.pupil_in_class.class_group)


def pupil_rows(world, n: int) -> None:
    """Parents and carers, voices (each also a change on the history timeline)."""
    senco = actor_for(world.users[Role.SENCO])
    for i in range(n):
        ContactFactory(pupil=world.pupil_in_class, name=f"Carer {i}")
        voice_add(
            actor=senco,
            pupil=world.pupil_in_class,
            kind="pupil",
            text=f"I like reading with a friend ({i})",
            gathered_on=date(2026, 10, 1),
        )


def count_queries(client, url) -> int:
    client.get(url)  # warm the session
    with capture_queries() as ran:
        assert client.get(url).status_code == 200
    return len(ran)


@pytest.mark.parametrize("role", [Role.SENCO, Role.INTERVENTION_SPECIALIST, Role.TEACHER])
def test_the_home_page_runs_as_many_queries_for_twenty_pupils_as_for_one(world, client_as, role):
    client = client_as(role)
    url = reverse("home")
    one = count_queries(client, url)
    home_rows(world, 20)
    with assert_database_query_count(one, info=f"home as {role}, 20 more pupils against none"):
        client.get(url)


@pytest.mark.parametrize("role", [Role.SENCO, Role.INTERVENTION_SPECIALIST, Role.PARENT])
def test_a_pupils_page_runs_as_many_queries_for_twenty_voices_as_for_one(world, client_as, role):
    client = client_as(role)
    url = reverse("pupils:detail", kwargs={"pupil_id": world.pupil_in_class.pk})
    pupil_rows(world, 1)
    one = count_queries(client, url)
    pupil_rows(world, 20)
    with assert_database_query_count(one, info=f"pupil page as {role}, 21 rows against 1"):
        client.get(url)


@pytest.mark.parametrize("role", [Role.SENCO, Role.INTERVENTION_SPECIALIST])
def test_the_changes_page_runs_as_many_queries_for_twenty_changes_as_for_one(
    world, client_as, role
):
    client = client_as(role)
    url = reverse("pupils:changes", kwargs={"pupil_id": world.pupil_in_class.pk})
    pupil_rows(world, 1)
    one = count_queries(client, url)
    pupil_rows(world, 20)
    assert len(client.get(url).context["history"]) > 20
    with assert_database_query_count(one, info=f"changes page as {role}, 21 rows against 1"):
        client.get(url)


def test_the_pupils_page_reads_no_history_table(world, client_as):
    """Who changed what is on its own page (pupils:changes): the most visited page does not
    read the seven history tables on every visit."""
    pupil_rows(world, 3)
    client = client_as(Role.SENCO)
    url = reverse("pupils:detail", kwargs={"pupil_id": world.pupil_in_class.pk})
    client.get(url)
    with capture_queries() as ran:
        client.get(url)
    assert not [sql for sql in ran.sql if "_historical" in sql]
    changes = reverse("pupils:changes", kwargs={"pupil_id": world.pupil_in_class.pk})
    with capture_queries() as ran:
        client.get(changes)
    assert len([sql for sql in ran.sql if '"pupils_historical' in sql]) == 7


def test_the_senco_home_and_pupil_page_counts(world, client_as):
    """Fixed figures, so a change that adds a query to every visit is seen in review: session,
    user, memberships, then the page's own; a pupil's page writes its read audit with one
    INSERT."""
    client = client_as(Role.SENCO)
    assert count_queries(client, reverse("home")) == 5
    url = reverse("pupils:detail", kwargs={"pupil_id": world.pupil_in_class.pk})
    client.get(url)
    with capture_queries() as ran:
        client.get(url)
    inserts = [sql for sql in ran.sql if sql.startswith("INSERT")]
    assert len(inserts) == 1 and "core_auditentry" in inserts[0]
    assert len(ran) == 16
