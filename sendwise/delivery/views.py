"""Delivery pages: groups and their timetable, staff training and time, the budget and costs,
and practitioners' adaptations. Thin: selectors read, services write."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from sendwise.core.decorators import permission_required
from sendwise.core.forms import errors_onto
from sendwise.core.models import AuditEntry
from sendwise.core.permissions import actor_can
from sendwise.core.services import audit_record
from sendwise.delivery import (
    lesson_selectors,
    selectors,
    services,
    session_selectors,
    session_services,
)
from sendwise.delivery.calendar_selectors import closed_days
from sendwise.delivery.forms import (
    SLOT_ROWS,
    AdaptationFilterForm,
    AdaptationForm,
    BudgetForm,
    CostForm,
    GroupFilterForm,
    GroupForm,
    MemberAddForm,
    StaffChooseForm,
    StaffDeliveryForm,
)
from sendwise.evidence.selectors import intervention_get, interventions_visible

PAGE_SIZE = 25
#: How many recorded sessions the group page lists, newest first.
SESSIONS_ON_GROUP_PAGE = 12


@permission_required("delivery.view_delivery")
def overview(request):
    """Groups running now, who is trained and free, and this year's budget."""
    actor = request.actor
    form = GroupFilterForm(
        request.GET or None, interventions=selectors.group_interventions(actor=actor)
    )
    intervention_id, q = form.filters()
    can_costs = actor_can(actor, "delivery.view_costs")
    context = {
        "form": form,
        "groups": selectors.group_list(actor=actor, intervention_id=intervention_id, q=q),
        "filtered": bool(intervention_id or q),
        "staff_rows": selectors.staff_overview(actor=actor),
        "can_manage": actor_can(actor, "delivery.manage_delivery"),
        "can_budget": actor_can(actor, "delivery.manage_budget"),
        "can_costs": can_costs,
        # Money is for those who see the school's costs (not every deliverer): the summary is
        # not even worked out for the others.
        "budget": selectors.budget_summary(actor=actor) if can_costs else None,
        "can_adapt": actor_can(actor, "delivery.add_adaptation"),
        "can_lessons": actor_can(actor, "delivery.view_lessons"),
        "can_withdrawals": actor_can(actor, "delivery.view_withdrawals"),
    }
    return render(request, "delivery/overview.html", context)


# --- Groups -----------------------------------------------------------------------------------
def _group_form(request, group=None):
    actor = request.actor
    rows = max(SLOT_ROWS, len(group.slots.all())) if group else SLOT_ROWS
    initial = GroupForm.initial_for(group) if group else {"intervention": _int(request.GET)}
    form = GroupForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        interventions=selectors.targeted_interventions(actor=actor),
        staff=selectors.staff_members(actor=actor),
        slot_rows=rows,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.group_save(
                actor=actor,
                group=group,
                intervention=data["intervention"],
                name=data["name"],
                deliverer=data["deliverer"],
                room=data["room"],
                places=data["places"],
                slots=form.slot_inputs(),
                request=request,
            )
        except ValidationError as error:
            errors_onto(form, form.service_error(error))
        else:
            messages.success(request, f"{saved.name} saved")
            _warn_lessons(request, saved)
            return redirect("delivery:group_detail", group_id=saved.pk)
    return render(request, "delivery/group_form.html", {"form": form, "group": group})


def _warn_lessons(request, group, pupil_ids=None) -> None:
    """Saved, but the group's times take a pupil out of the same subject more often than the
    school allows: say so (a warning, not a refusal: the SENCO may have reasons)."""
    for warning in lesson_selectors.lesson_warnings(
        actor=request.actor, group=group, pupil_ids=pupil_ids
    ):
        messages.warning(request, warning)


def _int(query, key: str = "intervention") -> int | None:
    value = query.get(key, "")
    # isascii: "²".isdigit() is True but int("²") fails; 18 digits fit any database's ids.
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


@require_http_methods(["GET", "POST"])
@permission_required("delivery.manage_delivery")
def group_new(request):
    return _group_form(request)


@require_http_methods(["GET", "POST"])
@permission_required("delivery.manage_delivery")
def group_edit(request, group_id: int):
    return _group_form(request, selectors.group_get(actor=request.actor, group_id=group_id))


