"""Sign-in, the audit log, the staff list, school switching and the health check. (The home
dashboards are composed in `sendwise.pages`, above the apps they show.)"""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, LogoutView
from django.core.paginator import Paginator
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sendwise.core import account_services, selectors
from sendwise.core.account_views import record_sign_in
from sendwise.core.decorators import permission_required
from sendwise.core.forms import AuditFilterForm, SignInForm
from sendwise.core.permissions import actor_can
from sendwise.core.services import school_switch


class SignInView(LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        record_sign_in(self.request, form.get_user())
        # A second factor, when the person has or needs one, is asked for next, by
        # core.middleware.SecondFactorMiddleware, before the page they were going to.
        return response


class SignOutView(LogoutView):
    def post(self, request, *args, **kwargs):
        account_services.session_signed_out(session_key=request.session.session_key)
        return super().post(request, *args, **kwargs)


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
    may_invite = actor_can(request.actor, "core.invite_staff")
    return render(
        request, "core/staff.html", {"memberships": memberships, "may_invite": may_invite}
    )


@require_POST
@login_required
def switch_school(request):
    try:
        school_id = int(request.POST.get("school", ""))
    except ValueError:
        school_id = 0
    school_switch(actor=request.actor, session=request.session, school_id=school_id)
    return redirect("home")
