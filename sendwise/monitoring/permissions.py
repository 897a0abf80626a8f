"""Monitoring: those who teach or support the pupil record assessment scores."""

import rules

from sendwise.core.permissions import is_deliverer

rules.add_perm("monitoring.add_score", is_deliverer)
