"""The SEN information report summary for governors: a page, its PDF and its spreadsheet, all
from one selector, so the suppressed cells are the same in all three."""

from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.utils.text import slugify

from sendwise.core.decorators import permission_required
from sendwise.pupils.roll_selectors import records_begin
from sendwise.reports import suppression
from sendwise.reports.forms import YearForm
from sendwise.reports.governor_selectors import NOT_RECORDED, GovernorsSummary, governors_summary
from sendwise.reports.pack_services import report_exported
from sendwise.reports.pdf import render_pdf
from sendwise.reports.report_views import PDF_TYPE, download
from sendwise.reports.xlsx import XLSX_TYPE, Sheet, workbook_bytes

TITLE = "SEN information report: summary for governors"
BAD_YEAR = "The school year in this link is not valid: go back to the summary and choose it again."


def _summary(request) -> tuple[YearForm, GovernorsSummary | None]:
    form = YearForm(request.GET or None, records_begin=records_begin(actor=request.actor))
    if form.is_bound and not form.is_valid():
        return form, None
    year = form.chosen_year() if form.is_bound else None
    return form, governors_summary(actor=request.actor, year=year)


def _context(summary: GovernorsSummary) -> dict:
    return {
        "summary": summary,
        "legend": suppression.LEGEND,
        "not_recorded": NOT_RECORDED,
        "school_name": summary.school_name,
        "report_subtitle": f"School year {summary.year_label}",
    }


@permission_required("reports.governors_summary")
def governors(request):
    form, summary = _summary(request)
    context = {"form": form, **(_context(summary) if summary else {})}
    return render(request, "reports/governors.html", context)


def _filename(summary: GovernorsSummary, ext: str) -> str:
    return f"sen-summary-{slugify(summary.school_name)}-{summary.year}.{ext}"


@permission_required("reports.governors_summary")
def governors_pdf(request):
    _form, summary = _summary(request)
    if summary is None:
        return HttpResponseBadRequest(BAD_YEAR)
    data = render_pdf("reports/governors_print.html", _context(summary), title=TITLE)
    report_exported(
        actor=request.actor, what=TITLE, detail=f"PDF, {summary.year_label}", request=request
    )
    return download(data, content_type=PDF_TYPE, filename=_filename(summary, "pdf"))


#: The cost columns are the provision map's cost of what was delivered and bought in the year
#: up to the summary's day (ADR 0026); the note says how it is worked out, as the page does.
COST_HEADERS = [
    "Spent so far (£)",
    "Of which staff time (£)",
    "Of which materials and licences (£)",
    "Spent for each pupil in its groups (£)",
]


def _cost_cells(cost) -> list:
    if cost is None:
        return [0, 0, 0, ""]
    if not cost.staff_known:
        return ["Staff time not costed", "Not costed", float(cost.materials), ""]
    per_pupil = float(cost.per_pupil) if cost.per_pupil is not None else ""
    return [float(cost.to_date), float(cost.staff), float(cost.materials), per_pupil]


def _mean_cell(m):
    """The mean gain for the spreadsheet: a number for an effect size or a ratio; for a raw
    change the number and its direction in words (the sign alone reads the wrong way round on
    a measure where lower scores are better)."""
    if m.mean is None:
        return "No figure: fewer than 5 pupils with scores"
    if m.is_effect_size or m.gain_kind != "raw":
        return round(m.mean.mean, 2)
    return m.change_words


def summary_sheets(summary: GovernorsSummary) -> list[Sheet]:
    """The summary as spreadsheet tables, with the same marks as the page."""
    needs_rows = [
        [name, *(c.value for c in cells), total.value] for name, cells, total in summary.needs
    ]
    needs_rows.append(
        ["All pupils with SEN", *(c.value for c in summary.needs_totals), summary.needs_total.value]
    )
    interventions = []
    for line in summary.interventions:
        base = [line.name, line.pupils.value, line.completed.value, *_cost_cells(line.cost)]
        planned = [line.planned.value if line.planned else ""]
        if not line.measures:
            interventions.append(
                base + ["No pupils with a score before and after", "", "", "", "", "", ""] + planned
            )
        for m in line.measures:
            mean = m.mean
            interventions.append(
                base
                + [
                    m.measure_name,
                    m.scored.value,
                    _mean_cell(m),
                    f"{mean.low:.2f} to {mean.high:.2f}" if mean else "",
                    (
                        f"{mean.months[0]} ({mean.months[1]} to {mean.months[2]})"
                        if mean and m.is_effect_size
                        else ""
                    ),
                    m.reliable.value,
                    m.full_dose.value,
                ]
                + planned
            )
    if summary.cost_total is not None:
        interventions.append(
            ["Every intervention in the year", "", "", *_cost_cells(summary.cost_total)] + [""] * 8
        )
    return [
        Sheet(
            "Pupils by need",
            ["Primary type of need", *summary.columns, "All"],
            needs_rows,
            note=(
                f"{summary.school_name}, pupils on roll {summary.as_at_words}: "
                f"{summary.on_roll.text}. {suppression.LEGEND}"
            ),
        ),
        Sheet(
            "Interventions",
            [
                "Intervention",
                "Pupils",
                "Reviewed",
                *COST_HEADERS,
                "Measure",
                "Pupils with scores",
                "Mean gain",
                "95% interval",
                "EEF months (interval)",
                "Reliable improvement (% of the pupils whose change could be judged)",
                "Had 80% or more of the planned sessions (% of the pupils with sessions recorded)",
                "Planned for (where some still wait for a place in a group)",
            ],
            interventions,
            note=(
                f"School year {summary.year_label}. Pupils: those placed in a group running "
                "the intervention or at one of its sessions, not those still waiting for a "
                "place. Mean gain: for standardised tests in standard "
                "deviations (an effect size); otherwise on the measure's own scale, in words that "
                "say which way the scores went (on some measures, such as the SDQ, lower is "
                'better). Shares give their base: "75% (6 of 8)"; a share is [c] when the '
                "pupils counted or the rest are 1 to 4, or its line's pupils are. Different "
                "measures are never combined. " + summary.cost_basis + " For each pupil: shown "
                "only from 5 pupils. " + suppression.LEGEND
            ),
        ),
    ]


@permission_required("reports.governors_summary")
def governors_xlsx(request):
    _form, summary = _summary(request)
    if summary is None:
        return HttpResponseBadRequest(BAD_YEAR)
    data = workbook_bytes(summary_sheets(summary))
    report_exported(
        actor=request.actor, what=TITLE, detail=f"XLSX, {summary.year_label}", request=request
    )
    return download(data, content_type=XLSX_TYPE, filename=_filename(summary, "xlsx"))
