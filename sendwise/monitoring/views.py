"""Pages for recording scores and the pupils who need a decision. Thin: selectors read,
services write."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from sendwise.core.decorators import permission_required
from sendwise.core.forms import errors_onto
from sendwise.core.permissions import actor_can
from sendwise.monitoring import decision_selectors, decision_table, selectors, services
from sendwise.monitoring.forms import DecisionFilterForm, ScoreForm
from sendwise.pupils.selectors import class_choices, pupil_for

#: Pupils a page of the pupils who need a decision shows (the most pressing first by default).
DECISIONS_PAGE_SIZE = 50


@require_http_methods(["GET", "POST"])
@permission_required("monitoring.add_score")
def score_add(request, pupil_id: int):
    actor = request.actor
    pupil = pupil_for(actor=actor, pupil_id=pupil_id, purpose="add score")
    form = ScoreForm(
        request.POST if request.method == "POST" else None,
        measures=selectors.measure_choices(),
        born=pupil.date_of_birth,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.score_add(
                actor=actor,
                pupil=pupil,
                measure=data["measure"],
                value=data["value"],
                taken_on=data["taken_on"],
                note=data["note"],
                request=request,
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            return redirect("pupils:detail", pupil_id=pupil.pk)
    return render(request, "monitoring/score_form.html", {"pupil": pupil, "form": form})


@require_http_methods(["GET"])
@permission_required("monitoring.view_decisions")
def decisions(request):
    """The pupils who need a decision, one row a pupil with the reason in one sentence."""
    actor = request.actor
    params = request.GET.copy()
    params.pop("page", None)
    flags = decision_selectors.decision_flag_values(actor=actor)
    form = DecisionFilterForm(
        params or None,
        reasons=decision_selectors.REASONS,
        sorts=decision_selectors.SORTS,
        classes=list(class_choices(actor=actor).order_by("name").values_list("id", "name")),
        interventions=decision_selectors.interventions_of(flags),
    )
    chosen = {}
    if form.is_bound:
        form.is_valid()  # invalid fields are left out of cleaned_data and shown as errors
        chosen = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    filters = decision_selectors.DecisionFilters(**chosen)
    rows = decision_selectors.decision_rows(flags, filters)
    page = Paginator(rows, DECISIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "rows": decision_table.table_rows(
            page.object_list, may_change_plan=actor_can(actor, "planning.change_plans")
        ),
        "filtered": any(v for k, v in chosen.items() if k != "sort"),
        "actor": actor,
        "query": params.urlencode(),
    }
    return render(request, "monitoring/decisions.html", context)
