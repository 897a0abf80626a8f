"""Signals delivery sends for the apps above it (which delivery must not import).

``session_recorded``: a session was recorded or changed, once its transaction has committed.
Sent with ``sender=Session`` and the keywords ``school_id``, ``session_id`` and
``placement_ids`` (the placements of the pupils in the group that day). Monitoring listens, to
judge the dose each pupil received again.
"""

from django.dispatch import Signal

session_recorded = Signal()
