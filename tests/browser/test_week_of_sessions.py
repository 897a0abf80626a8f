"""A week of sessions, then the scores (issue 11, "Done when"): at tablet width (800 px) the
intervention specialist backfills last school week's five sessions of a group of six, each
register opened from the group page's "Not recorded yet" list, by keyboard alone (Tab, Enter,
Space and arrow keys; no clicks): one pupil absent ill one day, the session cancelled another
(staff absent), one pupil late another. Then they open the group's scores page from the group
page and enter six scores. axe-core checks every page on the way (tests/browser/conftest.py)."""

import re
from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sendwise.delivery.models import Attendance, Session, Slot
from sendwise.evidence.models import Measure
from sendwise.monitoring.models import Score
from sendwise.planning.models import Outcome
from tests.browser.test_delivery import sign_in
from tests.browser.test_sessions import tab_to
from tests.delivery.factories import running_group

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TABLET = {"width": 800, "height": 1024}


def week_group(world):
    """A group of six meeting every weekday at 09:10 for 30 minutes; the pupils joined on the
    Monday of the last school week (Monday to Friday) over before today: this week's at a
    weekend, else last week's. Returns (group, members, that week's five days)."""
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday() + (0 if today.weekday() >= 5 else 7))
    group, members = running_group(world, pupils=6, joined_days_ago=(today - monday).days)
    Slot.objects.filter(group=group).delete()
    Slot.objects.bulk_create(
        Slot(school=world.school, group=group, weekday=d, starts_at=time(9, 10), minutes=30)
        for d in range(5)
    )
    return group, members, [monday + timedelta(days=n) for n in range(5)]


def open_register(page, live_server, group, day) -> None:
    """From the group page, Tab to the day's link in "Not recorded yet" and press Enter."""
    page.goto(f"{live_server.url}/delivery/groups/{group.pk}/")
    expect(page.get_by_role("heading", name="Not recorded yet")).to_be_visible()
    link = page.get_by_role("link", name=f"{day:%A} {day.day} {day:%B}, 09:10", exact=True)
    tab_to(page, link, limit=200)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Session on")


def type_into(page, label: str, text: str) -> None:
    tab_to(page, page.get_by_label(label))
    page.keyboard.type(text)


def pupil(page, last_name: str):
    return page.get_by_role("group", name=re.compile(last_name))


def save(page, group, day) -> None:
    tab_to(page, page.get_by_role("button", name="Save session"), limit=120)
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"{group.name}, {day:%A} {day.day} {day:%B}: session")).to_be_visible()


