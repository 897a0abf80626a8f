"""Views of the composed pages. Thin: each reads through the selectors of the apps it shows
and renders the template of the app whose record it mainly is."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from sendwise.concerns.selectors import observations_asked_of
from sendwise.core.decorators import permission_required
from sendwise.core.forms import errors_onto
from sendwise.core.permissions import actor_can
from sendwise.core.roles import WHOLE_SCHOOL_ROLES, Role
from sendwise.delivery import class_selectors, session_selectors
from sendwise.delivery import selectors as delivery_selectors
from sendwise.evidence import selectors as evidence_selectors
from sendwise.evidence.forms import CatalogueFilterForm
from sendwise.impact import pupil_selectors as impact_pupil_selectors
from sendwise.impact import selectors as impact_selectors
from sendwise.impact import study_selectors
from sendwise.monitoring import cycle_services
from sendwise.monitoring.decision_selectors import decisions_count
from sendwise.monitoring.selectors import pupil_decisions, pupil_scores
from sendwise.pages import recommend, selectors, services
from sendwise.planning import selectors as planning_selectors
from sendwise.planning.forms import WithdrawForm
from sendwise.pupils import profile_selectors, trust_selectors
from sendwise.pupils import selectors as pupil_selectors
from sendwise.pupils.selectors import RegisterFilters, pupil_for

CATALOGUE_PAGE_SIZE = getattr(settings, "CATALOGUE_PAGE_SIZE", 20)


@login_required
def home(request):
    """The dashboard for the actor's role in their current school."""
    actor = request.actor
    context = {"actor": actor}
    if actor.is_adviser and actor.school is None:
        context["schools"] = trust_selectors.trust_schools(actor=actor)
        return render(request, "core/home_adviser.html", context)
    if actor.is_staff_member:
        context["summary"] = pupil_selectors.register_summary(actor=actor)
        if actor.has_role(Role.TEACHER, Role.INTERVENTION_SPECIALIST) and not (
            actor.roles & WHOLE_SCHOOL_ROLES
        ):
            context["my_pupils"] = pupil_selectors.pupil_list(
                actor=actor, filters=RegisterFilters()
            )[:50]
        context["observation_requests"] = observations_asked_of(actor=actor)
        context["can_see_reviews_due"] = actor_can(actor, "monitoring.view_reviews_due")
        context["can_make_reports"] = actor_can(actor, "reports.governors_summary")
        context["can_see_retention"] = actor_can(actor, "reports.view_retention")
        context["can_compare_trust"] = actor_can(actor, "impact.view_trust_comparison")
        if actor_can(actor, "monitoring.view_decisions"):
            context["decisions_count"] = decisions_count(actor=actor)
        if actor.has_role(Role.INTERVENTION_SPECIALIST, Role.TEACHER):
            # Sessions of the groups this person runs: today's, and this week's not recorded.
            today, earlier = session_selectors.sessions_due(actor=actor)
            context["sessions_today"], context["sessions_earlier"] = today, earlier
            # The classes they teach or support, each with its week of support.
            context["my_classes"] = class_selectors.classes_taught(actor=actor)
        return render(request, "core/home_staff.html", context)
    if actor.has_role(Role.PARENT):
        context["children"] = pupil_selectors.children_of(actor=actor)
        return render(request, "core/home_parent.html", context)
    return render(request, "core/home_none.html", context)


@permission_required("pupils.view_pupil")
def pupil_detail(request, pupil_id: int):
    actor = request.actor
    pupil = pupil_for(actor=actor, pupil_id=pupil_id, purpose="record")
    context = {
        "pupil": pupil,
        "contacts": pupil_selectors.pupil_contacts(actor=actor, pupil=pupil),
        "can_edit": actor_can(actor, "pupils.change_pupil"),
        "can_edit_profile": actor_can(actor, "pupils.change_profile"),
        "can_add_voice": actor_can(actor, "pupils.add_voice"),
        "can_recommend": actor_can(actor, "planning.view_recommendations"),
        "can_see_costs": actor_can(actor, "delivery.view_costs"),
        "can_export_file": actor_can(actor, "reports.export_subject_access"),
        "support": selectors.support_with_dose(pupil=pupil),
        "scores": pupil_scores(pupil=pupil),
        "can_add_score": actor_can(actor, "monitoring.add_score"),
        "decisions": pupil_decisions(pupil=pupil)
        if actor_can(actor, "monitoring.view_decisions")
        else None,
        "can_view_scores": actor_can(actor, "monitoring.view_scores"),
        "impact_results": impact_pupil_selectors.pupil_results(pupil=pupil)
        if actor_can(actor, "impact.view_pupil_impact")
        else None,
        **profile_selectors.pupil_profile(actor=actor, pupil=pupil),
    }
    return render(request, "pupils/detail.html", context)


