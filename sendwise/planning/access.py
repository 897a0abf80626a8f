"""Who may see a pupil because of their support plan: the person named to deliver an
intervention or strategy in a plan that has not been reviewed yet (`PupilAccess`, basis
"named_deliverer"). `planning.services` keeps the rows; this computes them for `access_check`."""

from sendwise.planning.models import Placement, Plan
from sendwise.pupils.access_services import AccessGrant
from sendwise.pupils.models import PupilAccess


def expected_named_deliverers(*, school_id: int | None = None) -> set[AccessGrant]:
    """Placements with a deliverer in draft or current plans, not withdrawn. One query."""
    placements = (
        Placement.objects.standing()
        .filter(deliverer__isnull=False)
        .exclude(plan__status=Plan.Status.REVIEWED)
    )
    if school_id is not None:
        placements = placements.filter(school_id=school_id)
    return {
        AccessGrant(school, pupil_id, user_id, PupilAccess.Basis.NAMED_DELIVERER, placement_id)
        for placement_id, school, pupil_id, user_id in placements.values_list(
            "pk", "school_id", "plan__pupil_id", "deliverer_id"
        )
    }
