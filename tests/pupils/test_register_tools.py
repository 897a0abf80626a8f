"""The register's filters, export and census readiness check."""

from datetime import date

from django.urls import reverse

from sendwise.core.access import actor_for
from sendwise.core.models import AuditEntry
from sendwise.pupils import census_checks as cc
from sendwise.pupils import profile_services, selectors
from sendwise.pupils.models import SenProvisionRecord, Skill
from sendwise.pupils.selectors import RegisterFilters
from tests.factories import PupilFactory


def names(world, **filters):
    actor = actor_for(world.users["senco"])
    return [
        p.first_name for p in selectors.pupil_list(actor=actor, filters=RegisterFilters(**filters))
    ]


def test_filters_by_area_skill_eal_and_pupil_premium(world):
    profile_services.skills_seed()
    PupilFactory(
        school=world.school, first_name="Ola", primary_need="ASD", eal=True, pupil_premium=True
    )
    senco = actor_for(world.users["senco"])
    profile_services.skill_need_set(
        actor=senco,
        pupil=world.pupil_in_class,
        skill_id=Skill.objects.get(slug="decoding").pk,
        severity=2,
    )
    assert names(world, area="communication_interaction") == ["Ola"]
    assert names(world, skill="decoding") == ["Amara"]
    assert names(world, eal=True) == ["Ola"]
    assert sorted(names(world, pupil_premium=False)) == ["Amara", "Ben"]


def test_sort_by_year_puts_younger_pupils_first(world):
    PupilFactory(school=world.school, first_name="Young", nc_year=1)
    assert names(world, sort="year")[0] == "Young"


def test_csv_export_has_the_filtered_rows_is_audited_and_defuses_formulas(world, client_as):
    world.pupil_in_class.last_name = "=HYPERLINK(1)"
    world.pupil_in_class.save()
    response = client_as("senco").get(reverse("pupils:export"), {"q": "Amara"})
    text = response.content.decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("UPN,Surname,Forename")
    assert len(lines) == 2 and "'=HYPERLINK(1)" in lines[1]
    assert response["Content-Disposition"].endswith('.csv"')
    assert AuditEntry.objects.filter(action="export", detail__startswith="csv, 1 pupils").exists()


def test_xlsx_export_opens_in_openpyxl(world, client_as):
    import io

    from openpyxl import load_workbook

    response = client_as("head").get(reverse("pupils:export"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "UPN" and len(rows) == 3


def test_census_problems_follow_the_census_rules():
    today = date(2026, 11, 1)
    k = cc.Period("K", date(2024, 9, 1), None)
    assert cc.census_problems("K", "SPLD", "", [k], []) == []
    problems = [
        p
        for p, _fix in cc.census_problems(
            "E", "NSA", "NSA", [k, cc.Period("E", date(2025, 1, 1), None)], []
        )
    ]
    assert cc.CENSUS_MORE_THAN_ONE_OPEN in problems
    assert cc.CENSUS_NSA_NOT_K in problems
    assert cc.CENSUS_SECONDARY_SAME in problems
    assert any(
        p.startswith("At EHC plan but no")
        for p in cc.census_problems("E", "", "", [cc.Period("E", today, None)], [])[0]
    )
    backwards = cc.Period("K", date(2025, 1, 1), date(2024, 1, 1))
    assert any(
        "ends before it starts" in p for p, _ in cc.census_problems("N", "", "", [backwards], [])
    )
    overlap = [
        cc.Period("K", date(2024, 1, 1), date(2025, 6, 1)),
        cc.Period("E", date(2025, 1, 1), None),
    ]
    assert any("overlap" in p for p, _ in cc.census_problems("E", "ASD", "", overlap, []))


def test_census_page_lists_each_failing_pupil_with_the_fix(world, client_as):
    # Amara and Ben were created at K without dated records: both need a record opening.
    SenProvisionRecord.objects.create(
        school=world.school, pupil=world.pupil_in_class, provision="K", start_date=date(2025, 9, 1)
    )
    html = client_as("senco").get(reverse("pupils:census_checks")).content.decode()
    assert "1 pupil would fail" in html
    assert "Ode, Ben" in html and "Ng, Amara" not in html
    assert "no open SEN provision record" in html


def test_no_current_support_lists_sen_pupils_without_an_intervention_in_a_current_plan(world):
    from datetime import date

    from sendwise.planning import services as planning
    from tests.evidence.factories import InterventionFactory

    senco = actor_for(world.users["senco"])
    plan = planning.plan_create(
        actor=senco,
        pupil=world.pupil_in_class,
        start_date=date(2026, 9, 7),
        review_date=date(2026, 12, 11),
    )
    assert sorted(names(world, no_support=True)) == [
        "Amara",
        "Ben",
    ]  # a plan with nothing in it is not support
    planning.placement_add(actor=senco, plan=plan, intervention=InterventionFactory())
    assert names(world, no_support=True) == ["Ben"]


def test_an_export_link_with_invalid_filters_is_refused_not_widened_to_everyone(world, client_as):
    response = client_as("senco").get(reverse("pupils:export"), {"class_group": "999999"})
    assert response.status_code == 400
    assert not AuditEntry.objects.filter(action="export").exists()


def test_a_filter_value_that_is_not_an_option_is_said_and_the_other_filters_still_apply(
    world, client_as
):
    """Year group 99 (an edited link) is no year group: the page says so in its title, the
    error summary and beside the field, and does not widen to every pupil: the class filter
    given with it still applies."""
    ash = world.pupil_in_class.class_group
    response = client_as("senco").get(
        reverse("pupils:register"), {"year": "99", "class_group": ash.pk}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: SEND register" in page and "govuk-error-summary" in page
    assert "Year group: “99” is not one of the options, so the list below is not filtered" in page
    assert "Ng, Amara" in page
    assert "Ode, Ben" not in page  # another class: still filtered out
