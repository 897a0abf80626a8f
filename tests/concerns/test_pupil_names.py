"""A pupil's name inside a concern is shown only to those who may see the pupil (decided by the
selector, not the page); the observation request names its pupil on purpose, and the read is
audited by the selector."""

from django.urls import reverse

from sendwise.core.access import actor_for
from sendwise.core.models import AuditEntry
from sendwise.pupils import services as pupil_services
from sendwise.pupils.selectors import PUPIL_NOT_SHOWN
from tests.concerns.factories import ConcernFactory, ObservationRequestFactory


def test_the_raiser_no_longer_sees_the_name_once_the_pupil_has_left_their_class(world, client_as):
    concern = ConcernFactory(pupil=world.pupil_in_class, raised_by=world.users["teacher"])
    url = reverse("concerns:raised", kwargs={"concern_id": concern.pk})
    assert "Amara Ng" in client_as("teacher").get(url).content.decode()
    pupil_services.pupil_update(
        actor=actor_for(world.users["senco"]),
        pupil=world.pupil_in_class,
        class_group=world.pupil_elsewhere.class_group,
    )
    html = client_as("teacher").get(url).content.decode()
    assert "Amara" not in html
    assert PUPIL_NOT_SHOWN in html
    assert reverse("pupils:detail", kwargs={"pupil_id": world.pupil_in_class.pk}) not in html


def test_a_teacher_asked_to_observe_sees_the_pupil_and_the_read_is_audited(world, client_as):
    teacher = world.users["teacher"]
    concern = ConcernFactory(pupil=world.pupil_elsewhere)  # not in the teacher's class
    asked = ObservationRequestFactory(concern=concern, teacher=teacher)
    url = reverse("concerns:observe", kwargs={"request_id": asked.pk})
    assert "Ben Ode" in client_as("teacher").get(url).content.decode()
    entry = AuditEntry.objects.get(action="view")
    assert (entry.user, entry.object_id, entry.detail) == (
        teacher,
        str(world.pupil_elsewhere.pk),
        "Observation request",
    )
