"""The roles a person can hold in a school (or, for advisers, in a trust or local authority),
and the sets of roles the rules of every app are written in.

Kept apart from the models so that permission rules, selectors, navigation and tests share one
definition of each set: an app never spells out its own list of roles.
"""

from django.db import models


class Role(models.TextChoices):
    SENCO = "senco", "SENCO"
    INTERVENTION_SPECIALIST = "intervention_specialist", "Intervention specialist"
    TEACHER = "teacher", "Teacher"
    HEAD = "head", "Headteacher"
    PARENT = "parent", "Parent or carer"
    LA_ADVISER = "la_adviser", "Local authority adviser"
    ADMIN = "admin", "School administrator"


#: Roles that see every pupil of their school.
WHOLE_SCHOOL_ROLES = frozenset({Role.SENCO, Role.HEAD, Role.ADMIN})
#: Roles held by school staff (everyone but parents and advisers).
STAFF_ROLES = frozenset(
    {Role.SENCO, Role.INTERVENTION_SPECIALIST, Role.TEACHER, Role.HEAD, Role.ADMIN}
)
#: Roles that may read the audit log of who saw and changed pupils' records.
AUDIT_ROLES = frozenset({Role.SENCO, Role.HEAD})
#: Roles that may change a pupil's record.
EDIT_PUPIL_ROLES = frozenset({Role.SENCO})
#: Roles that deliver support and work with pupils directly: named on a plan's intervention,
#: run groups, hold training and intervention time, record scores, voice and adaptations.
DELIVERER_ROLES = frozenset({Role.SENCO, Role.INTERVENTION_SPECIALIST, Role.TEACHER})
#: Roles the SENCO may ask for classroom observations of a pupil (and who answer them).
OBSERVER_ROLES = frozenset({Role.TEACHER, Role.INTERVENTION_SPECIALIST})
#: Roles that plan support: they read recommendations, background notes and record history.
PLANNER_ROLES = frozenset({Role.SENCO, Role.HEAD, Role.INTERVENTION_SPECIALIST})
#: Roles that oversee provision and manage concerns (read every concern, set the budget).
LEADER_ROLES = frozenset({Role.SENCO, Role.HEAD})
#: Roles that see the school's delivery: groups and staff time (the budget and costs only where
#: they also see costs: ``delivery.view_costs``, the whole-school roles).
DELIVERY_VIEW_ROLES = frozenset({Role.SENCO, Role.HEAD, Role.INTERVENTION_SPECIALIST, Role.ADMIN})
#: Roles that import pupils and SEN data from the MIS.
IMPORT_ROLES = frozenset({Role.SENCO, Role.ADMIN})
#: Roles that may open session registers: the SENCO and the head (every group's; the head
#: only reads them), and intervention specialists and teachers (the groups they run).
REGISTER_ROLES = frozenset({Role.SENCO, Role.HEAD, Role.INTERVENTION_SPECIALIST, Role.TEACHER})
#: Roles that see the reviews due: the SENCO and the head (every pupil's) and intervention
#: specialists (the pupils in the groups they run).
REVIEWS_DUE_ROLES = frozenset({Role.SENCO, Role.HEAD, Role.INTERVENTION_SPECIALIST})
#: Roles that read a class's week of support (who is out when, what to reinforce): the SENCO and
#: the head (any class), teachers and intervention specialists (the classes they work in).
CLASS_WEEK_ROLES = frozenset({Role.SENCO, Role.HEAD, Role.TEACHER, Role.INTERVENTION_SPECIALIST})
#: Roles that see classes' weekly lesson timetables: the whole-school roles (who also change
#: them) and teachers (their own classes' only; which classes is the selectors' job).
LESSON_VIEW_ROLES = WHOLE_SCHOOL_ROLES | {Role.TEACHER}
#: Roles that see the pupils who need a decision (the decision-rule flags): the SENCO and the
#: head (every pupil), intervention specialists and teachers (the pupils they may see).
DECISION_ROLES = frozenset({Role.SENCO, Role.HEAD, Role.INTERVENTION_SPECIALIST, Role.TEACHER})
#: Roles that read the school's impact pages (each intervention's results across the school).
IMPACT_ROLES = WHOLE_SCHOOL_ROLES
#: Roles that must sign in with a second factor (a code from an authenticator app): those who
#: see every pupil of a school, or a trust's figures (issue 13).
SECOND_FACTOR_ROLES = frozenset({Role.SENCO, Role.HEAD, Role.ADMIN, Role.LA_ADVISER})
#: Roles offered a second factor: every member of staff, and advisers.
SECOND_FACTOR_OFFERED_ROLES = STAFF_ROLES | {Role.LA_ADVISER}
#: Roles that invite new staff to their school (and revoke invitations not yet accepted).
INVITE_STAFF_ROLES = frozenset({Role.ADMIN})
#: Roles a member of staff can be invited to hold.
INVITABLE_ROLES = STAFF_ROLES
#: Roles that may export everything held about a pupil (a subject access request, UK GDPR
#: Article 15): the SENCO and the head, who also read the audit log the export holds.
SUBJECT_ACCESS_ROLES = frozenset({Role.SENCO, Role.HEAD})
#: Roles that read the retention report (which archived pupils' records are due to be removed).
RETENTION_ROLES = frozenset({Role.SENCO, Role.ADMIN})
