"""Raising a concern and taking it to an outcome: rules checked, nothing half-saved, history kept."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sendwise.concerns import services
from sendwise.concerns.models import Area, Concern, Observation, ObservationRequest
from sendwise.core.access import actor_for
from sendwise.core.models import AuditEntry
from sendwise.pupils.models import Pupil
from tests.concerns.factories import ConcernFactory, ObservationRequestFactory
from tests.factories import MembershipFactory, PupilFactory, UserFactory

TODAY = timezone.localdate


@pytest.fixture
def new_pupil(world):
    """A pupil in the teacher's class who is not on the SEND register."""
    return PupilFactory(
        school=world.school,
        class_group=world.pupil_in_class.class_group,
        sen_provision="N",
        primary_need="",
        first_name="Dev",
        last_name="Rao",
    )


@pytest.fixture
def concern(world, new_pupil):
    return ConcernFactory(pupil=new_pupil, raised_by=world.users["teacher"])


def every_area(rating="none", example=""):
    return {area.value: (rating, example) for area in Area}


def senco(world):
    return actor_for(world.users["senco"])


# Raising


def test_a_teacher_raises_a_concern_kept_with_history_and_an_audit_entry(world, new_pupil):
    teacher = actor_for(world.users["teacher"])
    concern = services.concern_raise(
        actor=teacher,
        pupil=new_pupil,
        areas=["memory", "attention", "memory"],
        what_seen="  Forgets the start of a sentence while writing it.  ",
        raised_on=TODAY(),
    )
    concern.refresh_from_db()
    assert concern.school == world.school and concern.raised_by == world.users["teacher"]
    assert concern.areas == ["memory", "attention"]  # in the list's order, once each
    assert concern.what_seen == "Forgets the start of a sentence while writing it."
    assert concern.status == Concern.Status.OPEN and concern.history.count() == 1
    entry = AuditEntry.objects.get(object_type="concern", object_id=str(concern.pk))
    assert entry.action == "create" and entry.user == world.users["teacher"]


def test_raising_with_nothing_filled_in_lists_every_problem_and_saves_nothing(world, new_pupil):
    with pytest.raises(ValidationError) as caught:
        services.concern_raise(
            actor=actor_for(world.users["teacher"]),
            pupil=new_pupil,
            areas=[],
            what_seen="   ",
            raised_on=TODAY() + timedelta(days=1),
        )
    assert caught.value.message_dict == {
        "areas": [services.AREAS_REQUIRED],
        "what_seen": [services.WHAT_SEEN_REQUIRED],
        "raised_on": [services.RAISED_ON_FUTURE],
    }
    assert not Concern.objects.exists() and not AuditEntry.objects.exists()


def test_an_area_not_on_the_list_is_refused(world, new_pupil):
    with pytest.raises(ValidationError) as caught:
        services.concern_raise(
            actor=actor_for(world.users["teacher"]),
            pupil=new_pupil,
            areas=["attention", "handwriting"],
            what_seen="x",
            raised_on=TODAY(),
        )
    assert caught.value.message_dict["areas"] == [services.AREA_UNKNOWN]


def test_a_concern_about_a_pupil_in_another_school_is_refused(world):
    with pytest.raises(PermissionDenied):
        services.concern_raise(
            actor=actor_for(world.users["teacher"]),
            pupil=world.pupil_other_school,
            areas=["attention"],
            what_seen="x",
            raised_on=TODAY(),
        )
    assert not Concern.objects.exists()


# Asking for observations


def test_the_senco_asks_two_teachers_for_observations(world, concern):
    other_teacher = UserFactory(full_name="Second Teacher")
    MembershipFactory(user=other_teacher, school=world.school, role="teacher")
    made = services.observation_request(
        actor=senco(world),
        concern=concern,
        teachers=[world.users["intervention_specialist"], other_teacher],
        message="Look at following instructions.",
    )
    assert {r.teacher for r in made} == {world.users["intervention_specialist"], other_teacher}
    assert all(r.school == world.school and not r.is_submitted for r in made)
    assert AuditEntry.objects.filter(object_type="concern", detail__contains="Second Teacher")


