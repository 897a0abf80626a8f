"""Plan: parents see their child's plan; the SENCO writes it (and corrects it: which plans is
`correction_services.may_correct`); staff read a plan's changes; recommendations are for
planners."""

import rules

from sendwise.core.permissions import is_parent, is_planner, is_senco, is_staff_member

rules.add_perm("planning.view_plans", is_staff_member | is_parent)
rules.add_perm("planning.change_plans", is_senco)
rules.add_perm("planning.view_recommendations", is_planner)
rules.add_perm("planning.view_plan_changes", is_staff_member)
