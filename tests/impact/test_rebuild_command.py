"""`manage.py impact_rebuild [--school URN]` works every result out again from the raw rows:
it repairs rows written around the services, removes those of withdrawn placements and says
what it did; an unknown school is refused with its URN."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from sendwise.evidence.models import Measure
from sendwise.impact.models import ImpactAggregate, PlacementResult
from sendwise.planning.models import Placement
from tests.evidence.factories import InterventionFactory
from tests.impact.test_selectors import START, WORKED, place


@pytest.fixture
def placed(world):
    measure = Measure.objects.create(
        slug="reading-ss", name="Reading test", kind="standardised", mean=100, sd=15,
        higher_is_better=True, reliability=0.96,
    )  # fmt: skip
    intervention = InterventionFactory(name="Reading Programme")
    for pre, post in WORKED:
        place(world.school, intervention, measure, pre, post)
    return intervention


def test_the_command_builds_results_and_cells_and_says_so(world, placed, capsys):
    call_command("impact_rebuild", "--school", world.school.urn)
    assert PlacementResult.objects.filter(school=world.school).count() == 5
    cell = ImpactAggregate.objects.get(school=world.school, intervention=placed)
    # Gains 0.2, 0.4, 0, 0.6, 0.8 SD: Σ = 2.0, Σ² = 1.2 (tests/impact/test_results.py).
    assert (cell.placements, cell.distinct_pupils, cell.scored) == (5, 5, 5)
    assert (cell.gain_sum, cell.gain_sq_sum) == (pytest.approx(2.0), pytest.approx(1.2))
    assert "Alpha Primary: 5 results, 1 aggregate cells, 0 removed" in capsys.readouterr().out


def test_a_placement_withdrawn_around_the_services_loses_its_result(world, placed, capsys):
    call_command("impact_rebuild")
    Placement.objects.filter(pk=Placement.objects.first().pk).update(
        withdrawn_at=timezone.now(), withdrawn_reason="Entered by mistake"
    )
    call_command("impact_rebuild", "--school", world.school.urn)
    assert PlacementResult.objects.filter(school=world.school).count() == 4
    assert ImpactAggregate.objects.get(school=world.school, intervention=placed).placements == 4
    assert "1 removed" in capsys.readouterr().out


def test_an_unknown_school_is_refused(world):
    with pytest.raises(CommandError, match="No school has the URN 999999"):
        call_command("impact_rebuild", "--school", "999999")


def test_the_nightly_run_queues_one_rebuild_a_school_for_the_workers(world, placed, capsys):
    # The test settings run tasks at once (the immediate backend), as a worker would.
    call_command("impact_rebuild", "--queue", "--school", world.school.urn)
    assert "Queued the impact rebuild for 1 school(s)." in capsys.readouterr().out
    assert ImpactAggregate.objects.get(school=world.school, intervention=placed).scored == 5


def test_a_pupil_placed_twice_in_one_term_is_two_placements_and_one_pupil(world, placed):
    # Hand-worked: the five pupils of WORKED, then the first of them has a second plan three
    # weeks later in the same autumn term with the same programme (80 -> 86 on the same test).
    # The cell holds 6 placements, 6 of them scored, but 5 different pupils; the per-save
    # upkeep's rule (impact_rebuild) and the set-based rebuild count them alike.
    from sendwise.impact.bulk_services import aggregates_rebuild
    from sendwise.planning.models import Plan

    first = Plan.objects.filter(school=world.school).order_by("id").first().pupil
    measure = Measure.objects.get(slug="reading-ss")
    place(world.school, placed, measure, 80, 86, pupil=first, cycle=2,
          start=START + timedelta(weeks=3))  # fmt: skip
    call_command("impact_rebuild", "--school", world.school.urn)
    cell = ImpactAggregate.objects.get(school=world.school, intervention=placed)
    assert (cell.placements, cell.scored) == (6, 6)
    assert (cell.distinct_pupils, cell.distinct_scored) == (5, 5)
    aggregates_rebuild(school_ids=[world.school.pk])
    cell = ImpactAggregate.objects.get(school=world.school, intervention=placed)
    assert (cell.placements, cell.distinct_pupils, cell.distinct_scored) == (6, 5, 5)
