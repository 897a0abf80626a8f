"""The costed provision map in a browser: the SENCO sets the hourly cost of a teaching
assistant (a typing slip first, refused with its reason), the head opens the map from the
delivery page, reads the chart and the table, downloads it as PDF and as a spreadsheet, and
opens a pupil's own map from their record; the map reads at phone width. axe-core checks every
page."""

import re
from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sendwise.delivery.models import Attendance, Session, StaffRate
from tests.browser.signing_in import sign_in
from tests.delivery.factories import running_group
from tests.delivery.test_provision_views import mid_autumn_term  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_head_reads_and_downloads_the_costed_provision_map(live_server, page, world):
    group, members = running_group(world, pupils=2, joined_days_ago=20)
    session = Session.objects.create(
        school=world.school,
        group=group,
        date=timezone.localdate() - timedelta(days=7),
        starts_at=time(9, 10),
        slot_minutes=30,
        status="delivered",
        minutes=30,
        recorded_at=timezone.now(),
    )
    for member in members:
        Attendance.objects.create(
            school=world.school,
            session=session,
            member=member,
            placement=member.placement,
            status="present",
        )
    base = live_server.url

    sign_in(page, live_server, world.users["senco"])
    page.goto(f"{base}/delivery/costs/")
    page.get_by_label("Teaching assistant (£ an hour)").fill("1900")
    page.get_by_role("button", name="Save hourly costs").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("alert")).to_contain_text("probably a typing slip")
    assert not StaffRate.objects.exists()
    page.get_by_label("Teaching assistant (£ an hour)").fill("19")
    page.get_by_role("button", name="Save hourly costs").click()
    expect(page.get_by_text("Hourly costs saved")).to_be_visible()

    sign_in(page, live_server, world.users["head"])
    page.goto(f"{base}/delivery/")
    page.get_by_role("link", name="Costed provision map").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Costed provision map")
    expect(page.get_by_role("img", name=re.compile("Bar chart of the cost"))).to_be_visible()
    # One 30-minute session at £19 an hour: £9.50.
    row = page.get_by_role("row", name=re.compile("Reading recovery"))
    expect(row).to_contain_text("£9.50")

    page.accessibility_settled()  # before the link takes focus
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Download as PDF").click()
    assert pdf.value.suggested_filename.endswith(".pdf")
    page.accessibility_settled()  # before the link takes focus
    with page.expect_download() as xlsx:
        page.get_by_role("link", name="Download as a spreadsheet (XLSX)").click()
    assert xlsx.value.suggested_filename.endswith(".xlsx")

    page.goto(f"{base}/pupils/{world.pupil_in_class.pk}/")
    page.get_by_role("link", name="Provision map (hours and cost)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Provision map")
    expect(page.get_by_role("row", name=re.compile("Reading recovery"))).to_contain_text("£4.75")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/delivery/provision-map/")
    expect(page.get_by_role("row", name=re.compile("Reading recovery"))).to_be_attached()
