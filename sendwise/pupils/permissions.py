"""Who may use the register and a pupil's record (which pupils they see is the selectors')."""

import rules

from sendwise.core.permissions import (
    has_any_role,
    is_deliverer,
    is_parent,
    is_planner,
    is_senco,
    is_staff_member,
    is_whole_school,
    may_edit_pupils,
)
from sendwise.core.roles import IMPORT_ROLES

rules.add_perm("pupils.view_register", is_staff_member)
rules.add_perm("pupils.view_pupil", is_staff_member | is_parent)
rules.add_perm("pupils.change_pupil", may_edit_pupils)
# Assess: profiles, skills, voice, census checks, export and import.
rules.add_perm("pupils.change_profile", is_senco)
rules.add_perm("pupils.manage_skills", is_senco)
rules.add_perm("pupils.view_one_page_profile", is_staff_member | is_parent)
rules.add_perm("pupils.add_voice", is_deliverer | is_parent)
rules.add_perm("pupils.view_census_checks", is_whole_school)
rules.add_perm("pupils.export_register", is_whole_school)
rules.add_perm("pupils.import_pupils", has_any_role(IMPORT_ROLES))
#: Background notes and the record's history are for those who plan support, not every teacher.
rules.add_perm("pupils.view_notes", is_planner)
