"""Impact's background work (core.tasks says how tasks work): working results out again after
a change, when ``settings.IMPACT_UPKEEP`` is ``"task"`` (``impact.signals``), and the nightly
rebuild of one school (``manage.py impact_rebuild --queue``: a dose "to date" grows with the
calendar on days nobody saves anything; README, "The nightly progress check and impact
rebuild")."""

from datetime import date

from django_tasks import TaskResult, task

from sendwise.core.models import School
from sendwise.impact import result_services


@task()
def impact_refresh(
    *,
    school_id: int,
    pupils: list[int],
    plans: list[int],
    placements: list[int],
    school: bool,
    scores: list | None = None,
) -> None:
    """Work out again the results of these pupils', plans' and placements' (or the whole
    school's) placements, and of the placements whose window holds these scores ([pupil id,
    measure id, ISO date]; absent from tasks queued before they were noted), and their
    aggregate cells."""
    result_services.refresh_noted(
        school_id=school_id,
        pupils=pupils,
        plans=plans,
        placements=placements,
        scores=[(p, m, date.fromisoformat(d)) for p, m, d in scores or ()],
        school=school,
    )


@task()
def impact_rebuild(*, school_id: int) -> dict:
    """Work out every result and aggregate cell of one school again (the nightly rebuild)."""
    done = result_services.impact_rebuild(school_id=school_id)
    return {"results": done.results, "removed": done.removed, "cells": done.cells}


def impact_rebuild_enqueue(*, schools: list[School]) -> list[TaskResult]:
    """Queue one rebuild per school (a worker runs each; the immediate backend runs it now)."""
    return [impact_rebuild.enqueue(school_id=school.pk) for school in schools]
