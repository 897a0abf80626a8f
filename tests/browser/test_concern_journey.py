"""Identification: a teacher raises a concern, two staff add observations, the SENCO closes it
by adding the pupil to the SEND register at SEN support. axe-core checks every page."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sendwise.core.models import User
from sendwise.demo import generate as demo
from sendwise.pupils.models import ClassStaff, Pupil
from tests.browser.demo_world import demo_world
from tests.browser.signing_in import sign_in as sign_in_quickly

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AREAS = [
    "Cognition and learning",
    "Memory",
    "Attention",
    "Self-management",
    "Communication",
    "Social interaction",
    "Emotional wellbeing",
    "Physical and sensory",
]


def demo_user(key: str) -> User:
    return User.objects.get(email=f"{key}@{demo.DEMO_DOMAIN}")


def add_observations(page, *, example: str) -> None:
    page.get_by_role("link", name=re.compile("Add observations of")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Observations of")
    # Sending with nothing chosen shows the error summary first.
    page.get_by_role("button", name="Send observations").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose a rating for memory")
    expect(page).to_have_title(re.compile("^Error: "))
    for area in AREAS:
        group = page.get_by_role("group", name=area, exact=True)
        rating = "Significant concern" if area == "Attention" else "No concern"
        if area == "Physical and sensory":
            rating = "Not observed"
        group.get_by_label(rating, exact=True).check()
    page.get_by_label("Example for attention").fill(example)
    page.get_by_role("button", name="Send observations").click()
    expect(page.get_by_role("heading", name="Observations sent")).to_be_visible()


def test_a_concern_goes_from_a_teacher_to_sen_support(live_server, page):
    demo_world(seed=11)
    teacher, assistant, senco = demo_user("teacher"), demo_user("ta"), demo_user("senco")
    year4 = ClassStaff.objects.get(user=teacher, kind="teacher").class_group
    pupil = Pupil.unscoped.filter(class_group=year4, sen_provision="N").order_by("id").first()

    # The class teacher signs in through the form and raises a concern from the pupil's page.
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email address").fill(teacher.email)
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("SEND overview")
    page.goto(f"{live_server.url}/pupils/{pupil.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(pupil.full_name)
    page.get_by_role("link", name="Raise a concern").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Raise a concern")
    page.get_by_role("button", name="Send to the SENCO").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose at least one area")
    page.get_by_label("Attention").check()
    page.get_by_label("Self-management").check()
    page.get_by_label("What have you seen?").fill(
        "Rarely finishes a task; needs instructions repeated one step at a time."
    )
    page.get_by_role("button", name="Send to the SENCO").click()
    expect(page.get_by_role("heading", name="Concern raised")).to_be_visible()

    # The SENCO finds it in the list and asks the class teacher and the assistant to observe.
    sign_in_quickly(page, live_server, senco)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Concerns").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Concerns")
    page.get_by_role("link", name=f"{pupil.last_name}, {pupil.first_name}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(pupil.full_name)
    page.get_by_role("link", name="Ask for observations").click()
    for person in (teacher, assistant):
        label = f"{person.full_name} (works with the pupil's class)"
        page.get_by_label(label, exact=True).check()
    page.get_by_label("Message to staff (optional)").fill("Please watch transitions.")
    page.get_by_role("button", name="Send requests").click()
    expect(page.get_by_text(re.compile(f"{assistant.full_name}: Asked"))).to_be_visible()

    # Each of them sees the request on their dashboard and adds observations.
    for person, example in (
        (teacher, "Out of seat five times in a lesson."),
        (assistant, "Needs a prompt to start every task."),
    ):
        sign_in_quickly(page, live_server, person)
        page.goto(f"{live_server.url}/")
        expect(page.get_by_role("heading", name="Observations asked of you")).to_be_visible()
        add_observations(page, example=example)

    # The SENCO records that the parents were told, then closes the concern at SEN support.
    sign_in_quickly(page, live_server, senco)
    page.goto(f"{live_server.url}/concerns/")
    page.get_by_role("link", name=f"{pupil.last_name}, {pupil.first_name}").click()
    expect(page.get_by_role("table")).to_contain_text("Needs a prompt to start every task.")
    page.get_by_role("link", name="Record that parents were told").click()
    page.get_by_label("When were the parents told?").fill(timezone.localdate().isoformat())
    page.get_by_label("Meeting in person").check()
    page.get_by_label("What did the parents say?").fill("They see the same with homework.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("They see the same with homework.")).to_be_visible()

    page.get_by_role("link", name="Close with an outcome").click()
    page.get_by_label("Add to the SEND register at SEN support").check()
    page.get_by_role("button", name="Close concern").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose the pupil's primary type of need")
    page.get_by_label("Primary type of need").select_option("SEMH")
    page.get_by_label("Reasons for this decision").fill(
        "Both observers see significant attention difficulty; parents agree."
    )
    page.get_by_role("button", name="Close concern").click()
    expect(page.get_by_text("Closed", exact=True)).to_be_visible()

    # The pupil is now on the register at SEN support.
    page.get_by_role("link", name=re.compile("record$")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(pupil.full_name)
    expect(page.get_by_text("SEN support (K)").first).to_be_visible()
    pupil.refresh_from_db()
    assert (pupil.sen_provision, pupil.primary_need) == ("K", "SEMH")
