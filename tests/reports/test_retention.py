"""Archived pupils' SEN records are removed when the school's retention period ends: reported
first (the dry run), then removed all together, leaving an audit line without the child."""

from datetime import date
from io import StringIO

import pytest
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from sendwise.core.access import actor_for
from sendwise.core.models import AuditEntry
from sendwise.pupils.models import Pupil
from sendwise.pupils.services import pupil_archive
from sendwise.reports import retention_services
from sendwise.reports.retention import remove_from
from sendwise.reports.retention_selectors import retention_report
from sendwise.reports.retention_services import retention_apply
from sendwise.reports.sar_kinds import KINDS, history_rows, kind_rows
from tests.factories import PupilFactory
from tests.queries import assert_database_query_count, capture_queries
from tests.reports.sar_helpers import amaras_file

TODAY = date(2026, 12, 7)


def test_the_record_may_go_on_the_birthday_the_rule_names():
    assert remove_from(date(2001, 5, 3), 25) == date(2026, 5, 3)
    assert remove_from(date(2000, 2, 29), 25) == date(2025, 3, 1)  # no 29 February in 2025
    assert remove_from(date(2000, 2, 29), 24) == date(2024, 2, 29)


@given(
    born=st.dates(min_value=date(1900, 1, 1), max_value=date(2030, 12, 31)),
    years=st.integers(min_value=25, max_value=100),
)
def test_the_date_is_the_birthday_that_many_years_on_never_earlier(born, years):
    until = remove_from(born, years)
    assert until.year == born.year + years
    assert (until.month, until.day) == (born.month, born.day) or (born.month, born.day) == (2, 29)
    assert until > born.replace(day=28 if born.day == 29 else born.day, year=born.year + years - 1)


def archived(world, pupil, born: date):
    Pupil.unscoped.filter(pk=pupil.pk).update(date_of_birth=born)
    pupil.refresh_from_db()
    senco = actor_for(world.users["senco"], world.school.pk)
    return pupil_archive(actor=senco, pupil=pupil, reason="Left for secondary school")


@pytest.fixture
def due(world):
    """Amara (born 1990, archived) is past 31 years; Ben (born 2000, archived) is not; Dev
    (born 1980) is still on roll."""
    amaras_file(world)
    archived(world, world.pupil_in_class, date(1990, 1, 15))
    archived(world, world.pupil_elsewhere, date(2000, 6, 1))
    dev = PupilFactory(school=world.school, first_name="Dev")
    Pupil.unscoped.filter(pk=dev.pk).update(date_of_birth=date(1980, 1, 1))
    return world


def counts(pupil):
    return {k.slug: kind_rows(k, pupil).count() for k in KINDS}


def test_the_dry_run_names_only_archived_pupils_past_retention_and_changes_nothing(due):
    before = counts(due.pupil_in_class)
    report = retention_report(school=due.school, today=TODAY)
    assert report.years == 31
    assert [d.name for d in report.due] == ["Amara Ng"]
    assert report.due[0].remove_from == date(2021, 1, 15)
    assert report.due[0].records >= sum(before.values())
    assert report.archived_kept == 1  # Ben, until 2031
    assert report.next_due == date(2031, 6, 1)
    assert counts(due.pupil_in_class) == before


def test_the_school_sets_the_period_but_never_below_25_years(due):
    due.school.sen_records_kept_years = 40
    due.school.save()
    assert retention_report(school=due.school, today=TODAY).due == []
    due.school.sen_records_kept_years = 18
    with pytest.raises(ValidationError) as error:
        due.school.full_clean()
    assert "sen_records_kept_years" in error.value.message_dict


def test_apply_removes_every_record_and_saved_version_and_keeps_the_audit_without_the_name(due):
    amara, ben = due.pupil_in_class, due.pupil_elsewhere
    assert sum(counts(amara).values()) > 15
    versions = [history_rows(k, amara) for k in KINDS]
    assert sum(v.count() for v in versions if v is not None) > 10
    reads = AuditEntry.objects.filter(object_id=str(amara.pk)).count()

    retention_apply(school=due.school, today=TODAY)

    assert not Pupil.unscoped.filter(pk=amara.pk).exists()
    assert all(n == 0 for n in counts(amara).values())
    assert all(v.count() == 0 for v in versions if v is not None)
    entries = AuditEntry.objects.filter(object_id=str(amara.pk), object_type="pupil")
    assert entries.count() == reads + 1  # the log keeps who did what, and the removal
    assert not entries.filter(object_repr__contains="Amara").exists()
    removal = entries.get(action="remove")
    assert removal.object_repr == f"Pupil no. {amara.pk}"
    assert "date of birth + 31 years" in removal.detail
    assert "Amara" not in removal.detail and "1990" not in removal.detail
    assert Pupil.unscoped.filter(pk=ben.pk).exists()  # archived, not yet due
    assert Pupil.unscoped.filter(first_name="Dev").exists()  # on roll: never removed


