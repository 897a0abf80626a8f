"""The SEN information report summary for governors: the same suppressed figures on the page,
in the PDF and in the spreadsheet, with impact from the aggregates and costs where recorded."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from sendwise.delivery.models import Cost
from sendwise.evidence.models import Measure
from sendwise.impact.models import ImpactAggregate
from sendwise.monitoring.models import Review
from sendwise.reports.governor_selectors import academic_year
from tests.evidence.factories import InterventionFactory
from tests.factories import PupilFactory
from tests.monitoring.factories import reading_measure
from tests.reports.pdftext import pdf_pages, pdf_text

YEAR = academic_year(timezone.localdate())


@pytest.fixture
def school_data(world):
    """SPLD: 12 at SEN support (2 in the world); SLCN: 6 SEN support, 3 EHC plans; ASD: 7 EHC.
    Reading catch-up: 6 pupils, 5 with scores (gains 0.1 to 0.5 SD); Number sense: 3 pupils."""
    for need, provision, n in (
        ("SPLD", "K", 10),
        ("SLCN", "K", 6),
        ("SLCN", "E", 3),
        ("ASD", "E", 7),
    ):
        for _ in range(n):
            PupilFactory(school=world.school, primary_need=need, sen_provision=provision)
    PupilFactory(school=world.school, primary_need="", sen_provision="N")
    reading = InterventionFactory(name="Reading catch-up")
    number = InterventionFactory(name="Number sense")
    ImpactAggregate.objects.create(
        school=world.school, intervention=reading, measure=reading_measure(), academic_year=YEAR,
        term="autumn", gain_kind="standardised", placements=6, completed=5, scored=5, gain_sum=1.5,
        gain_sq_sum=0.55, reliable_judged=5, reliable_improved=2, dose_n=6, full_dose=5,
    )  # fmt: skip
    ImpactAggregate.objects.create(
        school=world.school, intervention=number, measure=None, academic_year=YEAR,
        term="autumn", placements=3, completed=1,
    )  # fmt: skip
    Cost.objects.create(school=world.school, intervention=reading, per_pupil=Decimal("120.00"))
    return reading, number


def test_the_page_shows_needs_by_provision_with_small_numbers_suppressed(
    world, client_as, school_data
):
    response = client_as("head").get(reverse("reports:governors"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Speech, language and communication needs" in page
    # 3 EHC plans for SLCN is hidden, and so is the 6 beside it (or 9 − 6 would give it away).
    slcn = page.split("Speech, language and communication needs")[1].split("</tr>")[0]
    assert slcn.count("[c]") == 2 and ">9<" in slcn
    assert ">3<" not in slcn
    assert "[c]: not shown, because it is a number of pupils from 1 to 4" in page


def test_impact_shows_its_interval_n_and_months_and_cost_or_not_recorded(
    world, client_as, school_data
):
    page = client_as("senco").get(reverse("reports:governors")).content.decode()
    assert "0.30 standard deviations (95% interval 0.10 to 0.50; n = 5 pupils)" in page
    assert "about 4 months of additional progress" in page and "interval 2 to 6 months" in page
    # No session delivered nor anything bought: the school's estimate of a place (£120) is
    # not a cost (tests/reports/test_governors_cost.py has one delivered).
    assert "£120" not in page
    assert "Cost so far: no session delivered and nothing bought for it" in page
    number = page.split("Number sense")[1]
    assert "Pupils: [c]" in number


def test_the_pdf_has_the_same_figures_and_marks(world, client_as, school_data):
    response = client_as("head").get(reverse("reports:governors_pdf"), {"year": YEAR})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"] == (
        f'attachment; filename="sen-summary-alpha-primary-{YEAR}.pdf"'
    )
    text = " ".join(pdf_text(response.content).split())
    assert "SEN information report: summary for governors" in text
    assert "Speech, language and communication needs [c] [c] 9" in text
    assert "(95% interval 0.10 to 0.50; n = 5 pupils)" in text
    assert "Pupils: [c]" in text
    assert pdf_pages(response.content) <= 3


def test_the_spreadsheet_has_the_same_marks(world, client_as, school_data):
    response = client_as("head").get(reverse("reports:governors_xlsx"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    needs = [[c.value for c in row] for row in book["Pupils by need"].iter_rows(min_row=3)]
    assert ["Speech, language and communication needs", "[c]", "[c]", 9] in needs
    assert "[c]: not shown" in book["Pupils by need"]["A1"].value
    rows = [[c.value for c in row] for row in book["Interventions"].iter_rows(min_row=3)]
    reading = next(r for r in rows if r[0] == "Reading catch-up")
    # 5 of the 6 reviewed would tell that one was not: hidden, as are both shares (2 of 5
    # improved leaves 3; 5 of 6 with most sessions leaves 1).
    assert reading[1:7] == [6, "[c]", 0, 0, 0, None]  # nothing spent yet, no share of it
    assert reading[7:11] == ["Reading test (standardised)", 5, 0.3, "0.10 to 0.50"]
    assert reading[11:14] == ["4 (2 to 6)", "[c]", "[c]"]
    number = next(r for r in rows if r[0] == "Number sense")
    assert number[1:3] == ["[c]", "[c]"]


def test_the_spreadsheet_says_its_cost_is_what_was_spent_as_the_provision_map_has_it(
    world, client_as, school_data
):
    """The cost columns are the provision map's cost of what was delivered and bought (ADR
    0026), and the note says how it is worked out, as the page does."""
    response = client_as("head").get(reverse("reports:governors_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content))["Interventions"]
    headings = [c.value for c in next(sheet.iter_rows(min_row=2, max_row=2))]
    assert headings[3] == "Spent so far (£)"
    assert "worked out as the provision map does" in sheet["A1"].value
    assert "It is not the estimate of a place" in sheet["A1"].value


def test_another_schools_aggregates_never_count(world, client_as, school_data):
    ImpactAggregate.objects.create(
        school=world.other_school, intervention=InterventionFactory(name="Elsewhere only"),
        academic_year=YEAR, term="autumn", placements=40,
    )  # fmt: skip
    page = client_as("senco").get(reverse("reports:governors")).content.decode()
    assert "Elsewhere only" not in page


def test_a_year_out_of_range_is_refused_with_a_reason_and_no_figures(world, client_as, school_data):
    response = client_as("senco").get(reverse("reports:governors"), {"year": "9999"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Error: SEN summary for governors" in page
    # The world's pupils were recorded today: this school year is the only one to choose.
    label = f"{YEAR}/{(YEAR + 1) % 100:02d}"
    assert f"Choose a school year from {label} to {label}" in page
    assert "Reading catch-up" not in page
    assert (
        client_as("senco").get(reverse("reports:governors_pdf"), {"year": "x"}).status_code == 400
    )


def test_with_nothing_recorded_the_page_says_so(world, client_as):
    page = client_as("senco").get(reverse("reports:governors"), {"year": YEAR}).content.decode()
    assert "No intervention results are recorded for" in page


def test_no_effect_size_or_months_is_shown_without_its_interval_and_n(
    world, client_as, school_data
):
    """Every sentence that gives an effect (in standard deviations) or months of progress gives
    the 95% interval and n in the same sentence, on the page and in the PDF."""
    page = client_as("senco").get(reverse("reports:governors")).content.decode()
    pdf = pdf_text(client_as("senco").get(reverse("reports:governors_pdf")).content)
    for text in (re.sub(r"<[^>]+>", " ", page), pdf):
        sentences = re.split(r"(?<=[.])\s+", " ".join(text.split()))
        figures = [s for s in sentences if re.search(r"\d standard deviations|\d months? of", s)]
        assert figures
        for sentence in figures:
            assert "95% interval" in sentence and "n = " in sentence, sentence


def test_interventions_run_are_counted_from_plans_before_any_result_is_worked_out(world, client_as):
    """Phonics boost was planned this school year for seven pupils: five placed in its group
    (two of them reviewed), two still waiting for a place; one more in a plan of last year and
    one withdrawn by mistake. A pupil had it when placed in a group or at a session: 5 pupils,
    2 reviewed, of 7 planned. No result yet."""
    from tests.delivery.factories import add_member, make_group, on_plan

    phonics = InterventionFactory(name="Phonics boost")
    group = make_group(world.school, phonics, places=8)
    for n in range(7):
        status = "reviewed" if n < 3 else "active"
        placement = on_plan(
            PupilFactory(school=world.school), phonics, start=date(YEAR, 10, 1), status=status
        )
        if n < 2:  # a review held and recorded (the third plan was closed without one)
            Review.objects.create(
                school=world.school, plan=placement.plan, held_on=date(YEAR, 12, 1),
                status=Review.Status.COMPLETE,
            )  # fmt: skip
        if n < 5:
            add_member(group, placement, joined_on=date(YEAR, 10, 2))
    on_plan(PupilFactory(school=world.school), phonics, start=date(YEAR - 1, 10, 1))
    mistake = on_plan(PupilFactory(school=world.school), phonics, start=date(YEAR, 10, 1))
    add_member(group, mistake, joined_on=date(YEAR, 10, 2))
    mistake.withdrawn_at = timezone.now()
    mistake.save()
    page = client_as("senco").get(reverse("reports:governors")).content.decode()
    phonics_part = page.split("Phonics boost")[1]
    assert (
        "Pupils: 5 (of [c] it was planned for: the others are waiting for a place in a group); "
        "reviewed: [c]." in phonics_part
    )
    assert "No pupil has scores before and after yet" in phonics_part
    book = load_workbook(
        io.BytesIO(client_as("senco").get(reverse("reports:governors_xlsx")).content)
    )
    rows = [[c.value for c in row] for row in book["Interventions"].iter_rows(min_row=3)]
    row = next(r for r in rows if r[0] == "Phonics boost")
    # "of 7" beside 5 would give away that 2 are waiting (a tester worked it out): hidden.
    assert row[1:3] == [5, "[c]"] and row[-1] == "[c]"


def test_the_number_planned_for_is_shown_when_five_or_more_are_waiting(world, client_as):
    from tests.delivery.factories import add_member, make_group, on_plan

    phonics = InterventionFactory(name="Phonics boost")
    group = make_group(world.school, phonics, places=8)
    for n in range(11):
        placement = on_plan(PupilFactory(school=world.school), phonics, start=date(YEAR, 10, 1))
        if n < 6:
            add_member(group, placement, joined_on=date(YEAR, 10, 2))
    page = client_as("senco").get(reverse("reports:governors")).content.decode()
    assert "Pupils: 6 (of 11 it was planned for" in page.split("Phonics boost")[1]


def test_pupils_all_placed_are_counted_without_a_planned_figure(world, client_as):
    from tests.delivery.factories import add_member, make_group, on_plan

    phonics = InterventionFactory(name="Phonics boost")
    group = make_group(world.school, phonics, places=8)
    for _ in range(6):
        placement = on_plan(PupilFactory(school=world.school), phonics, start=date(YEAR, 10, 1))
        add_member(group, placement, joined_on=date(YEAR, 10, 2))
    page = client_as("senco").get(reverse("reports:governors")).content.decode()
    assert "Pupils: 6; reviewed: 0." in page.split("Phonics boost")[1]
    assert "it was planned for" not in page


def test_the_summary_reads_a_fixed_number_of_queries(
    world, client_as, school_data, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as("senco")
    client.get(reverse("reports:governors"))  # warm the session
    with CaptureQueriesContext(connection) as two_interventions:
        client.get(reverse("reports:governors"))
    for n in range(5):
        ImpactAggregate.objects.create(
            school=world.school, intervention=InterventionFactory(name=f"More {n}"),
            measure=reading_measure(), academic_year=YEAR, term="spring",
            gain_kind="standardised", placements=6, scored=6, gain_sum=1.0, gain_sq_sum=0.5,
        )  # fmt: skip
    with django_assert_num_queries(len(two_interventions)):
        page = client.get(reverse("reports:governors")).content.decode()
    assert "More 4" in page


def _recorded_on(pupil, when):
    """Date the pupil's history as if their record had been saved at ``when``."""
    pupil.history.all().update(history_date=when)


