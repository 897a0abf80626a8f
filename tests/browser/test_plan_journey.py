"""Plan journey: the SENCO opens a pupil with a reading need, reads ranked, explained
recommendations, picks one, and writes a plan with an outcome and an aimline; the chosen
intervention's page shows the pooled research estimate next to the school's own results."""

import re

import pytest
from playwright.sync_api import expect

from sendwise.demo import generate as demo
from sendwise.evidence.models import Intervention, Measure
from sendwise.planning.models import Outcome, Placement
from sendwise.pupils.models import Pupil
from tests.browser.demo_world import demo_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_senco_plans_support_for_a_pupil_with_a_reading_need(live_server, page):
    demo_world(seed=9, catalogue=True)
    pupil = (
        Pupil.unscoped.filter(
            school__urn=demo.MAIN_URN,
            primary_need="SPLD",
            nc_year__in=[3, 4, 5, 6],
            skill_needs__skill__slug="decoding",
        )
        .order_by("id")
        .first()
    )
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email address").fill(f"senco@{demo.DEMO_DOMAIN}")
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("SEND overview")

    page.goto(f"{base}/pupils/{pupil.pk}/")
    page.get_by_role("link", name="Recommended support").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Recommended support")
    first = page.locator(".sw-recommendation").first
    expect(first).to_contain_text(re.compile("decoding|specific learning difficulty", re.I))

    page.get_by_role("link", name="start a plan").click()
    page.get_by_label("What the pupil said (optional)").fill(
        "I want to read the Harry Potter books on my own."
    )
    page.get_by_role("button", name="Start plan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Support plans")

    page.get_by_role("link", name="See recommended interventions").click()
    chosen = page.locator(".sw-recommendation").first.get_by_role("heading").inner_text()
    page.locator(".sw-recommendation").first.get_by_role(
        "link", name=re.compile("Add to plan")
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Add ")
    page.get_by_role("button", name="Add to plan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Support plans")
    placement = Placement.objects.get(plan__pupil=pupil)
    assert placement.recommendation_rank == 1 and placement.why_chosen
    assert placement.intervention.name in chosen

    page.get_by_role("link", name=re.compile("Add an outcome")).click()
    page.get_by_label("Outcome").fill(
        "By the review, reads a Year 4 passage accurately with a standard score of 88 or more"
    )
    yarc = "York Assessment of Reading for Comprehension (YARC) - Passage Reading Primary"
    # The list shows each measure's range beside its name (whatever the seed gives), so the
    # option is chosen by the measure's id.
    page.get_by_label("Measured on (optional)").select_option(
        value=str(Measure.objects.get(name=yarc).pk)
    )
    page.get_by_label("Baseline score").fill("78")
    page.get_by_label("Baseline date").fill("2026-09-07")
    page.get_by_label("Target score").fill("72")
    page.get_by_label("Target date").fill("2026-12-11")
    page.get_by_role("button", name="Add outcome").click()
    expect(page.get_by_role("alert")).to_contain_text("higher is better")
    page.get_by_label("Target score").fill("88")
    page.get_by_role("button", name="Add outcome").click()
    expect(
        page.get_by_text(re.compile(r"from 78 on 7 Sep 2026 to 88 by 11 Dec 2026"))
    ).to_be_visible()
    assert Outcome.objects.get(plan__pupil=pupil).has_aimline

    pooled = (
        Intervention.objects.filter(school__isnull=True, pooled_k__gte=1)
        .order_by("-pooled_k", "name")
        .first()
    )
    page.goto(f"{base}/interventions/{pooled.slug}/")
    estimate = page.get_by_test_id("pooled-estimate")
    expect(estimate).to_contain_text(re.compile(r"95% interval"))
    expect(estimate).to_contain_text(f"{pooled.pooled_n:,} pupils")
    expect(page.get_by_test_id("practice-results")).to_contain_text("Not enough data yet")
