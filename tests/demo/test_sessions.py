"""The demo's recorded sessions: a term of them, with absences and cancellations, a flagged
dose, and sessions for the demo specialist to record today."""

import pytest
from django.utils import timezone

from sendwise.core.access import actor_for
from sendwise.core.models import School, User
from sendwise.delivery import session_selectors
from sendwise.delivery.models import Attendance, Group, Session
from sendwise.demo import generate as demo
from sendwise.evidence.services import catalogue_seed


@pytest.fixture
def main_school(db):
    catalogue_seed()
    demo.demo_load(seed=5)
    return School.objects.get(urn=demo.MAIN_URN)


def test_the_demo_has_a_term_of_sessions_with_absences_and_cancellations(main_school):
    sessions = Session.objects.filter(school=main_school)
    assert sessions.count() > 40
    assert sessions.filter(status="cancelled").exists()
    assert Attendance.objects.filter(school=main_school, status="absent").exists()
    assert not sessions.filter(date__gte=timezone.localdate()).exists()
    ta = User.objects.get(email=f"ta@{demo.DEMO_DOMAIN}")
    doses = {}
    for group in Group.objects.filter(school=main_school).prefetch_related(
        "members__placement__plan"
    ):
        placements = [m.placement for m in group.members.all()]
        doses.update(
            session_selectors.dose_for_placements(school_id=main_school.pk, placements=placements)
        )
    assert any(d.below and "cancellations" in d.reason for d in doses.values())
    today, _earlier = session_selectors.sessions_due(actor=actor_for(ta, main_school.pk))
    if timezone.localdate().weekday() < 5:
        assert today and all(d.session is None for d in today)