@pytest.fixture
def past_roll(world):
    """Seven pupils recorded on 1 October two years ago with a specific learning difficulty at
    SEN support: one left (archived) on 1 March of last school year; one moved to an EHC plan
    today. Ten pupils with speech and language needs recorded today, one born in 2022."""
    from datetime import datetime

    begun = timezone.make_aware(datetime(YEAR - 2, 10, 1, 9, 0))
    spld = [
        PupilFactory(school=world.school, primary_need="SPLD", sen_provision="K") for _ in range(7)
    ]
    for pupil in spld:
        _recorded_on(pupil, begun)
    for pupil in (world.pupil_in_class, world.pupil_elsewhere):
        _recorded_on(pupil, begun)  # the world's two (at SEN support for SPLD) were on roll then
    left = spld[0]
    left_on = timezone.make_aware(datetime(YEAR, 3, 1, 12, 0))
    left.archived_at = left_on
    left.save()
    left.history.filter(history_date__gt=begun).update(history_date=left_on)
    moved = spld[1]
    moved.sen_provision = "E"
    moved.save()
    for n in range(10):
        PupilFactory(
            school=world.school,
            primary_need="SLCN",
            sen_provision="K",
            **({"date_of_birth": date(2022, 5, 1), "nc_year": 0} if n == 0 else {}),
        )
    return spld


