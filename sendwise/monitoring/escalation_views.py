"""The page where the SENCO records that an escalation agreed at a review was acted on, or
reopens it. Thin: a selector reads, a service writes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from sendwise.core.decorators import permission_required
from sendwise.core.forms import errors_onto
from sendwise.monitoring import escalation_services as services
from sendwise.monitoring.review_forms import EscalationDoneForm
from sendwise.monitoring.review_selectors import escalation_get
from sendwise.planning.selectors import plan_get
from sendwise.pupils.selectors import pupil_for


@permission_required("monitoring.hold_review")
def escalation_done(request, pupil_id: int, plan_id: int, decision_id: int):
    actor = request.actor
    pupil = pupil_for(actor=actor, pupil_id=pupil_id, purpose="escalation")
    plan = plan_get(pupil=pupil, plan_id=plan_id)
    decision = escalation_get(plan=plan, decision_id=decision_id)
    if request.method == "POST" and request.POST.get("action") == "reopen":
        try:
            services.escalation_reopen(actor=actor, decision=decision, request=request)
        except ValidationError as error:
            messages.info(request, error.messages[0])
        else:
            messages.success(request, "Reopened: it is back on the list of escalations waiting.")
        return redirect("reviews_due")
    if request.method == "POST":
        form = EscalationDoneForm(request.POST)
        if form.is_valid():
            try:
                services.escalation_action(
                    actor=actor,
                    decision=decision,
                    on=form.cleaned_data["actioned_on"],
                    note=form.cleaned_data["actioned_note"],
                    request=request,
                )
            except ValidationError as error:
                errors_onto(form, error)
            else:
                messages.success(request, f"Marked as done for {pupil.full_name}.")
                return redirect("reviews_due")
    else:
        form = EscalationDoneForm(initial={"actioned_on": timezone.localdate()})
    context = {"pupil": pupil, "plan": plan, "decision": decision, "form": form}
    return render(request, "monitoring/escalation_done.html", context)