@pytest.mark.parametrize("who", ["head", "parent", "other_school_senco"])
def test_only_teachers_and_specialists_of_the_school_can_be_asked_and_nothing_is_half_saved(
    world, concern, who
):
    with pytest.raises(ValidationError) as caught:
        services.observation_request(
            actor=senco(world),
            concern=concern,
            teachers=[world.users["intervention_specialist"], world.users[who]],
        )
    assert caught.value.message_dict["teachers"] == [services.TEACHER_NOT_ALLOWED]
    assert not ObservationRequest.objects.exists()


def test_a_teacher_already_asked_is_not_asked_twice(world, concern):
    services.observation_request(
        actor=senco(world), concern=concern, teachers=[world.users["teacher"]]
    )
    with pytest.raises(ValidationError) as caught:
        services.observation_request(
            actor=senco(world), concern=concern, teachers=[world.users["teacher"]]
        )
    assert caught.value.message_dict["teachers"] == [
        services.ALREADY_ASKED.format(name="teacher person")
    ]
    assert ObservationRequest.objects.count() == 1


def test_asking_nobody_is_refused(world, concern):
    with pytest.raises(ValidationError) as caught:
        services.observation_request(actor=senco(world), concern=concern, teachers=[])
    assert caught.value.message_dict["teachers"] == [services.TEACHERS_REQUIRED]


# Answering


def test_the_teacher_asked_rates_every_area(world, concern):
    obs_request = ObservationRequestFactory(
        concern=concern, teacher=world.users["teacher"], requested_by=world.users["senco"]
    )
    answers = every_area()
    answers["attention"] = ("significant", "Leaves his seat every few minutes.")
    answers["physical"] = ("not_observed", "")
    services.observation_submit(
        actor=actor_for(world.users["teacher"]), obs_request=obs_request, answers=answers
    )
    obs_request.refresh_from_db()
    assert obs_request.is_submitted
    saved = {o.area: (o.rating, o.example) for o in obs_request.observations.all()}
    assert len(saved) == len(Area)
    assert saved["attention"] == ("significant", "Leaves his seat every few minutes.")
    assert all(o.school == world.school for o in obs_request.observations.all())


def test_a_missing_rating_or_a_concern_without_an_example_saves_nothing(world, concern):
    obs_request = ObservationRequestFactory(
        concern=concern, teacher=world.users["teacher"], requested_by=world.users["senco"]
    )
    answers = every_area()
    del answers["memory"]
    answers["social"] = ("some", "  ")
    answers["emotional"] = ("cross", "")
    with pytest.raises(ValidationError) as caught:
        services.observation_submit(
            actor=actor_for(world.users["teacher"]), obs_request=obs_request, answers=answers
        )
    assert caught.value.message_dict == {
        "memory_rating": [services.RATING_REQUIRED.format(area="memory")],
        "social_example": [services.EXAMPLE_REQUIRED.format(area="social interaction")],
        "emotional_rating": [services.RATING_UNKNOWN.format(area="emotional wellbeing")],
    }
    assert not Observation.objects.exists()
    obs_request.refresh_from_db()
    assert not obs_request.is_submitted


def test_another_teacher_cannot_answer_a_request_even_for_a_pupil_in_their_class(world, concern):
    obs_request = ObservationRequestFactory(
        concern=concern,
        teacher=world.users["intervention_specialist"],
        requested_by=world.users["senco"],
    )
    with pytest.raises(PermissionDenied):
        services.observation_submit(
            actor=actor_for(world.users["teacher"]), obs_request=obs_request, answers=every_area()
        )
    assert not Observation.objects.exists()


def test_observations_are_sent_once(world, concern):
    obs_request = ObservationRequestFactory(
        concern=concern, teacher=world.users["teacher"], requested_by=world.users["senco"]
    )
    teacher = actor_for(world.users["teacher"])
    services.observation_submit(actor=teacher, obs_request=obs_request, answers=every_area())
    with pytest.raises(ValidationError) as caught:
        services.observation_submit(actor=teacher, obs_request=obs_request, answers=every_area())
    assert caught.value.messages == [services.ALREADY_SUBMITTED]
    assert Observation.objects.count() == len(Area)


