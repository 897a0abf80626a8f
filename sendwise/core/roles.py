"""The roles a person can hold in a school (or, for advisers, in a trust or local authority).

Kept apart from the models so that permission rules, navigation and tests share one list.
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
