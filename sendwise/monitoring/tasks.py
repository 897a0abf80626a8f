"""The nightly progress check, as a task (core.tasks says how tasks work).

``progress_check`` judges every current plan of one school again (``flag_services``): flags
that change with the calendar alone (no score for weeks, a review now overdue, a dose that fell
behind because sessions were not held) are raised even on a day nobody saves anything.
Schedule ``manage.py progress_check`` nightly (README: "The nightly progress check").
"""

from datetime import date

from django_tasks import TaskResult, task

from sendwise.core.models import School
from sendwise.monitoring.flag_services import flags_evaluate_school


@task()
def progress_check(*, school_id: int, today: str | None = None) -> dict:
    """Judge one school's flags again; returns how many rows were created, changed, left."""
    changes = flags_evaluate_school(
        school_id=school_id, today=date.fromisoformat(today) if today else None
    )
    return {"created": changes.created, "updated": changes.updated, "unchanged": changes.unchanged}


def progress_check_enqueue(*, schools: list[School], today: date | None = None) -> list[TaskResult]:
    """Queue one check per school (a worker runs each; the immediate backend runs it now)."""
    day = today.isoformat() if today else None
    return [progress_check.enqueue(school_id=school.pk, today=day) for school in schools]
