"""Writes to a pupil's needs profile, skills, one-page profile and voice. History is kept."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from sendwise.core.access import Actor
from sendwise.core.models import AuditEntry
from sendwise.core.services import audit_record, only_fields, service
from sendwise.pupils.models import NeedsProfile, OnePageProfile, Pupil, Skill, SkillNeed, Voice
from sendwise.pupils.profile_selectors import skills_for_school
from sendwise.pupils.skills import SKILLS

SKILL_NOT_IN_SCHOOL = "Choose a skill from the list"
SKILL_ALREADY_RECORDED = "This skill is already in the profile: change its severity instead"
VOICE_EMPTY = "Enter what was said"
VOICE_IN_FUTURE = "The date gathered must be today or in the past"
SKILL_NAME_TAKEN = "There is already a skill with this name"
ATTENDANCE_RANGE = "Attendance must be between 0 and 100%"

NEEDS_PROFILE_FIELDS = (
    "strengths",
    "interests",
    "what_helps",
    "what_does_not_help",
    "background",
    "attendance_percent",
)
ONE_PAGE_FIELDS = ("appreciation", "important_to_me", "how_to_support")


def skills_seed() -> int:
    """Create or refresh the shared skills vocabulary; returns how many skills it holds."""
    for slug, name, area, description in SKILLS:
        Skill.objects.update_or_create(
            school=None,
            slug=slug,
            defaults={"name": name, "area": area, "description": description},
        )
    return len(SKILLS)


def _audit(actor: Actor, pupil: Pupil, what: str, request, action=AuditEntry.Action.UPDATE) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type="pupil",
        object_id=pupil.pk,
        object_repr=pupil.full_name,
        detail=what,
        request=request,
    )


@service
def needs_profile_update(*, actor: Actor, pupil: Pupil, request=None, **changes) -> NeedsProfile:
    """Save strengths, interests, what helps and background; the previous text stays in history.
    Each change is a keyword named after a field of `NEEDS_PROFILE_FIELDS`."""
    only_fields(changes, NEEDS_PROFILE_FIELDS, "needs_profile_update")
    data = changes
    profile = NeedsProfile.objects.filter(pupil=pupil).first() or NeedsProfile(
        school_id=pupil.school_id, pupil=pupil
    )
    attendance = data.get("attendance_percent")
    if attendance is not None and not 0 <= attendance <= 100:
        raise ValidationError({"attendance_percent": [ATTENDANCE_RANGE]})
    changed = [f for f in NEEDS_PROFILE_FIELDS if f in data and getattr(profile, f) != data[f]]
    for name in changed:
        setattr(profile, name, data[name])
    if changed:
        profile.full_clean()
        profile._change_reason = "Changed " + ", ".join(changed)
        profile._history_user = actor.user
        profile.save()
        _audit(actor, pupil, "Needs profile: " + ", ".join(changed), request)
    return profile


@service
def skill_need_set(
    *, actor: Actor, pupil: Pupil, skill_id: int, severity: int, notes: str = "", request=None
) -> SkillNeed:
    """Record (or change the severity of) a skill that needs work."""
    skill = skills_for_school(school_id=pupil.school_id).filter(pk=skill_id).first()
    if skill is None:
        raise ValidationError({"skill": [SKILL_NOT_IN_SCHOOL]})
    need = SkillNeed.objects.filter(pupil=pupil, skill=skill).first()
    created = need is None
    if created:
        need = SkillNeed(school_id=pupil.school_id, pupil=pupil, skill=skill)
    need.severity, need.notes = severity, notes
    need.full_clean()
    need._change_reason = "Added" if created else "Changed severity or notes"
    need._history_user = actor.user
    need.save()
    _audit(actor, pupil, f"Skill {'added' if created else 'changed'}: {skill.name}", request)
    return need


@service
def skill_need_remove(*, actor: Actor, pupil: Pupil, skill_need_id: int, request=None) -> None:
    """Take a skill off the profile (it stays in the history, with who removed it and when)."""
    need = SkillNeed.objects.filter(pupil=pupil, pk=skill_need_id).select_related("skill").first()
    if need is None:
        raise ValidationError({"skill": [SKILL_NOT_IN_SCHOOL]})
    name = need.skill.name
    need._change_reason = "Removed"
    need._history_user = actor.user
    need.delete()
    _audit(actor, pupil, f"Skill removed: {name}", request)


@service
def skill_create(*, actor: Actor, name: str, area: str, description: str = "") -> Skill:
    """A SENCO adds a skill to their school's vocabulary."""
    from django.utils.text import slugify

    name = name.strip()
    slug = slugify(name).replace("-", "_")[:50]
    if (
        skills_for_school(school_id=actor.school.id)
        .filter(Q(slug=slug) | Q(name__iexact=name))
        .exists()
    ):
        raise ValidationError({"name": [SKILL_NAME_TAKEN]})
    skill = Skill(school=actor.school, slug=slug, name=name, area=area, description=description)
    skill.full_clean()
    skill.save()
    return skill


@service
def one_page_profile_update(
    *, actor: Actor, pupil: Pupil, request=None, **changes
) -> OnePageProfile:
    """Save the one-page profile written with the pupil and their parents. Each change is a
    keyword named after a field of `ONE_PAGE_FIELDS`."""
    only_fields(changes, ONE_PAGE_FIELDS, "one_page_profile_update")
    data = changes
    profile = OnePageProfile.objects.filter(pupil=pupil).first() or OnePageProfile(
        school_id=pupil.school_id, pupil=pupil
    )
    changed = [f for f in ONE_PAGE_FIELDS if f in data and getattr(profile, f) != data[f]]
    for name in changed:
        setattr(profile, name, data[name])
    if changed:
        profile.full_clean()
        profile._change_reason = "Changed " + ", ".join(changed)
        profile._history_user = actor.user
        profile.save()
        _audit(actor, pupil, "One-page profile: " + ", ".join(changed), request)
    return profile


@service
def voice_add(
    *,
    actor: Actor,
    pupil: Pupil,
    kind: str,
    text: str,
    gathered_on: date | None = None,
    request=None,
) -> Voice:
    """Record the pupil's or a parent's view in their words. Views are added, never overwritten."""
    text = (text or "").strip()
    gathered_on = gathered_on or timezone.localdate()
    errors = {}
    if not text:
        errors["text"] = [VOICE_EMPTY]
    if gathered_on > timezone.localdate():
        errors["gathered_on"] = [VOICE_IN_FUTURE]
    if errors:
        raise ValidationError(errors)
    voice = Voice(
        school_id=pupil.school_id,
        pupil=pupil,
        kind=kind,
        text=text,
        gathered_by=actor.user,
        gathered_on=gathered_on,
    )
    voice.full_clean()
    voice._history_user = actor.user
    voice.save()
    _audit(
        actor,
        pupil,
        f"Added {voice.get_kind_display().lower()}",
        request,
        action=AuditEntry.Action.CREATE,
    )
    return voice
