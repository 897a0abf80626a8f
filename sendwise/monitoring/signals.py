"""Monitoring's listeners to the signals of apps below it (connected in MonitoringConfig.ready)."""

from sendwise.monitoring.flag_services import flags_evaluate_pupils
from sendwise.planning.models import Placement


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
