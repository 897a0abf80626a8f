"""Recording scores: the measure's range, sensible dates, history and the audit trail."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sendwise.core.access import actor_for
from sendwise.core.models import AuditEntry
from sendwise.monitoring import services
from sendwise.monitoring.models import Score
from sendwise.monitoring.selectors import pupil_scores


@pytest.fixture
def senco(world):
    return actor_for(world.users["senco"])


def add(senco, pupil, measure, value=95.0, taken_on=None, **kwargs):
    return services.score_add(
        actor=senco,
        pupil=pupil,
        measure=measure,
        value=value,
        taken_on=taken_on or timezone.localdate(),
        **kwargs,
    )


def test_a_score_within_the_range_is_saved_with_who_entered_it(world, senco, standardised):
    score = add(senco, world.pupil_in_class, standardised, value=84, note="Form A")
    assert score.school == world.school
    assert score.entered_by == world.users["senco"]
    assert score.note == "Form A"
    assert list(pupil_scores(pupil=world.pupil_in_class)) == [score]


@pytest.mark.parametrize("value", [69.9, 130.5, -1])
def test_a_score_outside_the_measures_range_is_refused(world, senco, standardised, value):
    with pytest.raises(ValidationError) as caught:
        add(senco, world.pupil_in_class, standardised, value=value)
    expected = "The score must be between 70 and 130 on Reading comprehension (standardised)"
    assert caught.value.message_dict == {"value": [expected]}
    assert not Score.objects.exists()


@pytest.mark.parametrize("value", [70, 130])
def test_the_ends_of_the_range_are_allowed(world, senco, standardised, value):
    assert add(senco, world.pupil_in_class, standardised, value=value).value == value


def test_any_number_is_allowed_when_the_measure_has_no_range(world, senco, open_ended):
    assert add(senco, world.pupil_in_class, open_ended, value=-3.5).value == -3.5


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_a_value_that_is_not_a_number_is_refused(world, senco, open_ended, value):
    with pytest.raises(ValidationError) as caught:
        add(senco, world.pupil_in_class, open_ended, value=value)
    assert caught.value.message_dict == {"value": [services.SCORE_NOT_A_NUMBER]}
    assert not Score.objects.exists()


def test_a_date_in_the_future_is_refused(world, senco, standardised):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as caught:
        add(senco, world.pupil_in_class, standardised, taken_on=tomorrow)
    assert caught.value.message_dict == {"taken_on": [services.SCORE_IN_FUTURE]}
    assert not Score.objects.exists()


def test_a_date_before_the_pupil_was_born_is_refused(world, senco, standardised):
    pupil = world.pupil_in_class
    with pytest.raises(ValidationError) as caught:
        add(senco, pupil, standardised, taken_on=pupil.date_of_birth - timedelta(days=1))
    assert caught.value.message_dict == {"taken_on": [services.SCORE_BEFORE_BIRTH]}
    assert not Score.objects.exists()


def test_range_and_date_errors_are_reported_together(world, senco, standardised):
    with pytest.raises(ValidationError) as caught:
        add(senco, world.pupil_in_class, standardised, value=200, taken_on=date(1990, 1, 1))
    assert set(caught.value.message_dict) == {"value", "taken_on"}


def test_a_changed_score_keeps_its_earlier_value_in_history(world, senco, standardised):
    score = add(senco, world.pupil_in_class, standardised, value=84)
    score.value = 88
    score.save()
    assert [h.value for h in score.history.order_by("history_date")] == [84, 88]


def test_adding_a_score_is_audited_against_the_pupil(world, senco, standardised):
    add(senco, world.pupil_in_class, standardised, value=84)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.CREATE)
    assert entry.object_type == "pupil"
    assert entry.object_id == str(world.pupil_in_class.pk)
    assert entry.user == world.users["senco"]
    assert "84" in entry.detail and standardised.name in entry.detail


def test_scores_are_listed_newest_first(world, senco, standardised):
    today = timezone.localdate()
    older = add(senco, world.pupil_in_class, standardised, taken_on=today - timedelta(days=30))
    newer = add(senco, world.pupil_in_class, standardised, taken_on=today)
    assert list(pupil_scores(pupil=world.pupil_in_class)) == [newer, older]
    assert list(pupil_scores(pupil=world.pupil_elsewhere)) == []


def test_the_same_score_entered_twice_on_one_day_is_recorded_once(world, senco, standardised):
    """A double submit (or two people entering one sheet) must not count twice in the trend."""
    first = add(senco, world.pupil_in_class, standardised, value=84)
    with pytest.raises(ValidationError) as caught:
        add(senco, world.pupil_in_class, standardised, value=86)
    assert caught.value.message_dict == {"taken_on": [services.ALREADY_RECORDED.format(value="84")]}
    assert list(Score.objects.all()) == [first]


def test_a_score_on_another_day_or_after_a_withdrawal_is_recorded(world, senco, standardised):
    today = timezone.localdate()
    first = add(senco, world.pupil_in_class, standardised, value=84, taken_on=today)
    add(senco, world.pupil_in_class, standardised, value=85, taken_on=today - timedelta(days=1))
    Score.objects.filter(pk=first.pk).update(withdrawn_at=timezone.now())
    again = add(senco, world.pupil_in_class, standardised, value=86, taken_on=today)
    assert again.value == 86
