"""The school's impact report on paper and in a spreadsheet (issue 12, points 2 and 6): every
intervention run, with its pupils, completion, mean dose and each measure's result (effect with
its 95% interval and n, EEF months with theirs, reliable improvement), for the same year, term
and order as the page. No pupil is named: the figures are the stored aggregates
(``impact.school_selectors``), so the download is audited as an export, not as reads of pupils.
Downloads are attachments (``Cache-Control: no-store`` from the middleware).
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone

from sendwise.core.decorators import permission_required
from sendwise.core.models import AuditEntry
from sendwise.core.services import audit_record
from sendwise.impact import school_selectors
from sendwise.impact.views import impact_filters
from sendwise.reports.pdf import render_pdf
from sendwise.reports.xlsx import XLSX_TYPE, Sheet, workbook_bytes

HOW = (
    "Each result is the mean gain of the pupils with a score before and after, on one measure "
    "(never several added together), with its 95% interval and the number of pupils (n); + is "
    "better. Standardised scores: gain in the test's standard deviations, and the EEF months of "
    "additional progress. Age equivalents: months gained per month elapsed (1.0 is ordinary "
    "progress). No result is given from fewer than {minimum} pupils. These are the school's "
    "own pupils without a comparison group: read them beside the research. Placements count "
    "the pupils put in a group for the intervention (a pupil planned it in two terms counts "
    "in each); pupils planned it but still waiting for a place have received nothing of it "
    "and count only under 'Waiting for a place', in no other figure."
)


def _report(request):
    actor = request.actor
    _form, year, term, sort = impact_filters(request, actor)
    items = school_selectors.school_impact(actor=actor, year=year, term=term, sort=sort)
    period = "Every year" if year is None else f"{year}/{(year + 1) % 100:02d}"
    if term:
        period = f"{term.capitalize()} term, {period}"
    return items, period


def _download(request, body: bytes, kind: str, period: str) -> HttpResponse:
    audit_record(
        actor=request.actor,
        action=AuditEntry.Action.EXPORT,
        object_type="impact_report",
        object_id="-",
        object_repr=f"Impact of our interventions, {period}",
        detail=f"{kind}; {request.GET.urlencode()}"[:300],
        request=request,
    )
    content_type = "application/pdf" if kind == "pdf" else XLSX_TYPE
    response = HttpResponse(body, content_type=content_type)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="impact-report-{stamp}.{kind}"'
    return response


@permission_required("impact.view_school_impact")
def school_pdf(request):
    items, period = _report(request)
    body = render_pdf(
        "reports/impact_school.html",
        {
            "items": items,
            "school_name": request.actor.school.name,
            "report_subtitle": period,
            "how": HOW.format(minimum=school_selectors.MIN_PUPILS),
        },
        title="Impact of our interventions",
    )
    return _download(request, body, "pdf", period)


def _rows(items):
    """One row per intervention and measure; the counts repeat on each of its measures."""
    for item in items:
        base = [
            item.name,
            item.everyone.placements,
            item.everyone.waiting,
            item.everyone.completed,
            # The same words as the page and the PDF when no session was recorded for a dose.
            (
                item.everyone.dose_percent
                if item.everyone.dose_percent is not None
                else "No sessions recorded"
            ),
        ]
        if not item.measures:
            yield [*base, "", "No pupil has an outcome on a named measure yet", "", "", ""]
        for m in item.measures:
            months = m.estimate.months_text if m.estimate is not None else ""
            reliable = m.reliable_line if m.sums.scored else ""
            yield [*base, m.name, m.effect_line, m.sums.scored, months, reliable]


@permission_required("impact.view_school_impact")
def school_xlsx(request):
    items, period = _report(request)
    sheet = Sheet(
        title="Impact",
        header=[
            "Intervention",
            "Placements (pupils placed in a group)",
            "Waiting for a place (in no other figure)",
            "Finished",
            "Mean dose (% of planned)",
            "Measure",
            "Result (mean gain, 95% interval, n)",
            "Placements with a score before and after",
            "EEF months of additional progress",
            "Reliable improvement",
        ],
        rows=list(_rows(items)),
        note=f"{request.actor.school.name}: impact of our interventions, {period}. "
        + HOW.format(minimum=school_selectors.MIN_PUPILS),
    )
    return _download(request, workbook_bytes([sheet]), "xlsx", period)
