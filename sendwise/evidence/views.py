"""Pages of the evidence catalogue that are evidence's alone: a school's own new entry and its
key messages. (The list and an entry's page show this school's costs, results and adaptations
too, so they are composed in `sendwise.pages`.) Thin: selectors read, services write.

Staff of a school may browse the catalogue and read any entry; parents and advisers are refused
(403, see selectors.py for why). Only the SENCO adds their school's own interventions and edits
their key messages; shared entries are never editable by a school (404 on their edit page).
"""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from sendwise.core.decorators import permission_required
from sendwise.core.forms import errors_onto
from sendwise.evidence import selectors, services
from sendwise.evidence.forms import InterventionForm, KeyMessagesForm, MessageSearchForm


@permission_required("evidence.view_catalogue")
def themes(request):
    """Key research messages across the catalogue, by theme, searchable."""
    form = MessageSearchForm(request.GET or None)
    query = form.query()
    groups = selectors.key_messages_by_theme(actor=request.actor, q=query)
    context = {
        "form": form,
        "query": query,
        "groups": groups,
        "total": sum(group.count for group in groups),
    }
    return render(request, "evidence/themes.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("evidence.change_own_interventions")
def new(request):
    form = InterventionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            intervention = services.intervention_create(
                actor=request.actor, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            return redirect("evidence:detail", slug=intervention.slug)
    return render(request, "evidence/new.html", {"form": form})


@require_http_methods(["GET", "POST"])
@permission_required("evidence.change_own_interventions")
def messages(request, slug: str):
    actor = request.actor
    intervention = selectors.intervention_get_editable(actor=actor, slug=slug)
    current = selectors.key_messages(intervention=intervention)
    form = KeyMessagesForm(request.POST if request.method == "POST" else None, messages=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.key_messages_update(
                actor=actor, intervention=intervention, messages=form.edits(), request=request
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            return redirect("evidence:detail", slug=intervention.slug)
    return render(request, "evidence/messages.html", {"intervention": intervention, "form": form})
