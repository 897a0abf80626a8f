"""A pupil's recommendations read the school's candidates from the cache, and the SENCO relies
on the next recommendation after any change showing it: a new catalogue entry (shared or the
school's own), a member of staff trained, a group's place taken, what similar pupils in the
trust's other schools did. Each change here is committed, as a request's is: the candidates
are kept under stamps renewed once a change commits (``core.stamps``)."""

from datetime import time, timedelta

import pytest
from django.utils import timezone

from sendwise.core.access import actor_for
from sendwise.delivery.models import Group, GroupMember, StaffTime, Training
from sendwise.pages import recommend
from sendwise.planning.models import Placement, Plan
from tests.delivery.factories import add_member, make_group, on_plan
from tests.evidence.factories import InterventionFactory
from tests.factories import PupilFactory
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


def reads_catalogue(actor, pupil) -> bool:
    """Whether the next recommendation built the candidates again (read the catalogue)."""
    with capture_queries() as seen:
        recommend.recommendations_for(actor=actor, pupil=pupil)
    return any('FROM "evidence_intervention"' in sql for sql in seen.sql)


def test_saving_a_field_the_candidates_do_not_read_keeps_them_cached(
    world, senco, phonics, django_capture_on_commit_callbacks
):
    """A group's room, a plan's review date or a placement's reason for choosing it change no
    recommendation: saving them keeps the candidates (issue 12: every save renewed them)."""
    group = make_group(world.school, phonics, places=4)
    placement = on_plan(world.pupil_in_class, phonics)
    names(senco, world.pupil_in_class)
    assert not reads_catalogue(senco, world.pupil_in_class)
    with django_capture_on_commit_callbacks(execute=True):
        group = Group.objects.get(pk=group.pk)
        group.room = "Library"
        group.save()
        placement = Placement.objects.select_related("plan").get(pk=placement.pk)
        placement.why_chosen = "Her reading age is two years behind"
        placement.save()
        placement.plan.review_date += timedelta(days=7)
        placement.plan.save()
        # A row loaded with only some fields, saving only unrelated ones, keeps them too.
        partial = Placement.objects.only("id", "school", "why_chosen").get(pk=placement.pk)
        partial.why_chosen = "Reading age"
        partial.save(update_fields=["why_chosen"])
    assert not reads_catalogue(senco, world.pupil_in_class)


def test_changing_a_field_the_candidates_read_renews_them(
    world, senco, phonics, django_capture_on_commit_callbacks
):
    group = make_group(world.school, phonics, name="Tuesday phonics", places=1)
    assert "Tuesday phonics" in sentence(senco, world.pupil_in_class, phonics.name)
    assert not reads_catalogue(senco, world.pupil_in_class)
    with django_capture_on_commit_callbacks(execute=True):
        group = Group.objects.get(pk=group.pk)
        group.room = "Library"  # unrelated, saved with a related change
        group.name = "Thursday phonics"
        group.save()
    assert "Thursday phonics" in sentence(senco, world.pupil_in_class, phonics.name)
    # The group's only place taken: a new member is a new row.
    other = on_plan(PupilFactory(school=world.school), phonics)
    with django_capture_on_commit_callbacks(execute=True):
        member = add_member(group, other)
    assert reads_catalogue(senco, world.pupil_in_class)
    # Leaving frees the place again: an edited row, one field the candidates read.
    with django_capture_on_commit_callbacks(execute=True):
        member = GroupMember.objects.get(pk=member.pk)
        member.left_on = member.joined_on
        member.save()
    assert reads_catalogue(senco, world.pupil_in_class)
    # A placement withdrawn no longer takes the budget, and a plan's status counts.
    with django_capture_on_commit_callbacks(execute=True):
        placement = Placement.objects.get(pk=other.pk)
        placement.withdrawn_at = timezone.now()
        placement.save()
    assert reads_catalogue(senco, world.pupil_in_class)
    with django_capture_on_commit_callbacks(execute=True):
        plan = Plan.objects.get(pk=other.plan_id)
        plan.status = Plan.Status.DRAFT
        plan.save()
    assert reads_catalogue(senco, world.pupil_in_class)
    # A row loaded without the field, then given it, counts as changed: there is nothing to
    # compare it with.
    with django_capture_on_commit_callbacks(execute=True):
        partial = Group.objects.only("id", "school", "room").get(pk=group.pk)
        partial.places = 6
        partial.save()
    assert reads_catalogue(senco, world.pupil_in_class)
