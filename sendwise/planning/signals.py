"""Signals planning sends for the apps above it (which planning must not import).

``plan_changed``: something a plan's progress checks read changed: an outcome's aimline
(measure, baseline, target, their dates), a placement's dose, a plan's review date or status,
an outcome or placement added or withdrawn. Sent once the transaction has committed, with
``sender`` the model that changed and the keywords ``school_id`` and ``pupil_ids``. Monitoring
listens, to judge those pupils' flags again at once rather than at night (ADR 0009).
"""

from functools import partial

from django.db import transaction
from django.dispatch import Signal

plan_changed = Signal()


def plan_changed_on_commit(*, sender, school_id: int, pupil_ids: list[int]) -> None:
    """Send ``plan_changed`` once the current transaction commits (at once outside one). A
    failing listener is logged and never undoes or fails the change (robust)."""
    transaction.on_commit(
        partial(
            plan_changed.send, sender=sender, school_id=school_id, pupil_ids=sorted(set(pupil_ids))
        ),
        robust=True,
    )
