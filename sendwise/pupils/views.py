"""Pages for the SEND register and editing a pupil's record. Thin: selectors read, services
write. (The record page itself shows plans and scores too, so it is composed in `sendwise.pages`.)"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from sendwise.core.chart_cache import cached_svg
from sendwise.core.decorators import permission_required
from sendwise.core.forms import errors_onto
from sendwise.core.models import AuditEntry
from sendwise.core.permissions import actor_can
from sendwise.core.services import audit_record
from sendwise.pupils import selectors, services, timeline
from sendwise.pupils.charts import need_bar_chart
from sendwise.pupils.forms import ArchiveForm, PupilForm, RegisterFilterForm
from sendwise.pupils.profile_selectors import skills_for_school

#: The newest changes listed on a pupil's changes page (the full history is in the subject
#: access export).
CHANGES_SHOWN = 60


def register_filter_form(request) -> RegisterFilterForm:
    """The register's filter form, with the school's classes and skills to choose from."""
    classes = selectors.class_choices(actor=request.actor)
    skills = skills_for_school(school_id=request.actor.school.id).only("slug", "name")
    return RegisterFilterForm(request.GET or None, classes=classes, skills=skills)


@permission_required("pupils.view_notes")
def changes(request, pupil_id: int):
    """Who changed what in the pupil's record, and when, newest first: on its own page, so the
    pupil's page (the most visited) does not read the history of seven kinds of record on every
    visit."""
    actor = request.actor
    pupil = selectors.pupil_for(actor=actor, pupil_id=pupil_id, purpose="changes to the record")
    context = {
        "pupil": pupil,
        "history": timeline.record_timeline(actor=actor, pupil=pupil, limit=CHANGES_SHOWN),
        "shown": CHANGES_SHOWN,
    }
    return render(request, "pupils/changes.html", context)


@permission_required("pupils.view_register")
def register(request):
    form = register_filter_form(request)
    filters = form.filters()
    pupils = selectors.pupil_list(actor=request.actor, filters=filters)
    page = Paginator(pupils, settings.REGISTER_PAGE_SIZE).get_page(request.GET.get("page"))
    audit_record(
        actor=request.actor,
        action=AuditEntry.Action.VIEW,
        object_type="register",
        object_id="-",
        object_repr="SEND register",
        detail=request.GET.urlencode(),
        request=request,
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "filters": filters,
        "summary": selectors.register_summary(actor=request.actor) if not request.htmx else None,
        "can_export": actor_can(request.actor, "pupils.export_register"),
        "can_manage_skills": actor_can(request.actor, "pupils.manage_skills"),
    }
    if context["summary"]:
        context["need_chart"] = cached_svg(
            need_bar_chart,
            [tuple(item) for item in context["summary"]["by_need"]],
            "Bar chart of pupils with SEN by primary need",
        )
    template = "pupils/_register_results.html" if request.htmx else "pupils/register.html"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
@permission_required("pupils.change_pupil")
def pupil_edit(request, pupil_id: int):
    actor = request.actor
    pupil = selectors.pupil_for(actor=actor, pupil_id=pupil_id, purpose="edit record")
    initial = model_to_dict(pupil, fields=services.EDITABLE_FIELDS)
    form = PupilForm(
        request.POST if request.method == "POST" else None, initial=initial, school=actor.school
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.pupil_update(actor=actor, pupil=pupil, **form.cleaned_data, request=request)
        except ValidationError as error:
            pupil.refresh_from_db()
            errors_onto(form, error)
        else:
            return redirect("pupils:detail", pupil_id=pupil.pk)
    return render(request, "pupils/edit.html", {"pupil": pupil, "form": form})


@require_http_methods(["GET", "POST"])
@permission_required("pupils.change_pupil")
def pupil_archive(request, pupil_id: int):
    actor = request.actor
    pupil = selectors.pupil_for(actor=actor, pupil_id=pupil_id, purpose="archive record")
    form = ArchiveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.pupil_archive(
            actor=actor, pupil=pupil, reason=form.cleaned_data["reason"], request=request
        )
        return redirect("pupils:register")
    return render(request, "pupils/archive.html", {"pupil": pupil, "form": form})