def test_the_specialist_backfills_a_week_for_six_by_keyboard_then_enters_their_scores(
    live_server, page, world
):
    group, members, week = week_group(world)
    monday, tuesday, wednesday, thursday, friday = week
    page.set_viewport_size(TABLET)
    sign_in(page, live_server, world.users["intervention_specialist"])

    # Monday: everyone came, the whole session; a note of what was covered.
    open_register(page, live_server, group, monday)
    type_into(page, "Note (optional)", "Phase 3: ai, ee, igh")
    save(page, group, monday)

    # Tuesday: the second pupil was off ill (arrow keys move within the pupil's radios).
    open_register(page, live_server, group, tuesday)
    second = pupil(page, "P01")
    tab_to(page, second.get_by_label("Present", exact=True))
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(second.get_by_label("Absent", exact=True)).to_be_checked()
    tab_to(page, second.get_by_label("If absent, why"))
    page.keyboard.press("ArrowDown")  # "Ill", the first reason
    save(page, group, tuesday)

    # Wednesday: the session did not happen, the specialist was away.
    open_register(page, live_server, group, wednesday)
    tab_to(page, page.get_by_label("It happened", exact=True))
    page.keyboard.press("ArrowRight")
    expect(page.get_by_label("It was cancelled", exact=True)).to_be_checked()
    tab_to(page, page.get_by_label("If it was cancelled, why?"))
    page.keyboard.press("ArrowDown")  # "Staff absent", the first reason
    save(page, group, wednesday)

    # Thursday: the third pupil came late, and the session ran 25 minutes; a word for the class.
    open_register(page, live_server, group, thursday)
    tab_to(page, page.get_by_label("Minutes delivered"))
    page.keyboard.press("Control+A")
    page.keyboard.type("25")
    third = pupil(page, "P02")
    tab_to(page, third.get_by_label("Present", exact=True))
    page.keyboard.press("ArrowRight")
    expect(third.get_by_label("Late", exact=True)).to_be_checked()
    type_into(page, "What to reinforce in class this week (optional)", "Spot ai and ee words")
    save(page, group, thursday)

    # Friday: everyone, as planned. The core components start unticked; Space ticks the first.
    open_register(page, live_server, group, friday)
    component = page.get_by_role("checkbox").first
    expect(component).not_to_be_checked()
    tab_to(page, component)
    page.keyboard.press("Space")
    expect(component).to_be_checked()
    save(page, group, friday)

    # The week is recorded: nothing from last week is left to record.
    page.goto(f"{live_server.url}/delivery/groups/{group.pk}/")
    for day in week:
        link = page.get_by_role("link", name=f"{day:%A} {day.day} {day:%B}, 09:10", exact=True)
        expect(link).to_have_count(0)
    sessions = {s.date: s for s in Session.objects.filter(group=group)}
    assert sorted(sessions) == week
    assert sessions[monday].note == "Phase 3: ai, ee, igh"
    assert (sessions[wednesday].status, sessions[wednesday].cancel_reason) == (
        "cancelled",
        "staff_absent",
    )
    assert not Attendance.objects.filter(session=sessions[wednesday]).exists()
    assert (sessions[thursday].minutes, sessions[thursday].reinforce_in_class) == (
        25,
        "Spot ai and ee words",
    )
    assert {sessions[d].minutes for d in (monday, tuesday, friday)} == {30}
    rows = {(a.session.date, a.member_id): a for a in Attendance.objects.select_related("session")}
    assert len(rows) == 4 * 6  # six pupils on each of the four days it happened
    ill = rows[(tuesday, members[1].pk)]
    assert (ill.status, ill.absence_reason) == ("absent", "ill")
    assert rows[(thursday, members[2].pk)].status == "late"
    others = [a for key, a in rows.items() if key not in {(tuesday, members[1].pk)}]
    assert sum(a.status == "present" for a in others) == len(others) - 1  # only the late one

    # Then the group's scores, from the group page, by keyboard.
    measure = Measure.objects.create(
        slug="browser-week-bpvs3", name="British Picture Vocabulary Scale (BPVS3)",
        kind="standardised", scale_min=70, scale_max=130, mean=100, sd=15, higher_is_better=True,
    )  # fmt: skip
    for member in members:
        Outcome.objects.create(
            school=world.school, plan=member.placement.plan, placement=member.placement,
            text="Knows more words", measure=measure,
        )  # fmt: skip
    page.goto(f"{live_server.url}/delivery/groups/{group.pk}/")
    tab_to(page, page.get_by_role("link", name="Enter scores for the group"), limit=200)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Enter scores for the group")
    expect(page.get_by_label("Measure")).to_have_value(str(measure.pk))
    boxes = page.locator('input[inputmode="decimal"]')
    expect(boxes).to_have_count(6)
    values = ["84", "91", "78", "102", "88", "95"]
    for n, value in enumerate(values):
        tab_to(page, boxes.nth(n))
        page.keyboard.type(value)
    tab_to(page, page.get_by_role("button", name="Save scores"))
    page.keyboard.press("Enter")
    expect(page.get_by_text(f"6 scores on {measure.name} saved")).to_be_visible()
    saved = Score.objects.filter(measure=measure)
    assert sorted(saved.values_list("value", flat=True)) == [78, 84, 88, 91, 95, 102]
    assert {s.taken_on for s in saved} == {timezone.localdate()}
    assert {s.entered_by for s in saved} == {world.users["intervention_specialist"]}
    by_pupil = dict(saved.values_list("pupil_id", "value"))
    assert [by_pupil[m.placement.plan.pupil_id] for m in members] == [float(v) for v in values]
