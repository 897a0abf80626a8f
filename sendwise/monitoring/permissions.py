"""Monitoring: those who teach or support the pupil record scores; those who decide about
support, or deliver it, see the pupils who need a decision (parents never); the SENCO holds and
shares review meetings; staff who may see the pupil read a review and an outcome's full progress
chart, and the parents read their child's goals in plain words with a simple chart, and a review
once it is shared (which pupils is `pupil_for`'s job and the selectors'); the SENCO, the head and
intervention specialists see the reviews due. Staff who may see the pupil read their scores page;
a group's scores are entered by whoever runs the group, or the SENCO (which groups is the
selectors' job); a score is corrected or withdrawn by whoever entered it, or the SENCO (which
scores is `correction_services.may_change`)."""

import rules

from sendwise.core.permissions import (
    has_any_role,
    is_deliverer,
    is_parent,
    is_senco,
    is_staff_member,
)
from sendwise.core.roles import DECISION_ROLES, REVIEWS_DUE_ROLES

rules.add_perm("monitoring.add_score", is_deliverer)
rules.add_perm("monitoring.view_decisions", has_any_role(DECISION_ROLES))
rules.add_perm("monitoring.hold_review", is_senco)
rules.add_perm("monitoring.view_review", is_staff_member | is_parent)
rules.add_perm("monitoring.view_reviews_due", has_any_role(REVIEWS_DUE_ROLES))
rules.add_perm("monitoring.view_outcome_chart", is_staff_member)
rules.add_perm("monitoring.view_progress", is_staff_member | is_parent)
rules.add_perm("monitoring.view_scores", is_staff_member)
rules.add_perm("monitoring.add_group_scores", is_deliverer)
rules.add_perm("monitoring.change_score", is_deliverer)