# Parents


def test_the_senco_records_that_parents_were_told(world, concern):
    services.concern_parents_informed(
        actor=senco(world),
        concern=concern,
        informed_on=TODAY(),
        how="meeting",
        response="They see the same at home with homework.",
    )
    concern.refresh_from_db()
    assert concern.parents_informed and concern.parents_informed_how == "meeting"
    assert concern.history.first().history_change_reason == "Parents told"


def test_parents_told_with_bad_answers_saves_nothing(world, concern):
    with pytest.raises(ValidationError) as caught:
        services.concern_parents_informed(
            actor=senco(world),
            concern=concern,
            informed_on=concern.raised_on - timedelta(days=1),
            how="pigeon",
            response="",
        )
    assert caught.value.message_dict == {
        "informed_on": [services.INFORMED_ON_BEFORE_RAISED],
        "how": [services.INFORMED_HOW_REQUIRED],
        "response": [services.RESPONSE_REQUIRED],
    }
    concern.refresh_from_db()
    assert not concern.parents_informed and concern.history.count() == 1


def test_parents_cannot_be_told_in_the_future(world, concern):
    with pytest.raises(ValidationError) as caught:
        services.concern_parents_informed(
            actor=senco(world),
            concern=concern,
            informed_on=TODAY() + timedelta(days=2),
            how="phone",
            response="Agreed.",
        )
    assert caught.value.message_dict["informed_on"] == [services.INFORMED_ON_FUTURE]


# Closing


def tell_parents(world, concern):
    services.concern_parents_informed(
        actor=senco(world), concern=concern, informed_on=TODAY(), how="phone", response="Agreed."
    )


def test_closing_at_sen_support_puts_the_pupil_on_the_register_with_an_audit_entry(
    world, concern, new_pupil
):
    tell_parents(world, concern)
    services.concern_close(
        actor=senco(world),
        concern=concern,
        outcome="sen_support",
        reasons="All three teachers see the same attention difficulty.",
        primary_need="SEMH",
        secondary_need="SLCN",
        review_on=TODAY() + timedelta(days=30),
    )
    new_pupil.refresh_from_db()
    assert (new_pupil.sen_provision, new_pupil.primary_need, new_pupil.secondary_need) == (
        "K",
        "SEMH",
        "SLCN",
    )
    concern.refresh_from_db()
    assert concern.status == "closed" and concern.outcome == "sen_support"
    assert concern.closed_by == world.users["senco"] and concern.primary_need == "SEMH"
    assert concern.review_on is None  # only kept for "monitor"
    assert concern.history.count() == 3  # raised, parents told, closed
    closing = AuditEntry.objects.get(object_type="concern", detail__startswith="Closed")
    assert "All three teachers" in closing.detail and closing.user == world.users["senco"]
    assert AuditEntry.objects.filter(object_type="pupil", object_id=str(new_pupil.pk)).exists()


def test_sen_support_needs_the_parents_told_and_a_primary_need(world, concern, new_pupil):
    with pytest.raises(ValidationError) as caught:
        services.concern_close(
            actor=senco(world), concern=concern, outcome="sen_support", reasons="Agreed."
        )
    assert caught.value.message_dict == {
        "primary_need": [services.PRIMARY_NEED_REQUIRED],
        "outcome": [services.PARENTS_NOT_INFORMED],
    }
    concern.refresh_from_db()
    assert concern.is_open
    assert Pupil.unscoped.get(pk=new_pupil.pk).sen_provision == "N"


def test_a_refusal_from_the_pupil_record_leaves_the_concern_open(world, concern, new_pupil):
    tell_parents(world, concern)
    with pytest.raises(ValidationError) as caught:
        services.concern_close(
            actor=senco(world),
            concern=concern,
            outcome="sen_support",
            reasons="Agreed.",
            primary_need="SEMH",
            secondary_need="SEMH",
        )
    assert "secondary_need" in caught.value.message_dict
    concern.refresh_from_db()
    assert concern.is_open and concern.history.count() == 2
    fresh = Pupil.unscoped.get(pk=new_pupil.pk)
    assert (fresh.sen_provision, fresh.primary_need) == ("N", "")
    assert not AuditEntry.objects.filter(detail__startswith="Closed").exists()


