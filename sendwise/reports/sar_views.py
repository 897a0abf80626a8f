"""Subject access (a pupil's whole file as one ZIP) and the retention report: thin views."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from sendwise.core.decorators import permission_required
from sendwise.pupils.selectors import pupil_on_file_for
from sendwise.reports.retention import retention_report
from sendwise.reports.sar_kinds import AUDIT, KINDS
from sendwise.reports.sar_services import subject_access_export

ZIP_TYPE = "application/zip"


@permission_required("reports.export_subject_access")
@require_http_methods(["GET", "POST"])
def subject_access(request, pupil_id: int):
    """GET: what the export holds; POST: the ZIP (a download, audited)."""
    pupil = pupil_on_file_for(actor=request.actor, pupil_id=pupil_id, purpose="subject access")
    if request.method == "POST":
        export = subject_access_export(actor=request.actor, pupil=pupil, request=request)
        response = HttpResponse(export.content, content_type=ZIP_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        response["Cache-Control"] = "no-store, private"
        return response
    return render(
        request,
        "reports/subject_access.html",
        {"pupil": pupil, "kinds": [*KINDS, AUDIT]},
    )


@permission_required("reports.view_retention")
def retention(request):
    """The dry run: which archived pupils' records are past the school's retention date."""
    report = retention_report(school=request.actor.school, today=timezone.localdate())
    return render(request, "reports/retention.html", {"report": report})
