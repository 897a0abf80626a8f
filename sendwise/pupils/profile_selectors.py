"""Reads of a pupil's SEN history and profile, for a pupil already checked with `pupil_for`."""

from django.db.models import Q

from sendwise.core.access import Actor
from sendwise.core.permissions import actor_can
from sendwise.pupils.models import (
    NeedsProfile,
    OnePageProfile,
    Pupil,
    SenNeed,
    SenProvisionRecord,
    Skill,
    SkillNeed,
    Voice,
)


def pupil_profile(*, actor: Actor, pupil: Pupil) -> dict:
    """Everything the pupil page shows about needs; background notes only for those who plan."""
    voices = Voice.objects.filter(school=pupil.school_id, pupil=pupil).select_related("gathered_by")
    if not actor.is_staff_member:
        voices = voices.filter(kind=Voice.Kind.PARENT, gathered_by=actor.user)
    can_see_notes = actor_can(actor, "pupils.view_notes")
    needs_profile = NeedsProfile.objects.filter(school=pupil.school_id, pupil=pupil).first()
    if needs_profile is not None and not can_see_notes:
        needs_profile.background = ""  # background notes are for those who plan support
    return {
        "provision_records": list(
            SenProvisionRecord.objects.filter(school=pupil.school_id, pupil=pupil)
        ),
        "need_records": list(
            SenNeed.objects.filter(school=pupil.school_id, pupil=pupil).order_by(
                "-start_date", "rank"
            )
        ),
        "skill_needs": list(
            SkillNeed.objects.filter(school=pupil.school_id, pupil=pupil).select_related("skill")
        ),
        "needs_profile": needs_profile,
        "one_page": one_page_profile(pupil=pupil),
        "voices": list(voices[:20]),
        "can_see_notes": can_see_notes,
    }


def needs_profile(*, pupil: Pupil) -> NeedsProfile | None:
    """The full needs profile, for the SENCO's edit form."""
    return NeedsProfile.objects.filter(school=pupil.school_id, pupil=pupil).first()


def one_page_profile(*, pupil: Pupil) -> OnePageProfile | None:
    return OnePageProfile.objects.filter(school=pupil.school_id, pupil=pupil).first()


def skills_for_school(*, school_id: int):
    """The shared skills plus the school's own, for choosing from."""
    return Skill.objects.filter(Q(school__isnull=True) | Q(school_id=school_id))
