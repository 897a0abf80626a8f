"""Who may take which report to a meeting (which pupils is `pupil_for`'s and the selectors' job).

- A pupil's support plan and review record, in plain language: everyone who may read the plans
  (staff who work with the pupil, the whole-school roles) and the pupil's parents, as the plans
  page allows (planning.view_plans).
- The EHC needs-assessment evidence pack: the SENCO, who sends it, and the head.
- The SEN information report summary for governors: the SENCO and the head.
- Whole-school packs (every parent report of a class or year group): the SENCO and the head.
- Everything held about a pupil (subject access) and the retention report: their role sets.
"""

import rules

from sendwise.core.permissions import has_any_role, is_leader, is_parent, is_staff_member
from sendwise.core.roles import RETENTION_ROLES, SUBJECT_ACCESS_ROLES

rules.add_perm("reports.pupil_plan_report", is_staff_member | is_parent)
rules.add_perm("reports.ehc_evidence_pack", is_leader)
rules.add_perm("reports.governors_summary", is_leader)
rules.add_perm("reports.report_packs", is_leader)
rules.add_perm("reports.export_subject_access", has_any_role(SUBJECT_ACCESS_ROLES))
rules.add_perm("reports.view_retention", has_any_role(RETENTION_ROLES))
