"""Whole-school packs: every parent report of a class in one ZIP, made in the background."""

import io
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sendwise.core.access import actor_for
from sendwise.core.models import AuditEntry, Membership
from sendwise.core.tasks.models import TaskProgress
from sendwise.reports import pack_services, tasks
from sendwise.reports.models import ReportPack
from tests.factories import PupilFactory
from tests.reports.pdftext import pdf_text


@pytest.fixture
def class_of_three(world):
    """4 Ash: Amara Ng (the world's) and two more; one more pupil in 4 Birch."""
    ash = world.pupil_in_class.class_group
    PupilFactory(school=world.school, class_group=ash, first_name="Dev", last_name="Patel")
    PupilFactory(school=world.school, class_group=ash, first_name="Ella", last_name="Jones")
    # Not on the SEN register and no plan: nothing to report, so no PDF for her.
    PupilFactory(
        school=world.school, class_group=ash, first_name="Zoe", last_name="Adams",
        sen_provision="N", primary_need="",
    )  # fmt: skip
    return ash


def test_the_senco_makes_a_class_pack_and_downloads_one_pdf_per_pupil(
    world, client_as, class_of_three
):
    client = client_as("senco")
    reads_before = AuditEntry.objects.filter(action="view").count()
    response = client.post(reverse("reports:packs"), {"class_id": class_of_three.pk, "nc_year": ""})
    pack = ReportPack.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:pack", kwargs={"pack_id": pack.pk})
    # The immediate backend (tests) has made it already; a worker would in production.
    assert (pack.status, pack.pupils, pack.label) == ("done", 3, "4 Ash")
    progress = TaskProgress.objects.get(key=pack.progress_key)
    assert (progress.done, progress.total) == (3, 3) and progress.finished_at is not None

    reads = AuditEntry.objects.filter(action="view").order_by("id")[reads_before:]
    assert sorted(e.object_repr for e in reads) == ["Amara Ng", "Dev Patel", "Ella Jones"]
    assert {e.detail for e in reads} == {"Parent reports pack: 4 Ash"}

    page = client.get(reverse("reports:pack", kwargs={"pack_id": pack.pk})).content.decode()
    assert "Ready: 3 reports in one ZIP file." in page
    download = client.get(reverse("reports:pack_download", kwargs={"pack_id": pack.pk}))
    assert download["Content-Type"] == "application/zip"
    assert "no-store" in download["Cache-Control"]
    assert download["Content-Disposition"].startswith('attachment; filename="parent-reports-4-ash-')
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    names = sorted(archive.namelist())
    assert [n.rsplit("-", 3)[0] for n in names] == [
        "support-plan-jones-ella",
        "support-plan-ng-amara",
        "support-plan-patel-dev",
    ]
    assert "Ella" in pdf_text(archive.read(names[0]))
    assert AuditEntry.objects.filter(action="export", object_type="report pack").count() == 1


