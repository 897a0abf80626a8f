"""A score entered by mistake is corrected or withdrawn with a reason, by whoever entered it or a
SENCO; history keeps the earlier value; a withdrawn score counts nowhere; two people changing
the same score at once do not silently overwrite each other."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from sendwise.core.access import actor_for
from sendwise.core.models import AuditEntry
from sendwise.monitoring import correction_services as corrections
from sendwise.monitoring import services
from sendwise.monitoring.models import Score
from sendwise.monitoring.selectors import pupil_scores
from sendwise.planning import withdraw_services
from tests.queries import assert_database_query_count, capture_queries


@pytest.fixture
def senco(world):
    return actor_for(world.users["senco"])


@pytest.fixture
def teacher(world):
    return actor_for(world.users["teacher"])


@pytest.fixture
def score(world, teacher, standardised):
    """84 on the standardised reading test, entered by the class teacher a week ago."""
    return services.score_add(
        actor=teacher,
        pupil=world.pupil_in_class,
        measure=standardised,
        value=84,
        taken_on=timezone.localdate() - timedelta(days=7),
    )


def correct(actor, score, value=88, taken_on=None, reason="Typed 84 for 88", seen=1):
    return corrections.score_correct(
        actor=actor,
        score=score,
        value=value,
        taken_on=taken_on or score.taken_on,
        reason=reason,
        seen_version=seen,
    )


def withdraw(actor, score, reason="Entered for the wrong pupil", seen=1):
    return corrections.score_withdraw(actor=actor, score=score, reason=reason, seen_version=seen)


def test_the_teacher_who_entered_a_score_corrects_it_and_history_keeps_the_old_value(
    teacher, score
):
    corrected = correct(teacher, score, value=88)
    assert Score.objects.get(pk=score.pk).value == 88
    assert corrected.version == 2
    history = list(
        score.history.order_by("history_id").values_list("value", "history_change_reason")
    )
    assert history == [(84, None), (88, "Typed 84 for 88")]
    entry = AuditEntry.objects.filter(action="update").get()
    assert "from 84 taken" in entry.detail and "to 88" in entry.detail
    assert entry.detail.endswith("Typed 84 for 88")


def test_a_score_loaded_without_history_keeps_its_first_value_when_corrected(teacher, score):
    """The demo's scores and imported ones are written in bulk, with no history row: the value
    as entered must still be on record after the first correction."""
    score.history.all().delete()
    correct(teacher, score, value=88)
    history = list(
        score.history.order_by("history_id").values_list("value", "history_change_reason")
    )
    assert history == [(84, "As it was recorded"), (88, "Typed 84 for 88")]


def test_a_senco_may_correct_anyones_score(senco, score):
    assert correct(senco, score, value=90).value == 90


def test_someone_else_who_did_not_enter_it_may_not(world, score):
    assistant = actor_for(world.users["intervention_specialist"])
    with pytest.raises(PermissionDenied):
        correct(assistant, score)
    with pytest.raises(PermissionDenied):
        withdraw(assistant, score)
    assert Score.objects.get(pk=score.pk).value == 84


def test_a_correction_keeps_to_the_measures_range_and_the_date_rules(teacher, score):
    with pytest.raises(ValidationError) as caught:
        correct(teacher, score, value=999, taken_on=timezone.localdate() + timedelta(days=1))
    assert caught.value.message_dict == {
        "value": ["The score must be between 70 and 130 on Reading comprehension (standardised)"],
        "taken_on": [services.SCORE_IN_FUTURE],
    }
    assert Score.objects.get(pk=score.pk).value == 84


@pytest.mark.parametrize(
    ("reason", "message"),
    [("", corrections.REASON_REQUIRED_CORRECT), ("   ", corrections.REASON_REQUIRED_CORRECT),
     ("x" * 301, corrections.REASON_TOO_LONG)],
)  # fmt: skip
def test_a_correction_needs_a_short_reason(teacher, score, reason, message):
    with pytest.raises(ValidationError) as caught:
        correct(teacher, score, reason=reason)
    assert caught.value.message_dict == {"reason": [message]}
    assert Score.objects.get(pk=score.pk).version == 1


def test_a_scores_reason_is_held_to_the_same_rule_as_a_plans(teacher, score, monkeypatch):
    """One rule for every correction's and withdrawal's reason: tightening the plan's rule
    tightens the score's too, with the same message."""
    monkeypatch.setattr(withdraw_services, "MAX_REASON", 5)
    for change in (correct, withdraw):
        with pytest.raises(ValidationError) as caught:
            change(teacher, score, reason="Typed 84 for 88")
        assert caught.value.message_dict == {"reason": [withdraw_services.REASON_TOO_LONG]}
    assert corrections.REASON_TOO_LONG == withdraw_services.REASON_TOO_LONG
    assert Score.objects.get(pk=score.pk).version == 1


