"""Recommendations count a running group as ready for a pupil only where joining it keeps the
school's rule on missed lessons: the SENCO relies on "a place is free in Tuesday readers" not
quietly taking the pupil out of Maths every week."""

from datetime import time

import pytest

from sendwise.core.access import actor_for
from sendwise.delivery.models import LessonRules
from sendwise.pages import recommend
from sendwise.planning import matching
from tests.delivery.factories import Y4_WEEK, add_lessons, make_group
from tests.evidence.factories import InterventionFactory

READY = "a place is free in {name} ({when}, 0 of 4 places taken)"
REFUSED = (
    "Tuesday readers (Tuesday 09:10) has a place, but joining it would take the pupil out of "
    "Maths 6 times, more than the school's limit of 2 a half-term"
)


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


def recommendation(actor, pupil, name):
    for rec, sentence in recommend.recommendations_for(actor=actor, pupil=pupil)["targeted"]:
        if rec.candidate.name == name:
            return rec, sentence
    raise AssertionError(f"{name} not recommended")


def test_a_group_in_a_lesson_the_pupil_would_miss_too_often_is_not_ready_and_says_why(
    world, senco, phonics
):
    add_lessons(world.pupil_in_class.class_group, Y4_WEEK)  # Maths 09:00–10:00 every day
    make_group(world.school, phonics, name="Tuesday readers", slots=((1, time(9, 10), 30),))
    rec, _ = recommendation(senco, world.pupil_in_class, phonics.name)
    assert "delivery" not in {f.key for f in rec.factors}
    assert REFUSED in rec.cautions


def test_a_group_at_a_time_with_no_lesson_is_offered_instead(world, senco, phonics):
    add_lessons(world.pupil_in_class.class_group, Y4_WEEK)
    make_group(world.school, phonics, name="Tuesday readers", slots=((1, time(9, 10), 30),))
    make_group(world.school, phonics, name="Afternoon readers", slots=((2, time(13, 30), 30),))
    rec, _ = recommendation(senco, world.pupil_in_class, phonics.name)
    texts = [f.text for f in rec.factors]
    assert READY.format(name="Afternoon readers", when="Wednesday 13:30") in texts


def test_the_schools_own_limit_decides(world, senco, phonics):
    add_lessons(world.pupil_in_class.class_group, Y4_WEEK)
    LessonRules.objects.create(school=world.school, most_missed=6)
    make_group(world.school, phonics, name="Tuesday readers", slots=((1, time(9, 10), 30),))
    rec, _ = recommendation(senco, world.pupil_in_class, phonics.name)
    texts = [f.text for f in rec.factors]
    assert READY.format(name="Tuesday readers", when="Tuesday 09:10") in texts


def test_a_class_with_no_timetable_leaves_groups_as_they_were(world, senco, phonics):
    make_group(world.school, phonics, name="Tuesday readers", slots=((1, time(9, 10), 30),))
    rec, _ = recommendation(senco, world.pupil_in_class, phonics.name)
    texts = [f.text for f in rec.factors]
    assert READY.format(name="Tuesday readers", when="Tuesday 09:10") in texts


def test_the_matcher_never_counts_a_group_that_breaks_the_rule_as_ready():
    candidate = matching.Candidate(
        slug="x",
        name="X",
        kind="targeted_intervention",
        need_codes=frozenset({"SPLD"}),
        areas=frozenset(),
        skills=frozenset(),
        year_min=0,
        year_max=13,
        strength="",
        groups=(
            matching.GroupOption("Full", "Monday 09:00", taken=4, places=4),
            matching.GroupOption("Clash", "Tuesday 09:10", 0, 4, breaks_rule="Maths 6 times"),
        ),
    )
    pupil = matching.PupilNeeds(
        nc_year=4, primary_need="SPLD", secondary_need="", areas=frozenset(), skills={}
    )
    rec = matching.assess(pupil, candidate)
    assert "delivery" not in {f.key for f in rec.factors}
    assert (
        "Clash (Tuesday 09:10) has a place, but joining it would take the pupil out of "
        "Maths 6 times"
    ) in rec.cautions
    assert matching.w.CAUTION_GROUPS_FULL not in rec.cautions
