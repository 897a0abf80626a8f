"""Who made a change, for the history of every record (django-simple-history).

simple_history names the user of a history row from the request, through its middleware, so a
change made by a background task or a management command would be recorded as made by nobody.
Services are wrapped in `sendwise.core.services.service`, which names the acting user for
everything written inside them; `history_user` (every model's ``get_user``) reads it first and
falls back to the request only for writes made outside a service (Django's admin).
"""

import functools
from contextlib import contextmanager
from contextvars import ContextVar

_acting_user: ContextVar = ContextVar("sendwise_acting_user", default=None)


@contextmanager
def acting_as(user):
    """Name `user` as the author of history rows written inside the block (nested blocks
    name their own user and restore the outer one when they end)."""
    token = _acting_user.set(user)
    try:
        yield
    finally:
        _acting_user.reset(token)


def acting_user():
    """The user named by the innermost `acting_as`, or None."""
    return _acting_user.get()


def history_user(instance=None, request=None, **kwargs):
    """simple_history's ``get_user``: the acting user of the service, else the request's."""
    user = _acting_user.get()
    if user is not None:
        return user
    if request is not None and getattr(request.user, "is_authenticated", False):
        return request.user
    return None


@functools.cache
def _history_model(model):
    return model.history.model


def versions(model):
    """Every history row of ``model`` (the same rows, in the same SQL, as ``model.history``).

    simple_history's ``Model.history`` builds a new manager class on every access (with
    ``inspect.getmembers`` over the queryset's methods): about 2 ms of CPU each time, measured
    with benchmarks/profile_pages.py, and a pupil's page read it nine times. The history model
    itself is looked up once."""
    return _history_model(model)._default_manager.all()


def keep_state_before_change(row) -> None:
    """Make sure the history of ``row`` holds what it reads now, before a change is saved.

    A record written without a history row (the demo's, loaded in bulk, or an imported one) has
    nothing to compare its first change with, so a page listing changes against the row before
    them would drop that change. Called on the row as stored (read, and locked, just before the
    change): one query when its history is there already, two when it is not."""
    model = type(row)
    if not versions(model).filter(id=row.pk).exists():
        model.history.bulk_history_create([row], default_change_reason="As it was recorded")
