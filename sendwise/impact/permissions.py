"""Impact permissions.

- The school's impact pages: the SENCO, the head and the administrator; a pupil's results: staff
  who may see the pupil (which pupils is `pupil_for`'s job).
- Local studies are read by everyone who may open the intervention's page (the catalogue's own
  rule); setting one aside as not representative, or counting it again, is a judgement about the
  school's evidence that the SENCO and the head make (the leaders of provision).
- The **trust comparison** is for the heads of a trust's schools: comparing schools' provision is
  a leadership question (what to stop, start or learn from a sister school), and a head already
  answers for their school's results. A head whose school is in no trust has nothing to compare.
- The **authority view** is the adviser's (the role held in a trust or local authority, never in
  a school): aggregates only, with small numbers suppressed. Neither across-school view shows a
  pupil (``across_selectors``).
"""

import rules

from sendwise.core.permissions import has_any_role, is_adviser, is_leader, is_staff_member
from sendwise.core.roles import IMPACT_ROLES, Role


@rules.predicate
def leads_a_school_in_a_trust(user, actor) -> bool:
    return (
        actor is not None
        and Role.HEAD in actor.roles
        and actor.school is not None
        and actor.school.trust_id is not None
    )


rules.add_perm("impact.view_school_impact", has_any_role(IMPACT_ROLES))
rules.add_perm("impact.view_pupil_impact", is_staff_member)
rules.add_perm("impact.mark_local_study", is_leader)
rules.add_perm("impact.view_trust_comparison", leads_a_school_in_a_trust)
rules.add_perm("impact.view_authority", is_adviser)
