"""Impact's listeners to saves in the apps below it (connected in ImpactConfig.ready).

A review that judges how a pupil responded, or a judged placement that changes (withdrawn,
judged again), rebuilds that school's ``ResponseAggregate`` rows in the same transaction (one
grouped query over one school's judged placements, a few milliseconds), so the recommendations'
"what worked for similar pupils" reads sums, never the trust's placements. Saves that cannot
change a judgement (a draft or active plan, an unjudged placement) do nothing.
"""

from sendwise.impact.bulk_services import response_aggregates_rebuild
from sendwise.planning.models import Plan, Response

JUDGED = (Response.RESPONDED, Response.NO_RESPONSE)


def on_plan_saved(sender, *, instance, raw=False, **kwargs) -> None:
    if not raw and instance.status == Plan.Status.REVIEWED:
        response_aggregates_rebuild(school_ids=[instance.school_id])


def on_placement_saved(sender, *, instance, raw=False, update_fields=None, **kwargs) -> None:
    if raw:
        return
    if (
        instance.response in JUDGED
        or (update_fields and "response" in update_fields)
        or instance.withdrawn_at is not None
    ):
        response_aggregates_rebuild(school_ids=[instance.school_id])
