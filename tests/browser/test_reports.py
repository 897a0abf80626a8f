"""Reports journey: the SENCO builds an EHC needs-assessment evidence pack for a demo pupil,
checks what it holds and downloads the PDF; then opens the governors' summary and makes the
parent reports of a class as one ZIP. Axe checks every page."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from sendwise.demo import generate as demo
from sendwise.planning.models import Plan
from tests.browser.demo_world import demo_world
from tests.reports.pdftext import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_senco_builds_an_ehc_evidence_pack_and_the_governors_and_class_reports(live_server, page):
    demo_world(seed=3, catalogue=True)
    plan = (
        Plan.objects.filter(
            school__urn=demo.MAIN_URN, pupil__class_group__isnull=False, status="reviewed"
        )
        .select_related("pupil", "pupil__class_group")
        .order_by("-cycle", "id")
        .first()
    )
    pupil = plan.pupil
    base = live_server.url

    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email address").fill(f"senco@{demo.DEMO_DOMAIN}")
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("SEND overview")

    page.goto(f"{base}/pupils/{pupil.pk}/")
    page.get_by_role("link", name="Support plans", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Support plans")
    page.get_by_role("link", name="Build an EHC needs-assessment evidence pack").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "EHC needs assessment: evidence pack"
    )
    expect(page.get_by_text("At least 2 reviewed cycles of support")).to_be_visible()
    expect(
        page.get_by_role("heading", name="2. Cycles of support: assess, plan, do, review")
    ).to_be_visible()

    page.accessibility_settled()  # before the link takes focus
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the evidence pack (PDF)").click()
    download = info.value
    assert re.fullmatch(
        r"ehc-evidence-[a-z0-9-]+-\d{4}-\d{2}-\d{2}\.pdf", download.suggested_filename
    )
    text = " ".join(pdf_text(Path(download.path()).read_bytes()).split())
    assert pupil.full_name in text
    assert "1. Needs over time" in text and "Plan 1:" in text

    # The SENCO checks the pack on a phone too: nothing wider than the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_contain_text("evidence pack")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"{base}/")
    page.get_by_role("link", name="SEN summary for governors").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "SEN information report: summary for governors"
    )
    expect(page.get_by_text("[c]: not shown").first).to_be_visible()

    page.goto(f"{base}/")
    page.get_by_role("link", name="Parent reports for a class or year group").click()
    page.get_by_label("Class").select_option(label=pupil.class_group.name)
    page.get_by_role("button", name="Make the reports").click()
    expect(page.get_by_text(re.compile(r"Ready: \d+ reports? in one ZIP file"))).to_be_visible()
    page.accessibility_settled()  # before the link takes focus
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the reports (ZIP)").click()
    assert info.value.suggested_filename.endswith(".zip")
