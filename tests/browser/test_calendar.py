"""The school calendar: the SENCO opens it from the delivery page, enters a half-term with a
mistake first (refused with its reason, nothing saved), then correctly; the register then
refuses a session that day, and the calendar reads well at phone width. axe-core checks every
page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sendwise.delivery.models import Closure
from tests.browser.signing_in import sign_in
from tests.delivery.factories import running_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def add_closure(page, name: str, first: str, last: str) -> None:
    page.get_by_label("Name").fill(name)
    page.get_by_label("Holiday").check()
    page.get_by_label("First day closed").fill(first)
    page.get_by_label("Last day closed").fill(last)
    page.get_by_role("button", name="Add closure").click()


def test_the_senco_enters_a_half_term_and_the_register_refuses_it(live_server, page, world):
    last_week = timezone.localdate() - timedelta(days=7)
    while last_week.weekday() > 4:  # groups meet on school days
        last_week -= timedelta(days=1)
    group, _ = running_group(world, pupils=1, meets_on=last_week)
    first, last = last_week, last_week + timedelta(days=2)
    base = live_server.url
    sign_in(page, live_server, world.users["senco"])

    page.goto(f"{base}/delivery/")
    page.get_by_role("link", name="School calendar: holidays and closures").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("School calendar")
    expect(page.get_by_text("No closures entered")).to_be_visible()

    # The days the wrong way round: refused with the reason, nothing saved.
    add_closure(page, "Half-term", last.isoformat(), first.isoformat())
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("alert")).to_contain_text("The last day must be the same as")
    assert not Closure.objects.exists()

    add_closure(page, "Half-term", first.isoformat(), last.isoformat())
    expect(page.get_by_text("added to the school calendar")).to_be_visible()
    expect(page.get_by_role("cell", name="Half-term", exact=True)).to_be_visible()

    # Last week's session of the group fell in it: the register says the school was closed.
    page.goto(f"{base}/delivery/groups/{group.pk}/sessions/{last_week.isoformat()}/")
    expect(page.get_by_text("The school is closed on")).to_be_visible()
    expect(page.get_by_role("button", name="Save session")).to_have_count(0)

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/delivery/calendar/")
    expect(page.get_by_role("cell", name="Half-term", exact=True)).to_be_visible()
