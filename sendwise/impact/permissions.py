"""Impact permissions.

Local studies are read by everyone who may open the intervention's page (the catalogue's own
rule); setting one aside as not representative, or counting it again, is a judgement about the
school's evidence that the SENCO and the head make (the leaders of provision).
"""

import rules

from sendwise.core.permissions import is_leader

rules.add_perm("impact.mark_local_study", is_leader)
