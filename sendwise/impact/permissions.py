"""Impact: the SENCO, the head and the administrator read the school's impact pages; staff who
may see a pupil read that pupil's results (which pupils is `pupil_for`'s job).

Local studies are read by everyone who may open the intervention's page (the catalogue's own
rule); setting one aside as not representative, or counting it again, is a judgement about the
school's evidence that the SENCO and the head make (the leaders of provision).
"""

import rules

from sendwise.core.permissions import has_any_role, is_leader, is_staff_member
from sendwise.core.roles import IMPACT_ROLES

rules.add_perm("impact.view_school_impact", has_any_role(IMPACT_ROLES))
rules.add_perm("impact.view_pupil_impact", is_staff_member)
rules.add_perm("impact.mark_local_study", is_leader)
