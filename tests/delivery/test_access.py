"""Who may see a pupil because of a group, or because they are named to deliver the pupil's
support: each delivery and planning service keeps the access rows in step, in its own
transaction. Then `manage.py access_check` and the migration that filled the table."""

import importlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils import timezone

from sendwise.core.access import actor_for
from sendwise.delivery import services
from sendwise.delivery.models import Group
from sendwise.planning import services as planning_services
from sendwise.pupils.models import PupilAccess
from tests.access_helpers import assert_in_step, drift, sees
from tests.delivery.factories import on_plan
from tests.evidence.factories import InterventionFactory
from tests.monitoring.factories import complete_review

TODAY = timezone.localdate


@pytest.fixture
def senco(world):
    return actor_for(world.users["senco"])


@pytest.fixture
def reading(db):
    return InterventionFactory(name="Reading boost")


@pytest.fixture
def ta(world):
    return world.users["intervention_specialist"]


def group_save(senco, reading, *, group=None, deliverer=None) -> Group:
    return services.group_save(
        actor=senco, group=group, intervention=reading, name="Readers", deliverer=deliverer,
        room="", places=4, slots=[],
    )  # fmt: skip


def join(senco, group, pupil, intervention):
    placement = on_plan(pupil, intervention)
    return services.group_add_member(
        actor=senco, group=group, placement_id=placement.pk, joined_on=TODAY()
    )


# --- Groups -----------------------------------------------------------------------------------
def test_the_deliverer_sees_a_pupil_who_joins_their_group_until_the_pupil_leaves(
    world, senco, reading, ta
):
    group = group_save(senco, reading, deliverer=ta)
    assert not sees(ta, world.pupil_elsewhere)
    member = join(senco, group, world.pupil_elsewhere, reading)
    assert sees(ta, world.pupil_elsewhere)
    assert_in_step(world.school)
    services.group_remove_member(actor=senco, group=group, member_id=member.pk, left_on=None)
    assert not sees(ta, world.pupil_elsewhere)
    assert PupilAccess.objects.filter(source_id=member.pk, ends_at__isnull=False).count() == 1
    assert_in_step(world.school)


def test_a_new_deliverer_sees_the_groups_pupils_and_the_old_one_no_longer_does(
    world, senco, reading, ta
):
    group = group_save(senco, reading)
    join(senco, group, world.pupil_elsewhere, reading)
    assert not sees(ta, world.pupil_elsewhere)  # a group nobody runs grants nothing
    group = group_save(senco, reading, group=group, deliverer=ta)
    assert sees(ta, world.pupil_elsewhere)
    assert_in_step(world.school)
    teacher = world.users["teacher"]
    group_save(senco, reading, group=group, deliverer=teacher)
    assert not sees(ta, world.pupil_elsewhere)
    assert sees(teacher, world.pupil_elsewhere)
    assert_in_step(world.school)
    group_save(senco, reading, group=group, deliverer=None)
    assert not sees(teacher, world.pupil_elsewhere)
    assert_in_step(world.school)


def test_changing_the_deliverer_keeps_what_their_class_lets_them_see(world, senco, reading, ta):
    group = group_save(senco, reading, deliverer=ta)
    join(senco, group, world.pupil_in_class, reading)  # the assistant's own class
    group_save(senco, reading, group=group, deliverer=None)
    assert sees(ta, world.pupil_in_class)
    assert_in_step(world.school)


def test_an_ended_group_no_longer_lets_its_deliverer_see_its_pupils(world, senco, reading, ta):
    group = group_save(senco, reading, deliverer=ta)
    join(senco, group, world.pupil_elsewhere, reading)
    services.group_end(actor=senco, group=group)
    assert not sees(ta, world.pupil_elsewhere)
    assert_in_step(world.school)


# --- Plans ------------------------------------------------------------------------------------
def test_a_named_deliverer_sees_the_pupil_until_the_plan_is_reviewed(world, senco, reading, ta):
    plan = on_plan(world.pupil_elsewhere, InterventionFactory()).plan
    planning_services.placement_add(actor=senco, plan=plan, intervention=reading, deliverer=ta)
    assert sees(ta, world.pupil_elsewhere)
    assert_in_step(world.school)
    planning_services.plan_review(actor=senco, plan=plan, reviewed_on=TODAY(), summary="Done")
    assert not sees(ta, world.pupil_elsewhere)
    assert_in_step(world.school)


def test_a_reviewed_plan_takes_its_pupil_out_of_groups_and_out_of_the_deliverers_sight(
    world, senco, reading, ta
):
    group = group_save(senco, reading, deliverer=ta)
    member = join(senco, group, world.pupil_elsewhere, reading)
    complete_review(senco, member.placement.plan, held_on=TODAY())
    assert not sees(ta, world.pupil_elsewhere)
    assert_in_step(world.school)