@permission_required("planning.view_plans")
def plans(request, pupil_id: int):
    actor = request.actor
    pupil = pupil_for(actor=actor, pupil_id=pupil_id, purpose="support plans")
    context = {
        "pupil": pupil,
        "plans": selectors.plans_with_groups(pupil=pupil),
        "can_change": actor_can(actor, "planning.change_plans"),
        "can_recommend": actor_can(actor, "planning.view_recommendations"),
        "can_print": actor_can(actor, "reports.pupil_plan_report"),
        "can_ehc_pack": actor_can(actor, "reports.ehc_evidence_pack"),
    }
    return render(request, "planning/plans.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("planning.change_plans")
def placement_withdraw(request, pupil_id: int, plan_id: int, placement_id: int):
    """Withdraw an intervention or strategy put in a plan by mistake, with the reason; the
    pupil leaves the groups they are in for it."""
    actor = request.actor
    pupil = pupil_for(actor=actor, pupil_id=pupil_id, purpose="withdraw support")
    plan = planning_selectors.plan_get(pupil=pupil, plan_id=plan_id)
    placement = planning_selectors.placement_get(plan=plan, placement_id=placement_id)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.placement_withdraw(
                actor=actor,
                placement=placement,
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, f"{placement.intervention.name} withdrawn from the plan")
            return redirect("planning:plans", pupil_id=pupil.pk)
    context = {
        "pupil": pupil,
        "plan": plan,
        "form": form,
        "record": placement,
        "what": "support",
        "name": placement.intervention.name,
        "leaves_groups": True,
    }
    return render(request, "planning/withdraw_form.html", context)


@require_http_methods(["POST"])
@permission_required("planning.change_plans")
def plan_activate(request, pupil_id: int, plan_id: int):
    """Put a draft plan (such as the one a review opened) in place; the pupil goes back into
    the groups they left at that review for the support that goes on."""
    actor = request.actor
    pupil = pupil_for(actor=actor, pupil_id=pupil_id, purpose="put plan in place")
    plan = planning_selectors.plan_get(pupil=pupil, plan_id=plan_id)
    try:
        done = cycle_services.plan_put_in_place(actor=actor, plan=plan, request=request)
    except ValidationError as error:
        messages.info(request, error.messages[0])
    else:
        said = [f"Plan {plan.cycle} is in place."]
        said += [f"{pupil.first_name} is back in {m.group.name}." for m in done.rejoined]
        said += [
            f"{pupil.first_name} could not go back into {m.group.name}, which is full or has "
            f"ended: add them to a group for {m.group.intervention.name} on the groups page."
            for m in done.not_rejoined
        ]
        messages.success(request, " ".join(said))
        for warning in done.without_goal:
            messages.warning(request, f"{warning}.")
    return redirect("planning:plans", pupil_id=pupil.pk)


@permission_required("planning.view_recommendations")
def recommendations(request, pupil_id: int):
    """Ranked, explained recommendations for one pupil, with what would make each fit less."""
    actor = request.actor
    pupil = pupil_for(actor=actor, pupil_id=pupil_id, purpose="recommendations")
    context = {
        "pupil": pupil,
        "plan": planning_selectors.current_plan(pupil=pupil),
        "can_change": actor_can(actor, "planning.change_plans"),
        **recommend.recommendations_for(actor=actor, pupil=pupil),
    }
    return render(request, "planning/recommendations.html", context)


@permission_required("evidence.view_catalogue")
def catalogue(request):
    """The catalogue, with this school's own cost per pupil beside each entry (delivery)."""
    actor = request.actor
    form = CatalogueFilterForm(
        request.GET or None, skills=evidence_selectors.skill_options(actor=actor)
    )
    filters = form.filters()
    rows = delivery_selectors.interventions_with_school_cost(
        actor=actor,
        rows=evidence_selectors.intervention_list(actor=actor, filters=filters),
        has_cost=filters.has_cost,
        max_cost=filters.max_cost,
    )
    page = Paginator(rows, CATALOGUE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_add": actor_can(actor, "evidence.change_own_interventions"),
    }
    template = "evidence/_catalogue_results.html" if request.htmx else "evidence/catalogue.html"
    return render(request, template, context)


@permission_required("evidence.view_catalogue")
def intervention_detail(request, slug: str):
    """An entry's research beside this school's own results and practitioners' adaptations."""
    actor = request.actor
    intervention = evidence_selectors.intervention_get(actor=actor, slug=slug)
    research = evidence_selectors.research_view(intervention=intervention)
    context = {
        "intervention": intervention,
        "research": research,
        "practice": impact_selectors.practice_view(
            actor=actor, intervention=intervention, research=research.synthesis
        ),
        "adaptations": delivery_selectors.adaptations_worked_first(
            actor=actor, intervention=intervention
        ),
        "can_add_adaptation": actor_can(actor, "delivery.add_adaptation"),
        "impact_url": reverse("impact:intervention", args=[intervention.pk])
        if actor_can(actor, "impact.view_school_impact")
        else "",
        # Practice-based evidence: each finished group as a local study; what helped elsewhere
        # in the trust (issue 12, point 5).
        "local_studies": study_selectors.local_studies(actor=actor, intervention=intervention),
        "can_mark_study": actor_can(actor, "impact.mark_local_study"),
        "trust_adaptations": study_selectors.trust_adaptations(
            actor=actor, intervention=intervention
        ),
        "messages_list": evidence_selectors.key_messages(intervention=intervention),
        "guidance_list": evidence_selectors.guidance_for(intervention=intervention),
        "changes": evidence_selectors.intervention_changes(intervention=intervention),
        "can_edit": not intervention.is_shared
        and actor_can(actor, "evidence.change_own_interventions"),
    }
    return render(request, "evidence/detail.html", context)
