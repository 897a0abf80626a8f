"""Who may export everything held about a pupil, and read the retention report."""

import rules

from sendwise.core.permissions import has_any_role
from sendwise.core.roles import RETENTION_ROLES, SUBJECT_ACCESS_ROLES

rules.add_perm("reports.export_subject_access", has_any_role(SUBJECT_ACCESS_ROLES))
rules.add_perm("reports.view_retention", has_any_role(RETENTION_ROLES))