def test_a_year_group_pack_holds_every_class_of_that_year(world, client_as, class_of_three):
    client_as("head").post(reverse("reports:packs"), {"class_id": "", "nc_year": "4"})
    pack = ReportPack.objects.get()
    assert (pack.label, pack.pupils) == ("Year 4", 4)  # 4 Ash's three and 4 Birch's Ben


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"class_id": "", "nc_year": ""},
            "Choose a class or a year group (one of the two), not both.",
        ),
        ({"class_id": "999999", "nc_year": ""}, "Choose one of the school&#x27;s classes."),
        (
            {"class_id": "", "nc_year": "10"},
            "No pupil in Year 10 is on the SEN register or has a support plan",
        ),
        ({"class_id": "", "nc_year": "99"}, "Choose one of the year groups."),
    ],
)
def test_a_bad_choice_is_refused_with_a_reason_and_nothing_is_made(world, client_as, data, message):
    response = client_as("senco").post(reverse("reports:packs"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Error: Parent reports" in page
    assert message in page
    assert not ReportPack.objects.exists()


def test_another_schools_class_cannot_be_chosen(world, client_as):
    from tests.factories import ClassGroupFactory

    theirs = ClassGroupFactory(school=world.other_school, name="6 Oak")
    actor = actor_for(world.users["senco"], world.school.pk)
    with pytest.raises(Exception, match="Choose one of the school's classes"):
        pack_services.report_pack_request(actor=actor, class_id=theirs.pk)


def test_while_waiting_the_page_polls_and_says_so(world, client_as, class_of_three):
    actor = actor_for(world.users["senco"], world.school.pk)
    pack = pack_services.report_pack_request(actor=actor, class_id=class_of_three.pk)  # not queued
    response = client_as("senco").get(
        reverse("reports:pack", kwargs={"pack_id": pack.pk}), HTTP_HX_REQUEST="true"
    )
    part = response.content.decode()
    assert 'hx-trigger="every 2s"' in part
    assert "Waiting for a background worker to start" in part
    download = client_as("senco").get(reverse("reports:pack_download", kwargs={"pack_id": pack.pk}))
    assert download.status_code == 404


def test_a_pack_whose_maker_left_the_school_fails_with_the_reason(world, class_of_three):
    actor = actor_for(world.users["senco"], world.school.pk)
    pack = pack_services.report_pack_request(actor=actor, class_id=class_of_three.pk)
    Membership.objects.filter(user=world.users["senco"]).delete()
    tasks.parent_reports_pack.enqueue(
        pack_id=pack.pk, user_id=world.users["senco"].pk, school_id=world.school.pk
    )
    pack.refresh_from_db()
    assert pack.status == "failed"
    assert pack.error == tasks.NOT_ALLOWED
    assert not AuditEntry.objects.filter(action="view").exists()


def test_a_pack_of_30_pupils_writes_30_reads_with_the_pack_as_purpose(world, client_as):
    from tests.factories import ClassGroupFactory

    oak = ClassGroupFactory(school=world.school, name="5 Oak", nc_year=5)
    for n in range(30):
        PupilFactory(school=world.school, class_group=oak, nc_year=5, first_name=f"P{n}")
    client_as("senco").post(reverse("reports:packs"), {"class_id": oak.pk, "nc_year": ""})
    reads = AuditEntry.objects.filter(action="view", detail="Parent reports pack: 5 Oak")
    assert reads.count() == 30
    assert len(set(reads.values_list("object_id", flat=True))) == 30
    assert ReportPack.objects.get().pupils == 30


def test_the_packs_page_reads_a_fixed_number_of_queries(
    world, client_as, django_assert_num_queries
):
    ash = world.pupil_in_class.class_group
    client = client_as("senco")

    def add_packs(n):
        for _ in range(n):
            ReportPack.objects.create(
                school=world.school,
                class_group=ash,
                label="4 Ash",
                requested_by=world.users["senco"],
            )

    add_packs(1)
    client.get(reverse("reports:packs"))  # warm the session
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("reports:packs"))
    add_packs(19)
    with django_assert_num_queries(len(one)):
        page = client.get(reverse("reports:packs")).content.decode()
    assert page.count("4 Ash</a>") == 20


def test_a_pack_whose_worker_died_says_so_and_stops_polling(world, client_as, class_of_three):
    from datetime import timedelta

    from django.utils import timezone

    actor = actor_for(world.users["senco"], world.school.pk)
    pack = pack_services.report_pack_request(actor=actor, class_id=class_of_three.pk)
    pack_services.report_pack_started(pack=pack)
    TaskProgress.objects.filter(key=pack.progress_key).update(
        started_at=timezone.now() - timedelta(minutes=5),
        beat_at=timezone.now() - timedelta(minutes=5),
        done=1,
        total=3,
    )
    page = client_as("senco").get(reverse("reports:pack", kwargs={"pack_id": pack.pk}))
    text = page.content.decode()
    assert "This pack stopped before it was finished" in text
    assert "hx-trigger" not in text
