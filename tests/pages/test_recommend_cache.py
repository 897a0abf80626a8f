"""A pupil's recommendations read the school's candidates from the cache, and the SENCO relies
on the next recommendation after any change showing it: a new catalogue entry (shared or the
school's own), a member of staff trained, a group's place taken, what similar pupils in the
trust's other schools did. Each change here is committed, as a request's is: the candidates
are kept under stamps renewed once a change commits (``core.stamps``)."""

from datetime import time

import pytest

from sendwise.core.access import actor_for
from sendwise.delivery.models import StaffTime, Training
from sendwise.pages import recommend
from tests.evidence.factories import InterventionFactory
from tests.pages.test_recommend import reviewed
from tests.queries import capture_queries


@pytest.fixture
def senco(world):
    return actor_for(world.users["senco"])


@pytest.fixture
def phonics(db):
    return InterventionFactory(
        name="Phonics catch-up", need_codes=["SPLD"], skills=["decoding"], nc_year_min=2,
        nc_year_max=6, sessions_per_week=1, minutes_per_session=30,
    )  # fmt: skip


def names(actor, pupil) -> list[str]:
    found = recommend.recommendations_for(actor=actor, pupil=pupil)
    return [rec.candidate.name for rec, _ in found["targeted"]]


def sentence(actor, pupil, name) -> str:
    found = recommend.recommendations_for(actor=actor, pupil=pupil)
    return next(text for rec, text in found["targeted"] if rec.candidate.name == name)


def test_the_next_pupils_recommendation_reads_no_catalogue_row_again(world, senco, phonics):
    with capture_queries() as first:
        recommend.recommendations_for(actor=senco, pupil=world.pupil_in_class)
    with capture_queries() as second:
        recommend.recommendations_for(actor=senco, pupil=world.pupil_in_class)
    assert any('FROM "evidence_intervention"' in sql for sql in first.sql)
    assert not any('FROM "evidence_intervention"' in sql for sql in second.sql)
    assert len(second) < len(first)


def test_a_new_entry_in_the_catalogue_or_the_schools_own_shows_in_the_next_recommendation(
    world, senco, phonics, django_capture_on_commit_callbacks
):
    assert "Phonics catch-up" in names(senco, world.pupil_in_class)
    with django_capture_on_commit_callbacks(execute=True):
        InterventionFactory(name="Shared spelling", need_codes=["SPLD"], nc_year_min=0)
    assert "Shared spelling" in names(senco, world.pupil_in_class)
    with django_capture_on_commit_callbacks(execute=True):
        InterventionFactory(
            school=world.school, name="Our word games", need_codes=["SPLD"], nc_year_min=0
        )
    assert "Our word games" in names(senco, world.pupil_in_class)
    # Another school's own entry is not this school's to recommend, before or after.
    with django_capture_on_commit_callbacks(execute=True):
        InterventionFactory(
            school=world.other_school, name="Their club", need_codes=["SPLD"], nc_year_min=0
        )
    assert "Their club" not in names(senco, world.pupil_in_class)


def test_a_member_of_staff_trained_changes_the_next_recommendation(
    world, senco, phonics, django_capture_on_commit_callbacks
):
    khan = world.users["intervention_specialist"]
    assert khan.full_name not in sentence(senco, world.pupil_in_class, phonics.name)
    with django_capture_on_commit_callbacks(execute=True):
        Training.objects.create(school=world.school, staff=khan, intervention=phonics)
        StaffTime.objects.create(
            school=world.school, staff=khan, weekday=2, starts_at=time(10), ends_at=time(10, 30)
        )
    assert f"{khan.full_name} is trained and has Wednesday 10:00\u201310:30 free" in sentence(
        senco, world.pupil_in_class, phonics.name
    )
    with django_capture_on_commit_callbacks(execute=True):
        Training.objects.filter(school=world.school, staff=khan).delete()  # no longer
    assert khan.full_name not in sentence(senco, world.pupil_in_class, phonics.name)


def test_what_pupils_did_in_the_trusts_other_schools_shows_in_the_next_recommendation(
    world, senco, phonics, django_capture_on_commit_callbacks
):
    assert "trust's other schools" not in sentence(senco, world.pupil_in_class, phonics.name)
    with django_capture_on_commit_callbacks(execute=True):
        for response in ("responded", "responded", "no_response", "responded", "responded"):
            reviewed(world.other_school, phonics, response)
    assert "worked for 4 of 5 similar pupils in the trust's other schools" in sentence(
        senco, world.pupil_in_class, phonics.name
    )


def test_candidates_read_before_a_change_commits_are_read_again_once_it_has(
    world, senco, phonics, django_capture_on_commit_callbacks
):
    """A change's stamps are renewed only at its commit, so candidates read while it was
    still open (without it) are never kept as if they were new."""
    names(senco, world.pupil_in_class)
    with django_capture_on_commit_callbacks(execute=True):
        InterventionFactory(name="Shared spelling", need_codes=["SPLD"], nc_year_min=0)
        assert "Shared spelling" not in names(senco, world.pupil_in_class)  # as others see it
    assert "Shared spelling" in names(senco, world.pupil_in_class)
