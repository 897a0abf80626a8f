"""Monitoring: those who teach or support the pupil record assessment scores; those who decide
about support, or deliver it, see the pupils who need a decision (parents never)."""

import rules

from sendwise.core.permissions import has_any_role, is_deliverer
from sendwise.core.roles import DECISION_ROLES

rules.add_perm("monitoring.add_score", is_deliverer)
rules.add_perm("monitoring.view_decisions", has_any_role(DECISION_ROLES))
