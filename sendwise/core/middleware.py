"""Attach `request.actor`: the user, their current school, their roles there, and where the
request came from (for the audit log)."""

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
