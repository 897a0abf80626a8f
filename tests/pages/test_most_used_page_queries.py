"""The most used pages (the staff home and a pupil's page: the load benchmark's two busiest)
run a fixed number of queries, whatever the number of pupils, contacts, voices or changes."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from sendwise.core.access import actor_for
from sendwise.core.roles import Role
from sendwise.evidence.models import Measure
from sendwise.impact.result_services import impact_rebuild
from sendwise.monitoring.flag_services import flags_evaluate_school
from sendwise.pupils.profile_services import voice_add
from tests.evidence.factories import InterventionFactory
from tests.factories import ContactFactory, PupilFactory
from tests.impact.test_selectors import START, WORKED, place
from tests.monitoring.factories import not_responding
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


def signed_in_with_second_factor(client, user):
    """Signed in as production signs a SENCO in: the session carries the confirmed
    authenticator, which django-otp reads on every request (ADR 0015)."""
    device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def tables(ran) -> list[str]:
    """The table each statement reads first (after FROM), in order."""
    return [re.search(r'FROM "(\w+)"', sql).group(1) for sql in ran.sql]


#: What every signed-in request reads before the page's own work: the session, the user, the
#: second factor's device, the actor's memberships (one query each; benchmarks/dashboard.py
#: and impact.py compare the page with these and the page's own, replayed raw: ADR 0024).
SIGN_IN = ["django_session", "core_user", "otp_totp_totpdevice", "core_membership"]


def test_the_decisions_page_reads_the_sign_in_then_its_flags_and_classes(world, client):
    """Issue 11's page: six reads whatever the number of flagged pupils, and no write."""
    for n in range(3):
        not_responding(PupilFactory(school=world.school, last_name=f"P{n}"))
    flags_evaluate_school(school_id=world.school.pk)
    client = signed_in_with_second_factor(client, world.users[Role.SENCO])
    url = reverse("decisions")
    for query in ("", "?reason=not_responding&sort=name"):
        client.get(url + query)
        with capture_queries() as ran:
            page = client.get(url + query).content.decode()
        assert "3 pupils</caption>" in page
        assert tables(ran) == [*SIGN_IN, "monitoring_flag", "pupils_classgroup"], ran.listing()


def test_the_impact_page_reads_the_sign_in_then_its_years_and_cells(world, client):
    """Issue 12's page: six reads whatever the number of interventions, measures and terms
    (the cells' sums over terms are added up in Python, one plain read)."""
    measure = Measure.objects.create(
        slug="reading-ss", name="Reading test", kind="standardised", mean=100, sd=15,
        higher_is_better=True, reliability=0.96,
    )  # fmt: skip
    for n in range(3):
        intervention = InterventionFactory(name=f"Programme {n}")
        for pre, post in WORKED:
            place(world.school, intervention, measure, pre, post)
        for pre, post in WORKED:  # and a term later
            place(world.school, intervention, measure, pre, post, start=START + timedelta(weeks=14))
    impact_rebuild(school_id=world.school.pk)
    client = signed_in_with_second_factor(client, world.users[Role.SENCO])
    url = f"{reverse('impact:school')}?year={START.year}"
    client.get(url)
    with capture_queries() as ran:
        page = client.get(url).content.decode()
    # Each programme's two terms of five pupils, added up.
    assert "n = 10" in page and "n = 5" not in page
    assert tables(ran) == [*SIGN_IN, "impact_impactaggregate", "impact_impactaggregate"], (
        ran.listing()
    )
