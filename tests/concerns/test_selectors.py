"""Who sees which concern and which request for observations."""

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from sendwise.concerns import selectors
from sendwise.concerns.models import Area
from sendwise.concerns.selectors import ConcernFilters
from sendwise.core.access import actor_for
from tests.concerns.factories import (
    ConcernFactory,
    ObservationFactory,
    ObservationRequestFactory,
)
from tests.factories import MembershipFactory, PupilFactory, UserFactory


@pytest.fixture
def concern(world):
    return ConcernFactory(pupil=world.pupil_in_class, raised_by=world.users["teacher"])


def actor(world, who):
    return actor_for(world.users[who])


def test_a_teacher_cannot_open_a_request_addressed_to_another_teacher(world, concern):
    """Even though the pupil is in both their classes, the request is the assistant's alone."""
    obs_request = ObservationRequestFactory(
        concern=concern,
        teacher=world.users["intervention_specialist"],
        requested_by=world.users["senco"],
    )
    with pytest.raises(Http404):
        selectors.observation_request_get(actor=actor(world, "teacher"), request_id=obs_request.pk)
    found = selectors.observation_request_get(
        actor=actor(world, "intervention_specialist"), request_id=obs_request.pk
    )
    assert found == obs_request
    assert list(selectors.observations_asked_of(actor=actor(world, "teacher"))) == []


def test_the_dashboard_lists_only_unanswered_requests_on_open_concerns(world, concern):
    teacher = world.users["teacher"]
    waiting = ObservationRequestFactory(
        concern=concern, teacher=teacher, requested_by=world.users["senco"]
    )
    answered = ObservationRequestFactory(
        concern=ConcernFactory(pupil=world.pupil_elsewhere, raised_by=teacher),
        teacher=teacher,
        requested_by=world.users["senco"],
        submitted_at=timezone.now(),
    )
    closed = ConcernFactory(
        pupil=world.pupil_elsewhere,
        raised_by=teacher,
        status="closed",
        outcome="no_further_action",
        outcome_reasons="x",
        closed_at=timezone.now(),
    )
    ObservationRequestFactory(concern=closed, teacher=teacher, requested_by=world.users["senco"])
    asked = list(selectors.observations_asked_of(actor=actor(world, "teacher")))
    assert asked == [waiting]
    assert answered not in asked


def test_another_schools_concerns_are_invisible(world, concern):
    other = ConcernFactory(
        pupil=world.pupil_other_school, raised_by=world.users["other_school_senco"]
    )
    senco = actor(world, "senco")
    assert list(selectors.concern_list(actor=senco, filters=ConcernFilters())) == [concern]
    with pytest.raises(Http404):
        selectors.concern_get(actor=senco, concern_id=other.pk)
    other_senco = actor(world, "other_school_senco")
    assert list(selectors.concern_list(actor=other_senco, filters=ConcernFilters())) == [other]
    with pytest.raises(Http404):
        selectors.concern_get(actor=other_senco, concern_id=concern.pk)
    with pytest.raises(Http404):
        selectors.concern_get_raised(actor=other_senco, concern_id=concern.pk)


@pytest.mark.parametrize("who", ["teacher", "intervention_specialist", "admin", "parent"])
def test_only_the_senco_and_head_see_the_list_and_a_concern(world, concern, who):
    assert not selectors.concern_list(actor=actor(world, who), filters=ConcernFilters()).exists()
    with pytest.raises(Http404):
        selectors.concern_get(actor=actor(world, who), concern_id=concern.pk)
    assert selectors.concern_get(actor=actor(world, "head"), concern_id=concern.pk) == concern


def test_the_person_who_raised_a_concern_sees_its_confirmation_and_no_one_else_on_staff(
    world, concern
):
    assert selectors.concern_get_raised(actor=actor(world, "teacher"), concern_id=concern.pk)
    with pytest.raises(Http404):
        selectors.concern_get_raised(
            actor=actor(world, "intervention_specialist"), concern_id=concern.pk
        )


def test_the_list_filters_by_status_year_and_name_newest_first(world, concern):
    today = timezone.localdate()
    older = ConcernFactory(
        pupil=world.pupil_elsewhere,
        raised_by=world.users["teacher"],
        raised_on=today - timedelta(days=10),
    )
    year6 = PupilFactory(school=world.school, nc_year=6, first_name="Zoe", last_name="Quinn")
    closed = ConcernFactory(
        pupil=year6,
        raised_by=world.users["teacher"],
        status="closed",
        outcome="no_further_action",
        outcome_reasons="x",
        closed_at=timezone.now(),
    )
    senco = actor(world, "senco")

    def listed(**filters):
        return list(selectors.concern_list(actor=senco, filters=ConcernFilters(**filters)))

    assert listed() == [concern, older]  # open only, newest first
    assert listed(status="") == [closed, concern, older]
    assert listed(status="closed") == [closed]
    assert listed(status="", year=6) == [closed]
    assert listed(q="ode") == [older]
    assert listed(q="Amara Ng") == [concern]


def test_the_list_counts_who_was_asked_and_who_answered(world, concern):
    for i in range(3):
        ObservationRequestFactory(
            concern=concern,
            teacher=UserFactory(),
            requested_by=world.users["senco"],
            submitted_at=timezone.now() if i else None,
        )
    listed = selectors.concern_list(actor=actor(world, "senco"), filters=ConcernFilters()).get()
    assert (listed.asked, listed.answered) == (3, 2)


def test_concerns_about_archived_pupils_are_not_shown(world, concern):
    world.pupil_in_class.archived_at = timezone.now()
    world.pupil_in_class.save()
    senco = actor(world, "senco")
    assert not selectors.concern_list(actor=senco, filters=ConcernFilters()).exists()
    with pytest.raises(Http404):
        selectors.concern_get(actor=senco, concern_id=concern.pk)


def test_staff_who_can_be_asked_are_this_schools_teachers_and_specialists_not_yet_asked(
    world, concern
):
    both = UserFactory(full_name="Both Roles")
    MembershipFactory(user=both, school=world.school, role="teacher")
    MembershipFactory(user=both, school=world.school, role="senco")
    elsewhere = UserFactory(full_name="Elsewhere")
    MembershipFactory(user=elsewhere, school=world.other_school, role="teacher")
    ObservationRequestFactory(
        concern=concern, teacher=world.users["teacher"], requested_by=world.users["senco"]
    )
    names = [
        u.full_name
        for u in selectors.observers_available(actor=actor(world, "senco"), concern=concern)
    ]
    # The assistant works with the pupil's class, so comes first.
    assert names == ["intervention_specialist person", "Both Roles"]


def test_the_grid_lines_up_each_persons_rating_by_area(world, concern):
    first = ObservationRequestFactory(
        concern=concern,
        teacher=world.users["teacher"],
        requested_by=world.users["senco"],
        submitted_at=timezone.now(),
    )
    ObservationRequestFactory(  # asked, not answered: no column
        concern=concern,
        teacher=world.users["intervention_specialist"],
        requested_by=world.users["senco"],
    )
    ObservationFactory(request=first, area=Area.MEMORY, rating="significant")
    requests = selectors.concern_requests(actor=actor(world, "senco"), concern=concern)
    grid = selectors.observation_grid(requests)
    assert [row["area"] for row in grid] == list(Area)
    memory = next(row for row in grid if row["area"] == Area.MEMORY)
    assert [cell.rating for cell in memory["cells"]] == ["significant"]
    assert selectors.concern_requests(actor=actor(world, "teacher"), concern=concern) == []
