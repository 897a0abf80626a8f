"""Lessons protected: the SENCO enters a class's lessons (a mistake first, which is refused
with its reason), puts a pupil in a group that meets during Maths and is warned, sees on the
group page which lesson the pupil misses, and finds the pupil on the withdrawal list. axe-core
checks every page, including at phone width."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sendwise.delivery.models import Lesson
from tests.browser.signing_in import sign_in
from tests.delivery.factories import make_group, on_plan
from tests.evidence.factories import InterventionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def add_lesson(page, day: str, start: str, end: str, subject: str) -> None:
    # Exact: the week's tables scroll in regions named "Tuesday lessons" and so on.
    page.get_by_label("Day", exact=True).select_option(label=day)
    page.get_by_label("Starts").fill(start)
    page.get_by_label("Ends").fill(end)
    page.get_by_label("Subject", exact=True).select_option(label=subject)
    page.get_by_role("button", name="Add lesson").click()


def test_the_senco_enters_lessons_and_sees_the_clash_on_the_group_page(live_server, page, world):
    reading = InterventionFactory(name="Reading boost", slug="reading-boost")
    make_group(world.school, reading, name="Tuesday readers")  # Tuesday 09:10, 30 minutes
    on_plan(world.pupil_in_class, reading, start=timezone.localdate())
    base = live_server.url
    sign_in(page, live_server, world.users["senco"])

    # Delivery → the classes' lesson timetables → 4 Ash, which has none yet.
    page.goto(f"{base}/delivery/")
    page.get_by_role("link", name="Classes' lesson timetables").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lesson timetables")
    page.get_by_role("link", name="4 Ash").click()
    expect(page.get_by_text("No lessons entered for 4 Ash yet")).to_be_visible()

    # A lesson that ends before it starts is refused, with the reason, and nothing is saved.
    add_lesson(page, "Tuesday", "10:00", "09:00", "Maths")
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.get_by_role("alert")).to_contain_text("The lesson must end after it starts")
    assert not Lesson.objects.exists()

    add_lesson(page, "Tuesday", "09:00", "10:00", "Maths")
    expect(page.get_by_text("Maths, Tuesday 09:00–10:00 added to 4 Ash")).to_be_visible()
    add_lesson(page, "Tuesday", "10:15", "11:15", "English")
    expect(page.get_by_role("cell", name="English", exact=True)).to_be_visible()

    # Amara joins the Tuesday group, which meets during Maths: a warning, not a refusal.
    page.goto(f"{base}/delivery/")
    page.get_by_role("link", name="Tuesday readers").click()
    page.get_by_label("Pupil").select_option(label="Amara Ng (Year 4)")
    page.get_by_role("button", name="Add to group").click()
    expect(page.get_by_text("Amara Ng added to Tuesday readers")).to_be_visible()
    expect(
        page.get_by_text("Amara Ng would miss Maths 6 times a half-term (Tuesday 09:00–10:00)")
    ).to_be_visible()
    lessons_table = page.get_by_role("table", name="Lessons each pupil misses")
    expect(lessons_table.get_by_role("cell", name="Maths (30 of 60 minutes)")).to_be_visible()
    expect(lessons_table.get_by_text("Maths 6 times a half-term")).to_be_visible()

    # The withdrawal list names her, over the limit, at phone width too.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/delivery/withdrawals/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lessons missed")
    row = page.get_by_role("row").filter(has_text="Amara Ng")
    expect(row).to_contain_text("Maths")
    expect(row).to_contain_text("Over the limit")
    page.get_by_label("Only pupils who miss a subject more than the limit").check()
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("row").filter(has_text="Amara Ng")).to_be_visible()
