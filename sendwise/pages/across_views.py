"""Impact across a trust's or an authority's schools: the heads' trust comparison, the adviser's
authority view and its XLSX download. Composed here because the download goes through the
reports app (above impact); every figure comes suppressed from ``impact.across_selectors``."""

from django.http import HttpResponse
from django.shortcuts import render

from sendwise.core.decorators import permission_required
from sendwise.impact.across_forms import AcrossFilterForm
from sendwise.impact.across_selectors import across_schools
from sendwise.reports.xlsx import XLSX_TYPE, Sheet, workbook_bytes

SUPPRESSED = "suppressed"


def _figures(request, **extra):
    form = AcrossFilterForm(request.GET or None)
    data = across_schools(
        actor=request.actor,
        academic_year=form.choice("year"),
        intervention_id=form.choice("intervention"),
        **extra,
    )
    return form, data


def _page(request, *, scope: str):
    form, data = _figures(request)
    context = {
        "form": form,
        "data": data,
        "scope": scope,
        "own_school": request.actor.school.pk if request.actor.school else None,
        "asked_for_missing": form.choice("intervention") is not None and data.chosen is None,
    }
    return render(request, "impact/across.html", context)


@permission_required("impact.view_trust_comparison")
def trust(request):
    """The head's comparison of the trust's schools, intervention by intervention."""
    return _page(request, scope="trust")


@permission_required("impact.view_authority")
def authority(request):
    """The adviser's view of every school in the authority or trust: aggregates only."""
    return _page(request, scope="authority")


def _shown(value):
    return SUPPRESSED if value is None else value


def _share(value):
    return SUPPRESSED if value is None else round(100 * value, 1)


def _effect_columns(effect):
    e = effect.estimate
    if e is None:
        note = SUPPRESSED if effect.n is None else "too few pupils or no spread for an interval"
        return [effect.measure, effect.gain_kind, _shown(effect.n), note, "", "", "", "", ""]
    months = (e.months, e.months_low, e.months_high) if effect.in_months else ("", "", "")
    return [
        effect.measure,
        effect.gain_kind,
        e.n,
        "",
        round(e.mean, 3),
        round(e.ci_low, 3),
        round(e.ci_high, 3),
        *months,
    ]


EFFECT_HEADER = [
    "Measure",
    "Gain",
    "Placements with pre and post (n)",
    "Note",
    "Mean gain",
    "95% interval from",
    "95% interval to",
    "EEF months",
    "Months from",
    "Months to",
]
HEADER = [
    "Placements",
    "Completed (%)",
    "Mean share of planned sessions attended (%)",
    "At least 80% of the dose (%)",
]
NOTE = (
    "Aggregates only. Counts are of placements (a pupil who had a programme in two terms counts "
    "in each). A count not known to cover at least 5 different pupils is suppressed, and further "
    "cells are suppressed so that no total reveals one (primary and secondary suppression). "
    "Different measures are never combined. Standardised gains are in the norm group's "
    "standard deviations."
)


def _cell_columns(cell):
    return [
        _shown(cell.placements),
        _share(cell.completed),
        _share(cell.dose),
        _share(cell.full_dose),
    ]


def _rows(name_columns, cell):
    if not cell.effects:
        return [[*name_columns, *_cell_columns(cell), *([""] * len(EFFECT_HEADER))]]
    return [[*name_columns, *_cell_columns(cell), *_effect_columns(e)] for e in cell.effects]


@permission_required("impact.view_authority")
def authority_xlsx(request):
    """The adviser view as a workbook, with the same suppression as the page."""
    _form, data = _figures(request, every_school=True)
    names = {row.key: row.name for row in data.figures.interventions}
    interventions = [r for row in data.figures.interventions for r in _rows([row.name], row.cell)]
    schools = [
        r
        for key, rows in data.figures.by_intervention.items()
        for row in rows
        for r in _rows([names[key], row.name], row.cell)
    ]
    year = f"{data.year}-{(data.year or 0) % 100 + 1:02d}" if data.year else "no results"
    content = workbook_bytes(
        [
            Sheet(
                f"Interventions {year}",
                ["Intervention", *HEADER, *EFFECT_HEADER],
                interventions,
                NOTE,
            ),
            Sheet(
                f"Schools {year}",
                ["Intervention", "School", *HEADER, *EFFECT_HEADER],
                schools,
                NOTE,
            ),
        ]
    )
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="impact-across-schools-{year}.xlsx"'
    return response
