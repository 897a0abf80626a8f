"""The provision map downloads: the text of the PDF reads back with the same figures as the
page, on the expected number of pages; the spreadsheet holds the map, the funding and each
pupil's share; each download is audited (a read of every pupil it names) and never cached."""

import io
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from sendwise.core.models import AuditEntry
from sendwise.delivery.models import Funding, StaffRate
from tests.delivery.factories import running_group
from tests.delivery.test_provision_views import deliver, mid_autumn_term  # noqa: F401
from tests.reports.pdftext import pdf_pages, pdf_text


def costed(world):
    StaffRate.objects.create(school=world.school, band="ta", hourly=Decimal("20.00"))
    group, members = running_group(world, pupils=2, joined_days_ago=20)
    Funding.objects.create(school=world.school, group=group, source="pupil_premium")
    deliver(group, members, days_ago=14)
    deliver(group, members, days_ago=7)
    return group, members


def test_the_head_downloads_the_school_map_as_a_one_page_pdf(client_as, world):
    costed(world)
    response = client_as("head").get(reverse("provision_reports:school_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content)
    assert "Costed provision map" in text and "Alpha Primary" in text
    # Two 30-minute sessions at £20 an hour: £20, paid from pupil premium.
    assert "Reading recovery" in text and "£20" in text and "Pupil premium" in text
    assert "How the figures are worked out" in text
    assert pdf_pages(response.content) == 2  # the table and chart, then the explanation
    assert AuditEntry.objects.filter(action="export", object_type="provision_map").count() == 1


def test_the_school_spreadsheet_names_each_pupil_and_audits_each_read(client_as, world):
    _group, members = costed(world)
    response = client_as("senco").get(reverse("provision_reports:school_xlsx"), {"term": ""})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Provision map", "Funding", "Pupils"]
    rows = list(book["Provision map"].iter_rows(values_only=True))
    assert rows[2][0] == "Reading recovery" and rows[2][6] == 20.0  # staff cost (£)
    assert rows[-1][0] == "Total"
    pupils = list(book["Pupils"].iter_rows(values_only=True))[2:]
    assert {r[0] for r in pupils} == {m.placement.plan.pupil.full_name for m in members}
    assert all(r[5] == 10.0 for r in pupils)  # each pupil's share of the staff cost
    reads = AuditEntry.objects.filter(action="view", detail__contains="Provision map (XLSX)")
    assert reads.count() == 2


def test_a_pupils_map_downloads_as_pdf_and_xlsx_and_is_audited(client_as, world):
    costed(world)
    pupil = world.pupil_in_class
    client = client_as("senco")
    response = client.get(reverse("provision_reports:pupil_pdf", kwargs={"pupil_id": pupil.pk}))
    text = pdf_text(response.content)
    assert "Provision map" in text and pupil.full_name in text and "£10" in text
    assert pdf_pages(response.content) == 1
    assert "no-store" in response["Cache-Control"]
    response = client.get(reverse("provision_reports:pupil_xlsx", kwargs={"pupil_id": pupil.pk}))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[2][0] == "Reading recovery" and rows[2][8] == "Pupil premium"
    reads = AuditEntry.objects.filter(action="view", object_type="pupil", object_id=pupil.pk)
    assert sorted(reads.values_list("detail", flat=True)) == [
        "Provision map (PDF)",
        "Provision map (XLSX)",
    ]


def test_another_schools_pupil_is_not_found_in_a_download(client_as, world):
    costed(world)
    url = reverse("provision_reports:pupil_pdf", kwargs={"pupil_id": world.pupil_in_class.pk})
    assert client_as("other_school_senco").get(url).status_code == 404
    assert client_as("teacher").get(url).status_code == 403


def test_a_pupil_since_archived_is_counted_but_not_named(client_as, world):
    _group, members = costed(world)
    archived = members[1].placement.plan.pupil
    archived.archived_at = timezone.now()
    archived.save()
    response = client_as("senco").get(reverse("provision_reports:school_xlsx"))
    book = load_workbook(io.BytesIO(response.content))
    names = [r[0] for r in list(book["Pupils"].iter_rows(values_only=True))[2:]]
    assert archived.full_name not in names and "A pupil in another class" in names
    reads = AuditEntry.objects.filter(action="view", detail__contains="Provision map (XLSX)")
    assert list(reads.values_list("object_id", flat=True)) == [str(world.pupil_in_class.pk)]


def test_a_pupils_map_charges_materials_once_for_an_intervention_continued_into_a_draft_plan(
    client_as, world
):
    """The pupil's first plan was reviewed ten days ago and their reading support goes on in
    the next plan, still a draft: a second place in the same group from that day. The £53 of
    materials a pupil is charged once, on the first place, in the PDF and the spreadsheet."""
    from datetime import timedelta

    from sendwise.delivery.models import RunningCost
    from sendwise.planning.models import Plan
    from tests.delivery.factories import add_member, on_plan

    group, members = costed(world)
    RunningCost.objects.create(
        school=world.school, intervention=group.intervention, per_pupil=Decimal("53.00")
    )
    first = members[0]
    review = timezone.localdate() - timedelta(days=10)
    Plan.objects.filter(pk=first.placement.plan_id).update(status="reviewed", reviewed_on=review)
    first.left_on = review
    first.save()
    pupil = world.pupil_in_class
    draft = on_plan(pupil, group.intervention, start=review, status=Plan.Status.DRAFT)
    add_member(group, draft, joined_on=review)
    client = client_as("senco")
    url = reverse("provision_reports:pupil_xlsx", kwargs={"pupil_id": pupil.pk})
    rows = list(
        load_workbook(io.BytesIO(client.get(url).content)).active.iter_rows(values_only=True)
    )
    places = [r for r in rows[2:] if r[0] == "Reading recovery"]
    assert len(places) == 2
    assert sorted(r[5] for r in places) == [0.0, 53.0]  # materials and licences (£)
    pdf = pdf_text(
        client.get(reverse("provision_reports:pupil_pdf", kwargs={"pupil_id": pupil.pk})).content
    )
    assert "£53" in pdf and "£106" not in pdf
    # The school's map: two pupils in the group, £106 of materials (two pupils' £53), not £159.
    book = load_workbook(io.BytesIO(client.get(reverse("provision_reports:school_xlsx")).content))
    school_rows = list(book["Provision map"].iter_rows(values_only=True))
    assert school_rows[2][0] == "Reading recovery"
    assert school_rows[2][1] == 2  # pupils, not places
    assert school_rows[2][7] == 106.0  # materials and licences (£)
