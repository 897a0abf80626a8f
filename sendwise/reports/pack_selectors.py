"""Reads of report packs, always in the actor's school."""

from django.db.models import QuerySet
from django.http import Http404

from sendwise.core.access import Actor
from sendwise.reports.models import ReportPack

RECENT = 20


def packs_recent(*, actor: Actor) -> QuerySet[ReportPack]:
    """The school's latest packs, newest first, without their files. One query."""
    if actor.school is None:
        return ReportPack.objects.none()
    return (
        ReportPack.objects.filter(school=actor.school)
        .defer("content")
        .select_related("requested_by")[:RECENT]
    )


def pack_get(*, actor: Actor, pack_id: int, with_content: bool = False) -> ReportPack:
    """One of the school's packs, or 404 (another school's looks missing)."""
    packs = ReportPack.objects.filter(school=actor.school, pk=pack_id).select_related(
        "requested_by"
    )
    pack = (packs if with_content else packs.defer("content")).first()
    if pack is None:
        raise Http404("No such pack")
    return pack
