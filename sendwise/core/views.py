"""Home dashboards by role, the audit log, staff and classes, school switching, health check."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.paginator import Paginator
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sendwise.concerns.selectors import observations_asked_of
from sendwise.core import selectors
from sendwise.core.decorators import permission_required
from sendwise.core.forms import AuditFilterForm, SignInForm
from sendwise.core.roles import Role
from sendwise.core.services import school_switch
from sendwise.pupils import selectors as pupil_selectors
from sendwise.pupils.selectors import RegisterFilters


class SignInView(LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


@never_cache
def healthz(request):
    """Liveness and database check for load balancers; no sign-in, no pupil data."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any database failure means "not healthy"
        return JsonResponse(
            {"status": "error", "database": str(error.__class__.__name__)}, status=503
        )
    return JsonResponse({"status": "ok", "database": "ok"})


@login_required
def home(request):
    """The dashboard for the actor's role in their current school."""
    actor = request.actor
    context = {"actor": actor}
    if actor.is_adviser and actor.school is None:
        context["schools"] = selectors.trust_schools(actor=actor)
        return render(request, "core/home_adviser.html", context)
    if actor.is_staff_member:
        context["summary"] = pupil_selectors.register_summary(actor=actor)
        if actor.has_role(Role.TEACHER, Role.INTERVENTION_SPECIALIST) and not actor.has_role(
            Role.SENCO, Role.HEAD, Role.ADMIN
        ):
            context["my_pupils"] = pupil_selectors.pupil_list(
                actor=actor, filters=RegisterFilters()
            )[:50]
        context["observation_requests"] = observations_asked_of(actor=actor)
        return render(request, "core/home_staff.html", context)
    if actor.has_role(Role.PARENT):
        context["children"] = pupil_selectors.children_of(actor=actor)
        return render(request, "core/home_parent.html", context)
    return render(request, "core/home_none.html", context)


@permission_required("core.view_audit")
def audit_log(request):
    actor = request.actor
    form = AuditFilterForm(request.GET or None, users=selectors.school_users(actor=actor))
    filters = selectors.AuditFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.AuditFilters(
            user_id=data["user"],
            action=data["action"],
            object_type=data["object_type"],
            object_id=data["object_id"].strip(),
            since=data["since"],
        )
    entries = selectors.audit_list(actor=actor, filters=filters)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request, "core/audit_log.html", {"form": form, "page": page, "query": query.urlencode()}
    )


@permission_required("core.view_staff")
def staff(request):
    memberships = selectors.staff_list(actor=request.actor)
    return render(request, "core/staff.html", {"memberships": memberships})


@permission_required("core.view_classes")
def classes(request):
    class_groups = pupil_selectors.classes_for_actor(actor=request.actor)
    return render(request, "core/classes.html", {"class_groups": class_groups})


@require_POST
@login_required
def switch_school(request):
    try:
        school_id = int(request.POST.get("school", ""))
    except ValueError:
        school_id = 0
    school_switch(actor=request.actor, session=request.session, school_id=school_id)
    return redirect("home")
