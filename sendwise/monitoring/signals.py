"""Monitoring's listeners to the signals of apps below it (connected in MonitoringConfig.ready),
and the signal it sends for the apps above it.

``scores_recorded``: scores were saved in bulk (a group's scores, which ``post_save`` does not
see), once their transaction has committed. Sent with ``sender=Score`` and the keywords
``school_id``, ``pupil_ids``, and the ``measure_id`` and ``taken_on`` (a date) they share.
Impact listens, to work the pupils' results out again.
"""

from django.dispatch import Signal

from sendwise.core.models import School
from sendwise.monitoring.flag_services import flags_evaluate_pupils
from sendwise.monitoring.tasks import progress_check_enqueue
from sendwise.planning.models import Placement

scores_recorded = Signal()


def on_session_recorded(sender, *, school_id: int, placement_ids: list[int], **kwargs) -> None:
    """A session was recorded: judge its pupils' flags again (their dose has changed)."""
    pupil_ids = sorted(
        set(
            Placement.objects.filter(school_id=school_id, pk__in=placement_ids).values_list(
                "plan__pupil_id", flat=True
            )
        )
    )
    if pupil_ids:
        flags_evaluate_pupils(school_id=school_id, pupil_ids=pupil_ids)


def on_plan_changed(sender, *, school_id: int, pupil_ids: list[int], **kwargs) -> None:
    """An aimline, a dose or a review date changed (or an outcome or placement was added or
    withdrawn, or a plan put in place or reviewed): judge those pupils' flags again."""
    if pupil_ids:
        flags_evaluate_pupils(school_id=school_id, pupil_ids=list(pupil_ids))


def on_calendar_changed(sender, *, school_id: int, **kwargs) -> None:
    """The school calendar changed: queue the school's progress check, so doses owed over a
    holiday entered after the fact stop being flagged (a worker runs it, not the request)."""
    progress_check_enqueue(schools=list(School.objects.filter(pk=school_id)))
