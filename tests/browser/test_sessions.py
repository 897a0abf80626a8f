"""Sessions: at tablet width, the intervention specialist opens today's session from their home
page and records it by keyboard alone (one pupil absent, ill; one late), after a failed submit
that keeps what was typed. axe-core checks every page."""

import re
import time as clock
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sendwise.delivery.models import Attendance, Session
from tests.browser.test_delivery import sign_in
from tests.delivery.factories import running_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLET = {"width": 768, "height": 1024}


def tab_to(page, locator, limit: int = 80) -> None:
    """Press Tab until ``locator`` has the focus (keyboard only: no clicks)."""
    for _ in range(limit):
        if locator.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {locator}")


def test_the_specialist_records_a_session_for_six_pupils_by_keyboard_at_tablet_width(
    live_server, page, world
):
    _group, members = running_group(world, pupils=6)
    page.set_viewport_size(TABLET)
    sign_in(page, live_server, world.users["intervention_specialist"])
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", name="Your sessions today")).to_be_visible()

    link = page.get_by_role("link", name=re.compile("09:10 Reading group"))
    tab_to(page, link)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Session on")
    started = clock.perf_counter()

    # Minutes longer than the session, and a note: the error keeps the note.
    minutes = page.get_by_label("Minutes delivered")
    tab_to(page, minutes)
    page.keyboard.press("Control+A")
    page.keyboard.type("45")
    tab_to(page, page.get_by_label("Note (optional)"))
    page.keyboard.type("Blends and tricky words")
    tab_to(page, page.get_by_role("button", name="Save session"))
    page.keyboard.press("Enter")
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("alert")).to_contain_text("Minutes must be between 1 and 30")
    expect(page.get_by_label("Note (optional)")).to_have_value("Blends and tricky words")

    minutes = page.get_by_label("Minutes delivered")
    tab_to(page, minutes)
    page.keyboard.press("Control+A")
    page.keyboard.type("30")
    # The second pupil was absent (ill): arrow keys move within the pupil's radios.
    second = page.get_by_role("group", name=re.compile(r"P01"))
    tab_to(page, second.get_by_label("Present", exact=True))
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(second.get_by_label("Absent", exact=True)).to_be_checked()
    tab_to(page, second.get_by_label("If absent, why"))
    page.keyboard.press("ArrowDown")  # "Ill", the first reason
    # The third pupil was late.
    third = page.get_by_role("group", name=re.compile(r"P02"))
    tab_to(page, third.get_by_label("Present", exact=True))
    page.keyboard.press("ArrowRight")
    expect(third.get_by_label("Late", exact=True)).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Save session"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("session recorded")).to_be_visible()
    elapsed = clock.perf_counter() - started

    session = Session.objects.get()
    assert (session.minutes, session.note) == (30, "Blends and tricky words")
    rows = {a.member_id: a for a in Attendance.objects.filter(session=session)}
    assert len(rows) == 6
    assert (rows[members[1].pk].status, rows[members[1].pk].absence_reason) == ("absent", "ill")
    assert rows[members[2].pk].status == "late"
    assert session.date == timezone.localdate()
    print(f"\nRecorded a session for six pupils by keyboard in {elapsed:.1f} s (incl. one error)")


PHONE = {"width": 390, "height": 844}
DRAFTS = "Object.keys(localStorage).filter(k => k.startsWith('sendwise-register:')).length"


def register_address(live_server, group) -> str:
    from sendwise.delivery.session_views import register_url

    return live_server.url + register_url(
        group.pk, timezone.localdate(), group.slots.get().starts_at
    )


