"""Delivery permissions.

Staff who plan support see who is trained, the timetable and the budget; only the SENCO changes
groups, training and staff time; the SENCO and the head set the budget and costs (money is the
head's call as much as the SENCO's); anyone who delivers or teaches may record an adaptation.
"""

import rules

from sendwise.core.permissions import has_any_role
from sendwise.core.roles import Role

rules.add_perm(
    "delivery.view_delivery",
    has_any_role({Role.SENCO, Role.HEAD, Role.INTERVENTION_SPECIALIST, Role.ADMIN}),
)
rules.add_perm("delivery.manage_delivery", has_any_role({Role.SENCO}))
rules.add_perm("delivery.manage_budget", has_any_role({Role.SENCO, Role.HEAD}))
rules.add_perm(
    "delivery.add_adaptation",
    has_any_role({Role.SENCO, Role.INTERVENTION_SPECIALIST, Role.TEACHER}),
)
