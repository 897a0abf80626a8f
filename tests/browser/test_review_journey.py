"""Review journey: the SENCO finds a review due, holds the meeting by keyboard (outcome by
outcome with the evidence beside it, a decision for each intervention, who came, their views),
completes it, shares it; the next cycle opens pre-filled; the parent then reads the shared
review in plain words at phone width. Axe checks every page."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from sendwise.core.access import actor_for
from sendwise.monitoring.models import Review
from sendwise.planning.models import Plan
from tests.conftest import make_world
from tests.monitoring.factories import TODAY, add_score, plan_to_review, reading_measure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "a-long-test-password"  # pragma: allowlist secret (a test account's)


def sign_in(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Password").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def choose(page, label):
    """Pick a radio by keyboard: focus it and press Space."""
    page.get_by_label(label, exact=True).first.focus()
    page.keyboard.press("Space")


def type_into(page, label, text):
    page.get_by_label(label, exact=True).focus()
    page.keyboard.type(text)


def test_senco_holds_the_review_and_the_parent_reads_it(live_server, page):
    world = make_world()
    senco = actor_for(world.users["senco"])
    plan = plan_to_review(senco, world.pupil_in_class)[0]
    add_score(world.pupil_in_class, reading_measure(), 86, TODAY() - timedelta(days=7))
    base = live_server.url

    sign_in(page, base, world.users["senco"])
    page.get_by_role("link", name="Reviews due and overdue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reviews due")
    page.get_by_role("link", name="Hold the review for Amara Ng").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Review meeting for plan 1")
    expect(page.get_by_text("86 on")).to_be_visible()

    # Outcome: partly achieved; the reading continues with more sessions; number sense stops.
    choose(page, "Partly achieved")
    page.get_by_label("How did the pupil respond to Reading catch-up?").select_option(
        label="Made good progress"
    )
    section = page.get_by_role("region", name="Reading catch-up")
    section.get_by_label("Continue with a different dose").focus()
    page.keyboard.press("Space")
    section.get_by_label("Sessions a week").focus()
    page.keyboard.type("4")
    section.get_by_label("Minutes a session").focus()
    page.keyboard.type("30")
    page.get_by_role("region", name="Number sense").get_by_label("Stop: no longer needed").focus()
    page.keyboard.press("Space")
    type_into(page, "Name of person 1", "Sam Senco")
    type_into(page, "Role of person 1", "SENCO")
    type_into(page, "Name of person 2", "Pat Ng")
    type_into(page, "Role of person 2", "Parent")
    type_into(page, "What the pupil said", "The reading games help me.")
    type_into(page, "What parents or carers said", "She reads at bedtime now.")
    type_into(page, "Summary of what was agreed", "Reading is better. We will do more of it.")
    page.get_by_role("button", name="Complete the review and open plan 2").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Review of plan 1"))
    expect(page.get_by_text("Plan 2 is open as a draft")).to_be_visible()
    page.get_by_role("button", name="Mark ready and share with parents").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("the parents can now read this review")).to_be_visible()
    assert Review.objects.get(plan=plan).shared_with_parent_at is not None

    # The next cycle opened pre-filled: the reading with 4 sessions, the outcome carried over.
    page.get_by_role("link", name="Back to support plans").click()
    plan_two = page.get_by_role("region", name=re.compile("Plan 2"))
    expect(plan_two).to_contain_text("Draft")
    expect(plan_two).to_contain_text("Reading catch-up")
    expect(plan_two).to_contain_text("4 sessions a week of 30 minutes")
    expect(plan_two).not_to_contain_text("Number sense")
    expect(plan_two).to_contain_text("Reads a Year 3 passage with understanding")
    nxt = Plan.objects.get(pupil=world.pupil_in_class, cycle=2)
    assert nxt.outcomes.get().baseline == 86

    page.get_by_role("button", name="Sign out").click()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, base, world.users["parent"])
    page.goto(f"{base}/pupils/{world.pupil_in_class.pk}/plans/")
    page.get_by_role("link", name="Read the review meeting of plan 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Amara's review meeting"))
    expect(page.get_by_text("Part of the way there")).to_be_visible()
    expect(page.get_by_text("Number sense: this stops")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Staff note")
    # Readable at phone width: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
