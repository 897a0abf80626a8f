"""The SENCO answers a subject access request: from the pupil's page to the ZIP, then reads the
retention report, at desktop and phone width. axe-core checks every page."""

import zipfile

import pytest
from playwright.sync_api import expect

from tests.browser.signing_in import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_senco_exports_a_pupils_file_and_reads_the_retention_report(live_server, page, world):
    base = live_server.url
    pupil = world.pupil_in_class
    sign_in(page, live_server, world.users["senco"])

    page.goto(f"{base}/pupils/{pupil.pk}/")
    page.get_by_role("link", name="Export everything held about Amara").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Export everything held about this pupil"
    )
    expect(page.get_by_text("No export of this pupil's file has been made")).to_be_visible()
    page.get_by_role("button", name="Make the export").click()
    expect(page.get_by_text("The export is ready")).to_be_visible()
    page.accessibility_settled()  # before the link takes focus
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the export (ZIP)").click()
    path = download.value.path()
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
    assert "subject-access.pdf" in names and "data/pupil.json" in names

    page.get_by_role("link", name="Back to subject access").click()
    expect(page.get_by_role("link", name="ready")).to_be_visible()

    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{base}/")
    page.get_by_role("link", name="Archived records due for removal").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Records due for removal")
    expect(
        page.get_by_text("No archived pupil's record is past its retention date")
    ).to_be_visible()
