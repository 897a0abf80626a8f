"""Checks shared by the access tests: does this person see this pupil, and do the access rows
match the relationships (what `manage.py access_check` computes)?"""

from sendwise.core.access import actor_for
from sendwise.delivery.access import expected_pupil_access
from sendwise.pupils.access_check import Drift, access_drift
from sendwise.pupils.selectors import pupils_visible


def sees(user, pupil) -> bool:
    """Whether `user`, working in the pupil's school, sees the pupil (register, pupil page)."""
    actor = actor_for(user, pupil.school_id)
    return pupils_visible(actor=actor).filter(pk=pupil.pk).exists()


def drift(school=None) -> Drift:
    school_id = school.pk if school is not None else None
    return access_drift(expected=expected_pupil_access(school_id=school_id), school_id=school_id)


def assert_in_step(school=None) -> None:
    """The open rows are exactly those the relationships call for (and there are some)."""
    found = drift(school)
    assert found.ok, (sorted(found.missing)[:5], sorted(found.extra)[:5])
    assert sum(found.expected.values()) > 0
