"""Two people recording the same session at the same moment, each on a database connection of
their own (two threads, as two web workers would be): one session is recorded, and the second
person is told who recorded it and sees what they saved; nothing is overwritten silently.

A true race needs a database where a second writer waits for the first: PostgreSQL, or SQLite
in a file (run with SENDWISE_TEST_DB=file). In-memory SQLite test databases share one cache,
where a second writer fails at once instead of waiting, so there the test is skipped.
"""

import threading
import time

import pytest
from django.db import connection, connections
from django.utils import timezone

from sendwise.core.access import actor_for
from sendwise.delivery import session_services as services
from sendwise.delivery.models import Attendance, Session
from sendwise.delivery.session_services import AttendanceInput, SessionInput
from tests.delivery.factories import running_group

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def needs_a_database_with_waiting_writers():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("in-memory SQLite cannot hold a write race: run with SENDWISE_TEST_DB=file")


def race(*calls):
    """Run each call in a thread of its own, started together; returns what each returned or
    raised, in order."""
    start = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(n, call):
        try:
            start.wait(timeout=10)
            results[n] = call()
        except Exception as error:  # the test inspects what was raised
            results[n] = error
        finally:
            for alias in connections:
                connections[alias].close()

    threads = [threading.Thread(target=run, args=(n, c)) for n, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_people_recording_one_session_at_once_record_it_once(world, monkeypatch):
    group, members = running_group(world, pupils=3)
    slot = group.slots.get()
    today = timezone.localdate()
    # Whoever gets in first holds their transaction open a moment, so the second one is
    # certainly trying to record while the first has not finished.
    slow_members_on = services.members_on

    def members_on_slowly(group, on):
        time.sleep(0.5)
        return slow_members_on(group, on)

    monkeypatch.setattr(services, "members_on", members_on_slowly)

    def recording(who, data):
        return lambda: services.session_record(
            actor=actor_for(world.users[who]), group=group, on=today, slot=slot, data=data
        )

    delivered = SessionInput(
        status="delivered",
        minutes=30,
        note="Phase 3 sounds",
        attendance=[AttendanceInput(m.pk, "present", engagement=3) for m in members],
    )
    cancelled = SessionInput(status="cancelled", cancel_reason="staff_absent")
    first, second = race(
        recording("intervention_specialist", delivered), recording("senco", cancelled)
    )

    saved = [r for r in (first, second) if isinstance(r, Session)]
    refused = [r for r in (first, second) if isinstance(r, services.SessionConflict)]
    assert len(saved) == 1 and len(refused) == 1, (first, second)
    assert Session.objects.count() == 1
    session = Session.objects.get()
    # The second person is shown what the first one saved, and who saved it.
    assert refused[0].session.pk == session.pk
    assert refused[0].session.status == session.status
    assert refused[0].session.recorded_by_id == session.recorded_by_id
    assert session.recorded_by.full_name in refused[0].messages[0]
    # Nothing of the second recording was written over the first.
    if session.status == "delivered":
        assert (session.minutes, session.note) == (30, "Phase 3 sounds")
        assert Attendance.objects.filter(session=session).count() == 3
    else:
        assert session.cancel_reason == "staff_absent"
        assert not Attendance.objects.exists()
