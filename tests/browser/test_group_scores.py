"""Scores for a group at once: at tablet width (800 px), the intervention specialist goes from
the session register to the group's scores page and enters six pupils' scores by keyboard
alone; one out of range is refused with nothing saved and every typed value kept, then all six
are saved. axe-core checks every page."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sendwise.evidence.models import Measure
from sendwise.monitoring.models import Score
from sendwise.planning.models import Outcome
from tests.browser.test_delivery import sign_in
from tests.browser.test_sessions import tab_to
from tests.delivery.factories import running_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLET = {"width": 800, "height": 1024}


def test_the_specialist_enters_a_group_of_six_scores_by_keyboard_at_tablet_width(
    live_server, page, world
):
    group, members = running_group(world, pupils=6)
    measure = Measure.objects.create(
        slug="browser-bpvs3",
        name="British Picture Vocabulary Scale (BPVS3)",
        kind="standardised",
        scale_min=70,
        scale_max=130,
        mean=100,
        sd=15,
        higher_is_better=True,
    )
    for member in members:
        Outcome.objects.create(
            school=world.school,
            plan=member.placement.plan,
            placement=member.placement,
            text="Knows more words",
            measure=measure,
        )
    page.set_viewport_size(TABLET)
    sign_in(page, live_server, world.users["intervention_specialist"])
    page.goto(f"{live_server.url}/delivery/groups/{group.pk}/sessions/{timezone.localdate()}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Session on")
    link = page.get_by_role("link", name="Enter scores for the group")
    tab_to(page, link, limit=200)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Enter scores for the group")
    # The measure of the pupils' goals is chosen already, with its range beside its name.
    expect(page.get_by_label("Measure")).to_have_value(str(measure.pk))
    expect(page.get_by_text("run from 70 to 130")).to_be_visible()

    boxes = page.locator('input[inputmode="decimal"]')
    expect(boxes).to_have_count(6)
    values = ["84", "999", "92", "101", "77", "88"]
    for n, value in enumerate(values):
        tab_to(page, boxes.nth(n))
        page.keyboard.type(value)
    tab_to(page, page.get_by_role("button", name="Save scores"))
    page.keyboard.press("Enter")
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("alert")).to_contain_text("The score must be between 70 and 130")
    assert not Score.objects.exists()
    for n, value in enumerate(values):
        expect(boxes.nth(n)).to_have_value(value)

    tab_to(page, boxes.nth(1))
    page.keyboard.press("Control+A")
    page.keyboard.type("99")
    tab_to(page, page.get_by_role("button", name="Save scores"))
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"6 scores on {measure.name} saved")).to_be_visible()
    assert sorted(Score.objects.values_list("value", flat=True)) == [77, 84, 88, 92, 99, 101]
    # Back on the page, each pupil's last score is shown beside their box.
    expect(page.get_by_text(re.compile(r"^Last score 84 on"))).to_be_visible()
