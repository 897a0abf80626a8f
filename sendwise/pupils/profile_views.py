"""Pages for a pupil's needs profile, skills, one-page profile and voice. Thin views."""

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from sendwise.core.decorators import permission_required
from sendwise.core.forms import errors_onto
from sendwise.core.permissions import actor_can
from sendwise.pupils import profile_selectors, profile_services, selectors
from sendwise.pupils.models import NeedsProfile, OnePageProfile
from sendwise.pupils.profile_forms import (
    NeedsProfileForm,
    OnePageProfileForm,
    SkillCreateForm,
    SkillNeedForm,
    VoiceForm,
)


@require_http_methods(["GET", "POST"])
@permission_required("pupils.change_profile")
def needs_profile_edit(request, pupil_id: int):
    actor = request.actor
    pupil = selectors.pupil_for(actor=actor, pupil_id=pupil_id, purpose="needs profile")
    instance = profile_selectors.needs_profile(pupil=pupil)
    form = NeedsProfileForm(
        request.POST if request.method == "POST" else None,
        instance=instance or NeedsProfile(school=pupil.school, pupil=pupil),
    )
    if request.method == "POST" and form.is_valid():
        try:
            profile_services.needs_profile_update(
                actor=actor, pupil=pupil, **form.cleaned_data, request=request
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            return redirect("pupils:detail", pupil_id=pupil.pk)
    return render(request, "pupils/needs_profile_form.html", {"pupil": pupil, "form": form})


@require_http_methods(["GET", "POST"])
@permission_required("pupils.change_profile")
def skill_need_add(request, pupil_id: int):
    actor = request.actor
    pupil = selectors.pupil_for(actor=actor, pupil_id=pupil_id, purpose="add skill")
    skills = profile_selectors.skills_for_school(school_id=pupil.school_id)
    form = SkillNeedForm(request.POST if request.method == "POST" else None, skills=skills)
    if request.method == "POST" and form.is_valid():
        try:
            profile_services.skill_need_set(
                actor=actor,
                pupil=pupil,
                skill_id=form.cleaned_data["skill"],
                severity=form.cleaned_data["severity"],
                notes=form.cleaned_data["notes"],
                request=request,
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            return redirect("pupils:detail", pupil_id=pupil.pk)
    return render(request, "pupils/skill_need_form.html", {"pupil": pupil, "form": form})


@require_POST
@permission_required("pupils.change_profile")
def skill_need_remove(request, pupil_id: int, skill_need_id: int):
    actor = request.actor
    pupil = selectors.pupil_for(actor=actor, pupil_id=pupil_id, purpose="remove skill")
    try:
        profile_services.skill_need_remove(
            actor=actor, pupil=pupil, skill_need_id=skill_need_id, request=request
        )
    except ValidationError:
        from django.http import Http404

        raise Http404("No such skill in this profile") from None
    return redirect("pupils:detail", pupil_id=pupil.pk)


@permission_required("pupils.view_one_page_profile")
def one_page_profile(request, pupil_id: int):
    """The one-page profile, laid out to print on one A4 page."""
    actor = request.actor
    pupil = selectors.pupil_for(actor=actor, pupil_id=pupil_id, purpose="one-page profile")
    context = {
        "pupil": pupil,
        "profile": profile_selectors.one_page_profile(pupil=pupil),
        "skill_needs": profile_selectors.pupil_profile(actor=actor, pupil=pupil)["skill_needs"],
        "can_edit": actor_can(actor, "pupils.change_profile"),
    }
    return render(request, "pupils/one_page_profile.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("pupils.change_profile")
def one_page_profile_edit(request, pupil_id: int):
    actor = request.actor
    pupil = selectors.pupil_for(actor=actor, pupil_id=pupil_id, purpose="edit one-page profile")
    instance = profile_selectors.one_page_profile(pupil=pupil) or OnePageProfile(
        school=pupil.school, pupil=pupil
    )
    form = OnePageProfileForm(request.POST if request.method == "POST" else None, instance=instance)
    if request.method == "POST" and form.is_valid():
        profile_services.one_page_profile_update(
            actor=actor, pupil=pupil, **form.cleaned_data, request=request
        )
        return redirect("pupils:one_page_profile", pupil_id=pupil.pk)
    return render(request, "pupils/one_page_profile_form.html", {"pupil": pupil, "form": form})


@require_http_methods(["GET", "POST"])
@permission_required("pupils.add_voice")
def voice_add(request, pupil_id: int):
    """Staff record the pupil's or a parent's view; a parent adds their own view."""
    actor = request.actor
    pupil = selectors.pupil_for(actor=actor, pupil_id=pupil_id, purpose="add a view")
    parent_only = not actor.is_staff_member
    form = VoiceForm(
        request.POST if request.method == "POST" else None,
        parent_only=parent_only,
        born=pupil.date_of_birth,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            profile_services.voice_add(
                actor=actor,
                pupil=pupil,
                kind="parent" if parent_only else data["kind"],
                text=data["text"],
                gathered_on=data["gathered_on"],
                request=request,
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            return redirect(
                "pupils:one_page_profile" if parent_only else "pupils:detail", pupil_id=pupil.pk
            )
    return render(
        request,
        "pupils/voice_form.html",
        {"pupil": pupil, "form": form, "parent_only": parent_only},
    )


@require_http_methods(["GET", "POST"])
@permission_required("pupils.manage_skills")
def skills_vocabulary(request):
    """The skills a profile can name: the shared list and the school's own additions."""
    actor = request.actor
    form = SkillCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            profile_services.skill_create(actor=actor, **form.cleaned_data)
        except ValidationError as error:
            errors_onto(form, error)
        else:
            return redirect("pupils:skills")
    skills = profile_selectors.skills_for_school(school_id=actor.school.id).select_related("school")
    return render(request, "pupils/skills.html", {"form": form, "skills": skills})
