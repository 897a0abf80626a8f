"""The adviser opens the authority's impact from the dashboard, sees a school with three pupils
suppressed, compares the schools on one intervention, and reads the page at phone width; the
head opens the trust comparison from theirs. axe-core checks every page."""

import pytest
from playwright.sync_api import expect

from sendwise.core.roles import Role
from sendwise.evidence.models import Measure
from tests.browser.signing_in import sign_in
from tests.evidence.factories import InterventionFactory
from tests.factories import MembershipFactory, SchoolFactory, TrustFactory, UserFactory
from tests.impact.factories import aggregate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_adviser_sees_suppressed_cells_and_compares_schools(live_server, page):
    reading = Measure.objects.create(
        slug="reading-ss", name="Reading test", kind="standardised", mean=100, sd=15,
        higher_is_better=True,
    )  # fmt: skip
    trust = TrustFactory(name="Northshire", kind="la")
    ash, birch, cedar = (
        SchoolFactory(name=f"{n} Primary", trust=trust) for n in ("Ash", "Birch", "Cedar")
    )
    phonics = InterventionFactory(name="Fast Phonics")
    aggregate(school=ash, intervention=phonics, measure=reading,
              gains=[0.1, 0.3, 0.5, 0.2, 0.4, 0.3] * 2)  # fmt: skip
    aggregate(school=birch, intervention=phonics, measure=reading, gains=[0.9, 0.8, 1.0])
    aggregate(school=cedar, intervention=phonics, measure=reading, gains=[0.1] * 4 + [0.2] * 5)
    adviser = UserFactory()
    MembershipFactory(user=adviser, school=None, trust=trust, role=Role.LA_ADVISER)
    head = UserFactory()
    MembershipFactory(user=head, school=ash, role=Role.HEAD)

    sign_in(page, live_server, adviser)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Impact across your schools").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Impact across your schools")
    expect(page.get_by_test_id("interventions")).to_contain_text("+4 months")
    page.get_by_label("Compare schools on").select_option(label="Fast Phonics")
    page.get_by_role("button", name="Show").click()
    schools = page.get_by_test_id("schools")
    expect(schools.get_by_role("row", name="Birch Primary")).to_contain_text("suppressed")
    expect(schools.get_by_role("row", name="Cedar Primary")).to_contain_text("suppressed")
    expect(schools.get_by_role("row", name="Ash Primary")).to_contain_text("n = 12")
    page.set_viewport_size({"width": 375, "height": 800})
    expect(page.get_by_role("link", name="Download these figures")).to_be_visible()

    sign_in(page, live_server, head)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Impact across the trust").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Impact across the trust")
