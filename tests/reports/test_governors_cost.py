"""The governors' summary says what each intervention has actually cost so far this school
year, as the provision map works it out (sessions delivered at the school's hourly costs, and
materials and licences), with that basis stated, in the page, the PDF and the spreadsheet
alike, in a fixed number of queries (ADR 0026)."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sendwise.core.access import actor_for
from sendwise.delivery.models import Cost, RunningCost, StaffRate
from sendwise.delivery.provision import school_year
from sendwise.delivery.provision_selectors import provision_map
from sendwise.reports.governor_selectors import academic_year
from tests.delivery.factories import running_group
from tests.delivery.test_provision_views import MID_TERM, deliver, mid_autumn_term  # noqa: F401
from tests.reports.pdftext import pdf_text

#: 5 pupils; two 30-minute sessions at £20 an hour = £20.00 of staff time; £53 of materials a
#: pupil = £265.00; £285.00 in all, £57.00 a pupil.
SPENT = "£285.00 spent (staff time £20.00, materials and licences £265.00)"
EACH = "about £57.00 for each pupil in its groups"
#: The page's queries in all (the request's own, the summary's and the provision map's),
#: whatever the number of groups, sessions and pupils.
QUERIES = 18


@pytest.fixture
def delivered(world):
    StaffRate.objects.create(school=world.school, band="ta", hourly=Decimal("20.00"))
    group, members = running_group(world, pupils=5, joined_days_ago=20)
    RunningCost.objects.create(
        school=world.school, intervention=group.intervention, per_pupil=Decimal("53.00")
    )
    # The school's estimate of a place, which governors no longer see as the cost.
    Cost.objects.create(
        school=world.school, intervention=group.intervention, per_pupil=Decimal("999.00")
    )
    deliver(group, members, days_ago=14)
    deliver(group, members, days_ago=7)
    return group


def test_governors_see_what_was_spent_with_its_basis_as_the_provision_map_has_it(
    world, client_as, delivered
):
    page = client_as("head").get(reverse("reports:governors")).content.decode()
    line = page.split("Reading recovery")[1]
    assert f"Cost so far: {SPENT}, {EACH}." in line
    assert "£999" not in page
    assert "worked out as the provision map does" in page
    # The same figure as the school's provision map for the year.
    year = academic_year(MID_TERM)
    shown = provision_map(actor=actor_for(world.users["head"]), period=school_year(year))
    assert shown.total.to_date == Decimal("285.00")


def test_the_pdf_and_spreadsheet_give_the_same_cost_and_basis(world, client_as, delivered):
    client = client_as("senco")
    pdf = " ".join(pdf_text(client.get(reverse("reports:governors_pdf")).content).split())
    assert SPENT in pdf and EACH in pdf
    assert "worked out as the provision map does" in pdf
    book = load_workbook(io.BytesIO(client.get(reverse("reports:governors_xlsx")).content))
    sheet = book["Interventions"]
    rows = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert rows[0][3:7] == [
        "Spent so far (£)", "Of which staff time (£)", "Of which materials and licences (£)",
        "Spent for each pupil in its groups (£)",
    ]  # fmt: skip
    reading = next(r for r in rows if r[0] == "Reading recovery")
    assert reading[1] == 5 and reading[3:7] == [285.0, 20.0, 265.0, 57.0]
    total = next(r for r in rows if r[0] == "Every intervention in the year")
    assert total[3:7] == [285.0, 20.0, 265.0, None]  # no share of a sum over programmes
    assert "worked out as the provision map does" in sheet["A1"].value


def test_time_not_costed_is_said_not_shown_as_cheap(world, client_as, delivered):
    StaffRate.objects.filter(school=world.school).delete()
    page = client_as("head").get(reverse("reports:governors")).content.decode()
    line = page.split("Reading recovery")[1]
    assert "staff time not costed (a deliverer&#x27;s pay band has no hourly cost" in line
    assert "£285.00" not in page


def test_the_summary_reads_the_same_number_of_queries_however_many_groups_ran(
    world, client_as, delivered, django_assert_num_queries
):
    client = client_as("senco")
    client.get(reverse("reports:governors"))  # warm the session
    with django_assert_num_queries(QUERIES):
        client.get(reverse("reports:governors"))
    for n in range(3):
        group, members = running_group(world, pupils=2, joined_days_ago=30, name=f"More {n}")
        deliver(group, members, days_ago=10)
    with django_assert_num_queries(QUERIES):
        page = client.get(reverse("reports:governors")).content.decode()
    assert page.count("Cost so far: £") == 4
