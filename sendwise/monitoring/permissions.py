"""Monitoring: those who teach or support the pupil record scores. Staff who may see the pupil
read the full progress chart of an outcome; their parents read their goals in plain words with
a simple chart (which pupils is `pupil_for`'s job)."""

import rules

from sendwise.core.permissions import is_deliverer, is_parent, is_staff_member

rules.add_perm("monitoring.add_score", is_deliverer)
rules.add_perm("monitoring.view_outcome_chart", is_staff_member)
rules.add_perm("monitoring.view_progress", is_staff_member | is_parent)
