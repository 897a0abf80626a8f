"""Concerns and observation requests for tests, kept inside the pupil's school."""

import factory
from django.urls import reverse
from django.utils import timezone

from sendwise.concerns.models import Area, Concern, Observation, ObservationRequest
from sendwise.core.roles import Role
from tests.factories import MembershipFactory, PupilFactory, UserFactory


class ConcernFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Concern

    pupil = factory.SubFactory(PupilFactory, sen_provision="N", primary_need="")
    school = factory.SelfAttribute("pupil.school")
    raised_by = factory.SubFactory(UserFactory)
    raised_on = factory.LazyFunction(timezone.localdate)
    areas = factory.LazyFunction(lambda: [Area.ATTENTION.value, Area.MEMORY.value])
    what_seen = "Loses track of instructions with more than two steps."


class ObservationRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ObservationRequest

    concern = factory.SubFactory(ConcernFactory)
    school = factory.SelfAttribute("concern.school")
    teacher = factory.SubFactory(UserFactory)
    requested_by = factory.SubFactory(UserFactory)


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Observation

    request = factory.SubFactory(ObservationRequestFactory)
    school = factory.SelfAttribute("request.school")
    area = Area.ATTENTION
    rating = "some"
    example = "Needed the task repeated three times."


def concern_url(name: str, world) -> str:
    """The URL of a `concerns:` page, for the authorization matrix.

    The concern is about the pupil in the teacher's class, raised by the teacher, with a
    request for observations addressed to the teacher (not to the assistant in the same class).
    Made once for the world, so the addresses of all its pages can be taken together.
    """
    if name == "concerns:list":
        return reverse(name)
    if name == "concerns:raise":
        return reverse(name, kwargs={"pupil_id": world.pupil_in_class.pk})
    teacher = world.users["teacher"]
    concern = Concern.objects.filter(
        pupil=world.pupil_in_class, raised_by=teacher
    ).first() or ConcernFactory(pupil=world.pupil_in_class, raised_by=teacher)
    if name == "concerns:observe":
        obs_request = ObservationRequest.objects.filter(
            concern=concern, teacher=teacher
        ).first() or ObservationRequestFactory(
            concern=concern, teacher=teacher, requested_by=world.users["senco"]
        )
        return reverse(name, kwargs={"request_id": obs_request.pk})
    return reverse(name, kwargs={"concern_id": concern.pk})


def answered_request(world) -> ObservationRequest:
    """Observations on the matrix's concern (``concern_url``), asked of a second teacher of the
    school and answered, so the concern's page has a table of them to show. The class teacher's
    own request stays open, so what they may do with it is as before."""
    concern = Concern.objects.get(pupil=world.pupil_in_class, raised_by=world.users["teacher"])
    other_teacher = UserFactory(full_name="Second teacher")
    MembershipFactory(user=other_teacher, school=world.school, role=Role.TEACHER)
    obs_request = ObservationRequestFactory(
        concern=concern,
        teacher=other_teacher,
        requested_by=world.users["senco"],
        submitted_at=timezone.now(),
    )
    ObservationFactory(request=obs_request)
    return obs_request
