"""The head opens the school's impact page from the menu, sorts and filters it, downloads it as
PDF and XLSX, opens one intervention's full figures, then a pupil's results; at phone width
too. axe-core checks every page."""

import pytest
from playwright.sync_api import expect

from sendwise.evidence.models import Measure
from sendwise.impact.result_services import impact_rebuild
from tests.browser.signing_in import sign_in
from tests.evidence.factories import InterventionFactory, StudyFactory
from tests.impact.test_selectors import WORKED, place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_head_reads_the_schools_impact_and_one_interventions_figures(live_server, page, world):
    measure = Measure.objects.create(
        slug="reading-ss", name="Reading test", kind="standardised", mean=100, sd=15,
        higher_is_better=True, reliability=0.96,
    )  # fmt: skip
    programme = InterventionFactory(slug="reading-programme", name="Reading Programme")
    StudyFactory(intervention=programme, effect_size=0.2, n_treatment=150, n_control=150)
    StudyFactory(intervention=programme, effect_size=0.3, n_treatment=100, n_control=100)
    for pre, post in WORKED:
        place(world.school, programme, measure, pre, post)
    place(world.school, programme, measure, 80, 89, pupil=world.pupil_in_class)
    impact_rebuild(school_id=world.school.pk)
    sign_in(page, live_server, world.users["head"])

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Impact", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Impact of our interventions")
    expect(page.get_by_role("rowheader", name="Reading Programme")).to_be_visible()
    page.get_by_label("Sort by").select_option("effect")
    page.get_by_role("button", name="Show results").click()
    expect(page.get_by_text("months of additional progress (95% interval")).to_be_visible()
    # The report for governors, as on the page: PDF and spreadsheet.
    page.accessibility_settled()  # before the link takes focus
    with page.expect_download() as pdf:
        page.get_by_role("link", name="PDF", exact=True).click()
    assert pdf.value.suggested_filename.startswith("impact-report-")
    assert pdf.value.suggested_filename.endswith(".pdf")
    page.accessibility_settled()  # before the link takes focus
    with page.expect_download() as xlsx:
        page.get_by_role("link", name="spreadsheet (XLSX)").click()
    assert xlsx.value.suggested_filename.endswith(".xlsx")

    page.get_by_role("link", name="Reading Programme").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Reading Programme")
    expect(page.get_by_role("img")).to_have_count(1)  # research, school and combined
    expect(page.get_by_text("This is not a randomised comparison")).to_be_visible()

    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server.url}/pupils/{world.pupil_in_class.pk}/impact/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("What the support achieved")
    expect(page.get_by_text("gained ground on pupils of the same age")).to_be_visible()
