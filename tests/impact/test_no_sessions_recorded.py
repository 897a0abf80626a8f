"""A placement with no session recorded for the pupil has no share of its dose: the pupil's
results say "no sessions recorded" (not "0% of the planned dose ... a reliable improvement"),
and the intervention's mean dose leaves it out and says so (a tester's finding)."""

import re

from django.urls import reverse

from sendwise.evidence.models import Measure
from sendwise.impact import school_selectors
from sendwise.impact.models import PlacementResult
from sendwise.impact.result_services import impact_rebuild
from sendwise.planning.models import Placement
from tests.delivery.factories import add_member, make_group
from tests.evidence.factories import InterventionFactory
from tests.impact.test_selectors import START, place


def test_a_pupil_whose_group_recorded_no_session_has_no_dose_share(world, client_as):
    reading = Measure.objects.create(
        slug="reading-ss", name="Reading test", kind="standardised", mean=100, sd=15,
        higher_is_better=True, reliability=0.96,
    )  # fmt: skip
    sprint = InterventionFactory(name="Reading sprint")
    plan = place(world.school, sprint, reading, 80, 95, pupil=world.pupil_in_class)
    placement = Placement.objects.get(plan=plan)
    placement.sessions_per_week, placement.minutes_per_session, placement.weeks = 3, 30, 12
    placement.save()
    group = make_group(world.school, sprint, name="Readers")
    add_member(group, placement, joined_on=START)  # in the group; its register never kept
    impact_rebuild(school_id=world.school.pk)
    row = PlacementResult.objects.get(placement=placement)
    assert row.sessions_planned > 0 and row.sessions_held == 0
    assert row.dose_share is None
    page = client_as("senco").get(reverse("pupils:impact", args=[world.pupil_in_class.pk]))
    html = page.content.decode()
    assert "No sessions recorded" in html
    assert "% of the planned dose" not in html
    assert "0 of 0 sessions held attended" not in html
    impact = client_as("senco").get(reverse("impact:intervention", args=[sprint.pk]))
    assert "No sessions recorded for a planned dose" in impact.content.decode()
    listed = client_as("senco").get(reverse("impact:school")).content.decode()
    assert "No sessions recorded" in listed  # the mean dose column, not "0%"


def test_the_pdf_and_spreadsheet_use_the_pages_words_for_no_sessions_recorded(world, client_as):
    """The page says "No sessions recorded" for the mean dose; the PDF said "Not planned" for
    the same thing, and the spreadsheet left the cell empty."""
    import io

    from openpyxl import load_workbook

    from tests.reports.pdftext import pdf_text

    reading = Measure.objects.create(
        slug="reading-ss", name="Reading test", kind="standardised", mean=100, sd=15,
        higher_is_better=True, reliability=0.96,
    )  # fmt: skip
    sprint = InterventionFactory(name="Reading sprint")
    plan = place(world.school, sprint, reading, 80, 95, pupil=world.pupil_in_class)
    placement = Placement.objects.get(plan=plan)
    placement.sessions_per_week, placement.minutes_per_session, placement.weeks = 3, 30, 12
    placement.save()
    impact_rebuild(school_id=world.school.pk)
    client = client_as("senco")
    assert "No sessions recorded" in client.get(reverse("impact:school")).content.decode()
    pdf = " ".join(pdf_text(client.get(reverse("reports:impact_pdf")).content).split())
    # The table's narrow columns wrap "sessions recorded" onto lines read after the next
    # column's text (words of the other columns come between).
    assert re.search(r"\(100%\) No\b.* sessions\b.* recorded\b", pdf) and "Not planned" not in pdf
    book = load_workbook(io.BytesIO(client.get(reverse("reports:impact_xlsx")).content))
    rows = [r for r in book.active.iter_rows(values_only=True) if r and r[0] == "Reading sprint"]
    assert rows and all(r[4] == "No sessions recorded" for r in rows)  # after "Waiting"


def test_pupils_with_no_session_recorded_are_in_neither_dose_group(world, client_as):
    """Six pupils with scores before and after, in a group whose register was never kept: no
    dose to judge, so "less than 80%" does not count them (it did: scored less full dose)."""
    reading = Measure.objects.create(
        slug="reading-ss", name="Reading test", kind="standardised", mean=100, sd=15,
        higher_is_better=True, reliability=0.96,
    )  # fmt: skip
    sprint = InterventionFactory(name="Reading sprint")
    for pre, post in [(80, 88), (82, 86), (79, 90), (85, 87), (81, 89), (78, 84)]:
        place(world.school, sprint, reading, pre, post)
    impact_rebuild(school_id=world.school.pk)
    html = " ".join(
        client_as("senco")
        .get(reverse("impact:intervention", args=[sprint.pk]))
        .content.decode()
        .split()
    )
    assert "Less than 80%: 0 pupils with scores before and after: fewer than 5" in html
    assert "6 pupils with scores before and after had no session recorded" in html
    assert "those pupils are in neither group" in html


def test_no_dose_group_of_one_to_four_can_be_worked_out_from_the_others():
    """Twelve scored: 6 with the full dose, 5 below 80%, 1 with no session recorded. All pupils'
    mean and n are on the page, so the two dose groups' figures would give the one pupil's gain
    away: the smaller group's figure is withheld and the one is not counted (a reviewer's
    finding)."""
    sums = school_selectors.Sums(
        scored=12, gain_sum=6.0, gain_sq_sum=4.0,
        dosed_scored=11, dosed_gain_sum=5.5, dosed_gain_sq_sum=3.5,
        full_dose_scored=6, full_dose_gain_sum=3.3, full_dose_gain_sq_sum=2.1,
    )  # fmt: skip
    figures = school_selectors.MeasureFigures("Reading test", "standardised", sums)
    assert figures.less_dose_line == school_selectors.WITHHELD_LINE
    assert figures.full_dose_line != school_selectors.WITHHELD_LINE
    assert not figures.undosed_shown
    # With nobody missing a dose record, both groups of six and more are shown.
    sums.scored, sums.dosed_scored = 11, 11
    shown = school_selectors.MeasureFigures("Reading test", "standardised", sums)
    assert school_selectors.WITHHELD_LINE not in (shown.full_dose_line, shown.less_dose_line)
