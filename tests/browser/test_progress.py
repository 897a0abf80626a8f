"""Progress in the browser, with axe-core on every page: the parent reads their child's progress
chart on a phone (390 px) without scrolling sideways; the SENCO opens an outcome's full chart
from the plans page; the class teacher opens their class's week from their home page."""

from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sendwise.delivery.models import Session
from tests.browser.test_delivery import sign_in
from tests.delivery.factories import add_member, make_group, on_plan
from tests.evidence.factories import InterventionFactory
from tests.monitoring.factories import outcome_on_measure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def no_sideways_scrolling(page) -> None:
    width = page.evaluate("() => document.scrollingElement.scrollWidth")
    inner = page.evaluate("() => window.innerWidth")
    assert width <= inner, f"the page is {width} px wide in a {inner} px window"


def test_the_parent_reads_the_progress_chart_at_phone_width(live_server, page, world):
    outcome_on_measure(world.pupil_in_class, scores=10)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, world.users["parent"])
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Amara's progress towards their goals").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Progress towards Amara's goals")
    chart = page.get_by_role("img", name="York Assessment of Reading", exact=False)
    expect(chart).to_be_visible()
    box = chart.bounding_box()
    assert box["width"] <= PHONE["width"] and box["width"] > 300  # fills the phone's width
    expect(page.get_by_text("Latest score", exact=True)).to_be_visible()
    no_sideways_scrolling(page)
    page.get_by_text("The scores as a list").click()
    expect(page.get_by_role("table")).to_be_visible()
    no_sideways_scrolling(page)


def test_the_senco_opens_an_outcomes_chart_from_the_plans_page(live_server, page, world):
    outcome_on_measure(world.pupil_in_class, scores=9)
    sign_in(page, live_server, world.users["senco"])
    page.goto(f"{live_server.url}/pupils/{world.pupil_in_class.pk}/plans/")
    page.get_by_role("link", name="Progress chart for this outcome").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Progress towards an outcome")
    expect(page.get_by_role("img", name="Trend", exact=False)).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Compared with the aimline")
    page.set_viewport_size(PHONE)
    no_sideways_scrolling(page)


def test_the_class_teacher_opens_their_class_week_from_home(live_server, page, world):
    group = make_group(
        world.school,
        InterventionFactory(name="Reading recovery"),
        name="Tuesday readers",
        deliverer=world.users["intervention_specialist"],
        slots=((1, time(9, 10), 30),),
    )
    add_member(group, on_plan(world.pupil_in_class, group.intervention))
    Session.objects.create(
        school=world.school,
        group=group,
        date=timezone.localdate() - timedelta(days=7),
        starts_at=time(9, 10),
        slot_minutes=30,
        status="delivered",
        minutes=30,
        reinforce_in_class="Practise blending in guided reading",
        recorded_at=timezone.now(),
    )
    page.set_viewport_size(PHONE)
    sign_in(page, live_server, world.users["teacher"])
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Class 4 Ash: who is out for support").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Support this week")
    expect(page.get_by_text("09:10 to 09:40")).to_be_visible()
    expect(page.get_by_text("Practise blending in guided reading")).to_be_visible()
    no_sideways_scrolling(page)
