"""Signals delivery sends for the apps above it (which delivery must not import).

``session_recorded``: a session was recorded or changed, once its transaction has committed.
Sent with ``sender=Session`` and the keywords ``school_id``, ``session_id`` and
``placement_ids`` (the placements of the pupils in the group that day). Monitoring listens, to
judge the dose each pupil received again.

``calendar_changed``: a closure was added to, changed on or removed from a school's calendar,
once its transaction has committed. Sent with ``sender=Closure`` and the keyword
``school_id``. Monitoring listens, to judge the school's doses again (a half-term entered
after the fact is no longer owed).
"""

from django.dispatch import Signal

session_recorded = Signal()
calendar_changed = Signal()
