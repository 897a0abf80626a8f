"""Pages for accounts: your account (second factor, other sessions), setting up and entering
the second factor, password reset (Django's own views, GOV.UK pages) and staff invitations."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from sendwise.core import account_selectors, account_services
from sendwise.core import second_factor_services as second_factor
from sendwise.core.account_forms import (
    AcceptInvitationForm,
    CodeForm,
    InvitationForm,
    NewPasswordForm,
    ResetRequestForm,
    SetupCodeForm,
)
from sendwise.core.decorators import permission_required
from sendwise.core.forms import errors_onto
from sendwise.core.mail_tasks import invitation_email
from sendwise.core.models import AuditEntry, User
from sendwise.core.roles import SECOND_FACTOR_OFFERED_ROLES, Role
from sendwise.core.services import client_ip
from sendwise.core.sign_in_audit import account_event_record

RECOVERY_CODES_SESSION = "sendwise_new_recovery_codes"


def _next(request, default="home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


def with_next(name: str, target: str) -> str:
    """The address of page `name` that goes on to `target` (a path, query string and all)."""
    return f"{reverse(name)}?{urlencode({'next': target})}"


def record_sign_in(request, user) -> None:
    """After Django's `login`: note the session, for "your other sessions"."""
    account_services.session_record(
        user=user,
        session=request.session,
        ip=client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
    )


# Your account -----------------------------------------------------------------------------------


@login_required
def account(request):
    actor = request.actor
    user = request.user
    sessions = account_selectors.sessions_open(user=user)
    current = request.session.session_key
    return render(
        request,
        "core/account.html",
        {
            "offered": bool(actor.all_roles & SECOND_FACTOR_OFFERED_ROLES),
            "required": second_factor.second_factor_required(user=user, roles=actor.all_roles),
            "has_second_factor": second_factor.has_second_factor(user),
            "codes_left": second_factor.recovery_codes_left(user),
            "this_session": next((s for s in sessions if s.session_key == current), None),
            "other_sessions": [s for s in sessions if s.session_key != current],
        },
    )


@require_POST
@login_required
def session_end(request, session_id: int):
    record = account_selectors.session_of(user=request.user, record_id=session_id)
    if record.session_key == request.session.session_key:
        raise Http404  # this session is ended by signing out
    account_services.session_end(user=request.user, record=record)
    messages.success(request, "That session has been signed out.")
    return redirect("account")


# The second factor ------------------------------------------------------------------------------


def _offered(request) -> bool:
    return bool(request.actor.all_roles & SECOND_FACTOR_OFFERED_ROLES)


@login_required
def second_factor_setup(request):
    """Set up an authenticator app: scan the QR code (or type the key), enter the code it shows.
    Someone who has one already must have used it in this session to replace it."""
    if not _offered(request):
        raise PermissionDenied
    user = request.user
    if second_factor.has_second_factor(user) and not user.is_verified():
        return redirect(with_next("second_factor_verify", reverse("second_factor_setup")))
    key = second_factor.setup_key(request.session)
    form = SetupCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = second_factor.authenticator_confirm(
                user=user, key=key, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            del request.session[second_factor.SETUP_KEY_SESSION]
            account_event_record(action=AuditEntry.Action.FACTOR_ADDED, request=request, user=user)
            otp_login(request, device)
            request.session[RECOVERY_CODES_SESSION] = codes
            return redirect(with_next("recovery_codes", _next(request)))
    return render(
        request,
        "core/second_factor_setup.html",
        {
            "form": form,
            "next": _next(request),
            "required": second_factor.second_factor_required(
                user=user, roles=request.actor.all_roles
            ),
            **second_factor.setup_details(user=user, key=key),
        },
    )


@login_required
def second_factor_verify(request):
    """The second step of signing in: a code from the app, or a recovery code."""
    user = request.user
    if user.is_verified():
        return redirect(_next(request))
    if not second_factor.has_second_factor(user):
        if not _offered(request):
            return redirect("home")
        return redirect(with_next("second_factor_setup", _next(request)))
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        check = second_factor.code_check(user=user, code=form.cleaned_data["code"])
        if check.device is None:
            form.add_error("code", check.error)
            account_event_record(
                action=AuditEntry.Action.CODE_REFUSED,
                request=request,
                user=user,
                detail=check.error,
            )
        else:
            account_event_record(
                action=AuditEntry.Action.RECOVERY_CODE
                if check.recovery_code_used
                else AuditEntry.Action.CODE_ACCEPTED,
                request=request,
                user=user,
            )
            otp_login(request, check.device)
            if check.recovery_code_used:
                left = second_factor.recovery_codes_left(user)
                messages.warning(
                    request,
                    f"You used a recovery code: {left} left. Make new ones from Your account "
                    "if you are running out, and set up your authenticator app again if your "
                    "phone is lost.",
                )
            return redirect(_next(request))
    return render(request, "core/second_factor_verify.html", {"form": form, "next": _next(request)})


@login_required
def recovery_codes(request):
    """New recovery codes, shown once; or the count left and a button to make new ones."""
    user = request.user
    if not _offered(request):
        raise PermissionDenied
    if not second_factor.has_second_factor(user):
        return redirect("account")
    if request.method == "POST":
        if not user.is_verified():
            raise PermissionDenied
        request.session[RECOVERY_CODES_SESSION] = second_factor.recovery_codes_renew(user=user)
        return redirect("recovery_codes")
    codes = request.session.pop(RECOVERY_CODES_SESSION, None)
    return render(
        request,
        "core/recovery_codes.html",
        {
            "codes": codes,
            "left": second_factor.recovery_codes_left(user),
            "next": _next(request, default="account"),
        },
    )


@require_POST
@login_required
def second_factor_remove(request):
    """Turn the second factor off (only where the role does not require it, and only with a
    code entered in this session)."""
    user = request.user
    if not _offered(request):
        raise PermissionDenied
    if not second_factor.has_second_factor(user):
        return redirect("account")
    if not user.is_verified():
        raise PermissionDenied
    try:
        second_factor.second_factor_remove(user=user, roles=request.actor.all_roles)
    except ValidationError as error:
        raise PermissionDenied(error.messages[0]) from error
    account_event_record(action=AuditEntry.Action.FACTOR_REMOVED, request=request, user=user)
    messages.success(request, "You now sign in with your password alone.")
    return redirect("account")


# Password reset (Django's views with GOV.UK pages) ----------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetRequestForm
    template_name = "registration/password_reset_form.html"

    def form_valid(self, form):
        users = form.save(site=self.request.build_absolute_uri("/"))
        # Written whether or not the address has an account (one row either way), so the page
        # still takes as long; the address typed is kept when it names no account.
        account_event_record(
            action=AuditEntry.Action.RESET_REQUESTED,
            request=self.request,
            user=users[0] if users else None,
            username=form.cleaned_data["email"],
        )
        return redirect(self.get_success_url())


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        account_services.sessions_end_all(user=form.user)
        account_event_record(
            action=AuditEntry.Action.RESET_DONE, request=self.request, user=form.user
        )
        return response


password_reset = PasswordResetView.as_view()
password_reset_done = auth_views.PasswordResetDoneView.as_view(
    template_name="registration/password_reset_done.html"
)
password_reset_confirm = PasswordResetConfirmView.as_view()
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="registration/password_reset_complete.html"
)


