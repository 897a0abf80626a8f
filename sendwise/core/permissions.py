"""Permissions as `rules` predicates over the actor (who, in which school, with which roles).

Views ask `actor_can(actor, "pupils.view_register")`. Which *rows* a person sees is the selectors'
job; these rules say which *actions and pages* a role may use at all.
"""

import rules

from sendwise.core.roles import AUDIT_ROLES, EDIT_PUPIL_ROLES, STAFF_ROLES, WHOLE_SCHOOL_ROLES, Role


def _has_any(roles):
    @rules.predicate
    def predicate(user, actor) -> bool:
        return actor is not None and bool(actor.roles & roles)

    return predicate


is_staff_member = _has_any(STAFF_ROLES)
is_whole_school = _has_any(WHOLE_SCHOOL_ROLES)
may_audit = _has_any(AUDIT_ROLES)
may_edit_pupils = _has_any(EDIT_PUPIL_ROLES)
is_parent = _has_any({Role.PARENT})
is_adviser = _has_any({Role.LA_ADVISER})

rules.add_perm("pupils.view_register", is_staff_member)
rules.add_perm("pupils.view_pupil", is_staff_member | is_parent)
rules.add_perm("pupils.change_pupil", may_edit_pupils)
rules.add_perm("core.view_audit", may_audit)
rules.add_perm("core.view_staff", is_whole_school)
rules.add_perm("core.view_classes", is_staff_member)
rules.add_perm("core.view_trust_aggregates", is_adviser)


def actor_can(actor, permission: str) -> bool:
    """True when the actor's roles in their current school allow `permission`."""
    return actor.user is not None and rules.has_perm(permission, actor.user, actor)