def test_a_past_years_summary_counts_the_roll_and_needs_recorded_then(world, client_as, past_roll):
    """Last school year, as at its last day (31 August): the six pupils with a specific learning
    difficulty still on roll, all at SEN support then (one moved to an EHC plan only today),
    and the world's two of this school (also SPLD at SEN support); not the one who left in
    March, not the ten recorded today (one of them born in 2022)."""
    page = client_as("head").get(reverse("reports:governors"), {"year": YEAR - 1}).content.decode()
    assert f"Pupils on roll on 31 August {YEAR}, the last day of that school year" in page
    assert "as the register recorded them then: 8. With SEN support or an EHC plan: 8." in page
    assert "Speech, language and communication needs" not in page
    spld = page.split("Specific learning difficulty")[1].split("</tr>")[0]
    cells = re.findall(r">([^<]*)</td>", spld)
    assert cells == ["8", "0", "8"]
    pdf = " ".join(
        pdf_text(
            client_as("head").get(reverse("reports:governors_pdf"), {"year": YEAR - 1}).content
        ).split()
    )
    assert "as the register recorded them then: 8." in pdf
    # This school year is today's register: 2 + 6 + 10 on roll, and the move to an EHC plan.
    today = client_as("head").get(reverse("reports:governors"), {"year": YEAR}).content.decode()
    assert "Pupils on roll today" in today and ": 18. With SEN support or an EHC plan: 18." in today
    spld = today.split("Specific learning difficulty")[1].split("</tr>")[0]
    # 7 at SEN support and 1 with an EHC plan: the 1 is hidden, and the 7 with it (8 - 7).
    assert re.findall(r">([^<]*)</td>", spld) == ["[c]", "[c]", "8"]


