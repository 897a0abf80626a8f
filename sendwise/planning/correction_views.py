"""Correcting an outcome, a placement or a plan's review date with a reason, and the plan's
changes page (what each correction changed, who, when, why). Thin: selectors read,
``correction_services`` writes."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from sendwise.core.decorators import permission_required
from sendwise.core.forms import errors_onto
from sendwise.core.permissions import actor_can
from sendwise.planning import correction_services as services
from sendwise.planning import history_selectors, selectors
from sendwise.planning.correction_forms import (
    OutcomeCorrectForm,
    PlacementCorrectForm,
    ReviewDateForm,
)
from sendwise.pupils.selectors import pupil_for


def _plan(request, pupil_id: int, plan_id: int, purpose: str):
    pupil = pupil_for(actor=request.actor, pupil_id=pupil_id, purpose=purpose)
    return pupil, selectors.plan_get(pupil=pupil, plan_id=plan_id)


def _post(request):
    return request.POST if request.method == "POST" else None


def _correct(request, form, save, record):
    """Save the correction: (done, conflict message, the record as it now stands)."""
    if request.method != "POST" or not form.is_valid():
        return False, "", record
    data = dict(form.cleaned_data)
    seen = data.pop("version", None)
    try:
        saved = save(seen_version=seen, request=request, **data)
    except services.Conflict as error:
        return False, error.messages[0], error.record
    except ValidationError as error:
        errors_onto(form, error)
        return False, "", record
    return True, "", saved


@require_http_methods(["GET", "POST"])
@permission_required("planning.change_plans")
def outcome_correct(request, pupil_id: int, plan_id: int, outcome_id: int):
    """Correct an outcome's wording or goal, saying why; the earlier values stay in history."""
    actor = request.actor
    pupil, plan = _plan(request, pupil_id, plan_id, "correct outcome")
    outcome = selectors.outcome_get(plan=plan, outcome_id=outcome_id)
    if not services.may_correct(actor, outcome):
        raise PermissionDenied(services.NOT_ALLOWED)
    choices = {
        "measures": selectors.measures(),
        "placements": plan.placements.standing().select_related("intervention").order_by("id"),
        "born": pupil.date_of_birth,
    }
    form = OutcomeCorrectForm(_post(request), outcome=outcome, **choices)

    def save(**data):
        return services.outcome_correct(actor=actor, outcome=outcome, **data)

    done, conflict, outcome = _correct(request, form, save, outcome)
    if done:
        messages.success(request, "Outcome corrected")
        return redirect("planning:plans", pupil_id=pupil.pk)
    if conflict:
        form = OutcomeCorrectForm(outcome=outcome, **choices)
    context = {"pupil": pupil, "plan": plan, "outcome": outcome, "form": form}
    context["conflict"] = conflict
    return render(request, "planning/outcome_correct.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("planning.change_plans")
def placement_correct(request, pupil_id: int, plan_id: int, placement_id: int):
    """Correct a placement's dose or who delivers it, saying why."""
    actor = request.actor
    pupil, plan = _plan(request, pupil_id, plan_id, "correct support")
    placement = selectors.placement_get(plan=plan, placement_id=placement_id)
    if not services.may_correct(actor, placement):
        raise PermissionDenied(services.NOT_ALLOWED)
    staff = selectors.school_staff(actor=actor)
    form = PlacementCorrectForm(_post(request), placement=placement, staff=staff)

    def save(**data):
        return services.placement_correct(actor=actor, placement=placement, **data)

    done, conflict, placement = _correct(request, form, save, placement)
    if done:
        messages.success(request, f"{placement.intervention.name} corrected")
        return redirect("planning:plans", pupil_id=pupil.pk)
    if conflict:
        form = PlacementCorrectForm(placement=placement, staff=staff)
    intervention = placement.intervention
    context = {
        "pupil": pupil,
        "plan": plan,
        "placement": placement,
        "form": form,
        "conflict": conflict,
        "outside": not intervention.nc_year_min <= pupil.nc_year <= intervention.nc_year_max,
    }
    return render(request, "planning/placement_correct.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("planning.change_plans")
def review_date_change(request, pupil_id: int, plan_id: int):
    """Move the plan's review date, saying why."""
    actor = request.actor
    pupil, plan = _plan(request, pupil_id, plan_id, "move review date")
    if not services.may_correct(actor, plan):
        raise PermissionDenied(services.NOT_ALLOWED)
    form = ReviewDateForm(_post(request), plan=plan, born=pupil.date_of_birth)

    def save(**data):
        return services.plan_review_date_change(actor=actor, plan=plan, **data)

    done, conflict, plan = _correct(request, form, save, plan)
    if done:
        messages.success(
            request, f"The review of plan {plan.cycle} is now due {plan.review_date:%-d %B %Y}"
        )
        return redirect("planning:plans", pupil_id=pupil.pk)
    if conflict:
        form = ReviewDateForm(plan=plan, born=pupil.date_of_birth)
    context = {"pupil": pupil, "plan": plan, "form": form, "conflict": conflict}
    return render(request, "planning/review_date_form.html", context)


@permission_required("planning.view_plan_changes")
def plan_changes(request, pupil_id: int, plan_id: int):
    """What was corrected or withdrawn in the plan: before and after, who, when and why."""
    pupil, plan = _plan(request, pupil_id, plan_id, "plan changes")
    context = {
        "pupil": pupil,
        "plan": plan,
        "changes": history_selectors.plan_changes(plan=plan),
        "can_change": actor_can(request.actor, "planning.change_plans"),
    }
    return render(request, "planning/plan_changes.html", context)
