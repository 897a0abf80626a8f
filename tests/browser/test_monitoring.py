"""Monitoring journey: the SENCO records a pupil's score; a score outside the measure's range is
refused with the error summary, and both states of the form pass axe."""

import re

import pytest
from playwright.sync_api import expect

from sendwise.demo import generate as demo
from sendwise.evidence.models import Measure
from sendwise.monitoring.models import Score
from sendwise.pupils.models import Pupil
from tests.browser.demo_world import demo_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_senco_records_a_score_after_an_out_of_range_one_is_refused(live_server, page):
    demo_world(seed=7)
    measure = Measure.objects.create(
        slug="browser-reading-standardised",
        name="Reading comprehension (standardised)",
        kind="standardised",
        scale_min=70,
        scale_max=130,
        mean=100,
        sd=15,
        higher_is_better=True,
    )
    pupil = Pupil.unscoped.filter(school__urn=demo.MAIN_URN).order_by("id").first()
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email address").fill(f"senco@{demo.DEMO_DOMAIN}")
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("SEND overview")

    page.goto(f"{base}/pupils/{pupil.pk}/scores/add/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Add an assessment score")

    page.get_by_label("Measure").select_option(label=measure.name_with_range)
    page.get_by_label("Score").fill("150")
    page.get_by_role("button", name="Save score").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary).to_contain_text(
        "The score must be between 70 and 130 on Reading comprehension (standardised)"
    )
    expect(page).to_have_title(re.compile(r"^Error: "))
    # The summary links to the field in error, as the GOV.UK pattern asks.
    expect(summary.get_by_role("link")).to_have_attribute("href", "#id_value")
    assert not Score.objects.filter(pupil=pupil).exists()

    page.get_by_label("Score").fill("92")
    page.get_by_role("button", name="Save score").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(pupil.full_name)
    assert Score.objects.get(pupil=pupil, measure=measure).value == 92
