"""The costs of provision (settings), the school's costed provision map and a pupil's own.
Thin: ``provision_selectors`` read, ``cost_services`` write. Money and every pupil's support at
once: the SENCO, the head and the administrator."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from sendwise.core.decorators import permission_required
from sendwise.core.forms import errors_onto
from sendwise.core.permissions import actor_can
from sendwise.delivery import cost_services as services
from sendwise.delivery import provision_selectors as selectors
from sendwise.delivery.cost_forms import (
    GroupFundingForm,
    MapFilterForm,
    PlacementFundingForm,
    RunningCostForm,
    StaffBandForm,
    StaffRatesForm,
)
from sendwise.delivery.selectors import staff_members, targeted_interventions
from sendwise.pupils.census_checks import academic_year_start
from sendwise.pupils.selectors import pupil_for


def map_filters(request, *, pupil_filters: bool = True) -> tuple[MapFilterForm, dict]:
    """The map's filter form from the query string, and the choices it gives (this school year
    when it gives none or they are not valid)."""
    this_year = academic_year_start(timezone.localdate())
    bound = any(k in request.GET for k in ("year", "term", "nc_year"))
    form = MapFilterForm(
        request.GET if bound else None, this_year=this_year, pupil_filters=pupil_filters
    )
    return form, form.choices()


@require_http_methods(["GET", "POST"])
@permission_required("delivery.view_costs")
def costs(request):
    """What an hour of each pay band costs, each person's band, each intervention's materials
    and licences, and who pays for each group."""
    actor = request.actor
    if request.method == "POST" and not actor_can(actor, "delivery.manage_costs"):
        raise PermissionDenied
    settings = selectors.cost_settings(actor=actor)
    which = request.POST.get("form") if request.method == "POST" else None
    # Four forms on one page: each gets its own ids (id_<form>_<field>), so that a label never
    # points at another form's box (two had "id_note"). The names stay as they were.
    rates_form = StaffRatesForm(
        request.POST if which == "rates" else None,
        auto_id="id_rates_%s",
        initial={band: hourly for band, hourly in settings.rates.items() if hourly is not None},
    )
    band_form = StaffBandForm(
        request.POST if which == "band" else None,
        staff=staff_members(actor=actor),
        auto_id="id_band_%s",
    )
    chosen = next(
        (r for r in settings.running if str(r.intervention_id) == request.GET.get("intervention")),
        None,
    )
    running_form = RunningCostForm(
        request.POST if which == "running" else None,
        initial=RunningCostForm.initial_for(chosen) if chosen else None,
        interventions=targeted_interventions(actor=actor),
        auto_id="id_running_%s",
    )
    funding_form = GroupFundingForm(
        request.POST if which == "funding" else None,
        groups=selectors.running_groups(actor=actor),
        auto_id="id_funding_%s",
    )
    forms = {
        "rates": rates_form,
        "band": band_form,
        "running": running_form,
        "funding": funding_form,
    }
    form = forms.get(which)
    if form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if which == "rates":
                services.staff_rates_set(actor=actor, rates=data, request=request)
                done = "Hourly costs saved"
            elif which == "band":
                services.staff_band_set(
                    actor=actor, staff=data["staff"], band=data["band"], request=request
                )
                done = f"Pay band of {data['staff'].full_name} saved"
            elif which == "running":
                services.running_cost_set(
                    actor=actor,
                    intervention=data["intervention"],
                    one_off=data["one_off"],
                    one_off_on=data["one_off_on"],
                    per_pupil=data["per_pupil"],
                    per_year=data["per_year"],
                    note=data["note"],
                    request=request,
                )
                done = f"Materials and licences of {data['intervention'].name} saved"
            else:
                services.group_funding_set(
                    actor=actor,
                    group=data["group"],
                    source=data["source"],
                    note=data["note"],
                    request=request,
                )
                done = f"Funding of {data['group'].name} saved"
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, done)
            return redirect(reverse("delivery:costs") + f"#{which}")
    context = {
        "settings": settings,
        "forms": forms,
        "has_errors": any(f.errors for f in forms.values()),
        "can_manage": actor_can(actor, "delivery.manage_costs"),
    }
    return render(request, "delivery/costs.html", context)


@permission_required("delivery.view_costs")
def provision_map(request):
    """The school's costed provision map for a school year or a term, and a year group."""
    form, chosen = map_filters(request)
    period = selectors.period_for(year=chosen["year"], term=chosen["term"])
    view = selectors.provision_map(actor=request.actor, period=period, nc_year=chosen["nc_year"])
    context = {
        "form": form,
        "map": view,
        "chosen": chosen,
        "query": request.GET.urlencode(),
        "has_errors": bool(form.errors),
    }
    return render(request, "delivery/provision_map.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("delivery.view_costs")
def pupil_provision(request, pupil_id: int):
    """What one pupil received in a school year, hours and cost, for an EHC plan's top-up and
    annual review; the SENCO, head or administrator can say who pays for each place."""
    actor = request.actor
    pupil = pupil_for(actor=actor, pupil_id=pupil_id, purpose="provision map")
    if request.method == "POST" and not actor_can(actor, "delivery.manage_costs"):
        raise PermissionDenied
    form, chosen = map_filters(request, pupil_filters=False)
    period = selectors.period_for(year=chosen["year"], term=chosen["term"])
    view = selectors.provision_map(actor=actor, period=period, pupil=pupil)
    places = [(p.placement_id, p.intervention) for p in view.placements]
    funding_form = PlacementFundingForm(
        request.POST if request.method == "POST" else None, places=places
    )
    if request.method == "POST" and funding_form.is_valid():
        data = funding_form.cleaned_data
        placement = selectors.placement_of(pupil=pupil, placement_id=data["placement"])
        try:
            services.placement_funding_set(
                actor=actor,
                placement=placement,
                source=data["source"],
                note=data["note"],
                request=request,
            )
        except ValidationError as error:
            errors_onto(funding_form, error)
        else:
            messages.success(request, "Funding saved")
            return redirect(request.get_full_path())
    context = {
        "pupil": pupil,
        "form": form,
        "map": view,
        "funding_form": funding_form,
        "query": request.GET.urlencode(),
        "has_errors": bool(form.errors or funding_form.errors),
        "can_manage": actor_can(actor, "delivery.manage_costs"),
    }
    return render(request, "delivery/pupil_provision.html", context)