def test_a_pupil_with_an_ehc_plan_is_not_moved_to_sen_support(world):
    pupil = PupilFactory(school=world.school, sen_provision="E", primary_need="ASD")
    concern = ConcernFactory(pupil=pupil, raised_by=world.users["teacher"])
    tell_parents(world, concern)
    with pytest.raises(ValidationError) as caught:
        services.concern_close(
            actor=senco(world),
            concern=concern,
            outcome="sen_support",
            reasons="x",
            primary_need="SEMH",
        )
    assert caught.value.message_dict["outcome"] == [services.PUPIL_HAS_EHC_PLAN]
    assert Pupil.unscoped.get(pk=pupil.pk).sen_provision == "E"


@pytest.mark.parametrize(
    ("days", "message"),
    [(None, services.REVIEW_DATE_REQUIRED), (0, services.REVIEW_DATE_FUTURE)],
)
def test_monitoring_needs_a_review_date_in_the_future(world, concern, days, message):
    review_on = None if days is None else TODAY() + timedelta(days=days)
    with pytest.raises(ValidationError) as caught:
        services.concern_close(
            actor=senco(world),
            concern=concern,
            outcome="monitor",
            reasons="Watch for a term.",
            review_on=review_on,
        )
    assert caught.value.message_dict == {"review_on": [message]}
    concern.refresh_from_db()
    assert concern.is_open


def test_monitoring_keeps_the_review_date_and_leaves_the_pupil_off_the_register(
    world, concern, new_pupil
):
    review_on = TODAY() + timedelta(days=42)
    services.concern_close(
        actor=senco(world),
        concern=concern,
        outcome="monitor",
        reasons="Progress is slow but steady.",
        primary_need="SEMH",  # ignored: only SEN support records needs
        review_on=review_on,
    )
    concern.refresh_from_db()
    assert (concern.outcome, concern.review_on, concern.primary_need) == ("monitor", review_on, "")
    assert Pupil.unscoped.get(pk=new_pupil.pk).sen_provision == "N"


def test_no_further_action_needs_reasons_and_a_closed_concern_stays_closed(world, concern):
    with pytest.raises(ValidationError) as caught:
        services.concern_close(
            actor=senco(world), concern=concern, outcome="no_further_action", reasons=" "
        )
    assert caught.value.message_dict == {"reasons": [services.REASONS_REQUIRED]}
    services.concern_close(
        actor=senco(world),
        concern=concern,
        outcome="no_further_action",
        reasons="Settled after moving seats.",
    )
    for attempt in (
        lambda: services.concern_close(
            actor=senco(world), concern=concern, outcome="monitor", reasons="x"
        ),
        lambda: services.observation_request(
            actor=senco(world), concern=concern, teachers=[world.users["teacher"]]
        ),
        lambda: tell_parents(world, concern),
    ):
        with pytest.raises(ValidationError) as caught:
            attempt()
        assert caught.value.messages == [services.CONCERN_CLOSED]
    concern.refresh_from_db()
    assert concern.outcome == "no_further_action"
    assert Concern.objects.count() == 1  # nothing deleted or duplicated


def test_an_unknown_outcome_is_refused(world, concern):
    with pytest.raises(ValidationError) as caught:
        services.concern_close(actor=senco(world), concern=concern, outcome="", reasons="x")
    assert caught.value.message_dict == {"outcome": [services.OUTCOME_REQUIRED]}


def test_the_senco_of_another_school_cannot_close_this_schools_concern(world, concern):
    with pytest.raises(PermissionDenied):
        services.concern_close(
            actor=actor_for(world.users["other_school_senco"]),
            concern=concern,
            outcome="no_further_action",
            reasons="x",
        )
