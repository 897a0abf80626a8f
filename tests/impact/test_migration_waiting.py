"""Migration impact 0006 fills in, for results stored before it, which pupils were placed in a
group and which still wait, and works the aggregates out again so that the figures leave the
waiting pupils out at once (not only after the nightly rebuild). Migration 0007 fills in the
scored placements with a dose share, so that "less than 80% of the dose" leaves out pupils with
no session recorded at once. Each test ends with the database migrated to the latest state."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from sendwise.evidence.models import Measure
from sendwise.impact.bulk_services import aggregates_rebuild
from sendwise.impact.models import ImpactAggregate, PlacementResult
from sendwise.impact.result_services import impact_rebuild
from tests.evidence.factories import InterventionFactory
from tests.impact.test_selectors import WORKED, place
from tests.impact.test_upkeep import snapshot

BEFORE = [("impact", "0005_aggregate_placements_and_distinct_pupils")]
AFTER = [("impact", "0006_waiting_apart")]
LATEST = [("impact", "0007_dosed_scored")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True)
def test_results_stored_before_the_migration_tell_placed_from_waiting_after_it(world):
    measure = Measure.objects.create(
        slug="reading-ss", name="Reading test", kind="standardised", mean=100, sd=15,
        higher_is_better=True, reliability=0.96,
    )  # fmt: skip
    programme = InterventionFactory(name="Reading Programme")
    for pre, post in WORKED:
        place(world.school, programme, measure, pre, post)
    place(world.school, programme, measure, 70, 100, grouped=False)
    impact_rebuild(school_id=world.school.pk)
    expected = snapshot(world.school)
    try:
        migrate(BEFORE)
        # As stored before: the waiting pupil's result counted in the aggregate like the rest.
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE impact_impactaggregate SET placements = placements + 1, "
                "scored = scored + 1, gain_sum = gain_sum + 2.0 WHERE measure_id IS NOT NULL"
            )
    finally:
        migrate(LATEST)
    assert snapshot(world.school) == expected
    results = PlacementResult.objects.filter(school=world.school)
    assert sorted(results.values_list("placed", flat=True)) == [False] + [True] * 5
    rows = ImpactAggregate.objects.filter(school=world.school, intervention=programme)
    assert sum(r.placements for r in rows) == 5 and sum(r.waiting for r in rows) == 1


@pytest.mark.django_db(transaction=True)
def test_aggregates_stored_before_0007_get_their_dosed_sums_from_the_results(world):
    """Five pupils with a dose share (set on their results by hand) and one with no session
    recorded: the migration gives each cell the sums of the five, as a rebuild does."""
    measure = Measure.objects.create(
        slug="reading-ss", name="Reading test", kind="standardised", mean=100, sd=15,
        higher_is_better=True, reliability=0.96,
    )  # fmt: skip
    programme = InterventionFactory(name="Reading Programme")
    for pre, post in WORKED:
        place(world.school, programme, measure, pre, post)
    place(world.school, programme, measure, 70, 100)
    impact_rebuild(school_id=world.school.pk)
    results = PlacementResult.objects.filter(school=world.school).order_by("gain")
    first = results.first()
    results.exclude(pk=first.pk).update(dose_share=0.9)
    aggregates_rebuild(school_ids=[world.school.pk])  # the aggregates from the results as set
    expected = snapshot(world.school)
    rows = ImpactAggregate.objects.filter(school=world.school, measure=measure)
    assert sum(r.dosed_scored for r in rows) == 5
    try:
        migrate(AFTER)  # as stored before 0007: no dosed sums
    finally:
        migrate(LATEST)
    assert snapshot(world.school) == expected
