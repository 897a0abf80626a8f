"""Delivery permissions.

Staff who plan support see who is trained and the timetable, and those who see costs the
budget; only the SENCO changes groups, training and staff time; the SENCO and the head set the budget and costs (money is the
head's call as much as the SENCO's); anyone who delivers or teaches may record an adaptation. Session registers are opened by those
who run groups, the SENCO and the head; which groups' registers is the selectors' job. A class's
week of support is read by its teachers and assistants, the SENCO and the head.

Classes' lesson timetables are kept by the SENCO, the head and the administrator (who also
import them from the MIS) and read by class teachers for their own classes; the lesson rules
(how often a pupil may miss a subject) are the SENCO's and the head's call; the withdrawal list
is for those who plan support (an intervention specialist sees their own groups' pupils).

The school calendar (holidays, INSET days, closures) is kept by the SENCO, the head and the
administrator, and read by everyone who sees the school's delivery.
"""

import rules

from sendwise.core.permissions import (
    has_any_role,
    is_deliverer,
    is_leader,
    is_planner,
    is_senco,
    is_whole_school,
)
from sendwise.core.roles import (
    CLASS_WEEK_ROLES,
    DELIVERY_VIEW_ROLES,
    LESSON_VIEW_ROLES,
    REGISTER_ROLES,
)

rules.add_perm("delivery.view_delivery", has_any_role(DELIVERY_VIEW_ROLES))
rules.add_perm("delivery.manage_delivery", is_senco)
rules.add_perm("delivery.manage_budget", is_leader)
rules.add_perm("delivery.add_adaptation", is_deliverer)
rules.add_perm("delivery.view_register", has_any_role(REGISTER_ROLES))
rules.add_perm("delivery.view_class_week", has_any_role(CLASS_WEEK_ROLES))
rules.add_perm("delivery.view_lessons", has_any_role(LESSON_VIEW_ROLES))
rules.add_perm("delivery.manage_lessons", is_whole_school)
rules.add_perm("delivery.manage_lesson_rules", is_leader)
rules.add_perm("delivery.view_withdrawals", is_planner)
rules.add_perm("delivery.manage_calendar", is_whole_school)

# The costs of provision (hourly costs, materials, funding) and the costed provision map, the
# school's and each pupil's: money and every pupil's support at once, so the whole-school roles.
rules.add_perm("delivery.view_costs", is_whole_school)
rules.add_perm("delivery.manage_costs", is_whole_school)
