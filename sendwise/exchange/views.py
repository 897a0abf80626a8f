"""Import pupils: upload, preview, confirm. Thin views over exchange.services and exchange.tasks."""

from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from sendwise.core.decorators import permission_required
from sendwise.core.models import AuditEntry
from sendwise.core.services import audit_record
from sendwise.exchange import recovery, selectors, services, tasks
from sendwise.exchange.forms import ImportUploadForm
from sendwise.exchange.models import ImportBatch
from sendwise.exchange.records import ImportFileError


@require_http_methods(["GET", "POST"])
@permission_required("pupils.import_pupils")
def import_start(request):
    form = ImportUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.import_upload(
                actor=request.actor, filename=upload.name, data=upload.read()
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            return redirect("exchange:preview", batch_id=batch.pk)
    batches = selectors.import_batches(actor=request.actor)
    return render(request, "exchange/import_start.html", {"form": form, "batches": batches})


@permission_required("pupils.import_pupils")
def import_preview(request, batch_id: int):
    batch = selectors.import_batch_get(actor=request.actor, batch_id=batch_id)
    if batch.status == ImportBatch.Status.APPLYING:
        # Only the progress is shown (no pupil's details, so nothing to audit), and nothing is
        # written: on SQLite a write would wait for the apply's transaction to finish.
        context = {"batch": batch, **_progress_context(batch)}
        return render(request, "exchange/import_preview.html", context)
    preview = services.import_preview(batch=batch)
    audit_record(
        actor=request.actor,
        action=AuditEntry.Action.VIEW,
        object_type="import",
        object_id=batch.pk,
        object_repr=batch.filename,
        detail=f"Import preview: {preview.parsed.row_count} pupils",
        request=request,
    )
    to_apply = len(preview.plan.new) + len(preview.plan.changed)
    context = {"batch": batch, "preview": preview, "to_apply": to_apply}
    return render(request, "exchange/import_preview.html", context)


@require_POST
@permission_required("pupils.import_pupils")
def import_confirm(request, batch_id: int):
    batch = selectors.import_batch_get(actor=request.actor, batch_id=batch_id)
    action = request.POST.get("action")
    if action not in ("apply", "cancel"):
        return HttpResponseBadRequest("Choose to apply or cancel the import.")
    if action == "cancel":
        services.import_cancel(actor=request.actor, batch=batch)
        messages.info(request, "Import cancelled: nothing was changed.")
        return redirect("exchange:start")
    try:
        # Queued for a worker; the page shows its progress, then what it did.
        tasks.import_apply_in_background(actor=request.actor, batch=batch)
    except ValueError as error:
        messages.error(request, str(error))
    return redirect("exchange:preview", batch_id=batch.pk)


@permission_required("pupils.import_pupils")
def import_progress(request, batch_id: int):
    """The import's progress: a page of its own, or (htmx) the partial that polls itself while
    the batch is being applied."""
    batch = selectors.import_batch_get(actor=request.actor, batch_id=batch_id)
    context = {"batch": batch, **_progress_context(batch)}
    template = "exchange/_progress.html" if request.htmx else "exchange/import_progress.html"
    response = render(request, template, context)
    if request.htmx and (batch.status != ImportBatch.Status.APPLYING or context["stalled"]):
        response["HX-Refresh"] = "true"  # finished, failed or stalled: reload the page
    return response


@require_POST
@permission_required("pupils.import_pupils")
def import_retry(request, batch_id: int):
    """Try again an import that stopped part-way: back to preview, to be confirmed again."""
    batch = selectors.import_batch_get(actor=request.actor, batch_id=batch_id)
    try:
        recovery.import_retry(actor=request.actor, batch=batch, request=request)
    except ValueError as error:
        messages.error(request, str(error))
    return redirect("exchange:preview", batch_id=batch.pk)


def _progress_context(batch: ImportBatch) -> dict:
    return recovery.import_progress_state(batch=batch)
