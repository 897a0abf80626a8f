"""The head takes the school's impact report to governors: the same figures as the page, as a
PDF and a spreadsheet, every result with its interval and n, no pupil named, the download
audited and never cached."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from sendwise.core.models import AuditEntry
from tests.impact.test_pages import programme, reading_test  # noqa: F401  (fixtures)
from tests.reports.pdftext import pdf_pages, pdf_text

RESULT = "+0.40 SD (95% interval 0.01 to 0.79; n = 5)"
MONTHS = "+5 months of additional progress (95% interval 0 to 10 months; n = 5)"


def test_the_impact_report_prints_the_pages_figures(world, client_as, programme):  # noqa: F811
    response = client_as("head").get(reverse("reports:impact_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith('attachment; filename="impact-report-')
    text = " ".join(pdf_text(response.content).split())
    assert "Impact of our interventions" in text and world.school.name in text
    assert "Reading" in text and "Programme" in text  # the name wraps in its column
    # The result's cell wraps beside the others ("Placements" is a wider column than
    # "Pupils" was), and the text is read line by line across the table: compare it alone.
    # The mean dose says "No sessions recorded", as the page does (its words wrap in their
    # column too, between the result's lines).
    result_cell = text.replace("Programme sessions ", "").replace("recorded ", "")
    assert RESULT in result_cell and MONTHS in result_cell
    assert "40% made a reliable improvement (2 of 5 pupils; judged with the recorded" in text
    assert pdf_pages(response.content) == 1
    assert AuditEntry.objects.filter(action="export", object_type="impact_report").count() == 1


def test_the_spreadsheet_has_one_row_per_intervention_and_measure(world, client_as, programme):  # noqa: F811
    response = client_as("senco").get(reverse("reports:impact_xlsx") + "?sort=name")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content))["Impact"]
    rows = list(sheet.iter_rows(values_only=True))
    assert "impact of our interventions" in rows[0][0]
    assert rows[1][:4] == (
        "Intervention", "Placements (pupils placed in a group)",
        "Waiting for a place (in no other figure)", "Finished",
    )  # fmt: skip
    (row,) = [r for r in rows[2:] if r[0] == "Reading Programme"]
    assert row[1] == 5 and row[2] == 0 and row[5] == "Reading test"
    assert row[6] == RESULT and row[7] == 5 and row[8] == MONTHS


def test_a_teacher_cannot_download_it(client_as, programme):  # noqa: F811
    assert client_as("teacher").get(reverse("reports:impact_pdf")).status_code == 403
    assert client_as("parent").get(reverse("reports:impact_xlsx")).status_code == 403
