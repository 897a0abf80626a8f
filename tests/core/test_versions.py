"""`core.history.versions(Model)` reads the same history rows as simple_history's
`Model.history`, without building a new manager class each time."""

from sendwise.core.history import versions
from sendwise.pupils.models import Pupil


def test_the_same_rows_in_the_same_order_as_model_history(world):
    pupil = world.pupil_in_class
    pupil.first_name = "Amira"
    pupil.save()
    ours = versions(Pupil).filter(id=pupil.pk)
    theirs = Pupil.history.filter(id=pupil.pk)
    assert str(ours.query) == str(theirs.query)
    assert [v.history_id for v in ours] == [v.history_id for v in theirs]
    assert [v.first_name for v in ours] == ["Amira", "Amara"]  # newest first
    assert ours[0].diff_against(ours[1]).changed_fields == ["first_name"]
