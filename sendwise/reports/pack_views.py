"""Whole-school packs of parent reports: ask for one, watch its progress, download it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from sendwise.core.decorators import permission_required
from sendwise.core.forms import errors_onto
from sendwise.core.tasks.selectors import task_is_dead, task_progress_get
from sendwise.pupils.selectors import class_choices
from sendwise.reports import tasks
from sendwise.reports.forms import PackForm
from sendwise.reports.models import ReportPack
from sendwise.reports.pack_selectors import pack_get, packs_recent
from sendwise.reports.pack_services import report_pack_downloaded
from sendwise.reports.report_views import download

ZIP_TYPE = "application/zip"


@require_http_methods(["GET", "POST"])
@permission_required("reports.report_packs")
def packs(request):
    actor = request.actor
    form = PackForm(
        request.POST if request.method == "POST" else None,
        classes=class_choices(actor=actor).order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            pack = tasks.pack_start(
                actor=actor,
                class_id=form.cleaned_data["class_id"],
                nc_year=form.cleaned_data["nc_year"],
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, f"Making the parent reports for {pack.label}")
            return redirect("reports:pack", pack_id=pack.pk)
    return render(request, "reports/packs.html", {"form": form, "packs": packs_recent(actor=actor)})


def _state(pack: ReportPack) -> dict:
    progress = task_progress_get(key=pack.progress_key)
    return {
        "pack": pack,
        "progress": progress,
        "stalled": pack.status in (ReportPack.Status.QUEUED, ReportPack.Status.RUNNING)
        and task_is_dead(progress),
    }


@permission_required("reports.report_packs")
def pack_detail(request, pack_id: int):
    """The pack's progress: a page, or (htmx) the part that asks for itself again while it runs."""
    context = _state(pack_get(actor=request.actor, pack_id=pack_id))
    template = "reports/_pack_progress.html" if request.htmx else "reports/pack.html"
    response = render(request, template, context)
    if request.htmx and context["pack"].status in (
        ReportPack.Status.DONE,
        ReportPack.Status.FAILED,
    ):
        response["HX-Refresh"] = "true"
    return response


@permission_required("reports.report_packs")
def pack_download(request, pack_id: int):
    pack = pack_get(actor=request.actor, pack_id=pack_id, with_content=True)
    if pack.status != ReportPack.Status.DONE or not pack.content:
        raise Http404("This pack is not ready")
    report_pack_downloaded(actor=request.actor, pack=pack, request=request)
    return download(bytes(pack.content), content_type=ZIP_TYPE, filename=pack.filename)