# Staff invitations ------------------------------------------------------------------------------


@permission_required("core.invite_staff")
def invitations(request):
    return render(
        request,
        "core/invitations.html",
        {"invitations": account_selectors.invitations_for_school(actor=request.actor)},
    )


@permission_required("core.invite_staff")
def invitation_new(request):
    form = InvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = account_services.invitation_create(
                actor=request.actor, **form.cleaned_data
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            invitation_email.enqueue(
                invitation_id=invitation.pk, site=request.build_absolute_uri("/")
            )
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("invitations")
    return render(request, "core/invitation_new.html", {"form": form})


@require_POST
@permission_required("core.invite_staff")
def invitation_revoke(request, invitation_id: int):
    invitation = account_selectors.invitation_in_school(
        actor=request.actor, invitation_id=invitation_id
    )
    try:
        account_services.invitation_revoke(actor=request.actor, invitation=invitation)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"The invitation of {invitation.email} has been revoked.")
    return redirect("invitations")


def invitation_accept(request, invitation_id: int, token: str):
    """Open to anyone with the link: a new member of staff chooses their password here."""
    invitation = account_services.invitation_for_link(invitation_id=invitation_id, token=token)
    if invitation is None:
        return render(request, "core/invitation_invalid.html", status=404)
    status = invitation.status()
    context = {"invitation": invitation, "role": Role(invitation.role).label}
    if status != "pending":
        context["problem"] = account_services.NOT_PENDING[status]
        return render(request, "core/invitation_invalid.html", context, status=410)
    signed_in = request.user if request.user.is_authenticated else None
    has_account = User.objects.filter(email__iexact=invitation.email).exists()
    if signed_in is not None and signed_in.email.lower() != invitation.email.lower():
        context["other_person"] = signed_in
        return render(request, "core/invitation_accept.html", context)
    if has_account and signed_in is None:
        context["sign_in_first"] = True
        return render(request, "core/invitation_accept.html", context)
    form = (
        None
        if has_account
        else AcceptInvitationForm(
            request.POST if request.method == "POST" else None,
            email=invitation.email,
            initial={"full_name": invitation.full_name},
        )
    )
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            user = account_services.invitation_accept(
                invitation=invitation,
                user=signed_in,
                full_name=form.cleaned_data["full_name"] if form else "",
                password=form.cleaned_data["new_password1"] if form else "",
                ip=client_ip(request),
                user_agent=request.headers.get("User-Agent", ""),
            )
        except ValidationError as error:
            if form is None:
                messages.error(request, error.messages[0])
                return redirect("home")
            errors_onto(form, error)
        else:
            if signed_in is None:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                record_sign_in(request, user)
            messages.success(request, f"Welcome to SENDwise at {invitation.school.name}.")
            required = second_factor.second_factor_required(user=user, roles={invitation.role})
            if required and not second_factor.has_second_factor(user):
                return redirect("second_factor_setup")
            return redirect("home")
    context["form"] = form
    return render(request, "core/invitation_accept.html", context)
