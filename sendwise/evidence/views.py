"""Pages of the evidence catalogue. Thin: selectors read, services write.

Staff of a school may browse the catalogue and read any entry; parents and advisers are refused
(403, see selectors.py for why). Only the SENCO adds their school's own interventions and edits
their key messages; shared entries are never editable by a school (404 on their edit page).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from sendwise.core.decorators import permission_required
from sendwise.core.forms import errors_onto
from sendwise.core.permissions import actor_can
from sendwise.delivery import selectors as delivery_selectors
from sendwise.evidence import practice_selectors, selectors, services
from sendwise.evidence.forms import (
    CatalogueFilterForm,
    InterventionForm,
    KeyMessagesForm,
    MessageSearchForm,
)

PAGE_SIZE = getattr(settings, "CATALOGUE_PAGE_SIZE", 20)


@permission_required("evidence.view_catalogue")
def catalogue(request):
    actor = request.actor
    form = CatalogueFilterForm(request.GET or None, skills=selectors.skill_options(actor=actor))
    filters = form.filters()
    rows = selectors.intervention_list(actor=actor, filters=filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_add": actor_can(actor, "evidence.change_own_interventions"),
    }
    template = "evidence/_catalogue_results.html" if request.htmx else "evidence/catalogue.html"
    return render(request, template, context)


@permission_required("evidence.view_catalogue")
def themes(request):
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


@permission_required("evidence.view_catalogue")
def detail(request, slug: str):
    actor = request.actor
    intervention = selectors.intervention_get(actor=actor, slug=slug)
    research = selectors.research_view(intervention=intervention)
    context = {
        "intervention": intervention,
        "research": research,
        "practice": practice_selectors.practice_view(
            actor=actor, intervention=intervention, research=research.synthesis
        ),
        "adaptations": delivery_selectors.adaptations_worked_first(
            actor=actor, intervention=intervention
        ),
        "can_add_adaptation": actor_can(actor, "delivery.add_adaptation"),
        "messages_list": selectors.key_messages(intervention=intervention),
        "guidance_list": selectors.guidance_for(intervention=intervention),
        "changes": selectors.intervention_changes(intervention=intervention),
        "can_edit": not intervention.is_shared
        and actor_can(actor, "evidence.change_own_interventions"),
    }
    return render(request, "evidence/detail.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("evidence.change_own_interventions")
def new(request):
    form = InterventionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        key_message = data.pop("key_message")
        try:
            intervention = services.intervention_create(
                actor=request.actor, data=data, key_message=key_message, request=request
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
