""" "What worked for similar pupils" reads sums kept as plans are reviewed: the SENCO's
recommendation counts this school's and the trust's pupils with the same need, in one query
however many placements the trust holds."""

from datetime import date

import pytest

from sendwise.core.access import actor_for
from sendwise.impact.bulk_services import response_aggregates_rebuild
from sendwise.impact.models import ResponseAggregate
from sendwise.impact.response_selectors import similar_pupils
from sendwise.planning import services
from sendwise.planning.models import Placement, Plan
from tests.evidence.factories import InterventionFactory
from tests.factories import PupilFactory, SchoolFactory
from tests.queries import assert_database_query_count


@pytest.fixture
def senco(world):
    return actor_for(world.users["senco"])


@pytest.fixture
def phonics(db):
    return InterventionFactory(name="Phonics catch-up", need_codes=["SPLD"])


def judged(school, intervention, response, need="SPLD"):
    pupil = PupilFactory(school=school, primary_need=need)
    plan = Plan.objects.create(
        school=school, pupil=pupil, cycle=1, status=Plan.Status.REVIEWED,
        start_date=date(2026, 1, 5), review_date=date(2026, 4, 1), reviewed_on=date(2026, 4, 1),
    )  # fmt: skip
    return Placement.objects.create(
        school=school, plan=plan, intervention=intervention, response=response
    )


def test_reviewing_a_plan_through_the_service_updates_the_sums(world, senco, phonics):
    world.pupil_in_class.primary_need = "SPLD"
    world.pupil_in_class.save()
    plan = services.plan_create(
        actor=senco, pupil=world.pupil_in_class, start_date=date(2026, 9, 7),
        review_date=date(2026, 12, 11),
    )  # fmt: skip
    placement = Placement.objects.create(school=world.school, plan=plan, intervention=phonics)
    assert not ResponseAggregate.objects.exists()
    services.plan_review(
        actor=senco, plan=plan, reviewed_on=date(2026, 12, 11), summary="Reading up",
        responses={placement.pk: "responded"},
    )  # fmt: skip
    row = ResponseAggregate.objects.get(school=world.school, intervention=phonics)
    assert (row.primary_need, row.judged, row.responded) == ("SPLD", 1, 1)


def test_too_early_to_tell_and_withdrawn_placements_count_for_nothing(world, phonics):
    judged(world.school, phonics, "responded")
    judged(world.school, phonics, "too_early")
    mistake = judged(world.school, phonics, "no_response")
    mistake.withdrawn_at = mistake.plan.created_at
    mistake.save()
    row = ResponseAggregate.objects.get(school=world.school, intervention=phonics)
    assert (row.judged, row.responded) == (1, 1)


def test_other_schools_count_from_five_pupils_and_never_with_ours(world, senco, phonics):
    judged(world.school, phonics, "responded")
    for response in ("responded", "responded", "no_response", "responded"):
        judged(world.other_school, phonics, response)
    here, trust = similar_pupils(actor=senco, primary_need="SPLD")
    assert here == {phonics.pk: (1, 1)}
    assert trust == {}, "four pupils elsewhere are never shown"
    judged(world.other_school, phonics, "no_response")
    assert similar_pupils(actor=senco, primary_need="SPLD")[1] == {phonics.pk: (5, 3)}
    assert similar_pupils(actor=senco, primary_need="SEMH") == ({}, {})


def test_one_query_whatever_the_size_of_the_trust(world, senco, phonics):
    for _ in range(5):
        judged(world.other_school, phonics, "responded")
    with assert_database_query_count(1):
        similar_pupils(actor=senco, primary_need="SPLD")
    for _ in range(10):
        school = SchoolFactory(trust=world.school.trust)
        for response in ("responded", "no_response"):
            judged(school, InterventionFactory(), response, need="SPLD")
    with assert_database_query_count(1):
        similar_pupils(actor=senco, primary_need="SPLD")


def test_a_rebuild_gives_the_same_sums_as_the_saves_did(world, phonics):
    for response in ("responded", "no_response", "responded"):
        judged(world.school, phonics, response)
    before = list(ResponseAggregate.objects.values_list("intervention", "judged", "responded"))
    response_aggregates_rebuild(school_ids=[world.school.pk])
    after = list(ResponseAggregate.objects.values_list("intervention", "judged", "responded"))
    assert before == after == [(phonics.pk, 3, 2)]
