"""The register's and the home page's totals: pupils by provision and by primary need, for the
pupils the reader may see, in one query."""

from sendwise.core.access import actor_for
from sendwise.core.roles import Role
from sendwise.pupils.selectors import register_summary
from tests.factories import PupilFactory
from tests.queries import assert_database_query_count


def test_the_senco_sees_the_whole_school_counted_by_provision_and_need(world):
    school, class_a = world.school, world.pupil_in_class.class_group
    PupilFactory(school=school, class_group=class_a, sen_provision="E", primary_need="ASD")
    PupilFactory(school=school, class_group=class_a, sen_provision="E", primary_need="SPLD")
    PupilFactory(school=school, class_group=class_a, sen_provision="K", primary_need="ASD")
    PupilFactory(school=school, class_group=class_a, sen_provision="N", primary_need="")
    senco = actor_for(world.users[Role.SENCO])
    with assert_database_query_count(1):
        summary = register_summary(actor=senco)
    # world: two pupils at SEN support with SpLD in this school (a third in another school).
    assert (summary["total"], summary["sen_support"], summary["ehc_plan"]) == (6, 3, 2)
    assert summary["sen_count"] == 5  # the pupil with no SEN is on roll, not in the chart
    assert [(code, n) for code, _label, n in summary["by_need"]] == [("SPLD", 3), ("ASD", 2)]


def test_a_teacher_counts_only_the_pupils_of_their_class(world):
    PupilFactory(
        school=world.school,
        class_group=world.pupil_elsewhere.class_group,
        sen_provision="E",
        primary_need="ASD",
    )
    teacher = actor_for(world.users[Role.TEACHER])
    with assert_database_query_count(1):
        summary = register_summary(actor=teacher)
    assert (summary["total"], summary["sen_support"], summary["ehc_plan"]) == (1, 1, 0)
    assert [(code, n) for code, _label, n in summary["by_need"]] == [("SPLD", 1)]
