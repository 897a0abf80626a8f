"""Dashboards by role, the audit log, staff, classes, school switching and the health check."""

from django.urls import reverse

from sendwise.core.access import actor_for
from sendwise.core.models import AuditEntry
from sendwise.core.services import audit_record
from tests.factories import MembershipFactory, PupilFactory


def test_healthz_reports_the_database_without_sign_in(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_senco_dashboard_counts_sen_pupils_by_provision_and_need(world, client_as):
    PupilFactory(school=world.school, sen_provision="E", primary_need="ASD")
    html = client_as("senco").get(reverse("home")).content.decode()
    assert "at SEN support (K)" in html and "with an EHC plan (E)" in html
    assert "?need=ASD" in html and "?need=SPLD" in html


def test_teacher_dashboard_lists_only_their_pupils(world, client_as):
    html = client_as("teacher").get(reverse("home")).content.decode()
    assert "Amara Ng" in html and "Ben Ode" not in html


def test_parent_dashboard_lists_their_child(world, client_as):
    html = client_as("parent").get(reverse("home")).content.decode()
    assert "Amara Ng" in html and "Ben Ode" not in html


def test_adviser_sees_totals_per_school_with_small_numbers_suppressed(world, client_as):
    html = client_as("la_adviser").get(reverse("home")).content.decode()
    assert "Alpha Primary" in html and "Beta Primary" in html
    assert "fewer than 5" in html  # 2 pupils at SEN support in Alpha
    assert "Amara" not in html


def test_audit_log_shows_only_this_schools_entries_and_filters_by_person(world, client_as):
    senco = actor_for(world.users["senco"])
    other = actor_for(world.users["other_school_senco"])
    audit_record(
        actor=senco, action="view", object_type="pupil", object_id=1, object_repr="Amara Ng"
    )
    audit_record(
        actor=other, action="view", object_type="pupil", object_id=2, object_repr="Cara Zed"
    )
    client = client_as("head")
    html = client.get(reverse("audit_log")).content.decode()
    assert "Amara Ng" in html and "Cara Zed" not in html
    filtered = client.get(reverse("audit_log"), {"user": world.users["head"].pk}).content.decode()
    assert "Amara Ng" not in filtered


def test_audit_log_with_a_bad_date_shows_the_error_summary(world, client_as):
    response = client_as("senco").get(reverse("audit_log"), {"since": "31/02/2026"})
    assert "From date must be a real date" in response.content.decode()
    assert response.status_code == 200


def test_staff_page_lists_staff_but_not_parents(world, client_as):
    html = client_as("head").get(reverse("staff")).content.decode()
    assert "teacher person" in html and "Parent person" not in html


def test_classes_page_counts_pupils_with_sen(world, client_as):
    html = client_as("teacher").get(reverse("classes")).content.decode()
    assert "4 Ash" in html and "4 Birch" in html


def test_a_person_with_roles_in_two_schools_can_switch_between_them(world, client_as):
    MembershipFactory(user=world.users["senco"], school=world.other_school, role="teacher")
    client = client_as("senco")
    assert "Alpha Primary" in client.get(reverse("home")).content.decode()
    client.post(reverse("switch_school"), {"school": world.other_school.pk})
    html = client.get(reverse("home")).content.decode()
    assert "Beta Primary" in html and "Switch school" in html
    # now a teacher there: no audit log, and Beta's pupils are scoped to their classes
    assert client.get(reverse("audit_log")).status_code == 403


def test_switching_to_a_school_without_a_role_changes_nothing(world, client_as):
    client = client_as("teacher")
    client.post(reverse("switch_school"), {"school": world.other_school.pk})
    assert "Alpha Primary" in client.get(reverse("home")).content.decode()
    client.post(reverse("switch_school"), {"school": "not-a-number"})
    assert client.get(reverse("home")).status_code == 200


def test_audit_entries_cannot_be_reached_from_another_school(world):
    AuditEntry.objects.create(
        school=world.other_school,
        action="view",
        object_type="pupil",
        object_id="9",
        object_repr="Cara Zed",
    )
    from sendwise.core.selectors import AuditFilters, audit_list

    entries = audit_list(actor=actor_for(world.users["senco"]), filters=AuditFilters())
    assert not entries.filter(object_repr="Cara Zed").exists()


def test_a_person_with_no_role_sees_a_helpful_page(db, client):
    from tests.factories import UserFactory

    user = UserFactory()
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    assert "no role yet" in html
    assert client.get(reverse("pupils:register")).status_code == 403


def test_classes_page_links_each_class_its_reader_may_open_to_its_week(world, client_as):
    """The head opens every class's week; the teacher of 4 Ash only theirs; the administrator
    none (they do not see the weeks). One pupil with SEN is "1 pupil", not "1 pupils"."""
    from django.urls import reverse as url

    ash = world.pupil_in_class.class_group
    birch = world.pupil_elsewhere.class_group
    ash_week = url("delivery:class_week", args=[ash.pk])
    birch_week = url("delivery:class_week", args=[birch.pk])
    head = client_as("head").get(reverse("classes")).content.decode()
    assert ash_week in head and birch_week in head
    assert '>1<span class="govuk-visually-hidden"> pupil with SEN in 4 Ash<' in head
    teacher = client_as("teacher").get(reverse("classes")).content.decode()
    assert ash_week in teacher and birch_week not in teacher
    admin = client_as("admin").get(reverse("classes")).content.decode()
    assert "this-week" not in admin
