"""The school calendar: holidays, INSET days and closures, on which no session is due and no
dose is owed. Read by everyone who sees the school's delivery; kept by the SENCO, the head and
the administrator. Thin: ``calendar_selectors`` read, ``calendar_services`` write."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from sendwise.core.decorators import permission_required
from sendwise.core.forms import errors_onto
from sendwise.core.permissions import actor_can
from sendwise.delivery import calendar_selectors as selectors
from sendwise.delivery import calendar_services as services
from sendwise.delivery.calendar_forms import ClosureForm


@require_http_methods(["GET", "POST"])
@permission_required("delivery.view_delivery")
def calendar(request):
    """The school's closures, this school year and later first; add one below."""
    actor = request.actor
    today = timezone.localdate()
    can_manage = actor_can(actor, "delivery.manage_calendar")
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    form = ClosureForm(request.POST if request.method == "POST" else None) if can_manage else None
    if request.method == "POST" and form.is_valid():
        try:
            closure = services.closure_save(
                actor=actor, closure=None, data=form.closure_input(), today=today, request=request
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, f"{closure} added to the school calendar")
            return redirect("delivery:calendar")
    context = {
        "calendar": selectors.calendar_for(actor=actor, today=today),
        "form": form,
        "can_manage": can_manage,
    }
    return render(request, "delivery/calendar.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("delivery.manage_calendar")
def closure_edit(request, closure_id: int):
    actor = request.actor
    closure = selectors.closure_get(actor=actor, closure_id=closure_id)
    form = ClosureForm(
        request.POST if request.method == "POST" else None,
        initial=ClosureForm.initial_for(closure),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.closure_save(
                actor=actor,
                closure=closure,
                data=form.closure_input(),
                today=timezone.localdate(),
                request=request,
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, f"Changed to {closure}")
            return redirect("delivery:calendar")
    return render(request, "delivery/closure_edit.html", {"form": form, "closure": closure})


@require_POST
@permission_required("delivery.manage_calendar")
def closure_remove(request, closure_id: int):
    actor = request.actor
    closure = selectors.closure_get(actor=actor, closure_id=closure_id)
    text = str(closure)
    services.closure_remove(actor=actor, closure=closure, request=request)
    messages.success(
        request, f"{text} removed from the school calendar: those days are school days"
    )
    return redirect("delivery:calendar")