def _group_page(request, group, member_form=None):
    actor = request.actor
    can_manage = actor_can(actor, "delivery.manage_delivery")
    if can_manage and member_form is None:
        member_form = MemberAddForm(
            placements=selectors.placements_to_add(actor=actor, group=group)
        )
    # The page names the pupils in the group, so reading it is logged like a pupil's record.
    audit_record(
        actor=actor,
        action=AuditEntry.Action.VIEW,
        object_type="group",
        object_id=group.pk,
        object_repr=group.name,
        request=request,
    )
    # The register, dose and sessions only for those who see the group's register.
    registers = session_selectors.may_see_register(actor, group)
    recorded, missed, doses = [], [], {}
    if registers:
        closed = closed_days(school_id=group.school_id)  # read once for both
        recorded, missed = session_selectors.group_sessions(actor=actor, group=group, closed=closed)
        doses = session_selectors.dose_for_placements(
            school_id=group.school_id,
            placements=[m.placement for m in group.current_members],
            closed=closed,
        )
    # The members' names as this reader may see them, read once for both tables.
    labels = selectors.member_labels(actor=actor, group=group)
    context = {
        "group": group,
        "members": selectors.group_members_shown(
            actor=actor, group=group, doses=doses, labels=labels
        ),
        "lesson_misses": lesson_selectors.group_misses(actor=actor, group=group, labels=labels),
        "registers": registers,
        "recorded": recorded[:SESSIONS_ON_GROUP_PAGE],
        "recorded_count": len(recorded),
        "missed": missed,
        "member_form": member_form if can_manage else None,
        "adaptations": selectors.group_adaptations(actor=actor, group=group),
        "can_manage": can_manage,
        "can_adapt": actor_can(actor, "delivery.add_adaptation"),
        # Whoever records the group's sessions enters its scores (a page of monitoring's).
        "can_enter_scores": registers and session_services.may_record(actor, group),
    }
    return render(request, "delivery/group_detail.html", context)


@permission_required("delivery.view_delivery")
def group_detail(request, group_id: int):
    return _group_page(request, selectors.group_get(actor=request.actor, group_id=group_id))


