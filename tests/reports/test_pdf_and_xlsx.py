"""The shared PDF and spreadsheet roads: what every report relies on."""

import io

from openpyxl import load_workbook
from weasyprint.urls import URLFetcher

from sendwise.reports.pdf import html_to_pdf, render_pdf
from sendwise.reports.xlsx import Sheet, safe_cell, workbook_bytes
from tests.reports.pdftext import pdf_pages, pdf_text


def test_a_report_template_renders_to_a_pdf_whose_text_reads_back():
    data = render_pdf(
        "reports/print_base.html", {"school_name": "Oak Primary"}, title="Provision map"
    )
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "Provision map" in text
    assert "Oak Primary" in text
    assert "Confidential" in text
    assert pdf_pages(data) == 1


def test_a_report_never_fetches_from_the_network(monkeypatch):
    """Text a school typed could hold a URL; rendering must not fetch it (SSRF)."""
    html = (
        '<html lang="en"><head><title>t</title></head><body><p>Before</p>'
        '<img src="http://169.254.169.254/x" alt="x"><p>After</p></body></html>'
    )
    fetched = []
    monkeypatch.setattr(URLFetcher, "open", lambda self, *a, **k: fetched.append(a) or None)
    text = pdf_text(html_to_pdf(html))
    assert fetched == []
    assert "Before" in text and "After" in text


def test_text_that_looks_like_a_formula_is_made_inert_and_numbers_stay_numbers():
    """Text is stored as text (never a formula); '=' text also keeps an apostrophe."""
    assert safe_cell('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert safe_cell("-3") == "-3"  # stored as text, so shown as typed and never run
    assert safe_cell(-3) == -3
    data = workbook_bytes(
        [Sheet("Impact", ["Pupil", "Gain"], [["=1+1", 4.5], ["+SUM(A1)", "-2"]], note="n = 1")]
    )
    sheet = load_workbook(io.BytesIO(data))["Impact"]
    assert sheet["A1"].value == "n = 1"
    assert sheet["A2"].value == "Pupil"
    assert sheet["A3"].value == "'=1+1"
    assert sheet["B3"].value == 4.5
    assert sheet["A4"].value == "+SUM(A1)" and sheet["A4"].data_type == "s"
    assert sheet["B4"].value == "-2" and sheet["B4"].data_type == "s"