def test_a_correction_that_changes_nothing_is_refused(teacher, score):
    with pytest.raises(ValidationError) as caught:
        correct(teacher, score, value=84)
    assert caught.value.message_dict == {"value": [corrections.NOTHING_CHANGED]}


def test_a_withdrawn_score_stays_on_record_but_counts_nowhere(world, teacher, score):
    withdraw(teacher, score)
    kept = Score.objects.get(pk=score.pk)
    assert kept.withdrawn_by == world.users["teacher"]
    assert kept.withdrawn_reason == "Entered for the wrong pupil"
    assert list(Score.objects.current()) == []
    assert list(pupil_scores(pupil=world.pupil_in_class)) == []
    assert kept.history.first().history_change_reason == "Withdrawn: Entered for the wrong pupil"
    assert AuditEntry.objects.filter(action="update", detail__startswith="Withdrew").exists()


def test_a_withdrawn_score_cannot_be_corrected_or_withdrawn_again(teacher, score):
    withdraw(teacher, score)
    with pytest.raises(ValidationError) as caught:
        correct(teacher, score, seen=2)
    assert caught.value.messages == [corrections.ALREADY_WITHDRAWN]
    with pytest.raises(ValidationError):
        withdraw(teacher, score, seen=2)
    assert Score.objects.get(pk=score.pk).value == 84


@pytest.mark.parametrize(
    ("reason", "message"),
    [("", corrections.REASON_REQUIRED_WITHDRAW), ("x" * 301, corrections.REASON_TOO_LONG)],
)
def test_a_withdrawal_needs_a_short_reason(teacher, score, reason, message):
    with pytest.raises(ValidationError) as caught:
        withdraw(teacher, score, reason=reason)
    assert caught.value.message_dict == {"reason": [message]}
    assert Score.objects.current().filter(pk=score.pk).exists()


def test_the_second_of_two_people_correcting_at_once_sees_the_first_ones_change(
    senco, teacher, score
):
    # Both opened the form at version 1; the teacher saves first.
    correct(teacher, score, value=88)
    with pytest.raises(corrections.ScoreConflict) as caught:
        correct(senco, score, value=86, reason="Should be 86", seen=1)
    assert caught.value.score.value == 88
    assert "teacher person changed this score" in caught.value.messages[0]
    assert "It now reads 88" in caught.value.messages[0]
    assert Score.objects.get(pk=score.pk).value == 88
    with pytest.raises(corrections.ScoreConflict):
        withdraw(senco, score, seen=1)
    assert Score.objects.current().filter(pk=score.pk).exists()


# --- Pages ------------------------------------------------------------------------------------
def scores_url(pupil):
    return reverse("monitoring:scores", kwargs={"pupil_id": pupil.pk})


def correct_url(score):
    return reverse(
        "monitoring:score_correct", kwargs={"pupil_id": score.pupil_id, "score_id": score.pk}
    )


def withdraw_url(score):
    return reverse(
        "monitoring:score_withdraw", kwargs={"pupil_id": score.pupil_id, "score_id": score.pk}
    )


def test_the_scores_page_lists_current_scores_by_measure_and_the_withdrawn_ones(
    world, client_as, teacher, score, standardised
):
    other = services.score_add(
        actor=teacher,
        pupil=world.pupil_in_class,
        measure=standardised,
        value=101,
        taken_on=timezone.localdate(),
    )
    withdraw(teacher, other, reason="Wrong test form")
    page = client_as("teacher").get(scores_url(world.pupil_in_class)).content.decode()
    assert "Reading comprehension (standardised)" in page
    assert "Scores run from 70 to 130" in page
    assert "Wrong test form" in page
    assert correct_url(score) in page and withdraw_url(score) in page
    assert correct_url(other) not in page  # a withdrawn score has no actions