@require_POST
@permission_required("delivery.manage_delivery")
def member_add(request, group_id: int):
    actor = request.actor
    group = selectors.group_get(actor=actor, group_id=group_id)
    form = MemberAddForm(
        request.POST, placements=selectors.placements_to_add(actor=actor, group=group)
    )
    if form.is_valid():
        try:
            member = services.group_add_member(
                actor=actor,
                group=group,
                placement_id=form.cleaned_data["placement"],
                joined_on=form.cleaned_data["joined_on"],
                request=request,
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            pupil = member.placement.plan.pupil.full_name
            messages.success(request, f"{pupil} added to {group.name}")
            _warn_lessons(request, group, [member.placement.plan.pupil_id])
            return redirect("delivery:group_detail", group_id=group.pk)
    return _group_page(request, group, member_form=form)


@require_POST
@permission_required("delivery.manage_delivery")
def member_leave(request, group_id: int, member_id: int):
    actor = request.actor
    group = selectors.group_get(actor=actor, group_id=group_id)
    try:
        member = services.group_remove_member(
            actor=actor, group=group, member_id=member_id, left_on=None, request=request
        )
    except ValidationError:
        raise Http404("No such pupil in this group") from None
    messages.success(request, f"{member.placement.plan.pupil.full_name} has left {group.name}")
    return redirect("delivery:group_detail", group_id=group.pk)


@require_http_methods(["GET", "POST"])
@permission_required("delivery.manage_delivery")
def group_end(request, group_id: int):
    """Ask first; ending keeps the group and its members' dates but takes it off the timetable."""
    actor = request.actor
    group = selectors.group_get(actor=actor, group_id=group_id)
    if request.method == "POST":
        services.group_end(actor=actor, group=group, request=request)
        messages.success(request, f"{group.name} has ended")
        return redirect("delivery:overview")
    return render(request, "delivery/group_end.html", {"group": group})


# --- Staff ------------------------------------------------------------------------------------
@permission_required("delivery.manage_delivery")
def staff_choose(request):
    """Pick a member of staff to record their training and time (they may have neither yet)."""
    actor = request.actor
    form = StaffChooseForm(request.GET or None, staff=selectors.staff_members(actor=actor))
    if form.is_valid():
        return redirect("delivery:staff_edit", user_id=form.cleaned_data["staff"])
    return render(request, "delivery/staff_choose.html", {"form": form})


@require_http_methods(["GET", "POST"])
@permission_required("delivery.manage_delivery")
def staff_edit(request, user_id: int):
    actor = request.actor
    staff = selectors.staff_get(actor=actor, user_id=user_id)
    trainings, times = selectors.staff_delivery_get(actor=actor, staff=staff)
    form = StaffDeliveryForm(
        request.POST if request.method == "POST" else None,
        initial=StaffDeliveryForm.initial_for(trainings, times),
        interventions=selectors.targeted_interventions(actor=actor),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_delivery_set(
                actor=actor,
                staff=staff,
                interventions=list(form.cleaned_data["interventions"]),
                windows=form.window_inputs(),
                request=request,
            )
        except ValidationError as error:
            errors_onto(form, form.service_error(error))
        else:
            messages.success(request, f"Training and time saved for {staff.full_name}")
            return redirect("delivery:overview")
    return render(request, "delivery/staff_form.html", {"form": form, "staff": staff})


# --- Money ------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@permission_required("delivery.manage_budget")
def budget(request):
    """This academic year's budget, and the school's cost per pupil of each intervention."""
    actor = request.actor
    summary = selectors.budget_summary(actor=actor)
    costs = list(selectors.costs_list(actor=actor))
    which = request.POST.get("form") if request.method == "POST" else None
    budget_form = BudgetForm(
        request.POST if which == "budget" else None,
        initial={"amount": summary.budget if summary.budget is not None else ""},
    )
    chosen = next((c for c in costs if c.intervention_id == _int(request.GET)), None)
    cost_form = CostForm(
        request.POST if which == "cost" else None,
        initial={
            "intervention": chosen.intervention_id,
            "per_pupil": chosen.per_pupil,
            "note": chosen.note,
        }
        if chosen
        else {"intervention": _int(request.GET)},
        interventions=selectors.targeted_interventions(actor=actor),
    )
    if which == "budget" and budget_form.is_valid():
        try:
            services.budget_set(
                actor=actor,
                year_starting=summary.year_starting,
                amount=budget_form.cleaned_data["amount"],
                request=request,
            )
        except ValidationError as error:
            errors_onto(budget_form, error)
        else:
            messages.success(request, "Budget saved")
            return redirect("delivery:budget")
    if which == "cost" and cost_form.is_valid():
        data = cost_form.cleaned_data
        try:
            services.cost_set(
                actor=actor,
                intervention=data["intervention"],
                per_pupil=data["per_pupil"],
                note=data["note"],
                request=request,
            )
        except ValidationError as error:
            errors_onto(cost_form, error)
        else:
            messages.success(request, f"Cost of {data['intervention'].name} saved")
            return redirect("delivery:budget")
    context = {
        "summary": summary,
        "costs": costs,
        "budget_form": budget_form,
        "cost_form": cost_form,
        "has_errors": bool(budget_form.errors or cost_form.errors),
    }
    return render(request, "delivery/budget.html", context)


# --- Adaptations ------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
@permission_required("delivery.add_adaptation")
def adaptation_new(request):
    """Record an adaptation of the intervention named in ``?intervention=<slug>`` (asks which
    intervention first when there is none), then go back to the intervention's page."""
    actor = request.actor
    slug = request.GET.get("intervention", "").strip()
    if not slug:
        interventions = interventions_visible(actor=actor).order_by("name", "id")
        return render(request, "delivery/adaptation_choose.html", {"interventions": interventions})
    intervention = intervention_get(actor=actor, slug=slug)
    form = AdaptationForm(
        request.POST if request.method == "POST" else None,
        initial={"group": _int(request.GET, "group")},
        groups=selectors.groups_for_intervention(actor=actor, intervention=intervention),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.adaptation_add(
                actor=actor, intervention=intervention, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, f"Adaptation to {intervention.name} recorded")
            return redirect("evidence:detail", slug=intervention.slug)
    return render(
        request, "delivery/adaptation_form.html", {"form": form, "intervention": intervention}
    )


@permission_required("delivery.view_delivery")
def adaptation_list(request):
    actor = request.actor
    form = AdaptationFilterForm(
        request.GET or None, interventions=selectors.adaptation_interventions(actor=actor)
    )
    rows = selectors.adaptation_list(actor=actor, filters=form.filters())
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_adapt": actor_can(actor, "delivery.add_adaptation"),
    }
    return render(request, "delivery/adaptation_list.html", context)
