"""Impact: the SENCO, the head and the administrator read the school's impact pages; staff who
may see a pupil read that pupil's results (which pupils is `pupil_for`'s job)."""

import rules

from sendwise.core.permissions import has_any_role, is_staff_member
from sendwise.core.roles import IMPACT_ROLES

rules.add_perm("impact.view_school_impact", has_any_role(IMPACT_ROLES))
rules.add_perm("impact.view_pupil_impact", is_staff_member)
