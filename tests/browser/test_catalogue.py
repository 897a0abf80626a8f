"""The SENCO looks up what research says about an intervention, and adds the school's own."""

import re

import pytest
from playwright.sync_api import expect

from sendwise.core.access import actor_for
from sendwise.core.codes import Area
from sendwise.core.models import School, User
from sendwise.demo import generate as demo
from sendwise.evidence import selectors
from sendwise.evidence.models import Intervention
from sendwise.impact import selectors as practice_selectors
from tests.browser.demo_world import demo_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_as_senco(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(f"senco@{demo.DEMO_DOMAIN}")
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("SEND overview")


def test_senco_filters_the_catalogue_and_reads_the_pooled_evidence(live_server, page):
    demo_world(seed=3, catalogue=True)
    # The entry with the most pooled trials, whatever the seed files hold today.
    pooled = Intervention.objects.filter(school__isnull=True, pooled_k__gte=1).order_by(
        "-pooled_k", "name"
    )[0]
    area = Area(pooled.broad_areas[0])

    sign_in_as_senco(page, live_server)
    page.get_by_role("link", name="Interventions").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Interventions and strategies")

    page.get_by_label("Broad area of need").select_option(area.value)
    page.get_by_label("Evidence").select_option(pooled.evidence_strength)
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(f"area={area.value}"))
    link = page.get_by_role("link", name=pooled.name)
    expect(link).to_be_visible()

    link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(pooled.name)
    estimate = page.get_by_test_id("pooled-estimate")
    expect(estimate).to_contain_text(re.compile(r"[+−]?\d+ months?"))
    expect(estimate).to_contain_text(re.compile(r"95% interval -?\d+\+? to -?\d+\+? months"))
    trials = "trial" if pooled.pooled_k == 1 else "trials"
    expect(estimate).to_contain_text(f"{pooled.pooled_k} {trials}, {pooled.pooled_n:,} pupils")
    plot = page.get_by_role("img", name=re.compile(f"Forest plot for {re.escape(pooled.name)}"))
    expect(plot).to_be_visible()
    expect(page.get_by_role("table").filter(has_text="Trials pooled")).to_be_visible()
    expect(page.get_by_test_id("practice-results")).to_contain_text("Not enough data yet")


def test_senco_adds_the_schools_own_intervention_after_fixing_an_error(live_server, page):
    demo_world(seed=3)
    sign_in_as_senco(page, live_server)
    page.goto(f"{live_server.url}/interventions/new/")

    page.get_by_label("Name", exact=True).fill("Lunchtime Lego club")
    page.get_by_label("Youngest year group").select_option("6")
    page.get_by_label("Oldest year group").select_option("3")
    page.get_by_role("button", name="Add intervention").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose at least one broad area of need")
    expect(page).to_have_title(re.compile("^Error: "))

    page.get_by_label("Communication and interaction").check()
    page.get_by_label("Oldest year group").select_option("6")
    page.get_by_role("button", name="Add intervention").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lunchtime Lego club")
    expect(page.get_by_test_id("practice-results")).to_contain_text("Not enough data yet")


def test_senco_reads_the_schools_own_results_beside_the_research(live_server, page):
    demo_world(seed=3, catalogue=True)
    school = School.objects.get(urn=demo.MAIN_URN)
    actor = actor_for(User.objects.get(email=f"senco@{demo.DEMO_DOMAIN}"), school.id)
    # The demo programme with the most pupils measured after a reviewed first cycle, among those
    # whose research can be updated.
    shown = []
    for intervention in Intervention.objects.filter(school__isnull=True, pooled_k__gte=1):
        research = selectors.research_view(intervention=intervention).synthesis
        summary = practice_selectors.practice_view(
            actor=actor, intervention=intervention, research=research
        )
        if summary.combined is not None:
            shown.append((summary.school.n, intervention.name, intervention, research, summary))
    _n, _name, intervention, research, summary = max(shown, key=lambda row: row[:2])

    sign_in_as_senco(page, live_server)
    page.goto(f"{live_server.url}/interventions/{intervention.slug}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(intervention.name)
    expect(page.get_by_role("heading", level=2, name="What research says")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="What our practice shows")).to_be_visible()

    pooled = page.get_by_test_id("pooled-estimate")
    expect(pooled).to_contain_text(re.compile(r"95% interval -?\d+\+? to -?\d+\+? months"))
    trials = "trial" if research.k == 1 else "trials"
    expect(pooled).to_contain_text(f"{research.k} {trials}, {research.n:,} pupils")

    panel = page.get_by_test_id("practice-results")
    ours = panel.get_by_test_id("school-estimate")
    expect(ours).to_contain_text(re.compile(r"[+−]?\d+ months?"))
    expect(ours).to_contain_text(re.compile(r"95% interval -?\d+\+? to -?\d+\+? months"))
    expect(ours).to_contain_text(
        f"{summary.school.n} pupils with a starting and a later score on an age-standardised test"
    )
    expect(panel.get_by_test_id("combined-estimate")).to_contain_text("95% credible interval")
    expect(panel.get_by_test_id("combined-estimate")).to_contain_text(
        f"your school {summary.combined.school_percent}%"
    )
    table = panel.get_by_role("table", name="The research, your school and the two combined")
    expect(table.get_by_role("row", name=re.compile("^Your school"))).to_contain_text(
        str(summary.school.n)
    )
    expect(panel).not_to_contain_text("Not enough data yet")

    page.get_by_text("How this is worked out and combined").click()
    expect(panel.get_by_text(re.compile("normal–normal Bayesian update"))).to_be_visible()


def test_senco_searches_the_key_messages_by_theme_and_follows_one_to_its_intervention(
    live_server, page
):
    demo_world(seed=3, catalogue=True)
    sign_in_as_senco(page, live_server)
    page.get_by_role("link", name="Interventions").first.click()
    page.get_by_role("link", name="Read the key research messages by theme").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Key research messages by theme")
    expect(
        page.get_by_role("heading", level=2, name="Deploying teaching assistants")
    ).to_be_visible()

    page.get_by_label("Search the key messages").fill("lowest attainers")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"q=lowest\+attainers"))
    expect(page.get_by_test_id("message-count")).to_contain_text("found for “lowest attainers”")
    message = page.get_by_test_id("guidance-message").filter(has_text="main teacher of the lowest")
    expect(message).to_have_count(1)

    message.get_by_role(
        "link", name="Teaching assistant-led structured interventions (EEF Toolkit strand)"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Teaching assistant-led")
    expect(page.get_by_test_id("guidance-for-entry")).to_contain_text("main teacher of the lowest")
