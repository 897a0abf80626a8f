"""The SENCO's pupils who need a decision: from the home page, the pupil whose last four scores
fall below the aimline is named with the reason; filters narrow the list, at phone width too.
axe-core checks every page."""

import pytest
from playwright.sync_api import expect

from sendwise.monitoring import flag_services
from tests.browser.test_delivery import sign_in
from tests.monitoring.factories import not_responding

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_senco_finds_the_pupil_who_is_not_responding_and_why(live_server, page, world):
    not_responding(world.pupil_in_class)
    flag_services.flags_evaluate_school(school_id=world.school.pk)
    sign_in(page, live_server, world.users["senco"])
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="1 pupil needs a decision").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Pupils who need a decision")
    row = page.get_by_role("row", name="Amara Ng")
    expect(row).to_contain_text(
        "The last 4 scores are all below the aimline: consider changing the support."
    )
    expect(row).to_contain_text("Reading club")

    page.get_by_label("Reason").select_option(label="Review overdue")
    page.get_by_role("button", name="Show pupils").click()
    expect(page.get_by_role("heading", name="No pupil matches these filters")).to_be_visible()

    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_role("link", name="Clear filters").first.click()
    expect(page.get_by_role("row", name="Amara Ng")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # The name leads to the chart of the outcome behind the reason, with the same sentence.
    page.get_by_role("link", name="Amara Ng").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Progress towards an outcome")
    expect(page.get_by_text("The last 4 scores are all below the aimline")).to_be_visible()
    expect(page.get_by_role("figure")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
