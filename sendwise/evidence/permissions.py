"""Evidence catalogue: a staff working tool (parents and advisers are refused); only the SENCO
adds the school's own practice-based interventions and edits their key messages."""

import rules

from sendwise.core.permissions import is_senco, is_staff_member

rules.add_perm("evidence.view_catalogue", is_staff_member)
rules.add_perm("evidence.change_own_interventions", is_senco)
