"""Pages for raising a concern and taking it forward. Thin: selectors read, services write."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from sendwise.concerns import selectors, services
from sendwise.concerns.forms import (
    ConcernCloseForm,
    ConcernFilterForm,
    ConcernRaiseForm,
    ObservationAskForm,
    ObservationForm,
    ParentsInformedForm,
)
from sendwise.core.decorators import permission_required
from sendwise.core.forms import errors_onto
from sendwise.core.models import AuditEntry
from sendwise.core.permissions import actor_can
from sendwise.core.services import audit_record
from sendwise.pupils.selectors import pupil_for


@permission_required("concerns.view_concerns")
def concern_list(request):
    form = ConcernFilterForm(request.GET or None)
    concerns = selectors.concern_list(actor=request.actor, filters=form.filters())
    page = Paginator(concerns, settings.REGISTER_PAGE_SIZE).get_page(request.GET.get("page"))
    audit_record(
        actor=request.actor,
        action=AuditEntry.Action.VIEW,
        object_type="concerns",
        object_id="-",
        object_repr="Concerns",
        detail=request.GET.urlencode(),
        request=request,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "concerns/list.html", {"form": form, "page": page, "query": query.urlencode()}
    )


@require_http_methods(["GET", "POST"])
@permission_required("concerns.raise_concern")
def concern_raise(request, pupil_id: int):
    actor = request.actor
    pupil = pupil_for(actor=actor, pupil_id=pupil_id, purpose="raise concern")
    form = ConcernRaiseForm(
        request.POST if request.method == "POST" else None, born=pupil.date_of_birth
    )
    if request.method == "POST" and form.is_valid():
        try:
            concern = services.concern_raise(
                actor=actor, pupil=pupil, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            return redirect("concerns:raised", concern_id=concern.pk)
    return render(request, "concerns/raise.html", {"pupil": pupil, "form": form})


@permission_required("concerns.raise_concern")
def concern_raised(request, concern_id: int):
    concern = selectors.concern_get_raised(actor=request.actor, concern_id=concern_id)
    return render(request, "concerns/raised.html", {"concern": concern})


@permission_required("concerns.view_concerns")
def concern_detail(request, concern_id: int):
    actor = request.actor
    concern = selectors.concern_get(actor=actor, concern_id=concern_id)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.VIEW,
        object_type="concern",
        object_id=concern.pk,
        object_repr=f"Concern about {concern.pupil.full_name}",
        request=request,
    )
    requests = selectors.concern_requests(actor=actor, concern=concern)
    context = {
        "concern": concern,
        "requests": requests,
        "grid": selectors.observation_grid(requests),
        "can_manage": concern.is_open and actor_can(actor, "concerns.manage_concern"),
    }
    return render(request, "concerns/detail.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("concerns.manage_concern")
def concern_ask(request, concern_id: int):
    actor = request.actor
    concern = selectors.concern_get(actor=actor, concern_id=concern_id)
    if not concern.is_open:
        return redirect("concerns:detail", concern_id=concern.pk)
    teachers = selectors.observers_available(actor=actor, concern=concern)
    form = ObservationAskForm(request.POST if request.method == "POST" else None, teachers=teachers)
    if request.method == "POST" and form.is_valid():
        try:
            services.observation_request(
                actor=actor,
                concern=concern,
                teachers=list(form.cleaned_data["teachers"]),
                message=form.cleaned_data["message"],
                request=request,
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            return redirect("concerns:detail", concern_id=concern.pk)
    return render(request, "concerns/ask.html", {"concern": concern, "form": form})


@require_http_methods(["GET", "POST"])
@permission_required("concerns.manage_concern")
def concern_parents(request, concern_id: int):
    actor = request.actor
    concern = selectors.concern_get(actor=actor, concern_id=concern_id)
    if not concern.is_open:
        return redirect("concerns:detail", concern_id=concern.pk)
    initial = {
        "informed_on": concern.parents_informed_on,
        "how": concern.parents_informed_how,
        "response": concern.parents_response,
    }
    form = ParentsInformedForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.concern_parents_informed(
                actor=actor, concern=concern, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            return redirect("concerns:detail", concern_id=concern.pk)
    return render(request, "concerns/parents.html", {"concern": concern, "form": form})


@require_http_methods(["GET", "POST"])
@permission_required("concerns.manage_concern")
def concern_close(request, concern_id: int):
    actor = request.actor
    concern = selectors.concern_get(actor=actor, concern_id=concern_id)
    if not concern.is_open:
        return redirect("concerns:detail", concern_id=concern.pk)
    form = ConcernCloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.concern_close(
                actor=actor, concern=concern, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            concern.pupil.refresh_from_db()
            errors_onto(form, error)
        else:
            return redirect("concerns:detail", concern_id=concern.pk)
    return render(request, "concerns/close.html", {"concern": concern, "form": form})


@require_http_methods(["GET", "POST"])
@permission_required("concerns.answer_observation")
def observation_answer(request, request_id: int):
    actor = request.actor
    obs_request = selectors.observation_request_get(actor=actor, request_id=request_id)
    can_answer = obs_request.concern.is_open and not obs_request.is_submitted
    form = (
        ObservationForm(request.POST if request.method == "POST" else None) if can_answer else None
    )
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.observation_submit(
                actor=actor, obs_request=obs_request, answers=form.answers(), request=request
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            return redirect("concerns:observe", request_id=obs_request.pk)
    context = {
        "obs_request": obs_request,
        "pupil": obs_request.concern.pupil,
        "form": form,
        "grid": selectors.observation_grid([obs_request]) if obs_request.is_submitted else [],
    }
    return render(request, "concerns/observe.html", context)
