"""The SENCO's judgement on a local study (a finished group, see ``impact.local_study``).

A local study is worked out from the group's placement results on every request (it is a handful
of rows); what is stored is only what a person decided about it: that it is **not
representative** (a supply teacher ran half of it, the assessments were done differently, the
group was chosen unusually ...), with the reason. Such a study is shown apart and left out of the
school's pooled figure. The note is never deleted: counting the study again clears the flag, and
the history keeps every change with who made it and why.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from sendwise.core.history import history_user
from sendwise.core.models import School
from sendwise.delivery.models import Group
from sendwise.evidence.models import Intervention

#: The longest reason the SENCO may give (about a paragraph).
REASON_MAX = 1000


class LocalStudyNote(models.Model):
    """Whether one finished group counts as a representative local study, and why not."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="study_note")
    intervention = models.ForeignKey(Intervention, on_delete=models.PROTECT, related_name="+")
    not_representative = models.BooleanField(default=False)
    reason = models.TextField(max_length=REASON_MAX, blank=True)
    noted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    noted_on = models.DateField()
    history = HistoricalRecords(get_user=history_user)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="study_note_reason_when_set_aside",
                condition=Q(not_representative=False) | ~Q(reason=""),
            )
        ]
        indexes = [
            models.Index(fields=["school", "intervention"], name="study_note_school_interv"),
        ]

    def __str__(self) -> str:
        state = "not representative" if self.not_representative else "representative"
        return f"Local study of group {self.group_id}: {state}"
