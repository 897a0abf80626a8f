"""The demo schools' calendars (``demo.calendar``): the closures match the demo's term dates
day for day, and a loaded demo has them for every school before the decision rules run, so
no holiday is flagged as a dose not delivered.

The demo trust is loaded once for the module (tests/shared_data.py)."""

import copy
import itertools
from datetime import date, timedelta

import pytest
from django.utils import timezone

from sendwise.core.models import School
from sendwise.delivery.calendar_services import ClosureInput, closure_problems
from sendwise.delivery.dose import NOT_RECORDED
from sendwise.delivery.models import Closure, GroupMember, Session
from sendwise.demo import generate as demo
from sendwise.demo import term_dates
from sendwise.demo.calendar import closures_for_year
from sendwise.evidence.services import catalogue_seed
from sendwise.monitoring.models import Flag
from tests.shared_data import rows_for_module


def load() -> School:
    catalogue_seed()
    demo.demo_load(seed=5)
    return School.objects.get(urn=demo.MAIN_URN)


@pytest.fixture(scope="module", autouse=True)
def shared_main_school(django_db_setup, django_db_blocker):
    yield from rows_for_module(django_db_blocker, load)


@pytest.fixture
def main_school(shared_main_school, db):
    return copy.deepcopy(shared_main_school)


def test_the_2026_27_closures_read_like_a_published_term_dates_page():
    found = {(a, b, kind, name) for a, b, kind, name in closures_for_year(2026)}
    # Hand-checked against the rules in demo.term_dates: October half-term is the week of the
    # last Monday in October; Christmas from the Saturday after the last Friday on or before
    # 20 December to the day before the spring INSET day (Monday 4 January 2027).
    assert (date(2026, 9, 1), date(2026, 9, 2), "inset", "INSET days") in found
    assert (date(2026, 10, 26), date(2026, 10, 30), "holiday", "Autumn half-term") in found
    assert (date(2026, 11, 2), date(2026, 11, 2), "inset", "INSET day") in found
    assert (date(2026, 12, 19), date(2027, 1, 3), "holiday", "Christmas holiday") in found
    assert (date(2027, 5, 3), date(2027, 5, 3), "holiday", "Early May bank holiday") in found
    # Easter Sunday 2027 is 28 March: two weeks' holiday from Monday 22 March.
    assert (date(2027, 3, 20), date(2027, 4, 4), "holiday", "Easter holiday") in found


@pytest.mark.parametrize("starts", [2025, 2026, 2027])
def test_the_closures_close_exactly_the_weekdays_the_term_dates_say_are_not_school_days(starts):
    closed = set()
    for a, b, _kind, _name in closures_for_year(starts):
        closed |= {a + timedelta(days=n) for n in range((b - a).days + 1)}
    day = date(starts, 9, 1)
    while day < date(starts + 1, 9, 1):
        if day.weekday() < 5:
            assert (day in closed) != term_dates.is_school_day(day), day
        day += timedelta(days=1)


def test_every_demo_school_has_its_calendar_and_each_closure_passes_the_calendars_checks(
    main_school,
):
    today = timezone.localdate()
    for school in School.objects.filter(trust=main_school.trust):
        closures = list(Closure.objects.filter(school=school).order_by("first_day"))
        assert len(closures) >= 30  # three school years
        for earlier, later in itertools.pairwise(closures):
            assert earlier.last_day < later.first_day  # no overlaps
        for c in closures:
            data = ClosureInput(c.first_day, c.last_day, c.kind, c.name)
            assert closure_problems(data, today) == {}, c


def test_no_demo_session_falls_in_a_closure(main_school):
    closures = list(Closure.objects.filter(school=main_school))
    for on in Session.objects.filter(school=main_school).values_list("date", flat=True):
        assert not any(c.first_day <= on <= c.last_day for c in closures), on


def test_no_dose_is_flagged_short_for_sessions_that_fell_in_holidays(main_school):
    """The low-dose flags left are real: pupils never put in a group, cancellations, absences."""
    in_groups = set(
        GroupMember.objects.filter(school=main_school).values_list("placement_id", flat=True)
    )
    flags = Flag.objects.filter(school=main_school, kind="low_dose", verdict="raised")
    assert flags.exists()
    for flag in flags:
        if flag.placement_id in in_groups:
            assert f"mostly {NOT_RECORDED}" not in flag.reason, flag.reason
