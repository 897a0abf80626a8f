"""Record history names who made each change, also when no request is involved (a background
task or a management command calls the same services)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from sendwise.core.access import actor_for
from sendwise.core.history import acting_as, acting_user
from sendwise.planning import services as planning_services
from sendwise.planning.models import Plan
from sendwise.pupils import profile_services


def test_a_plan_written_outside_a_request_names_the_senco_in_its_history(world):
    senco = actor_for(world.users["senco"])
    plan = planning_services.plan_create(
        actor=senco,
        pupil=world.pupil_in_class,
        start_date=date(2026, 9, 7),
        review_date=date(2026, 12, 11),
    )
    assert Plan.history.filter(id=plan.id).get().history_user == world.users["senco"]


def test_a_service_that_fails_names_nobody_afterwards(world):
    senco = actor_for(world.users["senco"])
    with pytest.raises(ValidationError):  # the attendance range check refuses it
        profile_services.needs_profile_update(
            actor=senco, pupil=world.pupil_in_class, attendance_percent=250
        )
    assert acting_user() is None


def test_nested_services_restore_the_outer_user(world):
    with acting_as(world.users["senco"]):
        with acting_as(world.users["teacher"]):
            assert acting_user() == world.users["teacher"]
        assert acting_user() == world.users["senco"]
    assert acting_user() is None
