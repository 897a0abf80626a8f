"""Impact's background work (core.tasks says how tasks work): working results out again after
a change, when ``settings.IMPACT_UPKEEP`` is ``"task"`` (``impact.signals``)."""

from django_tasks import task

from sendwise.impact import result_services


@task()
def impact_refresh(
    *, school_id: int, pupils: list[int], plans: list[int], placements: list[int], school: bool
) -> None:
    """Work out again the results of these pupils', plans' and placements' (or the whole
    school's) placements, and their aggregate cells."""
    result_services.refresh_noted(
        school_id=school_id, pupils=pupils, plans=plans, placements=placements, school=school
    )
