"""HTML to an A4 PDF with WeasyPrint, the one road every report takes to paper.

Why here and not in each report: the same print stylesheet, the same refusal to fetch anything
from the network, and the same tagging settings for every PDF SENDwise produces (support plans,
provision maps, impact reports, evidence packs, subject-access exports).

- **Nothing is fetched.** A report's HTML holds text a school typed (a note, a pupil's voice). If
  it could name a URL, WeasyPrint would fetch it while rendering on the server (server-side
  request forgery, OWASP SSRF cheat sheet). The fetcher below refuses every scheme but ``data:``;
  charts are inline SVG and the stylesheet is passed as a string, so nothing needs fetching.
- **Tagged.** ``pdf_tags=True`` writes the PDF structure tree (headings, paragraphs, tables) so a
  screen reader can read the document in order (WeasyPrint docs, "Accessibility", v63+).
"""

from __future__ import annotations

from pathlib import Path

import weasyprint
from django.template.loader import render_to_string
from weasyprint.urls import URLFetcher

PRINT_CSS = Path(__file__).with_name("static") / "reports" / "print.css"


class NoNetworkFetcher(URLFetcher):
    """Only ``data:`` URLs are read. Anything else is refused with an ordinary error, which
    WeasyPrint logs and skips (the image or stylesheet is left out), so the report still prints."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        raise ValueError(f"Reports never fetch {url[:80]!r}: embed it instead.")


def html_to_pdf(html: str) -> bytes:
    """The PDF of ``html`` (a whole document with a ``<title>`` and ``lang``), A4, tagged, with
    the shared print stylesheet."""
    document = weasyprint.HTML(string=html, url_fetcher=NoNetworkFetcher(), base_url=None)
    stylesheet = weasyprint.CSS(string=PRINT_CSS.read_text(encoding="utf-8"))
    return document.write_pdf(stylesheets=[stylesheet], pdf_tags=True)


def render_pdf(template: str, context: dict, *, title: str) -> bytes:
    """Render a Django template that extends ``reports/print_base.html`` to PDF bytes."""
    html = render_to_string(template, {**context, "report_title": title})
    return html_to_pdf(html)
