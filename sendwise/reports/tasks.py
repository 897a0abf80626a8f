"""Making a whole-school pack of parent reports in the background (core.tasks says how tasks
work; ADR 0005).

Asking for a pack saves it (``pack_services.report_pack_request``) and queues
``parent_reports_pack`` with ids only. A worker rebuilds the actor, reads each pupil through
``pupil_for`` (one read-audit entry per pupil, with the pack as the purpose), renders each PDF,
reports progress through a Heartbeat, and stores the ZIP on the pack: nothing is kept in any
process between the request that asked and the one that downloads.
"""

from __future__ import annotations

import io
import logging
import zipfile

from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify
from django_tasks import TaskContext, TaskResult, task

from sendwise.core.access import Actor, actor_for
from sendwise.core.models import User
from sendwise.core.permissions import actor_can
from sendwise.core.tasks.services import Heartbeat
from sendwise.pupils.selectors import pupil_for
from sendwise.reports import pack_services
from sendwise.reports.models import ReportPack
from sendwise.reports.pdf import render_pdf
from sendwise.reports.plan_report_selectors import plan_report

NOT_ALLOWED = "the person who asked for it may no longer make packs in this school"
PURPOSE = "parent reports pack: {label}"
PLAN_REPORT_TITLE = "Support plan and review record"

logger = logging.getLogger(__name__)


def plan_report_pdf(*, actor: Actor, pupil) -> bytes:
    """The parents' report of one pupil ``pupil_for`` already checked, as PDF bytes."""
    return render_pdf(
        "reports/plan_report_print.html",
        {
            "report": plan_report(actor=actor, pupil=pupil),
            "school_name": pupil.school.name,
            "report_subtitle": f"{pupil.full_name}, {pupil.get_nc_year_display()}",
        },
        title=PLAN_REPORT_TITLE,
    )


def plan_report_filename(pupil, *, ext: str = "pdf") -> str:
    name = slugify(f"{pupil.last_name} {pupil.first_name}") or f"pupil-{pupil.pk}"
    return f"support-plan-{name}-{timezone.localdate().isoformat()}.{ext}"


def pack_start(*, actor: Actor, class_id: int | None = None, nc_year: int | None = None):
    """Ask for a pack and queue its making (with the immediate backend, the tests, it is made
    before this returns). ValidationError, nothing saved, if it cannot be asked for."""
    pack = pack_services.report_pack_request(actor=actor, class_id=class_id, nc_year=nc_year)
    parent_reports_pack.enqueue(pack_id=pack.pk, user_id=actor.user.pk, school_id=pack.school_id)
    return pack


@task(takes_context=True)
def parent_reports_pack(context: TaskContext, *, pack_id: int, user_id: int, school_id: int):
    """Make one pack; a pack another worker already took is skipped. A failure marks the pack
    failed, with why, and is raised again so the queue keeps the traceback."""
    pack = ReportPack.objects.defer("content").get(pk=pack_id)
    if not pack_services.report_pack_started(pack=pack):
        return {"skipped": pack.status}
    try:
        actor = actor_for(User.objects.get(pk=user_id), school_id)
        if actor.school is None or actor.school.pk != pack.school_id:
            raise PermissionError(NOT_ALLOWED)
        if not actor_can(actor, "reports.report_packs"):
            raise PermissionError(NOT_ALLOWED)
        task_id = context.task_result.id if isinstance(context.task_result, TaskResult) else ""
        with Heartbeat(pack.progress_key, task_id=task_id) as beat:
            return _make(actor=actor, pack=pack, progress=beat.report)
    except Exception as error:  # any failure must be shown on the pack's page
        logger.exception("Report pack %s could not be made", pack_id)
        reason = str(error) if isinstance(error, PermissionError) else "an error stopped it"
        pack_services.report_pack_failed(pack_id=pack_id, error=reason)
        raise


def _make(*, actor: Actor, pack: ReportPack, progress) -> dict:
    ids = list(pack_services.pack_pupils(actor=actor, pack=pack).values_list("pk", flat=True))
    total = len(ids)
    buffer = io.BytesIO()
    purpose = PURPOSE.format(label=pack.label)
    skipped = 0
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for done, pupil_id in enumerate(ids):
            progress(done, total, f"report {done + 1} of {total}")
            try:
                pupil = pupil_for(actor=actor, pupil_id=pupil_id, purpose=purpose)
            except Http404:  # left the school (archived) since the list was read
                skipped += 1
                continue
            archive.writestr(plan_report_filename(pupil), plan_report_pdf(actor=actor, pupil=pupil))
    progress(total, total, "saving the pack")
    filename = f"parent-reports-{slugify(pack.label)}-{timezone.localdate().isoformat()}.zip"
    pack_services.report_pack_finish(
        pack=pack, content=buffer.getvalue(), pupils=total - skipped, filename=filename
    )
    return {"pupils": total - skipped}
