"""Test data that stays inside one school: related rows share the pupil's or class's school.

Factories that make a relationship with a pupil (class staff, a pupil in a class, a parent's
contact with an account) also write its `PupilAccess` rows through the same calls the services
make, so tests build worlds the way the services would."""

import functools
from datetime import date, timedelta

import factory
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from stdnum.gb import upn as stdnum_upn

from sendwise.core.models import Membership, School, Trust, User
from sendwise.pupils.access_services import (
    class_staff_access_grant,
    contact_access_grant,
    pupil_access_classes_sync,
)
from sendwise.pupils.census_checks import academic_year_start
from sendwise.pupils.models import ClassGroup, ClassStaff, Contact, Pupil


def valid_upn(n: int, la_code: str = "873") -> str:
    body = f"{la_code}4999{n // 1000 % 100:02d}{n % 1000:03d}"  # 4999: apart from samples.py
    return stdnum_upn.calc_check_digit(body) + body


def birthday_for(nc_year: int) -> date:
    """A date of birth in the middle of the range that fits `nc_year` this school year."""
    start = academic_year_start(timezone.localdate())
    return date(start - nc_year - 5, 9, 1) + timedelta(days=180)


class TrustFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trust

    name = factory.Sequence(lambda n: f"Trust {n}")


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    urn = factory.Sequence(lambda n: f"{100000 + n}")
    name = factory.Sequence(lambda n: f"School {n}")
    phase = School.Phase.PRIMARY
    la_code = "873"
    la_name = "Cambridgeshire"
    trust = factory.SubFactory(TrustFactory)


TEST_PASSWORD = "a-long-test-password"  # pragma: allowlist secret (a test account's)


@functools.cache
def _password_hash(hasher: str) -> str:
    return make_password(TEST_PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    """A person whose password is TEST_PASSWORD. The hash is made once (per hasher) and saved
    with the person in one write: setting it after the first save cost a second save and a
    second history row for every person a test made."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.LazyFunction(lambda: _password_hash(settings.PASSWORD_HASHERS[0]))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    school = factory.SubFactory(SchoolFactory)
    role = "teacher"


class ClassGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClassGroup

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"4 Class{n}")
    nc_year = 4


class ClassStaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClassStaff
        skip_postgeneration_save = True

    class_group = factory.SubFactory(ClassGroupFactory)
    school = factory.SelfAttribute("class_group.school")
    user = factory.SubFactory(UserFactory)
    kind = ClassStaff.Kind.TEACHER

    @factory.post_generation
    def access(obj, create, extracted, **kwargs):
        if create:
            class_staff_access_grant(class_staff=[obj])


class PupilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pupil
        skip_postgeneration_save = True

    @classmethod
    def _get_manager(cls, model_class):
        return model_class.unscoped  # a factory acts for the school, not for a person

    school = factory.SubFactory(SchoolFactory)
    upn = factory.Sequence(lambda n: valid_upn(n))
    first_name = factory.Sequence(lambda n: f"Pupil{n}")
    last_name = "Example"
    nc_year = 4
    date_of_birth = factory.LazyAttribute(lambda p: birthday_for(p.nc_year))
    gender = "F"
    sen_provision = "K"
    primary_need = "SPLD"

    @factory.post_generation
    def access(obj, create, extracted, **kwargs):
        if create and obj.class_group_id:
            pupil_access_classes_sync(pupil_ids=[obj.pk])


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact
        skip_postgeneration_save = True

    pupil = factory.SubFactory(PupilFactory)
    school = factory.SelfAttribute("pupil.school")
    name = "A Parent"
    relationship = "mother"

    @factory.post_generation
    def access(obj, create, extracted, **kwargs):
        if create:
            contact_access_grant(contacts=[obj])