def test_apply_forgets_the_drawn_charts_once_the_removal_is_committed(
    due, django_capture_on_commit_callbacks
):
    store = caches["default"]
    store.set("chart:draw_progress:abc", "<svg>Amara's points</svg>")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        retention_apply(school=due.school, today=TODAY)
    assert callbacks and store.get("chart:draw_progress:abc") is None


def test_nothing_due_leaves_the_drawings(due, django_capture_on_commit_callbacks):
    store = caches["default"]
    store.set("chart:draw_progress:abc", "<svg>points</svg>")
    with django_capture_on_commit_callbacks(execute=True):
        retention_apply(school=due.school, today=date(2000, 1, 1))
    assert store.get("chart:draw_progress:abc") == "<svg>points</svg>"


def test_apply_is_all_or_nothing(due, monkeypatch):
    second = PupilFactory(school=due.school, first_name="Eve")
    archived(due, second, date(1985, 3, 3))
    real = retention_services._remove_pupil

    def fail_on_eve(pupil):
        if pupil.first_name == "Eve":
            raise ValidationError("disk full")
        return real(pupil)

    monkeypatch.setattr(retention_services, "_remove_pupil", fail_on_eve)
    with pytest.raises(ValidationError):
        retention_apply(school=due.school, today=TODAY)
    assert Pupil.unscoped.filter(pk=due.pupil_in_class.pk).exists()
    assert sum(counts(due.pupil_in_class).values()) > 15
    assert not AuditEntry.objects.filter(action="remove").exists()


def test_the_command_reports_by_default_and_removes_only_with_apply(due):
    out = StringIO()
    call_command("retention", "--today", "2026-12-07", stdout=out)
    text = out.getvalue()
    assert f"Would remove pupil no. {due.pupil_in_class.pk}" in text
    assert "Dry run: nothing removed (1 due)" in text
    assert "Amara" not in text  # the server's log is no place for the child's name
    assert Pupil.unscoped.filter(pk=due.pupil_in_class.pk).exists()

    out = StringIO()
    call_command(
        "retention", "--apply", "--school", due.school.urn, "--today", "2026-12-07", stdout=out
    )
    assert f"Removed pupil no. {due.pupil_in_class.pk}" in out.getvalue()
    assert not Pupil.unscoped.filter(pk=due.pupil_in_class.pk).exists()
    with pytest.raises(CommandError):
        call_command("retention", "--school", "000000", stdout=StringIO())


def test_the_senco_reads_the_dry_run_on_a_page(due, client_as):
    response = client_as("senco").get(reverse("records:retention"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "31 years after their date of birth" in page
    # The SENCO checks whom it names: the list uses the real date, so Amara (1990) is due.
    assert "Amara Ng" in page and "Ben Ode" not in page
    assert "1 other archived record is kept" in page
    assert Pupil.unscoped.filter(pk=due.pupil_in_class.pk).exists()


def test_the_page_says_so_when_nothing_is_due(world, client_as):
    page = client_as("admin").get(reverse("records:retention")).content.decode()
    assert "No archived pupil's record is past its retention date today." in page


def test_the_report_page_runs_the_same_queries_for_one_due_pupil_as_for_five(due, client_as):
    client = client_as("senco")
    url = reverse("records:retention")
    with capture_queries() as one:
        client.get(url)
    for n in range(4):
        archived(due, PupilFactory(school=due.school, first_name=f"Old{n}"), date(1970, 1, n + 1))
    with assert_database_query_count(one, info="retention page with 5 due, against 1"):
        response = client.get(url)
    assert response.content.decode().count("Old") == 4


def test_the_senco_sets_the_period_and_a_shorter_one_than_25_years_is_refused(due, client_as):
    client = client_as("senco")
    url = reverse("records:retention")
    for bad in ("18", "1e308", "thirty", "", "101"):
        response = client.post(url, {"years": bad})
        assert response.status_code == 200
        assert "Enter a whole number of years from 25 to 100" in response.content.decode()
        due.school.refresh_from_db()
        assert due.school.sen_records_kept_years == 31
    response = client.post(url, {"years": "40"}, follow=True)
    assert "40 years after their date of birth" in response.content.decode()
    assert "Amara Ng" not in response.content.decode()  # born 1990: kept until 2030 now
    entry = AuditEntry.objects.get(object_type="school")
    assert entry.detail == "SEN records kept until date of birth + 40 years (was 31)"
