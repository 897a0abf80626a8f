"""Retention: an archived pupil's SEN record is removed once the school's retention period ends.

The period is the school's `sen_records_kept_years` after the pupil's date of birth. Sources:

- The IRMS Records Management Toolkit for Schools (version 4, May 2012, retention guidelines,
  pupils' special educational needs files, reviews and individual education plans) gave "date
  of birth of the pupil + 25 years", the figure most school policies still quote.
- Later editions of the IRMS Information Management Toolkit for Schools raise it for SEN files
  to date of birth + 31 years: an EHC plan can last until the young person is 25 (Children and
  Families Act 2014, section 46), and a claim can be brought for six years after that
  (Limitation Act 1980), as SENCOs summarise it (sencoforum.com, "SEND files", reply 1918).

The default is the longer 31 years: removal cannot be undone and keeping a record a little
longer can be, so a school that follows the 25-year figure sets it (never below 25, the age an
EHC plan can run to). Only archived pupils are ever removed; a pupil on roll is kept whatever
their age.

Removal is all or nothing (one transaction): every record of every kind in `sar_kinds.KINDS`,
every saved version of them (django-simple-history keeps the child's data in those too), and
the pupil's name in the audit log, which keeps the entries themselves (who did what, when)
under "Pupil no. <id>". One audit entry records the removal and the rule, without the child's
name or data. `manage.py retention` shows what would go (the default) and removes it with
`--apply`; the SENCO's page shows the same report.

This module is the rule itself (pure: no Django); the reads are in `retention_selectors`, the
writes in `retention_services`.
"""

from __future__ import annotations

import datetime as dt

YEARS_MIN, YEARS_MAX = 25, 100
YEARS_OUT_OF_RANGE = (
    f"Enter a whole number of years from {YEARS_MIN} to {YEARS_MAX}: an EHC plan can last "
    f"until the young person is 25, so a SEN record is kept at least that long"
)


def remove_from(date_of_birth: dt.date, years: int) -> dt.date:
    """The first day the record may be removed: the birthday ``years`` on (29 February's
    children: 1 March in a year that has no 29 February)."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + years)
    except ValueError:
        return dt.date(date_of_birth.year + years, 3, 1)
