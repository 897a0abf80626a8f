"""The timeline of a pupil's record: who changed what, and when, across every part of it.

django-simple-history keeps a version of each row on every change; this module reads those
versions for the pupil's record, needs and profiles, and turns consecutive versions of the same
row into "field: old -> new" lines. A fixed number of queries (one per kind of record).
"""

from itertools import pairwise

from sendwise.core import history
from sendwise.core.access import Actor
from sendwise.core.permissions import actor_can
from sendwise.pupils.models import (
    NeedsProfile,
    OnePageProfile,
    Pupil,
    SenNeed,
    SenProvisionRecord,
    SkillNeed,
    Voice,
)

#: What each kind of record is called on the timeline, and fields not worth showing.
KINDS = (
    (Pupil, "Pupil record", {"archived_at"}),
    (SenProvisionRecord, "SEN provision", set()),
    (SenNeed, "Type of need", set()),
    (SkillNeed, "Skill that needs work", set()),
    (NeedsProfile, "Needs profile", {"updated_at"}),
    (OnePageProfile, "One-page profile", {"updated_at"}),
    (Voice, "Pupil and parent voice", {"created_at"}),
)
ACTIONS = {"+": "added", "~": "changed", "-": "removed"}
SKIP = {
    "id",
    "school",
    "pupil",
    "history_id",
    "history_date",
    "history_user",
    "history_type",
    "history_change_reason",
}


def _label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # a field that no longer exists on the model
        return name.replace("_", " ")


def _describe(model, version) -> str:
    if model is SkillNeed:
        return (
            f"{version.skill.name if version.skill else 'skill'} ({version.get_severity_display()})"
        )
    if model is SenProvisionRecord:
        return f"{version.get_provision_display()} from {version.start_date:%-d %b %Y}"
    if model is SenNeed:
        return f"{version.get_rank_display()} need: {version.need_type}"
    if model is Voice:
        return version.get_kind_display()
    return ""


def record_timeline(*, actor: Actor, pupil: Pupil, limit: int = 60) -> list[dict]:
    """Every change to the pupil's record, newest first, for those who plan support: at most
    ``limit`` of them.

    A class teacher or parent gets an empty list: earlier needs and notes are not theirs to read.
    Each version is paired with the one before it first; the fields that changed are compared
    only for the pairs shown, newest first, until ``limit`` are found (a save that changed
    nothing worth showing is passed over, as before), so a long history costs no comparison for
    the changes left off.
    """
    if not actor_can(actor, "pupils.view_notes"):
        return []
    pairs = []
    for model, kind, hidden in KINDS:
        versions = (
            history.versions(model).filter(id=pupil.pk)
            if model is Pupil
            else history.versions(model).filter(pupil_id=pupil.pk)
        )
        versions = versions.select_related("history_user")
        if model is SkillNeed:
            versions = versions.select_related("skill")
        by_row: dict[int, list] = {}
        for version in versions.order_by("history_date", "history_id"):
            by_row.setdefault(version.id, []).append(version)
        for rows in by_row.values():
            for older, newer in pairwise([None, *rows]):
                pairs.append((model, kind, hidden, older, newer))
    # Newest first; a stable sort keeps equal times in the order read, as before.
    pairs.sort(key=lambda pair: pair[4].history_date, reverse=True)
    entries = []
    for model, kind, hidden, older, newer in pairs:
        if len(entries) >= limit:
            break
        fields = []
        if older is not None and newer.history_type == "~":
            fields = [
                (_label(model, c.field), c.old, c.new)
                for c in newer.diff_against(older).changes
                if c.field not in hidden and c.field not in SKIP
            ]
            if not fields:
                continue  # a save that changed nothing worth showing
        entries.append(
            {
                "at": newer.history_date,
                "user": newer.history_user,
                "kind": kind,
                "action": ACTIONS.get(newer.history_type, newer.history_type),
                "what": _describe(model, newer),
                "reason": newer.history_change_reason or "",
                "fields": fields,
            }
        )
    return entries