def test_a_register_left_before_saving_is_put_back_when_it_is_opened_again(
    live_server, page, world
):
    group, members = running_group(world, pupils=3)
    page.set_viewport_size(TABLET)
    sign_in(page, live_server, world.users["intervention_specialist"])
    page.goto(register_address(live_server, group))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Session on")
    expect(page.get_by_text("We put back what you typed")).to_be_hidden()

    page.get_by_label("Minutes delivered").fill("25")
    page.get_by_label("Note (optional)").fill("Phase 3 sounds: ai, ee, igh")
    second = page.get_by_role("group", name=re.compile(r"P01"))
    second.get_by_label("Absent", exact=True).check()
    second.get_by_label("If absent, why").select_option("appointment")

    # Called away: the specialist goes to another page, then closes the tab.
    page.goto(f"{live_server.url}/delivery/sessions/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    tab = page.context.new_page()
    page.close()
    tab.goto(register_address(live_server, group))
    expect(tab.get_by_text("We put back what you typed")).to_be_visible()
    expect(tab.get_by_label("Minutes delivered")).to_have_value("25")
    expect(tab.get_by_label("Note (optional)")).to_have_value("Phase 3 sounds: ai, ee, igh")
    second = tab.get_by_role("group", name=re.compile(r"P01"))
    expect(second.get_by_label("Absent", exact=True)).to_be_checked()
    expect(second.get_by_label("If absent, why")).to_have_value("appointment")
    assert not Session.objects.exists()  # a draft, kept in the browser only

    tab.get_by_role("button", name="Save session").click()
    expect(tab.get_by_text("session recorded")).to_be_visible()
    session = Session.objects.get()
    assert (session.minutes, session.note) == (25, "Phase 3 sounds: ai, ee, igh")
    absent = Attendance.objects.get(session=session, member=members[1])
    assert (absent.status, absent.absence_reason) == ("absent", "appointment")

    # Saved: opening the register again shows what was saved, not an old draft.
    tab.goto(register_address(live_server, group))
    expect(tab.get_by_role("heading", level=1)).to_contain_text("Session on")
    expect(tab.get_by_text("We put back what you typed")).to_be_hidden()
    assert tab.evaluate(DRAFTS) == 0


def test_a_draft_can_be_discarded_and_signing_out_forgets_drafts(live_server, page, world):
    group, _members = running_group(world, pupils=2)
    sign_in(page, live_server, world.users["intervention_specialist"])
    page.goto(register_address(live_server, group))
    # A draft someone else left in this browser is removed when a register is opened.
    page.evaluate(
        "localStorage.setItem('sendwise-register:999999:1:2026-01-05:09:10',"
        " JSON.stringify({drawnAt: Date.now() / 1000, savedAt: Date.now(), values: {}}))"
    )
    page.get_by_label("Note (optional)").fill("Half done")
    page.reload()
    assert page.evaluate(DRAFTS) == 1
    expect(page.get_by_text("We put back what you typed")).to_be_visible()
    with page.expect_navigation():  # discarding reloads the register
        page.get_by_role("button", name="Discard what you typed").click()
    page.wait_for_load_state()  # its draft script is listening again before anything is typed
    expect(page.get_by_label("Note (optional)")).to_have_value("")
    expect(page.get_by_text("We put back what you typed")).to_be_hidden()
    assert page.evaluate(DRAFTS) == 0

    page.get_by_label("Note (optional)").fill("Typed before signing out")
    assert page.evaluate(DRAFTS) == 1
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    assert page.evaluate(DRAFTS) == 0


@pytest.mark.browser_context(has_touch=True, is_mobile=True, viewport=PHONE)
def test_the_register_fits_a_phone_and_is_recorded_by_touch(live_server, page, world):
    _group, members = running_group(world, pupils=6)
    sign_in(page, live_server, world.users["intervention_specialist"])
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name=re.compile("09:10 Reading group")).tap()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Session on")
    wide = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    assert page.evaluate(wide) <= 0, "the register scrolls sideways at 390 px"

    second = page.get_by_role("group", name=re.compile(r"P01"))
    second.get_by_label("Absent", exact=True).tap()
    second.get_by_label("If absent, why").select_option("ill")
    third = page.get_by_role("group", name=re.compile(r"P02"))
    third.get_by_label("Late", exact=True).tap()
    third.get_by_label("Engagement").select_option("2")
    # Every control can also be reached from the keyboard, in order, up to the save button.
    tab_to(page, page.get_by_role("button", name="Save session"), limit=120)
    page.get_by_role("button", name="Save session").tap()
    expect(page.get_by_text("session recorded")).to_be_visible()
    assert page.evaluate(wide) <= 0

    rows = {a.member_id: a for a in Attendance.objects.filter(session=Session.objects.get())}
    assert (rows[members[1].pk].status, rows[members[1].pk].absence_reason) == ("absent", "ill")
    assert (rows[members[2].pk].status, rows[members[2].pk].engagement) == ("late", 2)
    assert len(rows) == 6


def test_a_missed_session_on_a_day_the_group_does_not_meet_is_explained_on_the_form(
    live_server, page, world
):
    group, _members = running_group(world, pupils=1)  # meets on today's weekday only
    other = timezone.localdate() - timedelta(days=6)
    sign_in(page, live_server, world.users["intervention_specialist"])
    page.goto(f"{live_server.url}/delivery/sessions/")
    page.get_by_label("Group").select_option(str(group.pk))
    page.get_by_label("Date of the session").fill(other.isoformat())
    page.get_by_role("button", name="Open the register").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("This group meets on")
    summary.get_by_role("link").click()
    expect(page.get_by_label("Date of the session")).to_be_focused()
    assert not Session.objects.exists()
