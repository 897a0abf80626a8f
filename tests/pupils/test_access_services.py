"""Who may see a pupil is kept as rows by the services that make the relationships: a class's
staff, a pupil changing class, a parent's account. Each test runs the service, then checks
that the person can (or can no longer) see the pupil and that the rows match the relationships
exactly, as `manage.py access_check` would."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sendwise.core.access import actor_for
from sendwise.core.roles import Role
from sendwise.pupils import access_services, services
from sendwise.pupils.models import ClassStaff, PupilAccess
from tests.access_helpers import assert_in_step, drift, sees
from tests.factories import ClassGroupFactory, ContactFactory, MembershipFactory, UserFactory


@pytest.fixture
def senco(world):
    return actor_for(world.users["senco"])


def new_teacher(world):
    user = UserFactory(full_name="New teacher")
    MembershipFactory(user=user, school=world.school, role=Role.TEACHER)
    return user


def test_the_world_is_built_the_way_the_services_would_build_it(world):
    assert_in_step(world.school)
    bases = set(PupilAccess.objects.values_list("basis", flat=True))
    assert bases == {"class_staff", "parent"}


def test_a_teacher_added_to_a_class_sees_its_pupils_from_then_on(world, senco):
    teacher = new_teacher(world)
    assert not sees(teacher, world.pupil_elsewhere)
    access_services.class_staff_add(
        actor=senco, class_group=world.pupil_elsewhere.class_group, user=teacher
    )
    assert sees(teacher, world.pupil_elsewhere)
    assert not sees(teacher, world.pupil_in_class)
    assert_in_step(world.school)


def test_a_teacher_taken_off_a_class_no_longer_sees_its_pupils_and_the_row_is_kept(world, senco):
    teacher = world.users["teacher"]
    link = ClassStaff.objects.get(user=teacher)
    assert sees(teacher, world.pupil_in_class)
    access_services.class_staff_remove(actor=senco, class_staff=link)
    assert not sees(teacher, world.pupil_in_class)
    ended = PupilAccess.objects.get(user=teacher, pupil=world.pupil_in_class)
    assert ended.ends_at is not None and ended.ends_at >= ended.starts_at  # history, not deleted
    assert_in_step(world.school)


def test_class_staff_must_be_staff_of_the_classs_school(world, senco):
    parent = world.users[Role.PARENT]
    with pytest.raises(ValidationError) as refused:
        access_services.class_staff_add(
            actor=senco, class_group=world.pupil_elsewhere.class_group, user=parent
        )
    assert refused.value.message_dict["user"] == [access_services.NOT_STAFF_HERE]
    other_class = ClassGroupFactory(school=world.other_school)
    with pytest.raises(ValidationError):
        access_services.class_staff_add(
            actor=senco, class_group=other_class, user=new_teacher(world)
        )
    assert not PupilAccess.objects.filter(user=parent, basis="class_staff").exists()


def test_a_pupil_moved_to_another_class_is_seen_by_its_staff_and_not_the_old_ones(world, senco):
    pupil = world.pupil_in_class
    services.pupil_update(actor=senco, pupil=pupil, class_group=world.pupil_elsewhere.class_group)
    assert not sees(world.users["teacher"], pupil)
    assert not sees(world.users["intervention_specialist"], pupil)
    assert sees(world.users["parent"], pupil)  # the parent's sight does not depend on the class
    assert_in_step(world.school)
    services.pupil_update(actor=senco, pupil=pupil, class_group=None)
    assert not PupilAccess.objects.open().filter(pupil=pupil, basis="class_staff").exists()
    assert_in_step(world.school)


def test_an_archived_pupil_keeps_their_rows_but_nobody_sees_them(world, senco):
    pupil = world.pupil_in_class
    services.pupil_archive(actor=senco, pupil=pupil, reason="Moved school")
    assert PupilAccess.objects.open().filter(pupil=pupil).count() == 3
    assert not sees(world.users["teacher"], pupil)
    assert not sees(world.users["parent"], pupil)
    assert_in_step(world.school)


def test_a_parents_account_linked_to_a_contact_sees_that_child_only(world, senco):
    parent = UserFactory(full_name="Second parent")
    MembershipFactory(user=parent, school=world.school, role=Role.PARENT)
    contact = ContactFactory(pupil=world.pupil_elsewhere, name="Second parent")
    assert not sees(parent, world.pupil_elsewhere)
    access_services.contact_user_link(actor=senco, contact=contact, user=parent)
    assert sees(parent, world.pupil_elsewhere)
    assert not sees(parent, world.pupil_in_class)
    assert_in_step(world.school)
    access_services.contact_user_link(actor=senco, contact=contact, user=None)
    assert not sees(parent, world.pupil_elsewhere)
    assert_in_step(world.school)


def test_only_a_parent_of_this_school_can_be_linked(world, senco):
    contact = ContactFactory(pupil=world.pupil_elsewhere)
    with pytest.raises(ValidationError):
        access_services.contact_user_link(actor=senco, contact=contact, user=world.users["teacher"])
    assert not sees(world.users["teacher"], world.pupil_elsewhere)


def test_a_role_counts_only_its_own_bases(world):
    """A parent's row does not let them see the child as staff would, and the other way round:
    a row counts only for a role that may use its basis."""
    teacher = world.users["teacher"]
    access_services.pupil_access_grant(
        school_id=world.school.pk,
        basis="parent",
        source_id=999,
        user_id=teacher.pk,
        pupil_ids=[world.pupil_elsewhere.pk],
    )
    assert not sees(teacher, world.pupil_elsewhere)


def test_a_row_ended_or_not_yet_started_grants_nothing(world):
    ta = world.users["intervention_specialist"]
    row = PupilAccess.objects.create(
        school=world.school,
        pupil=world.pupil_elsewhere,
        user=ta,
        basis="named_deliverer",
        source_id=1,
        starts_at=timezone.now() + timezone.timedelta(days=1),
    )
    assert not sees(ta, world.pupil_elsewhere)
    row.starts_at = timezone.now() - timezone.timedelta(days=1)
    row.save()
    assert sees(ta, world.pupil_elsewhere)
    access_services.pupil_access_end(basis="named_deliverer", source_ids=[1])
    assert not sees(ta, world.pupil_elsewhere)


def test_granting_twice_keeps_one_open_row(world):
    for _ in range(2):
        access_services.pupil_access_grant(
            school_id=world.school.pk,
            basis="named_deliverer",
            source_id=7,
            user_id=world.users["teacher"].pk,
            pupil_ids=[world.pupil_elsewhere.pk],
        )
    assert PupilAccess.objects.filter(source_id=7, ends_at__isnull=True).count() == 1
    assert drift(world.school).extra  # a row no relationship calls for is drift
