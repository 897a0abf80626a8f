"""A pupil whose plan includes an intervention but who has not been put in a group for it has
received nothing of it: the SENCO relies on the intervention's figures (placements, finished,
dose, effect) counting only pupils who were placed, with those still waiting counted apart,
on the page, in the PDF and in the spreadsheet, and on the figures moving the moment a waiting
pupil joins a group (issue 12)."""

import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from sendwise.core.access import actor_for
from sendwise.delivery import services as delivery
from sendwise.evidence.models import Measure
from sendwise.impact.models import ImpactAggregate, PlacementResult
from sendwise.impact.result_services import impact_rebuild
from sendwise.planning.models import Placement
from tests.evidence.factories import InterventionFactory
from tests.impact.test_selectors import START, WORKED, group_of, place
from tests.impact.test_upkeep import assert_in_step
from tests.reports.pdftext import pdf_text


def reading():
    return Measure.objects.create(
        slug="reading-ss", name="Reading test", kind="standardised", mean=100, sd=15,
        higher_is_better=True, reliability=0.96,
    )  # fmt: skip


def cells(school, intervention):
    """The school's aggregate rows of the intervention, summed over measures and terms."""
    rows = ImpactAggregate.objects.filter(school=school, intervention=intervention)
    return {
        name: sum(getattr(r, name) for r in rows)
        for name in ("placements", "waiting", "scored", "completed", "distinct_pupils")
    } | {"gain_sum": sum(r.gain_sum for r in rows)}


def five_placed_two_waiting(world):
    """The hand-worked five (gains 0.2, 0.4, 0, 0.6, 0.8 SD) placed in a group, and two more
    planned it with large gains on the same test who never joined a group."""
    measure = reading()
    programme = InterventionFactory(name="Reading Programme")
    for pre, post in WORKED:
        place(world.school, programme, measure, pre, post)
    waiting = [
        place(world.school, programme, measure, 70, 100, grouped=False, reviewed=False)
        for _ in range(2)
    ]
    impact_rebuild(school_id=world.school.pk)
    return programme, measure, waiting


def test_a_pupil_waiting_for_a_place_counts_as_waiting_and_in_no_figure(world):
    programme, _measure, _waiting = five_placed_two_waiting(world)
    placed = PlacementResult.objects.filter(school=world.school, intervention=programme)
    assert sorted(placed.values_list("placed", flat=True)) == [False, False] + [True] * 5
    # Their results are kept (the pupil's own page reads them), with their scores' gain.
    assert placed.filter(placed=False, gain__isnull=False).count() == 2
    # Gains Σ 2.0 SD from the five placed (tests/impact/test_results.py); the waiting pupils'
    # +2 SD each, and their unfinished plans, are in no figure.
    figures = cells(world.school, programme)
    assert figures == {
        "placements": 5, "waiting": 2, "scored": 5, "completed": 5, "distinct_pupils": 5,
        "gain_sum": figures["gain_sum"],
    }  # fmt: skip
    assert abs(figures["gain_sum"] - 2.0) < 1e-9


def test_the_page_pdf_and_spreadsheet_show_the_pupils_waiting_apart(world, client_as):
    programme, _measure, _waiting = five_placed_two_waiting(world)
    client = client_as("senco")
    page = client.get(reverse("impact:school")).content.decode()
    assert "Placements (pupils placed in a group)" in page and "Waiting for a place" in page
    row = page[page.index("Reading Programme") :]
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">5</td>' in row[:400]
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">2</td>' in row[:500]
    # The effect is the five placed pupils' (mean 0.40 SD, n = 5), not seven pupils'.
    assert "n = 5" in row and "n = 7" not in row
    detail = client.get(reverse("impact:intervention", args=[programme.pk])).content.decode()
    assert "Waiting for a place</dt>" in detail
    pdf = " ".join(pdf_text(client.get(reverse("reports:impact_pdf")).content).split())
    assert "Waiting" in pdf and "still waiting for a place have received nothing" in pdf
    book = load_workbook(io.BytesIO(client.get(reverse("reports:impact_xlsx")).content))
    header = next(r for r in book.active.iter_rows(values_only=True) if r[0] == "Intervention")
    rows = [r for r in book.active.iter_rows(values_only=True) if r[0] == "Reading Programme"]
    assert header[1:3] == (
        "Placements (pupils placed in a group)", "Waiting for a place (in no other figure)",
    )  # fmt: skip
    assert rows and all(r[1:3] == (5, 2) for r in rows)


def test_a_waiting_pupil_who_joins_a_group_counts_from_then_on(
    world, django_capture_on_commit_callbacks
):
    programme, _measure, waiting = five_placed_two_waiting(world)
    placement = Placement.objects.get(plan=waiting[0])
    senco = actor_for(world.users["senco"], world.school.id)
    with django_capture_on_commit_callbacks(execute=True):
        delivery.group_add_member(
            actor=senco, group=group_of(world.school, programme), placement_id=placement.pk,
            joined_on=min(START + (timezone.localdate() - START) // 2, timezone.localdate()),
        )  # fmt: skip
    assert PlacementResult.objects.get(placement=placement).placed
    figures = cells(world.school, programme)
    assert (figures["placements"], figures["waiting"], figures["scored"]) == (6, 1, 6)
    # What the save kept in step is what a rebuild from scratch gives.
    assert_in_step(world.school)


def test_the_pupils_own_page_says_they_are_waiting_and_does_not_credit_the_support(
    world, client_as
):
    measure = reading()
    waiting_for = InterventionFactory(name="Reading Programme")
    had = InterventionFactory(name="Number Sense")
    # Still waiting for a place in the reading group: 70 → 100 on the reading test (+2 SD),
    # none of it from a programme the pupil has not started. An earlier plan's maths group,
    # which the pupil was in: 80 → 86 (+0.4 SD).
    place(world.school, waiting_for, measure, 70, 100, pupil=world.pupil_in_class,
          grouped=False, reviewed=False, cycle=2)  # fmt: skip
    place(world.school, had, measure, 80, 86, pupil=world.pupil_in_class, cycle=1)
    impact_rebuild(school_id=world.school.pk)
    url = reverse("pupils:impact", args=[world.pupil_in_class.pk])
    html = client_as("senco").get(url).content.decode()
    waiting_row = html[html.index("Reading Programme") : html.index("Number Sense")]
    placed_row = html[html.index("Number Sense") :]
    assert "Plan 2, waiting for a place in a group" in waiting_row
    assert "Not the support's: waiting for a place" in waiting_row
    assert (
        "Amara is still waiting for a place in a group for this, so has received none of it"
        in waiting_row
    )
    assert "gained ground" not in waiting_row
    # The programme the pupil was placed in reads as before: its gain, credited.
    assert "waiting" not in placed_row.split("</tr>")[0]
    assert "+0.40 SD (n = 1; 95% interval" in placed_row
