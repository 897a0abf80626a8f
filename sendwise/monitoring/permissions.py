"""Monitoring: those who teach or support the pupil record assessment scores; staff who may see
the pupil read their scores page; a group's scores are entered by whoever runs the group, or the
SENCO (which groups is the selectors' job); a score is corrected or withdrawn by whoever entered
it, or the SENCO (which scores is `correction_services.may_change`)."""

import rules

from sendwise.core.permissions import is_deliverer, is_staff_member

rules.add_perm("monitoring.add_score", is_deliverer)
rules.add_perm("monitoring.view_scores", is_staff_member)
rules.add_perm("monitoring.add_group_scores", is_deliverer)
rules.add_perm("monitoring.change_score", is_deliverer)