def test_a_year_before_the_schools_records_begin_is_refused_with_why(world, client_as, past_roll):
    response = client_as("senco").get(reverse("reports:governors"), {"year": "2015"})
    page = response.content.decode()
    assert "Error: SEN summary for governors" in page
    first = f"{YEAR - 2}/{(YEAR - 1) % 100:02d}"  # the school year of 1 October, YEAR - 2
    assert f"Choose a school year from {first} to " in page
    assert f"records in SENDwise begin on 1 October {YEAR - 2}" in page
    assert "Pupils on roll" not in page
    pdf = client_as("senco").get(reverse("reports:governors_pdf"), {"year": "2015"})
    assert pdf.status_code == 400


def sdq_like() -> Measure:
    """A rating scale where a higher score means more difficulty (as the SDQ's total)."""
    return Measure.objects.get_or_create(
        slug="gov-difficulties",
        defaults={
            "name": "Difficulties rating",
            "kind": "rating_scale",
            "scale_min": 0,
            "scale_max": 40,
            "higher_is_better": False,
        },
    )[0]


def _cell(school, intervention, measure, *, scored, gains=None, dose_n, full, judged=0, improved=0):
    gains = gains if gains is not None else [0.5] * scored
    return ImpactAggregate.objects.create(
        school=school, intervention=intervention, measure=measure, academic_year=YEAR,
        term="autumn", gain_kind="raw" if measure.kind == "rating_scale" else "standardised",
        placements=max(scored, dose_n), completed=0, scored=scored, gain_sum=sum(gains),
        gain_sq_sum=sum(g * g for g in gains), reliable_judged=judged, reliable_improved=improved,
        dose_n=dose_n, full_dose=full,
    )  # fmt: skip


