"""Reports about one pupil: the parents' support plan and review record (PDF), and the EHC
needs-assessment evidence pack (a preview with its checklist, then the PDF). Each request reads
the pupil once through ``pupil_for``, which writes the read to the audit log with the report as
its purpose. Downloads are attachments with a readable filename; the middleware marks every
attachment ``Cache-Control: no-store``."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify

from sendwise.core.decorators import permission_required
from sendwise.pupils.selectors import pupil_for
from sendwise.reports.ehc_selectors import ehc_pack
from sendwise.reports.pdf import render_pdf
from sendwise.reports.tasks import plan_report_filename, plan_report_pdf

PDF_TYPE = "application/pdf"
EHC_TITLE = "EHC needs assessment: evidence of the graduated approach"


def download(data: bytes, *, content_type: str, filename: str) -> HttpResponse:
    """An attachment. The filename is ASCII (slugified by the callers), so no quoting issues."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@permission_required("reports.pupil_plan_report")
def plan_report(request, pupil_id: int):
    """The support plan and review record for parents, as a PDF."""
    actor = request.actor
    pupil = pupil_for(actor=actor, pupil_id=pupil_id, purpose="support plan report (PDF)")
    return download(
        plan_report_pdf(actor=actor, pupil=pupil),
        content_type=PDF_TYPE,
        filename=plan_report_filename(pupil),
    )


@permission_required("reports.ehc_evidence_pack")
def ehc_preview(request, pupil_id: int):
    """The evidence pack on screen, with what is present and what is missing, before the PDF."""
    pupil = pupil_for(actor=request.actor, pupil_id=pupil_id, purpose="EHC evidence pack")
    return render(
        request, "reports/ehc_preview.html", {"pupil": pupil, "pack": ehc_pack(pupil=pupil)}
    )


@permission_required("reports.ehc_evidence_pack")
def ehc_pdf(request, pupil_id: int):
    pupil = pupil_for(actor=request.actor, pupil_id=pupil_id, purpose="EHC evidence pack (PDF)")
    data = render_pdf(
        "reports/ehc_print.html",
        {
            "pack": ehc_pack(pupil=pupil),
            "pupil": pupil,
            "school_name": pupil.school.name,
            "report_subtitle": f"{pupil.full_name}, {pupil.get_nc_year_display()}, UPN {pupil.upn}",
        },
        title=EHC_TITLE,
    )
    name = slugify(f"{pupil.last_name} {pupil.first_name}") or f"pupil-{pupil.pk}"
    filename = f"ehc-evidence-{name}-{timezone.localdate().isoformat()}.pdf"
    return download(data, content_type=PDF_TYPE, filename=filename)
