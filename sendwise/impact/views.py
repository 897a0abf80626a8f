"""Impact pages: the school's interventions with their results, one intervention's full
figures, and one pupil's results. Thin: a filter form, a selector, a template."""

from django.shortcuts import render

from sendwise.core.decorators import permission_required
from sendwise.impact import cost_selectors, impact_table, pupil_selectors, school_selectors
from sendwise.impact.forms import ImpactFilterForm
from sendwise.pupils.selectors import pupil_for


def impact_filters(request, actor):
    """The filter form and what it chose (year, term, sort); the reports' downloads use it too."""
    form = ImpactFilterForm(request.GET or None, years=school_selectors.impact_years(actor=actor))
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        return form, data["year"], data["term"] or None, data["sort"] or "name"
    return form, None, None, "name"


@permission_required("impact.view_school_impact")
def school_impact(request):
    """Every intervention run in the school, with pupils, completion, dose and effects."""
    actor = request.actor
    form, year, term, sort = impact_filters(request, actor)
    items = school_selectors.school_impact(actor=actor, year=year, term=term, sort=sort)
    context = {
        "form": form,
        "items": items,
        "rows": impact_table.table_rows(items, query=request.GET.urlencode()),
        "minimum": school_selectors.MIN_PUPILS,
    }
    return render(request, "impact/school.html", context)


@permission_required("impact.view_school_impact")
def intervention_impact(request, intervention_id: int):
    """One intervention's full figures in the school."""
    actor = request.actor
    form, year, term, _sort = impact_filters(request, actor)
    detail = school_selectors.intervention_impact(
        actor=actor, intervention_id=intervention_id, year=year, term=term
    )
    context = {
        "form": form,
        "detail": detail,
        "impact": detail.impact,
        "minimum": school_selectors.MIN_PUPILS,
        "subgroup_names": school_selectors.SUBGROUPS,
        # The cost per pupil (the provision map's) and per month of progress.
        "cost": cost_selectors.intervention_cost(
            actor=actor,
            intervention_id=intervention_id,
            year=year,
            term=term,
            estimate=detail.impact.main.estimate if detail.impact.main is not None else None,
        ),
    }
    return render(request, "impact/intervention.html", context)


@permission_required("impact.view_pupil_impact")
def pupil_impact(request, pupil_id: int):
    """One pupil's results: each placement's gain, reliable change, dose and a verdict."""
    pupil = pupil_for(actor=request.actor, pupil_id=pupil_id, purpose="impact of support")
    context = {"pupil": pupil, "results": pupil_selectors.pupil_results(pupil=pupil)}
    return render(request, "impact/pupil.html", context)