def test_no_share_is_shown_that_gives_away_a_hidden_or_small_number(world, client_as):
    """The tester's three cases (issue 12): 2 of 3 pupils with most of their sessions beside a
    hidden count; 4 of 7 (3 in the rest); 6 of 8 (2 in the rest). All hidden, on the page, in
    the PDF and in the spreadsheet. 10 of 15 (5 in the rest) is shown, with its base."""
    measure = reading_measure()
    cases = {"Elsa": (3, 3, 2), "Talk": (7, 7, 4), "Shape": (8, 8, 6), "Shown": (15, 15, 10)}
    for name, (scored, dose_n, full) in cases.items():
        _cell(world.school, InterventionFactory(name=name), measure, scored=scored,
              gains=[0.1 * (i % 3) for i in range(scored)], dose_n=dose_n, full=full)  # fmt: skip
    page = client_as("head").get(reverse("reports:governors")).content.decode()
    for name in ("Elsa", "Talk", "Shape"):
        part = page.split(f'<h3 class="govuk-heading-s">{name}</h3>')[1].split("<h3")[0]
        assert re.search(r"\d+% of the \d", part) is None, part
    shown = page.split('<h3 class="govuk-heading-s">Shown</h3>')[1].split("<h3")[0]
    assert "Had at least 80% of their planned sessions: [c]" not in shown
    assert "67% of the 15 pupils with sessions recorded" in shown
    assert "Had at least 80% of their planned sessions: [c]" in page  # Talk and Shape
    pdf = " ".join(
        pdf_text(client_as("head").get(reverse("reports:governors_pdf")).content).split()
    )
    assert "67% of the 15 pupils with sessions recorded" in pdf
    assert "57%" not in pdf and "75%" not in pdf and "67% of the 3" not in pdf
    book = load_workbook(
        io.BytesIO(client_as("head").get(reverse("reports:governors_xlsx")).content)
    )
    rows = {
        r[0]: r
        for r in ([c.value for c in row] for row in book["Interventions"].iter_rows(min_row=3))
    }
    assert rows["Elsa"][13] == rows["Talk"][13] == rows["Shape"][13] == "[c]"
    assert rows["Shown"][13] == "67% (10 of 15)"


def test_a_share_names_its_base_when_it_is_not_the_pupils_with_scores(world, client_as):
    """ "75% with n = 9" cannot be: 75% of 9 is not whole. The share of the dose is of the
    pupils with sessions recorded (here 10 of the 12 with scores), and the page says so:
    5 of 10 is 50%."""
    _cell(world.school, InterventionFactory(name="Elsa"), sdq_like(), scored=12,
          gains=[1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6], dose_n=10, full=5)  # fmt: skip
    page = client_as("head").get(reverse("reports:governors")).content.decode()
    assert "n = 12 pupils" in page
    assert (
        "Had at least 80% of their planned sessions: 50% of the 10 pupils with sessions recorded."
        in page
    )


def test_a_fall_on_a_measure_where_lower_is_better_is_told_as_an_improvement(world, client_as):
    """Hand-worked: five pupils' scores fell by 4, 2, 3, 1 and 5 points on a scale where lower
    is better; stored signed so that + is better, the gains are 4, 2, 3, 1, 5: mean 3, SD
    √2.5 = 1.581, t(0.975, 4) = 2.776, half-width 2.776 × 1.581 / √5 = 1.963, so the 95%
    interval is 1.0 to 5.0 points."""
    _cell(world.school, InterventionFactory(name="Elsa"), sdq_like(), scored=5,
          gains=[4, 2, 3, 1, 5], dose_n=5, full=5)  # fmt: skip
    page = " ".join(client_as("head").get(reverse("reports:governors")).content.decode().split())
    assert (
        "the average change on the measure's own scale: improved by 3 points (the scores fell: "
        "lower is better on this measure); 95% interval of the improvement 1.0 to 5.0 points, "
        "where a negative figure is a worsening; n = 5 pupils" in page
    )
    book = load_workbook(
        io.BytesIO(client_as("head").get(reverse("reports:governors_xlsx")).content)
    )
    row = next(
        [c.value for c in r]
        for r in book["Interventions"].iter_rows(min_row=3)
        if r[0].value == "Elsa"
    )
    assert row[9].startswith("improved by 3 points (the scores fell")