def test_a_placement_with_no_deliverer_grants_nothing(world, senco, reading):
    plan = on_plan(world.pupil_elsewhere, InterventionFactory()).plan
    before = PupilAccess.objects.count()
    planning_services.placement_add(actor=senco, plan=plan, intervention=reading)
    assert PupilAccess.objects.count() == before


# --- access_check -----------------------------------------------------------------------------
def busy_world(world, senco, reading, ta):
    """Rows of every basis: class staff and a parent (the world), a group, a named deliverer."""
    group = group_save(senco, reading, deliverer=ta)
    join(senco, group, world.pupil_elsewhere, reading)
    plan = on_plan(world.pupil_elsewhere, InterventionFactory()).plan
    planning_services.placement_add(
        actor=senco, plan=plan, intervention=InterventionFactory(), deliverer=world.users["teacher"]
    )


def check(*args) -> tuple[str, int]:
    out = StringIO()
    try:
        call_command("access_check", *args, stdout=out)
    except CommandError as error:
        return out.getvalue() + str(error), error.returncode
    return out.getvalue(), 0


def test_access_check_reports_no_drift_and_the_rows_per_basis(world, senco, reading, ta):
    busy_world(world, senco, reading, ta)
    text, code = check()
    assert code == 0, text
    assert "No drift" in text
    lines = {line.split()[0]: line.split()[1:5] for line in text.splitlines()[1:6]}
    assert lines["class_staff"] == ["2", "2", "0", "0"]
    assert lines["parent"] == ["1", "1", "0", "0"]
    assert lines["group_deliverer"] == ["1", "1", "0", "0"]
    assert lines["named_deliverer"] == ["1", "1", "0", "0"]


def test_access_check_exits_non_zero_on_drift_and_fix_repairs_it(world, senco, reading, ta):
    busy_world(world, senco, reading, ta)
    lost = PupilAccess.objects.get(basis="group_deliverer")
    lost.delete()  # a row written behind the services' back, or lost
    PupilAccess.objects.create(
        school=world.school, pupil=world.pupil_elsewhere, user=world.users["parent"],
        basis="parent", source_id=424242,
    )  # fmt: skip
    text, code = check()
    assert code == 1
    assert "Drift: 1 missing, 1 extra" in text
    assert f"Missing: user {ta.pk} may see pupil {world.pupil_elsewhere.pk}" in text
    assert "row 424242" in text
    text, code = check("--fix")
    assert code == 0, text
    assert "opened 1 row(s), ended 1" in text
    assert check()[1] == 0
    assert PupilAccess.objects.filter(source_id=424242, ends_at__isnull=False).exists()


def test_access_check_of_one_school_sees_only_that_school(world, senco, reading, ta):
    busy_world(world, senco, reading, ta)
    PupilAccess.objects.filter(school=world.school, basis="parent").delete()
    assert check("--school", world.other_school.urn)[1] == 0
    assert check("--school", world.school.urn)[1] == 1
    assert check("--school", "000000")[1] == 1  # no such school


def test_outside_professionals_are_counted_not_called_drift(world):
    PupilAccess.objects.create(
        school=world.school, pupil=world.pupil_elsewhere, user=world.users["teacher"],
        basis="professional", source_id=1, ends_at=timezone.now() + timezone.timedelta(days=90),
    )  # fmt: skip
    text, code = check()
    assert code == 0 and "professional" in text
    assert drift(world.school).professional == 1


# --- The migration that filled the table ------------------------------------------------------
def test_the_migration_fills_the_rows_access_check_expects(world, senco, reading, ta):
    busy_world(world, senco, reading, ta)
    PupilAccess.objects.all().delete()
    assert not drift().ok
    migration = importlib.import_module("sendwise.delivery.migrations.0003_fill_pupil_access")
    migration.fill(apps, None)
    assert_in_step()
    assert set(PupilAccess.objects.values_list("basis", flat=True)) == {
        "class_staff",
        "parent",
        "group_deliverer",
        "named_deliverer",
    }


# --- Names of pupils in a group ---------------------------------------------------------------
def test_the_group_selector_names_only_pupils_the_reader_may_see(world, senco, reading, ta):
    from sendwise.delivery.selectors import group_get, group_members_shown
    from sendwise.pupils.selectors import PUPIL_NOT_SHOWN

    group = group_save(senco, reading)
    join(senco, group, world.pupil_in_class, reading)
    join(senco, group, world.pupil_elsewhere, reading)

    def shown(user):
        actor = actor_for(user)
        members = group_members_shown(actor=actor, group=group_get(actor=actor, group_id=group.pk))
        return sorted((m.pupil.name, m.pupil.pupil_id) for m in members)

    assert shown(ta) == [
        (PUPIL_NOT_SHOWN, None),
        ("Amara Ng", world.pupil_in_class.pk),
    ]
    assert [name for name, _id in shown(world.users["senco"])] == ["Amara Ng", "Ben Ode"]
