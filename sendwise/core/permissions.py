"""Permissions as `rules` predicates over the actor (who, in which school, with which roles).

Views ask `actor_can(actor, "pupils.view_register")`. Which *rows* a person sees is the selectors'
job; these rules say which *actions and pages* a role may use at all.
"""

import rules

from sendwise.core.roles import AUDIT_ROLES, EDIT_PUPIL_ROLES, STAFF_ROLES, WHOLE_SCHOOL_ROLES, Role


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

rules.add_perm("pupils.view_register", is_staff_member)
rules.add_perm("pupils.view_pupil", is_staff_member | is_parent)
rules.add_perm("pupils.change_pupil", may_edit_pupils)
rules.add_perm("core.view_audit", may_audit)
rules.add_perm("core.view_staff", is_whole_school)
rules.add_perm("core.view_classes", is_staff_member)
rules.add_perm("core.view_trust_aggregates", is_adviser)
# Evidence catalogue: a staff working tool (parents and advisers are refused); only the SENCO
# adds the school's own practice-based interventions and edits their key messages.
rules.add_perm("evidence.view_catalogue", is_staff_member)
rules.add_perm("evidence.change_own_interventions", has_any_role({Role.SENCO}))


def actor_can(actor, permission: str) -> bool:
    """True when the actor's roles in their current school allow `permission`."""
    return actor.user is not None and rules.has_perm(permission, actor.user, actor)


# Assess: profiles, skills, voice, census checks, export and import.
is_senco = has_any_role({Role.SENCO})
rules.add_perm("pupils.change_profile", is_senco)
rules.add_perm("pupils.manage_skills", is_senco)
rules.add_perm("pupils.view_one_page_profile", is_staff_member | is_parent)
rules.add_perm(
    "pupils.add_voice",
    has_any_role({Role.SENCO, Role.INTERVENTION_SPECIALIST, Role.TEACHER}) | is_parent,
)
rules.add_perm("pupils.view_census_checks", is_whole_school)
rules.add_perm("pupils.export_register", is_whole_school)
rules.add_perm("pupils.import_pupils", has_any_role({Role.SENCO, Role.ADMIN}))
#: Background notes and the record's history are for those who plan support, not every teacher.
rules.add_perm(
    "pupils.view_notes", has_any_role({Role.SENCO, Role.HEAD, Role.INTERVENTION_SPECIALIST})
)

# Plan: parents see their child's plan; the SENCO writes it; recommendations are for planners.
rules.add_perm("planning.view_plans", is_staff_member | is_parent)
rules.add_perm("planning.change_plans", is_senco)
rules.add_perm(
    "planning.view_recommendations",
    has_any_role({Role.SENCO, Role.HEAD, Role.INTERVENTION_SPECIALIST}),
)

# Monitoring: those who teach or support the pupil record assessment scores.
rules.add_perm(
    "monitoring.add_score", has_any_role({Role.SENCO, Role.INTERVENTION_SPECIALIST, Role.TEACHER})
)
