"""Scores for a group at once: at tablet width (800 px), the intervention specialist goes from
the session register to the group's scores page and enters six pupils' scores by keyboard
alone; one out of range is refused with nothing saved and every typed value kept, then all six
are saved. axe-core checks every page."""

import re
from datetime import timedelta

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


def test_the_senco_corrects_and_withdraws_a_score_and_withdraws_an_outcome(
    live_server, page, world
):
    from sendwise.core.access import actor_for
    from sendwise.monitoring import services

    _group, members = running_group(world, pupils=1)
    measure = Measure.objects.create(
        slug="browser-reading", name="Reading (standardised)", kind="standardised",
        scale_min=70, scale_max=130,
    )  # fmt: skip
    pupil = world.pupil_in_class
    outcome = Outcome.objects.create(
        school=world.school, plan=members[0].placement.plan, text="Reads aloud with expression"
    )
    senco = actor_for(world.users["senco"])
    for days_ago, value in ((1, 84), (0, 90)):  # one score a day on a measure
        services.score_add(
            actor=senco,
            pupil=pupil,
            measure=measure,
            value=value,
            taken_on=timezone.localdate() - timedelta(days=days_ago),
        )
    sign_in(page, live_server, world.users["senco"])
    page.goto(f"{live_server.url}/pupils/{pupil.pk}/")
    page.get_by_role("link", name=re.compile("All scores by measure")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Assessment scores")
    page.get_by_role("link", name=re.compile("Correct the score of 84")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Correct a score")
    page.get_by_label("Score").fill("86")
    page.get_by_role("button", name="Save correction").click()
    expect(page.get_by_role("alert")).to_contain_text("Say why the score is being corrected")
    page.get_by_label("Why are you correcting it?").fill("Misread the raw score table")
    page.get_by_role("button", name="Save correction").click()
    expect(page.get_by_text(f"Score on {measure.name} corrected")).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"was 84 taken .*Misread the raw score table"))
    ).to_be_visible()
    page.get_by_role("link", name=re.compile("Withdraw the score of 90")).click()
    page.get_by_label("Why are you withdrawing it?").fill("Entered twice")
    page.get_by_role("button", name="Withdraw score").click()
    expect(page.get_by_role("heading", name="Withdrawn scores")).to_be_visible()
    expect(page.get_by_text("Entered twice")).to_be_visible()
    assert sorted(Score.objects.current().values_list("value", flat=True)) == [86]

    page.goto(f"{live_server.url}/pupils/{pupil.pk}/plans/")
    page.get_by_role("link", name="Withdraw outcome 1").click()
    page.get_by_label("Why are you withdrawing it?").fill("Belongs to another pupil")
    page.get_by_role("button", name="Withdraw").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Support plans")
    expect(page.get_by_role("link", name="Withdraw outcome 1")).to_have_count(0)
    page.get_by_text("Withdrawn from plan 1").click()
    expect(page.get_by_text(f"Outcome: {outcome.text}")).to_be_visible()
    expect(page.get_by_text("Belongs to another pupil")).to_be_visible()
