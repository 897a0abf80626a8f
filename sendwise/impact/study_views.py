"""The page where the SENCO or the head sets a local study aside as not representative, or
counts it again. Thin: the catalogue's selector finds the intervention (404 if not visible),
the study selector the finished group (404 if not this school's), the services write."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from sendwise.core.decorators import permission_required
from sendwise.core.forms import errors_onto
from sendwise.evidence import selectors as evidence_selectors
from sendwise.impact import study_selectors, study_services
from sendwise.impact.study_forms import LocalStudyForm


@require_http_methods(["GET", "POST"])
@permission_required("impact.mark_local_study")
def local_study_mark(request, slug: str, group_id: int):
    actor = request.actor
    intervention = evidence_selectors.intervention_get(actor=actor, slug=slug)
    study = study_selectors.local_study_get(
        actor=actor, intervention=intervention, group_id=group_id
    )
    set_aside = study.not_representative
    form = LocalStudyForm(request.POST if request.method == "POST" else None, set_aside=set_aside)
    if request.method == "POST" and form.is_valid():
        write = (
            study_services.local_study_count_again
            if set_aside
            else study_services.local_study_set_aside
        )
        try:
            write(
                actor=actor,
                study=study,
                intervention=intervention,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            done = "counts again" if set_aside else "is marked not representative"
            messages.success(request, f"The local study of {study.name} {done}")
            return redirect(reverse("evidence:detail", kwargs={"slug": slug}) + "#local-studies")
    context = {"intervention": intervention, "study": study, "form": form}
    return render(request, "impact/local_study_mark.html", context)
