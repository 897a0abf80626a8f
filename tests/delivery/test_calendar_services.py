"""Keeping the school calendar (``calendar_services``): closures added, changed and removed with
history and an audit entry; bad input refused with a clear message and nothing saved."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sendwise.core.access import actor_for
from sendwise.core.models import AuditEntry
from sendwise.delivery import calendar_services as services
from sendwise.delivery.calendar_services import ClosureInput
from sendwise.delivery.models import Closure
from tests.delivery.factories import make_closure

TODAY = date(2026, 12, 7)
HALF_TERM = ClosureInput(date(2027, 2, 15), date(2027, 2, 19), "holiday", "Spring half-term")


def save(world, data, *, who="senco", closure=None):
    return services.closure_save(
        actor=actor_for(world.users[who]), closure=closure, data=data, today=TODAY
    )


def refused(world, data, **kwargs) -> dict:
    with pytest.raises(ValidationError) as error:
        save(world, data, **kwargs)
    return error.value.message_dict


def test_the_senco_adds_a_half_term_with_history_and_an_audit_entry(world):
    closure = save(world, HALF_TERM)
    assert (closure.school, closure.first_day, closure.last_day) == (
        world.school,
        date(2027, 2, 15),
        date(2027, 2, 19),
    )
    assert closure.weekdays == 5
    assert closure.history.first().history_user == world.users["senco"]
    assert AuditEntry.objects.filter(object_type="closure", object_id=str(closure.pk)).exists()


def test_an_inset_day_needs_only_its_first_day_and_the_name_is_tidied(world):
    closure = save(world, ClosureInput(date(2027, 1, 4), None, "inset", "  INSET   day "))
    assert (closure.first_day, closure.last_day, closure.name) == (
        date(2027, 1, 4),
        date(2027, 1, 4),
        "INSET day",
    )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (ClosureInput(None, None, "holiday", "Half-term"), "first_day", services.FIRST_REQUIRED),
        (
            ClosureInput(date(2027, 2, 19), date(2027, 2, 15), "holiday", "Half-term"),
            "last_day",
            services.LAST_BEFORE_FIRST,
        ),
        (
            ClosureInput(date(2027, 7, 1), date(2027, 9, 30), "holiday", "Summer"),
            "last_day",
            services.TOO_LONG,
        ),
        (ClosureInput(date(2027, 2, 15), None, "", "Half-term"), "kind", services.KIND_REQUIRED),
        (
            ClosureInput(date(2027, 2, 15), None, "party", "Half-term"),
            "kind",
            services.KIND_REQUIRED,
        ),
        (ClosureInput(date(2027, 2, 15), None, "holiday", "   "), "name", services.NAME_REQUIRED),
        (
            ClosureInput(date(2027, 2, 15), None, "holiday", "x" * 81),
            "name",
            services.NAME_TOO_LONG,
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(world, data, field, message):
    assert refused(world, data)[field] == [message]
    assert not Closure.objects.exists()


@pytest.mark.parametrize(
    "day", [date(2024, 12, 6), date(2029, 12, 8), date(2206, 10, 26), date(1926, 10, 26)]
)
def test_dates_more_than_two_years_back_or_three_ahead_are_refused(world, day):
    problems = refused(world, ClosureInput(day, None, "closed", "Snow day"))
    assert problems["first_day"] == [
        services.OUT_OF_RANGE.format(earliest="7 December 2024", latest="7 December 2029")
    ]
    assert not Closure.objects.exists()


def test_the_edges_of_the_range_are_accepted(world):
    save(world, ClosureInput(date(2024, 12, 7), None, "closed", "Snow day"))
    save(world, ClosureInput(date(2029, 12, 7), None, "closed", "Polling day"))
    assert Closure.objects.count() == 2


def test_a_closure_overlapping_another_is_refused_naming_it(world):
    existing = save(world, HALF_TERM)
    inset = ClosureInput(date(2027, 2, 19), date(2027, 2, 22), "inset", "INSET days")
    assert refused(world, inset)["first_day"] == [services.OVERLAPS.format(other=existing)]
    assert Closure.objects.count() == 1
    # The next Monday is free: adjacent closures are fine.
    save(world, ClosureInput(date(2027, 2, 22), None, "inset", "INSET day"))


def test_another_schools_closure_does_not_count_as_an_overlap(world):
    make_closure(world.other_school, date(2027, 2, 15), date(2027, 2, 19))
    save(world, HALF_TERM)


def test_changing_a_closure_keeps_its_history_and_may_not_overlap_another(world):
    closure = save(world, HALF_TERM)
    save(world, ClosureInput(date(2027, 1, 4), None, "inset", "INSET day"))
    longer = ClosureInput(date(2027, 2, 15), date(2027, 2, 22), "holiday", "Spring half-term")
    save(world, longer, closure=closure, who="head")
    closure.refresh_from_db()
    assert closure.last_day == date(2027, 2, 22)
    assert closure.history.count() == 2
    clash = ClosureInput(date(2027, 1, 4), date(2027, 1, 8), "holiday", "Spring half-term")
    assert "first_day" in refused(world, clash, closure=closure)
    closure.refresh_from_db()
    assert closure.first_day == date(2027, 2, 15)


def test_removing_a_closure_makes_its_days_school_days_and_keeps_its_history(world):
    closure = save(world, HALF_TERM)
    pk = closure.pk
    services.closure_remove(actor=actor_for(world.users["admin"]), closure=closure)
    assert not Closure.objects.filter(pk=pk).exists()
    assert (
        Closure.history.filter(id=pk, history_type="-").get().history_user == world.users["admin"]
    )
    assert AuditEntry.objects.filter(object_type="closure", detail__startswith="Removed").exists()


def test_another_schools_senco_can_neither_change_nor_remove_a_closure(world):
    closure = save(world, HALF_TERM)
    other = actor_for(world.users["other_school_senco"])
    with pytest.raises(PermissionDenied):
        services.closure_save(actor=other, closure=closure, data=HALF_TERM, today=TODAY)
    with pytest.raises(PermissionDenied):
        services.closure_remove(actor=other, closure=closure)
    assert Closure.objects.filter(pk=closure.pk, last_day=date(2027, 2, 19)).exists()


def test_the_database_refuses_a_closure_ending_before_it_starts(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        make_closure(world.school, date(2027, 2, 19), date(2027, 2, 15))


def test_weekdays_counts_monday_to_friday_only():
    closure = Closure(first_day=date(2026, 12, 19), last_day=date(2027, 1, 3))
    assert closure.weekdays == 10  # Christmas: two weeks, weekends apart
    assert Closure(first_day=date(2026, 12, 19), last_day=date(2026, 12, 20)).weekdays == 0
