"""The costed provision map: a head sees what each intervention cost, worked out from the
school's hourly costs, sessions and registers; the SENCO sets the costs; a pupil's own map;
fixed queries; bad money refused with a reason and nothing saved."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from sendwise.core.models import AuditEntry
from sendwise.delivery.models import (
    Attendance,
    Funding,
    RunningCost,
    Session,
    StaffBand,
    StaffRate,
)
from tests.delivery.factories import running_group
from tests.queries import assert_database_query_count, capture_queries
from tests.table_regions import read, region_problems

#: A Wednesday in the middle of the autumn term: "today" in these tests, so sessions two and
#: three weeks back fall in the same school year and term whatever day the suite runs.
MID_TERM = date(2026, 11, 18)
REAL_LOCALDATE = timezone.localdate


@pytest.fixture(autouse=True)
def mid_autumn_term(monkeypatch):
    def localdate(value=None, timezone=None):
        return MID_TERM if value is None else REAL_LOCALDATE(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)


MAP = reverse("delivery:provision_map")
COSTS = reverse("delivery:costs")


def deliver(group, members, days_ago: int, minutes=30, absent=()):
    """A delivered session ``days_ago`` days ago with every member on the register."""
    on = timezone.localdate() - timedelta(days=days_ago)
    session = Session.objects.create(
        school=group.school,
        group=group,
        date=on,
        starts_at=time(9, 10),
        slot_minutes=30,
        status="delivered",
        minutes=minutes,
        recorded_at=timezone.now(),
    )
    for n, member in enumerate(members):
        Attendance.objects.create(
            school=group.school,
            session=session,
            member=member,
            placement=member.placement,
            status="absent" if n in absent else "present",
        )
    return session


@pytest.fixture
def costed(world):
    """Two pupils in a reading group run by a teaching assistant at £20 an hour; two 30-minute
    sessions this term (the second pupil absent from the second)."""
    StaffRate.objects.create(school=world.school, band="ta", hourly=Decimal("20.00"))
    group, members = running_group(world, pupils=2, joined_days_ago=20)
    deliver(group, members, days_ago=14)
    deliver(group, members, days_ago=7, absent=(1,))
    return group, members


def test_the_head_sees_each_interventions_staff_cost_worked_out_from_sessions(client_as, costed):
    response = client_as("head").get(MAP)
    assert response.status_code == 200
    page = response.content.decode()
    # Two sessions of 30 minutes at £20 an hour: £10 each, £20 in all; 1 hour of staff time.
    assert "Reading recovery" in page
    assert "£20" in page and "1.0" in page
    # The group meets weekly on today's weekday: 20 days ago it had pupils, so three meetings
    # were timetabled (14 and 7 days ago, and today): 1.5 hours, of which 1.0 happened.
    assert "of 1.5" in page
    assert "How the figures are worked out" in page
    assert "<svg" in page  # the chart


def test_the_costs_and_who_pays_each_scroll_in_a_region_of_their_own(client_as, costed):
    """Each table is a region named after it (WCAG 1.4.10 Reflow), so a screen reader can
    reach "Who pays" by name and not hear it as part of the costs table."""
    page = client_as("head").get(MAP).content.decode()
    shown = read(page)
    assert [t["caption"].split(",")[0] for t in shown.tables] == [
        "Provision and its cost",
        "Who pays",
    ]
    assert shown.regions == ["Provision and its cost", "Who pays"]
    assert region_problems(page) == []


def test_a_band_with_no_hourly_cost_is_flagged_not_shown_as_free(client_as, world):
    group, members = running_group(world, pupils=1, joined_days_ago=20)
    deliver(group, members, days_ago=7)
    page = client_as("senco").get(MAP).content.decode()
    assert "No hourly cost is set for Teaching assistant" in page
    assert "time not costed" in page


def test_the_map_runs_the_same_queries_for_one_group_as_for_five(client_as, world, costed):
    client = client_as("head")
    with capture_queries() as one:
        client.get(MAP)
    for n in range(4):
        group, members = running_group(world, pupils=3, joined_days_ago=20, name=f"Group {n}")
        deliver(group, members, days_ago=7)
    with assert_database_query_count(one):
        client.get(MAP)


def test_an_invalid_filter_shows_the_error_and_this_years_map(client_as, costed):
    response = client_as("head").get(MAP, {"year": "1850", "term": "winter"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Error:" in page and "Choose from the list" in page


def test_the_senco_sets_hourly_costs_and_a_typing_slip_is_refused_with_why(client_as, world):
    client = client_as("senco")
    response = client.post(COSTS, {"form": "rates", "ta": "19.50", "teacher": "£45"})
    assert response.status_code == 302
    rates = dict(StaffRate.objects.filter(school=world.school).values_list("band", "hourly"))
    assert rates == {"ta": Decimal("19.50"), "teacher": Decimal("45.00")}
    response = client.post(COSTS, {"form": "rates", "ta": "1950", "hlta": "-3", "teacher": "9.999"})
    page = response.content.decode()
    assert "an hour of anyone&#x27;s time costs less" in page
    assert "£0 or more" in page and "at most 2 decimal places" in page
    rates = dict(StaffRate.objects.filter(school=world.school).values_list("band", "hourly"))
    assert rates == {"ta": Decimal("19.50"), "teacher": Decimal("45.00")}


def test_materials_need_the_date_a_one_off_cost_was_paid(client_as, world, costed):
    group, _members = costed
    client = client_as("admin")
    data = {"form": "running", "intervention": group.intervention_id, "one_off": "450"}
    page = client.post(COSTS, data).content.decode()
    assert "Enter the date the one-off cost was paid" in page
    assert not RunningCost.objects.exists()
    data |= {"one_off_on": timezone.localdate().isoformat(), "per_pupil": "12.50"}
    assert client.post(COSTS, data).status_code == 302
    assert RunningCost.objects.get().per_pupil == Decimal("12.50")


def test_a_member_of_staff_can_be_put_on_another_band(client_as, world, costed):
    client = client_as("senco")
    specialist = world.users["intervention_specialist"]
    StaffRate.objects.create(school=world.school, band="hlta", hourly=Decimal("30"))
    response = client.post(COSTS, {"form": "band", "staff": specialist.pk, "band": "hlta"})
    assert response.status_code == 302
    assert StaffBand.objects.get(staff=specialist).band == "hlta"
    # Two 30-minute sessions at £30 an hour: £30.
    assert "£30" in client.get(MAP).content.decode()


def test_assistants_and_teachers_see_neither_the_costs_nor_the_map(client_as, costed):
    assert client_as("intervention_specialist").get(COSTS).status_code == 403
    assert client_as("teacher").get(MAP).status_code == 403


def test_a_pupils_own_map_shows_their_share_and_who_pays(client_as, world, costed):
    _group, members = costed
    pupil = world.pupil_in_class
    url = reverse("delivery:pupil_provision", kwargs={"pupil_id": pupil.pk})
    client = client_as("senco")
    page = client.get(url).content.decode()
    # Their share: £5 of each £10 session; 1 hour received (they came to both).
    assert "£10" in page and "Reading group" in page
    # A licence is shared by both pupils on the map, and so on each pupil's own: £150 each.
    RunningCost.objects.create(
        school=world.school, intervention=members[0].placement.intervention, per_year=300
    )
    assert "£160" in client.get(url).content.decode()  # £10 staff + £150 licence
    placement = members[0].placement
    response = client.post(url, {"placement": placement.pk, "source": "ehc_top_up"})
    assert response.status_code == 302
    assert Funding.objects.get(placement=placement).source == "ehc_top_up"
    assert "EHC plan top-up" in client.get(url).content.decode()
    # The record page links to it.
    detail = client.get(reverse("pupils:detail", kwargs={"pupil_id": pupil.pk}))
    assert url in detail.content.decode()


def test_a_pupils_map_cannot_set_funding_for_another_pupils_place(client_as, world, costed):
    _group, members = costed
    url = reverse("delivery:pupil_provision", kwargs={"pupil_id": world.pupil_in_class.pk})
    other = members[1].placement
    response = client_as("senco").post(url, {"placement": other.pk, "source": "other"})
    assert response.status_code == 200 and "Choose one of this pupil" in response.content.decode()
    assert not Funding.objects.exists()


def test_a_pupils_map_is_audited_and_refused_for_another_school(client_as, world, costed):
    url = reverse("delivery:pupil_provision", kwargs={"pupil_id": world.pupil_in_class.pk})
    assert client_as("other_school_senco").get(url).status_code == 404
    assert AuditEntry.objects.filter(action="refused").exists()


def test_changing_materials_starts_from_what_was_saved(client_as, world, costed):
    group, _members = costed
    RunningCost.objects.create(
        school=world.school, intervention=group.intervention, per_pupil=Decimal("7.25")
    )
    page = client_as("senco").get(COSTS, {"intervention": group.intervention_id}).content.decode()
    assert 'value="7.25"' in page and "Change<span" in page


def test_a_pupils_map_runs_the_same_queries_whatever_the_school_holds(client_as, world, costed):
    url = reverse("delivery:pupil_provision", kwargs={"pupil_id": world.pupil_in_class.pk})
    client = client_as("senco")
    with capture_queries() as one:
        client.get(url)
    for n in range(3):
        group, members = running_group(world, pupils=3, joined_days_ago=20, name=f"Group {n}")
        deliver(group, members, days_ago=7)
    with assert_database_query_count(one):
        client.get(url)