def test_the_scores_page_offers_no_actions_on_a_score_someone_else_entered(world, client_as, score):
    page = client_as("intervention_specialist").get(scores_url(world.pupil_in_class))
    assert page.status_code == 200
    assert correct_url(score) not in page.content.decode()
    assert client_as("intervention_specialist").get(correct_url(score)).status_code == 403


def test_the_pupil_page_links_to_the_scores_page(world, client_as):
    page = client_as("teacher").get(reverse("pupils:detail", args=[world.pupil_in_class.pk]))
    assert scores_url(world.pupil_in_class) in page.content.decode()


def test_correcting_through_the_page_saves_and_returns_to_the_scores(world, client_as, score):
    data = {"value": "88", "taken_on": str(score.taken_on), "reason": "Typo", "version": "1"}
    response = client_as("teacher").post(correct_url(score), data)
    assert response.status_code == 302
    assert response["Location"] == scores_url(world.pupil_in_class)
    assert Score.objects.get(pk=score.pk).value == 88
    page = client_as("teacher").get(scores_url(world.pupil_in_class)).content.decode()
    assert f"by teacher person: was 84 taken {score.taken_on:%-d %b %Y} (Typo)" in page


def test_a_correction_with_no_reason_shows_the_error_and_keeps_what_was_typed(
    world, client_as, score
):
    data = {"value": "88", "taken_on": str(score.taken_on), "reason": "", "version": "1"}
    page = client_as("teacher").post(correct_url(score), data).content.decode()
    assert "<title>Error: " in page
    assert "Say why the score is being corrected" in page
    assert 'value="88"' in page
    assert Score.objects.get(pk=score.pk).value == 84


def test_a_stale_correction_form_shows_what_the_other_person_saved(world, client_as, senco, score):
    correct(senco, score, value=90)
    data = {"value": "88", "taken_on": str(score.taken_on), "reason": "Typo", "version": "1"}
    page = client_as("teacher").post(correct_url(score), data).content.decode()
    assert "senco person changed this score" in page
    assert "Nothing you entered was saved" in page
    assert 'value="90"' in page  # the form now shows what was saved
    assert Score.objects.get(pk=score.pk).value == 90


def test_withdrawing_through_the_page(world, client_as, score):
    data = {"reason": "Entered twice", "version": "1"}
    response = client_as("senco").post(withdraw_url(score), data)
    assert response.status_code == 302
    assert Score.objects.get(pk=score.pk).withdrawn_reason == "Entered twice"
    page = client_as("senco").get(withdraw_url(score)).content.decode()
    assert "already withdrawn" in page


def test_the_scores_page_runs_the_same_queries_for_1_and_20_scores(
    world, client_as, teacher, score, standardised, open_ended
):
    client = client_as("teacher")
    client.get(scores_url(world.pupil_in_class))  # warm the session
    with capture_queries() as one:
        client.get(scores_url(world.pupil_in_class))
    for n in range(19):
        added = services.score_add(
            actor=teacher,
            pupil=world.pupil_in_class,
            measure=standardised if n % 2 else open_ended,
            value=80 + n,
            taken_on=timezone.localdate() - timedelta(days=8 + n),  # the fixture took day 7
        )
        if n % 5 == 0:
            withdraw(teacher, added, reason=f"Mistake {n}")
    with assert_database_query_count(one):
        page = client.get(scores_url(world.pupil_in_class))
    assert page.content.decode().count("Mistake ") == 4


def test_a_correction_typed_as_60_digits_gets_the_measures_range(world, client_as, score):
    data = {"value": "9" * 60, "taken_on": str(score.taken_on), "reason": "Typo", "version": 1}
    page = client_as("teacher").post(correct_url(score), data).content.decode()
    assert "The score must be between 70 and 130 on Reading comprehension" in page
    assert "1,000,000" not in page
