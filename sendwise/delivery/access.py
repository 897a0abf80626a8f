"""Who may see a pupil because of a group: the deliverer of a running group the pupil is in now
(`PupilAccess`, basis "group_deliverer"). `delivery.services` keeps the rows; this computes them,
and (as the highest app whose relationships grant access) every basis together for
`manage.py access_check`."""

from sendwise.delivery.models import GroupMember
from sendwise.planning.access import expected_named_deliverers
from sendwise.pupils.access_check import expected_class_staff, expected_parents
from sendwise.pupils.access_services import AccessGrant
from sendwise.pupils.models import PupilAccess


def expected_group_deliverers(*, school_id: int | None = None) -> set[AccessGrant]:
    """Members who have not left running groups that have a deliverer. One query."""
    members = GroupMember.objects.filter(
        left_on__isnull=True, group__archived=False, group__deliverer__isnull=False
    )
    if school_id is not None:
        members = members.filter(school_id=school_id)
    return {
        AccessGrant(school, pupil_id, user_id, PupilAccess.Basis.GROUP_DELIVERER, member_id)
        for member_id, school, pupil_id, user_id in members.values_list(
            "pk", "school_id", "placement__plan__pupil_id", "group__deliverer_id"
        )
    }


def expected_pupil_access(*, school_id: int | None = None) -> set[AccessGrant]:
    """Every open `PupilAccess` row today's relationships call for (one school, or all)."""
    return (
        expected_class_staff(school_id=school_id)
        | expected_parents(school_id=school_id)
        | expected_named_deliverers(school_id=school_id)
        | expected_group_deliverers(school_id=school_id)
    )
