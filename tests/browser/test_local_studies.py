"""The SENCO reads a finished group's local study on the intervention's page, sets it aside as
not representative with a reason, and counts it again (axe checks every page on the way)."""

import re

import pytest
from playwright.sync_api import expect

from sendwise.delivery.models import Adaptation
from tests.browser.signing_in import sign_in
from tests.evidence.factories import InterventionFactory
from tests.factories import MembershipFactory, SchoolFactory, TrustFactory, UserFactory
from tests.impact.localstudy_factories import finished_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_senco_sets_a_local_study_aside_and_counts_it_again(live_server, page):
    trust = TrustFactory()
    school = SchoolFactory(name="Alpha Primary", trust=trust)
    other = SchoolFactory(name="Beta Primary", trust=trust)
    senco = UserFactory(full_name="Sam SENCO")
    MembershipFactory(user=senco, school=school, role="senco")
    programme = InterventionFactory(slug="catch-up-reading", name="Catch-up Reading")
    finished_group(school, programme, [(85, 92), (86, 98), (80, 95), (84, None)], name="Autumn")
    theirs, _ = finished_group(other, programme, [(80, 85)] * 5, name="Beta group")
    Adaptation.objects.create(
        school=other, intervention=programme, group=theirs, kind="dose",
        what="Two 20-minute sessions instead of one of 40", why="Pupils tired",
        result="helped", recorded_on="2026-01-10",
    )  # fmt: skip

    sign_in(page, live_server, senco)
    page.goto(f"{live_server.url}/interventions/catch-up-reading/")
    studies = page.get_by_test_id("local-studies")
    expect(studies).to_contain_text("Autumn")
    expect(studies).to_contain_text("n = 3 of 4")
    expect(studies).to_contain_text("1 with no later score (missing, not zero)")
    expect(page.get_by_test_id("trust-adaptations")).to_contain_text("Two 20-minute sessions")

    page.get_by_role("link", name=re.compile(r"Mark as not representative\s*: Autumn")).click()
    page.get_by_role("button", name="Mark as not representative").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why this study")
    page.get_by_label("Why is this study not representative?").fill("A supply teacher ran it")
    page.get_by_role("button", name="Mark as not representative").click()

    set_aside = page.get_by_test_id("set-aside-study")
    expect(set_aside).to_contain_text("A supply teacher ran it")
    expect(set_aside).to_contain_text("Sam SENCO")
    page.get_by_role("link", name=re.compile(r"Count it again\s*: Autumn")).click()
    page.get_by_role("button", name="Count it again").click()
    expect(page.get_by_test_id("local-study")).to_contain_text("Autumn")
    expect(page.get_by_test_id("set-aside-study")).to_have_count(0)

    page.set_viewport_size({"width": 390, "height": 844})  # a phone: the table scrolls in its box
    page.goto(f"{live_server.url}/interventions/catch-up-reading/")
    expect(page.get_by_test_id("local-study")).to_be_visible()
