"""View decorators: sign-in first, then the permission for the actor's current school."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from sendwise.core.permissions import actor_can


def permission_required(permission: str):
    """Refuse with 403 unless the signed-in actor's roles allow `permission`."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not actor_can(request.actor, permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
