"""Attach `request.actor`: the user, their current school, their roles there, and where the
request came from (for the audit log); and keep pages with pupil data out of caches."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject

from sendwise.core import account_services
from sendwise.core import second_factor_services as second_factor
from sendwise.core.access import SESSION_SCHOOL_KEY, actor_for
from sendwise.core.services import client_ip


class CurrentSchoolMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = SimpleLazyObject(
            lambda: actor_for(
                request.user, request.session.get(SESSION_SCHOOL_KEY), ip=client_ip(request)
            )
        )
        return self.get_response(request)


class NoStoreMiddleware:
    """Tell browsers and proxies to keep no copy of a page shown to someone signed in, nor of
    any download (an export of the register, a report): on a shared school computer the back
    button or the cache must not show the next person a pupil's record.

    Pages for people not signed in (the sign-in page) and static files (served by WhiteNoise
    before this runs) keep their caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        download = response.get("Content-Disposition", "").startswith("attachment")
        if signed_in or download:
            add_never_cache_headers(response)
        return response


class SecondFactorMiddleware:
    """Someone signed in with their password but not yet with their second factor sees only
    the second step: entering a code if they have an authenticator, setting one up if their
    role requires it (core.second_factor_services), then the page they asked for. Signing out, the
    health check, password reset and invitation pages stay open.

    Off only where `SECOND_FACTOR_ENFORCED` is off (the test settings; see settings_test)."""

    OPEN = frozenset(
        {
            "logout",
            "healthz",
            "second_factor_verify",
            "second_factor_setup",
            "password_reset",
            "password_reset_done",
            "password_reset_confirm",
            "password_reset_complete",
            "invitation_accept",
        }
    )
    STEPS = {"verify": "second_factor_verify", "setup": "second_factor_setup"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.SECOND_FACTOR_ENFORCED:
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if request.resolver_match.url_name in self.OPEN:
            return None
        step = second_factor.next_step(user=user, roles=request.actor.all_roles)
        if step is None:
            return None
        url = f"{reverse(self.STEPS[step])}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)  # htmx follows this with a full page load
            response["HX-Redirect"] = url
            return response
        return redirect(url)


class SessionSeenMiddleware:
    """Keep "last seen" of a session recorded at sign-in (core.account_services.session_seen)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and account_services.SEEN_SESSION_KEY in session:
            account_services.session_seen(session=session)
        return response
