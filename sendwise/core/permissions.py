"""Permissions as `rules` predicates over the actor (who, in which school, with which roles).

Views ask `actor_can(actor, "pupils.view_register")`. Which *rows* a person sees is the selectors'
job; these rules say which *actions and pages* a role may use at all. Each app registers its own
rules in its `permissions.py` (loaded by its AppConfig); this module holds the shared predicates
and core's own rules.
"""

import rules

from sendwise.core.roles import (
    AUDIT_ROLES,
    DELIVERER_ROLES,
    EDIT_PUPIL_ROLES,
    INVITE_STAFF_ROLES,
    LEADER_ROLES,
    PLANNER_ROLES,
    STAFF_ROLES,
    WHOLE_SCHOOL_ROLES,
    Role,
)


def has_any_role(roles):
    """A predicate true when the actor holds any of `roles` in their current school."""

    @rules.predicate
    def predicate(user, actor) -> bool:
        return actor is not None and bool(actor.roles & roles)

    return predicate


is_staff_member = has_any_role(STAFF_ROLES)
is_whole_school = has_any_role(WHOLE_SCHOOL_ROLES)
may_audit = has_any_role(AUDIT_ROLES)
may_edit_pupils = has_any_role(EDIT_PUPIL_ROLES)
is_parent = has_any_role({Role.PARENT})
is_adviser = has_any_role({Role.LA_ADVISER})
is_senco = has_any_role({Role.SENCO})
is_leader = has_any_role(LEADER_ROLES)
is_planner = has_any_role(PLANNER_ROLES)
is_deliverer = has_any_role(DELIVERER_ROLES)


def actor_can(actor, permission: str) -> bool:
    """True when the actor's roles in their current school allow `permission`."""
    return actor.user is not None and rules.has_perm(permission, actor.user, actor)


rules.add_perm("core.view_audit", may_audit)
rules.add_perm("core.view_staff", is_whole_school)
rules.add_perm("core.view_classes", is_staff_member)
rules.add_perm("core.view_trust_aggregates", is_adviser)
rules.add_perm("core.invite_staff", has_any_role(INVITE_STAFF_ROLES))
