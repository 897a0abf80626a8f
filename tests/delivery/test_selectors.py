"""What the matcher and the delivery pages read: "trained and has Tuesday free" must be true of
the timetable, a free place must be a real one, and the budget left must add up; in a fixed
number of queries whatever the size of the school."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from sendwise.core.access import ANONYMOUS, actor_for
from sendwise.delivery import selectors
from sendwise.delivery.models import Adaptation, Budget, Cost, StaffTime, Training
from sendwise.planning.matching import GroupOption, StaffOption
from sendwise.planning.models import Plan
from sendwise.pupils.census_checks import academic_year_start
from tests.delivery.factories import add_member, make_group, on_plan, pupil_on_plan
from tests.evidence.factories import InterventionFactory
from tests.factories import MembershipFactory, UserFactory
from tests.queries import assert_database_query_count


@pytest.fixture
def senco(world):
    return actor_for(world.users["senco"])


@pytest.fixture
def ta(world):
    return world.users["intervention_specialist"]


def intervention(sessions=1, minutes=30, **fields):
    return InterventionFactory(sessions_per_week=sessions, minutes_per_session=minutes, **fields)


def trained(school, user, *interventions):
    for i in interventions:
        Training.objects.create(school=school, staff=user, intervention=i)


def give_time(school, user, *windows):
    for day, start, end in windows:
        StaffTime.objects.create(
            school=school, staff=user, weekday=day, starts_at=start, ends_at=end
        )


# --- Matcher inputs ---------------------------------------------------------------------------
def test_a_trained_person_with_tuesday_free_is_ready_for_a_weekly_intervention(world, senco, ta):
    weekly = intervention(sessions=1, minutes=30)
    trained(world.school, ta, weekly)
    give_time(world.school, ta, (1, time(13, 15), time(14, 45)))
    inputs = selectors.matcher_inputs(actor=senco, interventions=[weekly])
    assert inputs.staff_known
    assert inputs.staff[weekly.pk] == (
        StaffOption(name=ta.full_name, trained=True, free_slots=("Tuesday 13:15–14:45",)),
    )


def test_three_sessions_a_week_need_free_time_on_three_different_days(world, senco, ta):
    three = intervention(sessions=3, minutes=30)
    trained(world.school, ta, three)
    # Two long windows on two days are not enough: sessions are spread through the week.
    give_time(world.school, ta, (0, time(9), time(12)), (2, time(9), time(12)))
    inputs = selectors.matcher_inputs(actor=senco, interventions=[three])
    assert inputs.staff[three.pk] == (StaffOption(name=ta.full_name, trained=True),)
    give_time(world.school, ta, (4, time(9), time(9, 30)))
    inputs = selectors.matcher_inputs(actor=senco, interventions=[three])
    assert inputs.staff[three.pk][0].free_slots == (
        "Monday 09:00–12:00",
        "Wednesday 09:00–12:00",
        "Friday 09:00–09:30",
    )


def test_a_booked_group_and_a_gap_shorter_than_a_session_leave_no_free_time(world, senco, ta):
    long_sessions = intervention(sessions=1, minutes=45)
    trained(world.school, ta, long_sessions)
    give_time(world.school, ta, (1, time(13, 0), time(14, 0)))
    make_group(world.school, long_sessions, deliverer=ta, slots=[(1, time(13, 30), 30)])
    inputs = selectors.matcher_inputs(actor=senco, interventions=[long_sessions])
    assert inputs.staff[long_sessions.pk][0].free_slots == ()


def test_an_ended_group_no_longer_books_time_or_offers_places(world, senco, ta):
    weekly = intervention()
    trained(world.school, ta, weekly)
    give_time(world.school, ta, (1, time(13, 0), time(13, 30)))
    group = make_group(world.school, weekly, deliverer=ta, slots=[(1, time(13, 0), 30)])
    group.archived = True
    group.save()
    inputs = selectors.matcher_inputs(actor=senco, interventions=[weekly])
    assert inputs.staff[weekly.pk][0].free_slots == ("Tuesday 13:00–13:30",)
    assert weekly.pk not in inputs.groups


def test_groups_show_places_taken_by_pupils_still_in_them(world, senco):
    weekly = intervention()
    group = make_group(world.school, weekly, name="Tuesday readers", places=3)
    add_member(group, pupil_on_plan(world.school, weekly))
    left = add_member(group, pupil_on_plan(world.school, weekly))
    left.left_on = timezone.localdate()
    left.save()
    make_group(world.other_school, weekly, name="Not ours")
    inputs = selectors.matcher_inputs(actor=senco, interventions=[weekly])
    assert inputs.groups[weekly.pk] == (
        GroupOption(name="Tuesday readers", when="Tuesday 09:10", taken=1, places=3),
    )


def test_a_school_with_no_training_or_time_recorded_says_staff_are_unknown(world, senco):
    weekly = intervention()
    trained(world.other_school, world.users["other_school_senco"], weekly)
    inputs = selectors.matcher_inputs(actor=senco, interventions=[weekly])
    assert not inputs.staff_known
    assert inputs.staff == {}
    assert selectors.matcher_inputs(actor=ANONYMOUS, interventions=[weekly]).staff_known is False


def this_year_start() -> date:
    return date(academic_year_start(timezone.localdate()), 9, 1)


def test_budget_left_is_the_budget_less_the_cost_of_placements_started_this_year(world, senco):
    reading, maths, uncosted = intervention(), intervention(), intervention()
    year = academic_year_start(timezone.localdate())
    Budget.objects.create(school=world.school, year_starting=year, amount=Decimal("1000"))
    Budget.objects.create(school=world.school, year_starting=year - 1, amount=Decimal("5"))
    Cost.objects.create(school=world.school, intervention=reading, per_pupil=Decimal("120"))
    Cost.objects.create(school=world.school, intervention=maths, per_pupil=Decimal("80.50"))
    Cost.objects.create(school=world.other_school, intervention=reading, per_pupil=Decimal("1"))
    start = this_year_start()
    on_plan(world.pupil_in_class, reading, start=start)
    on_plan(world.pupil_in_class, maths, start=start)
    on_plan(world.pupil_elsewhere, reading, start=start + timedelta(days=30))
    on_plan(world.pupil_elsewhere, uncosted, start=start + timedelta(days=30))
    on_plan(world.pupil_other_school, reading, start=start)  # another school's
    last_year = pupil_on_plan(world.school, reading).plan
    Plan.objects.filter(pk=last_year.pk).update(
        start_date=start - timedelta(days=1), status=Plan.Status.REVIEWED
    )
    summary = selectors.budget_summary(actor=senco)
    assert summary.committed == Decimal("320.50")  # 120 + 80.50 + 120
    assert (summary.placements_costed, summary.placements_uncosted) == (3, 1)
    assert summary.left == Decimal("679.50")
    inputs = selectors.matcher_inputs(actor=senco, interventions=[reading])
    assert inputs.budget_left == 679.50
    assert inputs.costs == {reading.pk: 120.0, maths.pk: 80.5}


def test_no_budget_set_means_nothing_left_to_compare(world, senco):
    summary = selectors.budget_summary(actor=senco)
    assert (summary.budget, summary.left, summary.committed) == (None, None, Decimal("0.00"))
    assert selectors.budget_left(actor=senco) is None


def grow(world, n: int, interventions) -> None:
    """n more staff trained with time, groups with pupils, costs and placements."""
    for _ in range(n):
        user = UserFactory()
        MembershipFactory(user=user, school=world.school, role="intervention_specialist")
        for i in interventions:
            Training.objects.get_or_create(school=world.school, staff=user, intervention=i)
            Cost.objects.get_or_create(
                school=world.school, intervention=i, defaults={"per_pupil": Decimal("10")}
            )
        give_time(world.school, user, (1, time(9), time(12)), (3, time(13), time(15)))
        group = make_group(
            world.school,
            interventions[0],
            name=f"Group {user.pk}",
            deliverer=user,
            slots=[(1, time(9), 30), (3, time(13), 30)],
        )
        add_member(group, pupil_on_plan(world.school, interventions[0]))


def test_matcher_inputs_take_nine_queries_whatever_the_size_of_the_school(world, senco):
    interventions = [intervention(), intervention(sessions=2)]
    Budget.objects.create(
        school=world.school, year_starting=this_year_start().year, amount=Decimal("900")
    )
    for size in (1, 6):
        grow(world, size, interventions)
        with assert_database_query_count(9):
            inputs = selectors.matcher_inputs(actor=senco, interventions=interventions)
        assert len(inputs.groups[interventions[0].pk]) == {1: 1, 6: 7}[size]


def test_without_a_budget_no_placement_is_counted_for_the_matcher(world, senco):
    interventions = [intervention(), intervention(sessions=2)]
    grow(world, 3, interventions)
    with assert_database_query_count(7):  # the nine above, less the two that count placements
        inputs = selectors.matcher_inputs(actor=senco, interventions=interventions)
    assert inputs.budget_left is None


def test_staff_overview_takes_four_queries_and_lists_groups_before_their_times_are_set(
    world, senco, ta
):
    weekly = intervention(name="Phonics")
    trained(world.school, ta, weekly)
    give_time(world.school, ta, (1, time(9), time(10)))
    make_group(world.school, weekly, name="Unscheduled", deliverer=ta, slots=[])
    make_group(world.school, weekly, name="Tuesday", deliverer=ta, slots=[(1, time(9), 30)])
    with assert_database_query_count(4):
        rows = selectors.staff_overview(actor=senco)
    (row,) = rows
    assert row.user == ta
    assert [g.name for g in row.groups] == ["Tuesday", "Unscheduled"]
    assert [w.label for w in row.free] == ["Tuesday 09:30–10:00"]
    grow(world, 5, [weekly])
    with assert_database_query_count(4):
        assert len(selectors.staff_overview(actor=senco)) == 6


# --- Pages ------------------------------------------------------------------------------------
def test_pupils_who_could_join_are_on_the_intervention_now_and_not_in_the_group(world, senco):
    weekly = intervention()
    group = make_group(world.school, weekly)
    in_group = on_plan(world.pupil_in_class, weekly)
    add_member(group, in_group)
    left = pupil_on_plan(world.school, weekly, first_name="Left")
    member = add_member(group, left)
    member.left_on = timezone.localdate()
    member.save()
    could = on_plan(world.pupil_elsewhere, weekly)
    pupil_on_plan(world.school, intervention())  # another intervention
    on_plan(world.pupil_other_school, weekly)  # another school
    reviewed = pupil_on_plan(world.school, weekly)
    Plan.objects.filter(pk=reviewed.plan_id).update(status=Plan.Status.REVIEWED)
    assert set(selectors.placements_to_add(actor=senco, group=group)) == {could, left}


def test_groups_are_searched_by_name_and_filtered_by_intervention(world, senco):
    phonics, maths = intervention(name="Phonics"), intervention(name="Number sense")
    make_group(world.school, phonics, name="Year 2 sounds")
    make_group(world.school, maths, name="Year 5 number")
    ended = make_group(world.school, maths, name="Year 6 number")
    ended.archived = True
    ended.save()
    make_group(world.other_school, maths, name="Year 5 number too")

    def names(**kw):
        return [g.name for g in selectors.group_list(actor=senco, **kw)]

    assert names() == ["Year 5 number", "Year 2 sounds"]
    assert names(q="number") == ["Year 5 number"]
    assert names(q="phon") == ["Year 2 sounds"]
    assert names(intervention_id=phonics.pk) == ["Year 2 sounds"]
    assert list(selectors.group_interventions(actor=senco)) == [maths, phonics]


def test_adaptations_are_the_schools_own_filtered_by_intervention_and_result(world, senco):
    phonics, maths = intervention(name="Phonics"), intervention(name="Maths")

    def adaptation(school, i, result):
        return Adaptation.objects.create(
            school=school,
            intervention=i,
            kind="dose",
            what="w",
            why="y",
            result=result,
            recorded_on=timezone.localdate(),
        )

    helped = adaptation(world.school, phonics, "helped")
    worse = adaptation(world.school, maths, "worse")
    adaptation(world.other_school, phonics, "helped")
    f = selectors.AdaptationFilters
    assert set(selectors.adaptation_list(actor=senco, filters=f())) == {helped, worse}
    assert list(selectors.adaptation_list(actor=senco, filters=f(intervention_id=phonics.pk))) == [
        helped
    ]
    assert list(selectors.adaptation_list(actor=senco, filters=f(result="worse"))) == [worse]
    assert list(selectors.adaptation_interventions(actor=senco)) == [maths, phonics]


def test_staff_members_are_this_schools_staff_only(world, senco):
    names = {u.full_name for u in selectors.staff_members(actor=senco)}
    assert "senco person" in names and "teacher person" in names
    assert not names & {"parent person", "Adviser", "Other SENCO"}


def test_only_targeted_interventions_are_offered_for_groups_and_training(world, senco):
    targeted = intervention(name="Phonics")
    intervention(name="Visual timetable", kind="classroom_strategy")
    intervention(name="Theirs", school=world.other_school)
    intervention(name="Old", archived=True)
    assert list(selectors.targeted_interventions(actor=senco)) == [targeted]
