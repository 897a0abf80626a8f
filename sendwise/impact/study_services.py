"""Writes for local studies: the SENCO (or the head) sets a finished group's study aside as not
representative, with the reason, or counts it again. Nothing is deleted: the note keeps its
history (who, when, why), and every change is in the audit log."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sendwise.core.access import Actor
from sendwise.core.models import AuditEntry
from sendwise.core.permissions import actor_can
from sendwise.core.services import audit_record, service
from sendwise.delivery.models import GroupMember
from sendwise.impact.result_services import aggregate_cells_rebuild
from sendwise.impact.study_models import REASON_MAX, LocalStudyNote
from sendwise.impact.study_selectors import LocalStudy

ERR_REASON_NEEDED = (
    "Say why this study is not representative, so that others reading the page know why it is "
    "left out of the school's figures"
)
ERR_REASON_LONG = f"The reason must be {REASON_MAX:,} characters or fewer"
ERR_ALREADY_SET_ASIDE = "This study is already marked as not representative"
ERR_NOT_SET_ASIDE = "This study already counts in the school's figures"


def _reason(text: str, *, required: bool) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ValidationError({"reason": ERR_REASON_NEEDED})
    if len(text) > REASON_MAX:
        raise ValidationError({"reason": ERR_REASON_LONG})
    return text


def _note(actor: Actor, study: LocalStudy, intervention) -> LocalStudyNote:
    if not actor_can(actor, "impact.mark_local_study"):
        raise PermissionDenied
    note = (
        LocalStudyNote.objects.select_for_update()
        .filter(school=actor.school, group_id=study.group_id)
        .first()
    )
    return note or LocalStudyNote(
        school=actor.school, group_id=study.group_id, intervention=intervention
    )


def _pooled_figures_again(note: LocalStudyNote) -> None:
    """The school's (and so the trust's and authority's) aggregates leave out, or take back,
    this group's pupils at once."""
    placement_ids = GroupMember.objects.filter(
        school=note.school_id, group_id=note.group_id
    ).values_list("placement_id", flat=True)
    aggregate_cells_rebuild(school_id=note.school_id, placement_ids=list(placement_ids))


@service
def local_study_set_aside(
    *, actor: Actor, study: LocalStudy, intervention, reason: str, request=None
) -> LocalStudyNote:
    """Mark a local study as not representative: shown apart, left out of the pooled figure."""
    text = _reason(reason, required=True)
    note = _note(actor, study, intervention)
    if note.not_representative:
        raise ValidationError({"representative": ERR_ALREADY_SET_ASIDE})
    note.not_representative, note.reason = True, text
    note.noted_by, note.noted_on = actor.user, timezone.localdate()
    note._change_reason = text[:100]
    note.full_clean()
    note.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="local study",
        object_id=study.group_id,
        object_repr=f"Local study of {study.name}",
        detail="Marked not representative",
        request=request,
    )
    _pooled_figures_again(note)
    return note


@service
def local_study_count_again(
    *, actor: Actor, study: LocalStudy, intervention, reason: str = "", request=None
) -> LocalStudyNote:
    """Count a study set aside again (the earlier reason stays in the note's history)."""
    text = _reason(reason, required=False)
    note = _note(actor, study, intervention)
    if not note.not_representative:
        raise ValidationError({"representative": ERR_NOT_SET_ASIDE})
    note.not_representative, note.reason = False, text
    note.noted_by, note.noted_on = actor.user, timezone.localdate()
    note._change_reason = ("Counted again: " + text)[:100] if text else "Counted again"
    note.full_clean()
    note.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        object_type="local study",
        object_id=study.group_id,
        object_repr=f"Local study of {study.name}",
        detail="Counted again as representative",
        request=request,
    )
    _pooled_figures_again(note)
    return note
