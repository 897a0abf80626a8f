"""Subject access (a pupil's whole file as one ZIP) and the retention report: thin views."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from sendwise.core.decorators import permission_required
from sendwise.core.forms import BoundedForm, errors_onto
from sendwise.core.models import School
from sendwise.pupils.selectors import pupil_on_file_for
from sendwise.reports import sar_services
from sendwise.reports.retention import YEARS_MAX, YEARS_MIN, YEARS_OUT_OF_RANGE
from sendwise.reports.retention_selectors import retention_report
from sendwise.reports.retention_services import retention_years_set
from sendwise.reports.sar_kinds import AUDIT, KINDS
from sendwise.reports.sar_selectors import sar_export_get, sar_export_progress, sar_exports_recent
from sendwise.reports.sar_tasks import subject_access_in_background

ZIP_TYPE = "application/zip"


@permission_required("reports.export_subject_access")
@require_http_methods(["GET", "POST"])
def subject_access(request, pupil_id: int):
    """GET: what an export holds, and this week's exports; POST: make a new one."""
    pupil = pupil_on_file_for(actor=request.actor, pupil_id=pupil_id, purpose="subject access")
    if request.method == "POST":
        export = sar_services.subject_access_request(actor=request.actor, pupil=pupil)
        subject_access_in_background(export=export)
        return redirect("records:export_progress", export_id=export.pk)
    return render(
        request,
        "reports/subject_access.html",
        {
            "pupil": pupil,
            "kinds": [*KINDS, AUDIT],
            "exports": sar_exports_recent(actor=request.actor, pupil=pupil),
        },
    )


@permission_required("reports.export_subject_access")
@require_GET
def export_progress(request, export_id: int):
    """How far an export has got: its own page, or (htmx) the block that polls itself."""
    export = sar_export_get(actor=request.actor, export_id=export_id)
    context = sar_export_progress(export=export)
    queued = export.status == export.Status.QUEUED
    if request.htmx:
        response = render(request, "reports/_export_progress.html", context)
        if not queued or context["stalled"]:
            response["HX-Refresh"] = "true"  # ready, failed or stalled: reload the page
        return response
    return render(request, "reports/export_progress.html", context)


@permission_required("reports.export_subject_access")
@require_GET
def export_download(request, export_id: int):
    """The ZIP, while it is kept (a week); each download is audited."""
    export = sar_export_get(actor=request.actor, export_id=export_id, with_content=True)
    if not export.downloadable:
        raise Http404("This export is not ready, or is no longer kept")
    sar_services.subject_access_downloaded(actor=request.actor, export=export, request=request)
    response = HttpResponse(bytes(export.content), content_type=ZIP_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store, private"
    return response


class RetentionForm(BoundedForm):
    years = forms.IntegerField(
        label="Keep archived SEN records until this many years after the pupil's birth",
        min_value=YEARS_MIN,
        max_value=YEARS_MAX,
        error_messages={
            "required": YEARS_OUT_OF_RANGE,
            "invalid": YEARS_OUT_OF_RANGE,
            "min_value": YEARS_OUT_OF_RANGE,
            "max_value": YEARS_OUT_OF_RANGE,
        },
    )


@permission_required("reports.view_retention")
@require_http_methods(["GET", "POST"])
def retention(request):
    """The dry run: which archived pupils' records are past the school's retention date; POST
    sets the school's retention period."""
    actor = request.actor
    form = RetentionForm(
        request.POST if request.method == "POST" else None,
        initial={"years": actor.school.sen_records_kept_years},
    )
    if request.method == "POST" and form.is_valid():
        try:
            retention_years_set(actor=actor, years=form.cleaned_data["years"], request=request)
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, "The retention period is saved.")
            return redirect("records:retention")
    school = School.objects.get(pk=actor.school.pk)
    report = retention_report(school=school, today=timezone.localdate())
    return render(request, "reports/retention.html", {"report": report, "form": form})
