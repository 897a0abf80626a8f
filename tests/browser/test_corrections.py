"""Correcting a plan at phone width (390 px), by keyboard: the SENCO corrects an outcome's
target typed wrongly (a missing reason is refused first, with what was typed kept), moves the
review date, then reads both on the plan's changes page with the earlier values, who and why.
axe-core checks every page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sendwise.core.access import actor_for
from sendwise.planning.models import Outcome, Plan
from tests.browser.test_delivery import sign_in
from tests.browser.test_sessions import tab_to
from tests.monitoring.factories import plan_to_review

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_the_senco_corrects_a_target_and_moves_the_review_date_by_keyboard_at_phone_width(
    live_server, page, world
):
    plan, _, _, outcome = plan_to_review(actor_for(world.users["senco"]), world.pupil_in_class)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, world.users["senco"])
    page.goto(f"{live_server.url}/pupils/{plan.pupil_id}/plans/")

    tab_to(page, page.get_by_role("link", name="Correct outcome 1"), limit=200)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Correct an outcome")
    target = page.get_by_label("Target score")
    expect(target).to_have_value("92")
    tab_to(page, target)
    page.keyboard.press("Control+A")
    page.keyboard.type("95")
    tab_to(page, page.get_by_role("button", name="Save correction"))
    page.keyboard.press("Enter")
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("alert")).to_contain_text("Say why it is being corrected")
    expect(target).to_have_value("95")
    assert Outcome.objects.get(pk=outcome.pk).target == 92

    tab_to(page, page.get_by_label("Why are you correcting it?"))
    page.keyboard.type("The target agreed with parents was 95")
    tab_to(page, page.get_by_role("button", name="Save correction"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("Outcome corrected")).to_be_visible()
    expect(page.get_by_text("to 95 by")).to_be_visible()

    tab_to(page, page.get_by_role("link", name="Move the review date of plan 1"), limit=200)
    page.keyboard.press("Enter")
    later = timezone.localdate() + timedelta(weeks=3)
    page.get_by_label("Review date", exact=True).fill(later.isoformat())
    tab_to(page, page.get_by_label("Why is the review date moving?"))
    page.keyboard.type("Parents asked for a later meeting")
    tab_to(page, page.get_by_role("button", name="Save review date"))
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"now due {later:%-d %B %Y}")).to_be_visible()
    assert Plan.objects.get(pk=plan.pk).review_date == later

    tab_to(page, page.get_by_role("link", name="Corrections and changes to plan 1"), limit=200)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Changes to plan 1")
    expect(page.get_by_text("The target agreed with parents was 95")).to_be_visible()
    expect(page.get_by_text("Parents asked for a later meeting")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Target 92 95"))).to_be_visible()
    # Nothing wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
