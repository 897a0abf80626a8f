"""The local authority the benchmarks use has support, registers, scores and impact rows, and
its aggregates add up to its results (sendwise.demo.la_support)."""

import copy
from datetime import date

import pytest
from django.db.models import Count, Q, Sum

from sendwise.core.models import Trust
from sendwise.delivery.models import Attendance, Session
from sendwise.demo import generate as demo
from sendwise.demo.la_support import MEASURES_BY_AREA
from sendwise.evidence.seeding import read_seed
from sendwise.evidence.services import catalogue_seed
from sendwise.impact.models import ImpactAggregate, PlacementResult
from sendwise.monitoring.models import Score
from sendwise.planning.goals import WHOLE_NUMBER_KINDS
from sendwise.planning.models import Placement, Plan
from sendwise.pupils.models import Pupil
from tests.shared_data import rows_for_module


def build() -> Trust:
    catalogue_seed()
    return demo.local_authority_build(seed=5, pupils=700)


@pytest.fixture(scope="module", autouse=True)
def shared_la(django_db_setup, django_db_blocker):
    yield from rows_for_module(django_db_blocker, build)


@pytest.fixture
def la(shared_la, db):
    return copy.deepcopy(shared_la)


def test_pupils_with_sen_have_terms_of_support_with_scores_and_registers(la):
    placements = Placement.objects.filter(school__trust=la)
    sen = Pupil.unscoped.filter(school__trust=la).exclude(sen_provision="N")
    assert placements.count() >= 1.5 * sen.count(), "about two placements a pupil with SEN"
    assert not placements.exclude(plan__pupil__in=sen).exists()
    scores = Score.objects.filter(school__trust=la)
    assert scores.count() >= 6 * Plan.objects.filter(school__trust=la).count()
    # A pupil sits a test once a day: a plan's two interventions share their scores.
    assert not scores.values("pupil", "measure", "taken_on").annotate(n=Count("id")).filter(n__gt=1)
    assert Session.objects.filter(school__trust=la).exists()
    # At most one open plan a pupil, every plan reviewed before today except the current one.
    assert not Plan.objects.filter(
        school__trust=la, status="active", review_date__lt=date(2000, 1, 1)
    ).exists()
    open_plans = Plan.objects.filter(school__trust=la).exclude(status="reviewed")
    assert open_plans.values("pupil").annotate(n=Count("id")).filter(n__gt=1).count() == 0


def test_every_placement_has_a_result_whose_dose_matches_its_register(la):
    results = PlacementResult.objects.filter(school__trust=la)
    assert results.count() == Placement.objects.filter(school__trust=la).count()
    sample = results.filter(sessions_held__gt=0).order_by("id")[:50]
    assert sample
    for result in sample:
        came = Attendance.objects.filter(placement_id=result.placement_id, status="present").count()
        assert result.sessions_attended == came
        assert result.dose_share == pytest.approx(came / result.sessions_planned)


def test_a_missing_post_score_is_no_gain_never_zero(la):
    results = PlacementResult.objects.filter(school__trust=la)
    assert not results.filter(post__isnull=True, gain__isnull=False).exists()
    assert results.filter(gain_kind="standardised", gain__isnull=False).exists()


def test_aggregates_add_up_to_the_results_school_by_school(la):
    aggregates = ImpactAggregate.objects.filter(school__trust=la)
    results = PlacementResult.objects.filter(school__trust=la)
    a = aggregates.aggregate(scored=Sum("scored"), gain=Sum("gain_sum"), completed=Sum("completed"))
    r = results.aggregate(
        scored=Count("id", filter=Q(gain__isnull=False)),
        gain=Sum("gain"),
        completed=Count("id", filter=Q(completed=True)),
    )
    assert a["scored"] == r["scored"] and a["completed"] == r["completed"]
    assert a["gain"] == pytest.approx(r["gain"])
    # Different measures are never added into one row.
    assert (
        aggregates.values("school", "intervention", "academic_year", "term")
        .annotate(n=Count("id"))
        .filter(n__gt=0)
        .exists()
    )


def test_every_measure_the_local_authority_is_measured_on_is_in_the_catalogue(db):
    """A slug missing from the seed files would quietly fall back to another area's measure.
    (``db`` only because this module's shared rows need the test database set up.)"""
    _, measures = read_seed()
    seeded = {m["slug"] for m in measures}
    named = {slug for slugs in MEASURES_BY_AREA.values() for slug in slugs}
    assert named - seeded == set()


def test_every_score_on_a_measure_scored_in_whole_numbers_is_a_whole_number(la):
    """The authority's progress checks are whole numbers on a standardised test or a probe,
    like its baselines and end-of-block scores (a SENCO never types 93.4 as a standard score)."""
    scores = Score.objects.filter(
        school__trust=la, measure__kind__in=sorted(WHOLE_NUMBER_KINDS)
    ).values_list("measure__slug", "note", "value")
    assert {note for _slug, note, _value in scores} >= {"Baseline", "Progress check"}
    assert [row for row in scores if not float(row[2]).is_integer()][:5] == []
