"""Delivery: the SENCO sets up a group meeting twice a week and puts a pupil in it, records a
member of staff's training and weekly time, sets this year's budget and a cost per pupil; the
intervention specialist then records an adaptation for the group. axe-core checks every page."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sendwise.delivery.models import Adaptation, Budget, Cost, Group, StaffTime, Training
from tests.browser.signing_in import sign_in
from tests.delivery.factories import on_plan
from tests.evidence.factories import InterventionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def session(page, number: int, day: str, at: str, minutes: str) -> None:
    row = page.get_by_role("group", name=f"Session {number}")
    row.get_by_label("Day").select_option(label=day)
    row.get_by_label("Time").fill(at)
    row.get_by_label("Minutes").fill(minutes)


def test_the_senco_timetables_a_group_and_a_specialist_records_an_adaptation(
    live_server, page, world
):
    reading = InterventionFactory(
        name="Reading boost", slug="reading-boost", sessions_per_week=2, minutes_per_session=30
    )
    InterventionFactory(name="Number sense", slug="number-sense")
    on_plan(world.pupil_in_class, reading, start=timezone.localdate())
    senco, ta = world.users["senco"], world.users["intervention_specialist"]
    base = live_server.url

    # The SENCO opens Delivery: nothing is set up yet, and the page says what to do.
    sign_in(page, live_server, senco)
    page.goto(f"{base}/")
    page.get_by_role("link", name="Delivery", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Delivery")
    expect(page.get_by_text("No groups yet.")).to_be_visible()

    # A group meeting on Tuesday and Thursday mornings, run by the intervention specialist.
    page.get_by_role("link", name="Set up a group").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Set up a group")
    page.get_by_role("button", name="Save group").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose an intervention from the catalogue")
    expect(page).to_have_title(re.compile("^Error: "))
    page.get_by_label("Intervention", exact=True).select_option(label="Reading boost")
    page.get_by_label("Group name").fill("Year 4 readers")
    page.get_by_label("Who runs it").select_option(label=ta.full_name)
    page.get_by_label("Room (optional)").fill("Library")
    page.get_by_label("Places").fill("4")
    session(page, 1, "Tuesday", "09:10", "30")
    session(page, 2, "Thursday", "09:10", "30")
    page.get_by_role("button", name="Save group").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Year 4 readers")
    expect(page.get_by_text("Tuesday 09:10 (30 min)")).to_be_visible()
    expect(page.get_by_text("Thursday 09:10 (30 min)")).to_be_visible()

    # The pupil whose plan includes Reading boost joins the group.
    page.get_by_label("Pupil").select_option(label="Amara Ng (Year 4)")
    page.get_by_role("button", name="Add to group").click()
    expect(page.get_by_role("cell", name="Amara Ng", exact=True)).to_be_visible()
    page.get_by_role("link", name="End this group").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Are you sure")
    page.get_by_role("link", name="No, keep it running").click()

    # The specialist's training and weekly time.
    page.get_by_role("link", name="Back to delivery").click()
    page.get_by_role("link", name="Record someone's training and time").first.click()
    page.get_by_label("Member of staff").select_option(label=ta.full_name)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Training and time")
    page.get_by_label("Find an intervention in the list").fill("read")
    expect(page.get_by_label("Number sense")).to_be_hidden()
    page.get_by_label("Reading boost").check()
    row = page.get_by_role("group", name="Weekly time 1")
    row.get_by_label("Day").select_option(label="Tuesday")
    row.get_by_label("From").fill("14:00")
    row.get_by_label("Until").fill("13:00")
    page.get_by_role("button", name="Save training and time").click()
    expect(page.get_by_role("alert")).to_contain_text("the end time must be after the start time")
    row = page.get_by_role("group", name="Weekly time 1")
    row.get_by_label("From").fill("09:00")
    row.get_by_label("Until").fill("10:30")
    page.get_by_role("button", name="Save training and time").click()
    expect(page.get_by_text(f"Training and time saved for {ta.full_name}")).to_be_visible()
    staff_row = page.locator("#staff ~ .sw-table-scroll table").get_by_role(
        "row", name=re.compile(ta.full_name)
    )
    expect(staff_row).to_contain_text("Tuesday: 09:00–10:30")  # the time given
    expect(staff_row).to_contain_text("Tuesday: 09:40–10:30")  # what the group leaves free

    # This year's budget and what a place on Reading boost costs.
    page.get_by_role("link", name="Set this year's budget and costs").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Budget and costs")
    page.get_by_label("Budget for interventions (£)").fill("£12,000")
    page.get_by_role("button", name="Save budget").click()
    expect(page.get_by_text("Budget saved")).to_be_visible()
    page.get_by_label("Intervention", exact=True).select_option(label="Reading boost")
    page.get_by_label("Cost per pupil (£)").fill("lots")
    page.get_by_role("button", name="Save cost").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter an amount in pounds")
    page.get_by_label("Intervention", exact=True).select_option(label="Reading boost")
    page.get_by_label("Cost per pupil (£)").fill("120.50")
    page.get_by_label("How it is worked out (optional)").fill("20 sessions of TA time")
    page.get_by_role("button", name="Save cost").click()
    expect(page.get_by_role("cell", name="£120.50")).to_be_visible()
    page.get_by_role("link", name="Back to delivery").click()
    expect(page.locator("#budget ~ dl")).to_contain_text("£11,879.50")

    # The intervention specialist records an adaptation from the group's page.
    sign_in(page, live_server, ta)
    page.goto(f"{base}/delivery/")
    page.get_by_role("link", name="Year 4 readers").click()
    page.get_by_role("link", name="Record an adaptation for this group").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Record an adaptation")
    page.get_by_role("button", name="Save adaptation").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose what you adapted")
    page.get_by_label("Session length or frequency").check()
    page.get_by_label("What you changed").fill("Two 15-minute halves with a movement break")
    page.get_by_label("Why you changed it").fill("Attention dropped after 15 minutes")
    page.get_by_label("It helped").check()
    expect(page.get_by_label("Which group (optional)")).to_have_value(str(Group.objects.get().pk))
    page.get_by_role("button", name="Save adaptation").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Reading boost")
    expect(page.get_by_text("Adaptation to Reading boost recorded")).to_be_visible()
    page.goto(f"{base}/delivery/adaptations/")
    expect(page.get_by_text("Two 15-minute halves with a movement break")).to_be_visible()

    group = Group.objects.get()
    assert [str(s) for s in group.slots.all()] == [
        "Tuesday 09:10 (30 min)",
        "Thursday 09:10 (30 min)",
    ]
    assert group.members.filter(left_on__isnull=True).count() == 1
    assert Training.objects.get().staff == ta
    assert StaffTime.objects.count() == 1
    assert str(Budget.objects.get().amount) == "12000.00"
    assert str(Cost.objects.get().per_pupil) == "120.50"
    assert Adaptation.objects.get().group == group
