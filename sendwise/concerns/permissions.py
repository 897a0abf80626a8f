"""Who may raise, manage and answer concerns, as `rules` predicates over the actor.

Any member of staff may raise a concern about a pupil they can see. The SENCO takes it forward
(asks for observations, records the talk with parents, closes it); the head may read the list and
each concern but changes nothing. Answering is for the teacher or intervention specialist the
SENCO asked: the role is checked here, and `observation_request_get` returns only requests
addressed to the person (404 for anyone else's). Parents and advisers have no access.
"""

import rules

from sendwise.core.permissions import has_any_role, is_leader, is_senco, is_staff_member
from sendwise.core.roles import OBSERVER_ROLES

may_observe = has_any_role(OBSERVER_ROLES)

rules.add_perm("concerns.raise_concern", is_staff_member)
rules.add_perm("concerns.view_concerns", is_leader)
rules.add_perm("concerns.manage_concern", is_senco)
rules.add_perm("concerns.answer_observation", may_observe)
