"""Pages for recording scores. Thin: selectors read, services write."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from sendwise.core.decorators import permission_required
from sendwise.core.forms import errors_onto
from sendwise.monitoring import selectors, services
from sendwise.monitoring.forms import ScoreForm
from sendwise.pupils.selectors import pupil_for


@require_http_methods(["GET", "POST"])
@permission_required("monitoring.add_score")
def score_add(request, pupil_id: int):
    actor = request.actor
    pupil = pupil_for(actor=actor, pupil_id=pupil_id, purpose="add score")
    form = ScoreForm(
        request.POST if request.method == "POST" else None, measures=selectors.measure_choices()
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
