"""Attach `request.actor`: the user, their current school, their roles there, and where the
request came from (for the audit log); and keep pages with pupil data out of caches."""

from django.utils.cache import add_never_cache_headers
from django.utils.functional import SimpleLazyObject

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
