"""Recommendations read what this school has seen and who can deliver: the SENCO relies on
"worked for 3 of 4 similar pupils here" counting only this school's pupils with the same
primary need, and on "Mrs Khan is trained and has Tuesday free" being true of the timetable."""

from datetime import date, time

import pytest

from sendwise.core.access import actor_for
from sendwise.delivery.models import Budget, Cost, Group, GroupMember, Slot, StaffTime, Training
from sendwise.pages import recommend
from sendwise.planning.models import Placement, Plan
from tests.evidence.factories import InterventionFactory
from tests.factories import PupilFactory
from tests.queries import assert_database_query_count, capture_queries


@pytest.fixture
def senco(world):
    return actor_for(world.users["senco"])


@pytest.fixture
def phonics(db):
    return InterventionFactory(
        name="Phonics catch-up",
        need_codes=["SPLD"],
        skills=["decoding"],
        nc_year_min=2,
        nc_year_max=6,
        sessions_per_week=1,
        minutes_per_session=30,
    )


def reviewed(school, intervention, response, primary_need="SPLD", cycle=1):
    """A pupil whose reviewed plan had ``intervention``, judged ``response``."""
    pupil = PupilFactory(school=school, primary_need=primary_need)
    plan = Plan.objects.create(
        school=school,
        pupil=pupil,
        cycle=cycle,
        status=Plan.Status.REVIEWED,
        start_date=date(2026, 1, 5),
        review_date=date(2026, 4, 1),
        reviewed_on=date(2026, 4, 1),
    )
    return Placement.objects.create(
        school=school, plan=plan, intervention=intervention, response=response
    )


def reasons_for(actor, pupil, name):
    result = recommend.recommendations_for(actor=actor, pupil=pupil)
    for rec, sentence in result["targeted"]:
        if rec.candidate.name == name:
            return rec, sentence
    raise AssertionError(f"{name} not recommended")


def test_what_worked_for_similar_pupils_here_counts_only_this_schools_pupils_with_the_same_need(
    world, senco, phonics
):
    for response in ("responded", "responded", "responded", "no_response"):
        reviewed(world.school, phonics, response)
    reviewed(world.school, phonics, "no_response", primary_need="SEMH")  # not similar
    reviewed(world.school, phonics, "too_early")  # no result yet
    reviewed(world.other_school, phonics, "no_response")  # another school
    _rec, sentence = reasons_for(senco, world.pupil_in_class, phonics.name)
    assert "worked for 3 of 4 similar pupils here" in sentence


def test_the_trusts_results_are_used_when_the_school_has_too_few_of_its_own(world, senco, phonics):
    for response in ("responded", "responded", "no_response", "responded", "responded"):
        reviewed(world.other_school, phonics, response)
    _rec, sentence = reasons_for(senco, world.pupil_in_class, phonics.name)
    assert "worked for 4 of 5 similar pupils in the trust's other schools" in sentence


def test_fewer_than_5_pupils_in_other_schools_are_never_shown_and_never_mixed_with_ours(
    world, senco, phonics
):
    # Two of ours responded; one pupil elsewhere did not. "2 of 3 across the trust" would
    # tell our SENCO how that one pupil in another school got on.
    reviewed(world.school, phonics, "responded")
    reviewed(world.school, phonics, "responded")
    for response in ("no_response", "responded", "responded", "responded"):
        reviewed(world.other_school, phonics, response)
    _rec, sentence = reasons_for(senco, world.pupil_in_class, phonics.name)
    assert "similar pupils" not in sentence
    assert "not enough school data yet" in sentence


def test_trained_staff_with_free_time_are_named_and_a_booked_slot_is_not_free(
    world, senco, phonics, django_capture_on_commit_callbacks
):
    khan = world.users["intervention_specialist"]
    Training.objects.create(school=world.school, staff=khan, intervention=phonics)
    StaffTime.objects.create(
        school=world.school, staff=khan, weekday=1, starts_at=time(9, 0), ends_at=time(9, 30)
    )
    rec, sentence = reasons_for(senco, world.pupil_in_class, phonics.name)
    assert f"{khan.full_name} is trained and has Tuesday 09:00\u201309:30 free" in sentence

    # The group is set up in a request of its own, committed (the recommendations kept in the
    # cache are read again after a commit that changes the school's groups).
    with django_capture_on_commit_callbacks(execute=True):
        other = InterventionFactory(name="Maths boost", need_codes=["MLD"])
        group = Group.objects.create(
            school=world.school, intervention=other, name="Maths", deliverer=khan, places=3
        )
        Slot.objects.create(
            school=world.school, group=group, weekday=1, starts_at=time(9, 0), minutes=30
        )
    rec, _ = reasons_for(senco, world.pupil_in_class, phonics.name)
    assert f"{khan.full_name} is trained but has no free slot" in " ".join(rec.cautions)


def test_a_free_place_in_a_running_group_is_offered(world, senco, phonics):
    group = Group.objects.create(
        school=world.school, intervention=phonics, name="Tuesday readers", places=4
    )
    Slot.objects.create(
        school=world.school, group=group, weekday=1, starts_at=time(9, 10), minutes=30
    )
    placement = reviewed(world.school, phonics, "")
    placement.plan.status = Plan.Status.ACTIVE
    placement.plan.save()
    GroupMember.objects.create(
        school=world.school, group=group, placement=placement, joined_on=date(2026, 1, 5)
    )
    rec, _ = reasons_for(senco, world.pupil_in_class, phonics.name)
    texts = [f.text for f in rec.factors]
    assert "a place is free in Tuesday readers (Tuesday 09:10, 1 of 4 places taken)" in texts


def test_cost_is_weighed_against_what_is_left_of_this_years_budget(world, senco, phonics):
    Budget.objects.create(school=world.school, year_starting=2026, amount=300)
    Cost.objects.create(school=world.school, intervention=phonics, per_pupil=250)
    for _ in range(2):  # two places this academic year: £500 of £300 committed
        placement = reviewed(world.school, phonics, "")
        placement.plan.start_date = date(2026, 9, 7)
        placement.plan.review_date = date(2026, 12, 11)
        placement.plan.save()
    rec, _ = reasons_for(senco, world.pupil_in_class, phonics.name)
    assert (
        "costs \u00a3250 a pupil, more than the \u00a30 left in this year's budget" in rec.cautions
    )


def test_ranking_reads_a_fixed_number_of_queries_whatever_the_schools_records(
    world, senco, phonics, django_capture_on_commit_callbacks
):
    khan = world.users["intervention_specialist"]
    Training.objects.create(school=world.school, staff=khan, intervention=phonics)
    Cost.objects.create(school=world.school, intervention=phonics, per_pupil=100)

    def grow(days):
        for day in days:
            StaffTime.objects.create(
                school=world.school, staff=khan, weekday=day, starts_at=time(9), ends_at=time(12)
            )
            group = Group.objects.create(
                school=world.school, intervention=phonics, name=f"G{day}", deliverer=khan, places=4
            )
            Slot.objects.create(
                school=world.school, group=group, weekday=day, starts_at=time(9), minutes=30
            )
            reviewed(world.school, phonics, "responded")
            reviewed(world.school, phonics, "no_response")

    grow([0])
    with capture_queries() as one_of_each:
        recommend.recommendations_for(actor=senco, pupil=world.pupil_in_class)
    with django_capture_on_commit_callbacks(execute=True):  # committed: read afresh
        grow([1, 2, 3, 4])
    with assert_database_query_count(one_of_each, info="five of each, against one"):
        recommend.recommendations_for(actor=senco, pupil=world.pupil_in_class)
