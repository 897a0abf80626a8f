"""Import classes' lesson timetables: upload, preview, confirm. Thin views over
``exchange.lesson_services`` and ``exchange.lesson_selectors``."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from sendwise.core.decorators import permission_required
from sendwise.exchange import lesson_selectors, lesson_services
from sendwise.exchange.forms import LessonUploadForm
from sendwise.exchange.models import LessonImport
from sendwise.exchange.records import ImportFileError


@require_http_methods(["GET", "POST"])
@permission_required("delivery.manage_lessons")
def lessons_start(request):
    form = LessonUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = lesson_services.lesson_import_upload(
                actor=request.actor, filename=upload.name, data=upload.read()
            )
        except ImportFileError as error:
            form.add_error("file", str(error))
        else:
            return redirect("exchange:lessons_preview", batch_id=batch.pk)
    context = {"form": form, "batches": lesson_selectors.lesson_imports(actor=request.actor)}
    return render(request, "exchange/lessons_start.html", context)


@permission_required("delivery.manage_lessons")
def lessons_preview(request, batch_id: int):
    batch = lesson_selectors.lesson_import_get(actor=request.actor, batch_id=batch_id)
    preview = None
    if batch.status == LessonImport.Status.PREVIEW:
        preview = lesson_selectors.lesson_import_preview(batch=batch)
    return render(request, "exchange/lessons_preview.html", {"batch": batch, "preview": preview})


@require_POST
@permission_required("delivery.manage_lessons")
def lessons_confirm(request, batch_id: int):
    batch = lesson_selectors.lesson_import_get(actor=request.actor, batch_id=batch_id)
    action = request.POST.get("action")
    if action not in ("apply", "cancel"):
        return HttpResponseBadRequest("Choose to apply or cancel the import.")
    if action == "cancel":
        lesson_services.lesson_import_cancel(actor=request.actor, batch=batch, request=request)
        messages.info(request, "Import cancelled: nothing was changed.")
        return redirect("exchange:lessons_start")
    try:
        counts = lesson_services.lesson_import_apply(
            actor=request.actor, batch=batch, request=request
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("exchange:lessons_preview", batch_id=batch.pk)
    messages.success(
        request,
        f"Lesson timetables of {counts['classes']} classes saved: {counts['added']} lessons "
        f"added, {counts['removed']} removed",
    )
    return redirect("delivery:lesson_classes")
