"""Impact across schools: who may compare a trust's or an authority's schools.

* The **trust comparison** is for the heads of a trust's schools: comparing schools' provision is
  a leadership question (what to stop, start or learn from a sister school), and a head already
  answers for their school's results. SENCOs see their own school's results on each
  intervention's page and the trust's counts in recommendations; teachers, specialists, admins
  and parents have no use for other schools' figures. A head whose school is in no trust has
  nothing to compare.
* The **authority view** is the adviser's (the role held in a trust or local authority, never in
  a school): aggregates only, with small numbers suppressed.
Both read the same suppressed aggregates (``across_selectors``); neither shows a pupil.
"""

import rules

from sendwise.core.permissions import is_adviser
from sendwise.core.roles import Role


@rules.predicate
def leads_a_school_in_a_trust(user, actor) -> bool:
    return (
        actor is not None
        and Role.HEAD in actor.roles
        and actor.school is not None
        and actor.school.trust_id is not None
    )


rules.add_perm("impact.view_trust_comparison", leads_a_school_in_a_trust)
rules.add_perm("impact.view_authority", is_adviser)
