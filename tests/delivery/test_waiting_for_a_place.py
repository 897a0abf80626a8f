"""A pupil whose plan includes an intervention but who is in no group for it is waiting for a
place: the pupil's page says so, and does not blame sessions not held (a tester's finding)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.delivery.factories import COMPONENTS, add_member, make_group, on_plan
from tests.evidence.factories import InterventionFactory


def test_the_pupils_page_says_not_placed_in_a_group_while_the_group_meets_without_them(
    world, client_as
):
    ago = timezone.localdate() - timedelta(weeks=6)
    elsa = InterventionFactory(name="ELSA", core_components=COMPONENTS)
    group = make_group(world.school, elsa, name="ELSA (A)", places=1)
    add_member(group, on_plan(world.pupil_elsewhere, elsa, start=ago), joined_on=ago)
    waiting = on_plan(world.pupil_in_class, elsa, start=ago)
    waiting.sessions_per_week, waiting.minutes_per_session, waiting.weeks = 3, 30, 12
    waiting.save()
    page = client_as("senco").get(reverse("pupils:detail", args=[world.pupil_in_class.pk]))
    html = page.content.decode()
    assert "Waiting for a place" in html
    assert (
        "Not placed in a group yet, so no sessions could be timetabled (18 planned by now)" in html
    )
    assert "Below 80%" not in html
    assert "sessions not held or not recorded" not in html
