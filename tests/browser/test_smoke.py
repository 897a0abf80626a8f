"""The SENCO's first journey: sign in, search the register, open a pupil, sign out."""

import re

import pytest
from playwright.sync_api import expect

from sendwise.demo import generate as demo
from sendwise.pupils.models import Pupil
from tests.browser.demo_world import demo_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_senco_signs_in_searches_opens_a_pupil_and_signs_out(live_server, page):
    demo_world(seed=3)
    pupil = (
        Pupil.unscoped.filter(school__urn=demo.MAIN_URN, sen_provision="K").order_by("id").first()
    )

    page.goto(f"{live_server.url}/accounts/login/")
    expect(page).to_have_title(re.compile("Sign in"))

    # A wrong password first: the error summary, accessible too.
    page.get_by_label("Email address").fill(f"senco@{demo.DEMO_DOMAIN}")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter a correct email address and password")

    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("SEND overview")

    page.get_by_role("link", name="SEND register").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("SEND register")

    page.get_by_label("Name or UPN").fill(pupil.last_name)
    page.get_by_role("button", name="Search").click()
    link = page.get_by_role("link", name=f"{pupil.last_name}, {pupil.first_name}")
    expect(link.first).to_be_visible()

    link.first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(pupil.full_name)
    expect(page.get_by_text(pupil.upn)).to_be_visible()

    # Who changed the record is one link away, on its own page (checked by axe like every page).
    page.get_by_role("link", name=f"Who changed {pupil.first_name}'s record, and when").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Changes to this record")
    expect(page.locator(".sw-timeline li").first).to_be_visible()
    page.get_by_role("link", name=f"Back to {pupil.first_name}'s record").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(pupil.full_name)

    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile("/accounts/login/"))
    page.goto(f"{live_server.url}/pupils/")
    expect(page).to_have_url(re.compile("/accounts/login/"))
