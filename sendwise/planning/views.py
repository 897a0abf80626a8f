"""Support plan pages: a new plan, outcomes and placements. (The plans page, the review, the
recommendations and putting a plan in place need delivery too, so they are composed in
`sendwise.pages`.)"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from sendwise.core.codes import Provision
from sendwise.core.decorators import permission_required
from sendwise.core.forms import errors_onto
from sendwise.evidence.selectors import intervention_get
from sendwise.planning import selectors, services, withdraw_services
from sendwise.planning.forms import OutcomeForm, PlacementForm, PlanForm, WithdrawForm
from sendwise.pupils.selectors import pupil_for


@require_http_methods(["GET", "POST"])
@permission_required("planning.change_plans")
def plan_new(request, pupil_id: int):
    actor = request.actor
    pupil = pupil_for(actor=actor, pupil_id=pupil_id, purpose="new plan")
    today = timezone.localdate()
    form = PlanForm(
        request.POST if request.method == "POST" else None,
        initial={"start_date": today, "review_date": today + timezone.timedelta(weeks=12)},
        born=pupil.date_of_birth,
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(
                actor=actor, pupil=pupil, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(
                request,
                f"Plan {plan.cycle} is started as a draft. Add its outcomes and support, then "
                "put it in place.",
            )
            return redirect("planning:plans", pupil_id=pupil.pk)
    not_on_register = pupil.sen_provision == Provision.NONE
    context = {"pupil": pupil, "form": form, "not_on_register": not_on_register}
    return render(request, "planning/plan_form.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("planning.change_plans")
def outcome_add(request, pupil_id: int, plan_id: int):
    actor = request.actor
    pupil = pupil_for(actor=actor, pupil_id=pupil_id, purpose="add outcome")
    plan = selectors.plan_get(pupil=pupil, plan_id=plan_id)
    form = OutcomeForm(
        request.POST if request.method == "POST" else None,
        measures=selectors.measures(),
        placements=plan.placements.standing().select_related("intervention").order_by("id"),
        born=pupil.date_of_birth,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.outcome_add(actor=actor, plan=plan, request=request, **form.cleaned_data)
        except ValidationError as error:
            errors_onto(form, error)
        else:
            return redirect("planning:plans", pupil_id=pupil.pk)
    return render(
        request, "planning/outcome_form.html", {"pupil": pupil, "plan": plan, "form": form}
    )


@require_http_methods(["GET", "POST"])
@permission_required("planning.change_plans")
def placement_add(request, pupil_id: int, plan_id: int, slug: str):
    actor = request.actor
    pupil = pupil_for(actor=actor, pupil_id=pupil_id, purpose="add to plan")
    plan = selectors.plan_get(pupil=pupil, plan_id=plan_id)
    intervention = intervention_get(actor=actor, slug=slug)
    initial = {
        "sessions_per_week": intervention.sessions_per_week,
        "minutes_per_session": intervention.minutes_per_session,
        "weeks": intervention.weeks,
        "why_chosen": request.GET.get("why", ""),
    }
    form = PlacementForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        staff=selectors.school_staff(actor=actor),
    )
    outside = not intervention.nc_year_min <= pupil.nc_year <= intervention.nc_year_max
    if request.method == "POST" and form.is_valid():
        rank = request.GET.get("rank")
        try:
            services.placement_add(
                actor=actor,
                plan=plan,
                intervention=intervention,
                request=request,
                recommendation_rank=int(rank)
                if rank and rank.isdigit() and 1 <= int(rank) <= 100
                else None,
                **form.cleaned_data,
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            return redirect("planning:plans", pupil_id=pupil.pk)
    context = {
        "pupil": pupil,
        "plan": plan,
        "form": form,
        "intervention": intervention,
        "outside": outside,
    }
    return render(request, "planning/placement_form.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("planning.change_plans")
def outcome_withdraw(request, pupil_id: int, plan_id: int, outcome_id: int):
    """Withdraw an outcome entered by mistake, with the reason (kept on record)."""
    actor = request.actor
    pupil = pupil_for(actor=actor, pupil_id=pupil_id, purpose="withdraw outcome")
    plan = selectors.plan_get(pupil=pupil, plan_id=plan_id)
    outcome = selectors.outcome_get(plan=plan, outcome_id=outcome_id)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            withdraw_services.outcome_withdraw(
                actor=actor, outcome=outcome, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, "Outcome withdrawn")
            return redirect("planning:plans", pupil_id=pupil.pk)
    context = {
        "pupil": pupil,
        "plan": plan,
        "form": form,
        "record": outcome,
        "what": "an outcome",
        "name": outcome.text,
    }
    return render(request, "planning/withdraw_form.html", context)
