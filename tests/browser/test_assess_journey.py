"""Assess journeys: the SENCO imports pupils, edits a needs profile and prints a one-page
profile on one A4 page; an import that stopped part-way is tried again from its progress page;
a parent adds their view to their child's profile."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from sendwise.core.tasks.models import TaskProgress
from sendwise.demo import generate as demo
from sendwise.exchange.models import ImportBatch
from sendwise.exchange.samples import make_csv
from sendwise.pupils.models import Contact, Pupil
from tests.browser.demo_world import demo_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base, who):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email address").fill(f"{who}@{demo.DEMO_DOMAIN}")
    page.get_by_label("Password").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(f"{base}/")  # the home page, not the sign-in form again


def test_senco_imports_30_pupils_edits_a_profile_and_prints_the_one_page_profile(live_server, page):
    demo_world(seed=5)
    base = live_server.url
    sign_in(page, base, "senco")

    page.goto(f"{base}/import/")
    page.get_by_label("Upload a file").set_input_files(
        files=[{"name": "mis-export.csv", "mimeType": "text/csv", "buffer": make_csv(30, seed=12)}]
    )
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Check the import before it is applied"
    )
    expect(page.locator("dl")).to_contain_text("30")
    page.get_by_role("button", name=re.compile(r"Apply 30 changes")).click()
    expect(page.get_by_text(re.compile(r"Import applied: 30 new"))).to_be_visible()

    pupil = Pupil.unscoped.filter(school__urn=demo.MAIN_URN).order_by("-id").first()
    page.goto(f"{base}/pupils/{pupil.pk}/")
    page.get_by_role("link", name="Change the needs profile").click()
    page.get_by_label("Strengths").fill("Builds elaborate Lego models and explains them")
    page.get_by_label("What helps", exact=True).fill("A visual timetable and a quiet start")
    page.get_by_label("Attendance this year (%)").fill("250")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("alert")).to_contain_text("Attendance must be between 0 and 100%")
    page.get_by_label("Attendance this year (%)").fill("96.5")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Builds elaborate Lego models")).to_be_visible()

    page.goto(f"{base}/pupils/{pupil.pk}/one-page-profile/edit/")
    page.get_by_label("What people like and admire about me").fill(
        "Kind, funny and a great builder. " * 6
    )
    page.get_by_label("What is important to me").fill(
        "My little brother, football at lunch, knowing the plan. " * 5
    )
    page.get_by_label("How best to support me").fill(
        "Show me what to do, then let me try. Give me time to answer. " * 5
    )
    page.get_by_role("button", name="Save one-page profile").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("one-page profile")
    pdf = page.pdf(format="A4", print_background=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1, (
        "the one-page profile must print on one A4 page"
    )


def test_a_parent_adds_their_view_to_their_childs_one_page_profile(live_server, page):
    demo_world(seed=5)
    child = (
        Contact.objects.filter(user__email=f"parent@{demo.DEMO_DOMAIN}")
        .order_by("id")
        .first()
        .pupil
    )
    base = live_server.url
    sign_in(page, base, "parent")
    page.get_by_role("link", name=child.full_name).click()
    page.get_by_role("link", name=re.compile("One-page profile")).click()
    page.get_by_role("link", name="Add your view").click()
    page.get_by_role("button", name="Save view").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter what was said")
    page.get_by_label(re.compile("Your view")).fill(
        "Reading at home is going better with the coloured overlay."
    )
    page.get_by_role("button", name="Save view").click()
    expect(page).to_have_url(re.compile(rf"/pupils/{child.pk}/one-page-profile/"))
    assert child.voices.get().text.startswith("Reading at home")


def test_an_import_that_stopped_part_way_is_tried_again_from_its_progress_page(live_server, page):
    """The batch's state and its worker's heartbeat are set here as a worker killed part-way
    would leave them (benchmarks/kill_worker_import.py kills a real one)."""
    demo_world(seed=5)
    base = live_server.url
    sign_in(page, base, "senco")
    page.goto(f"{base}/import/")
    page.get_by_label("Upload a file").set_input_files(
        files=[{"name": "big-export.csv", "mimeType": "text/csv", "buffer": make_csv(12, seed=31)}]
    )
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check the import")
    batch = ImportBatch.objects.order_by("-id").first()

    # As if the SENCO had pressed Apply and a worker were halfway through.
    now = timezone.now()
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.APPLYING, apply_started_at=now
    )
    TaskProgress.objects.create(
        key=batch.progress_key, done=6, total=12, stage="creating pupils",
        queued_at=now, started_at=now, beat_at=now,
    )  # fmt: skip
    page.goto(f"{base}/import/{batch.pk}/progress/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Import being applied")
    expect(page.get_by_text("Applied 6 of 12 pupils: creating pupils")).to_be_visible()

    # The worker was killed: its heartbeat stopped. The polling block notices and reloads.
    TaskProgress.objects.filter(key=batch.progress_key).update(beat_at=now - timedelta(minutes=1))
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "The import did not finish", timeout=10_000
    )
    expect(page.get_by_text("nothing was changed").first).to_be_visible()

    page.wait_for_load_state()  # the reload the stalled block asked for has finished
    page.get_by_role("button", name="Try again").click()
    # Trying again checks the whole file against the school's records once more: on a busy
    # machine (a fresh clone's first run) that took longer than the default 5 seconds.
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Check the import before it is applied", timeout=20_000
    )
    expect(page.locator(".govuk-error-summary")).to_contain_text("did not finish")
    page.get_by_role("button", name=re.compile(r"Apply 12 changes")).click()
    expect(page.get_by_text(re.compile(r"Import applied: 12 new"))).to_be_visible()
    batch.refresh_from_db()
    assert batch.status == "applied" and batch.summary["applied"]["new"] == 12
