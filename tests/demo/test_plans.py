"""The demo school's plans: a reviewed first cycle for some pupils, so its own results show."""

import copy
import random
from datetime import date

import pytest

from sendwise.core.access import actor_for
from sendwise.core.models import School, User
from sendwise.demo import generate as demo
from sendwise.demo import plans as demo_plans
from sendwise.evidence import selectors
from sendwise.evidence.models import Intervention
from sendwise.evidence.services import catalogue_seed
from sendwise.impact import practice
from sendwise.impact import selectors as practice_selectors
from sendwise.monitoring.models import Score
from sendwise.planning.goals import WHOLE_NUMBER_KINDS
from sendwise.planning.models import Outcome, Placement, Plan
from tests.demo import demo_meetings
from tests.shared_data import rows_for_module


def load_demo_school() -> School:
    catalogue_seed()
    demo.demo_load(seed=3)
    return School.objects.get(urn=demo.MAIN_URN)


@pytest.fixture(scope="module", autouse=True)
def shared_main_school(django_db_setup, django_db_blocker):
    """Loaded once for the module (tests/shared_data.py); each test runs in a savepoint."""
    yield from rows_for_module(django_db_blocker, load_demo_school)


@pytest.fixture
def main_school(shared_main_school, db):
    return copy.deepcopy(shared_main_school)


def summaries(school):
    senco = User.objects.get(email=f"senco@{demo.DEMO_DOMAIN}")
    actor = actor_for(senco, school.id)
    used = Placement.objects.filter(school=school, plan__status=Plan.Status.REVIEWED)
    found = {}
    for intervention in Intervention.objects.filter(pk__in=used.values("intervention_id")):
        research = selectors.research_view(intervention=intervention).synthesis
        found[intervention.slug] = practice_selectors.practice_view(
            actor=actor, intervention=intervention, research=research
        )
    return found


def test_about_a_third_of_the_plans_follow_a_reviewed_first_cycle(main_school):
    # Leave out the few pupils whose plan was reviewed at a demo meeting this term (reviews.py).
    met = demo_meetings(main_school).values("plan__pupil")
    current = (
        Plan.objects.filter(school=main_school)
        .exclude(status=Plan.Status.REVIEWED)
        .exclude(pupil__in=met)
    )
    reviewed = Plan.objects.filter(school=main_school, status=Plan.Status.REVIEWED).exclude(
        pupil__in=met
    )
    assert 0.2 <= reviewed.count() / current.count() <= 0.45
    assert current.filter(cycle=2).count() == reviewed.count()
    judged = Placement.objects.filter(plan__in=reviewed).exclude(response="")
    assert judged.count() == reviewed.count()  # every reviewed placement has a judgement


def test_at_least_two_demo_interventions_show_the_schools_results_beside_the_research(
    main_school,
):
    found = summaries(main_school)
    updated = [s for s in found.values() if s.status == practice.STATUS_UPDATED]
    assert len(updated) >= 2
    for summary in updated:
        assert summary.school.n >= practice.MIN_PUPILS
        assert 0 < summary.combined.school_weight < 1


def test_the_made_up_follow_up_scores_are_plausible_and_fit_the_reviews(main_school):
    # The first cycles closed last year (the demo's meetings this term are in test_reviews.py).
    reviewed = (
        Outcome.objects.filter(plan__school=main_school, plan__status=Plan.Status.REVIEWED)
        .exclude(plan__in=demo_meetings(main_school).values("plan"))
        .select_related("measure", "plan")
    )
    assert reviewed.exists()
    for outcome in reviewed:
        post = Score.objects.get(
            pupil=outcome.plan.pupil_id,
            measure=outcome.measure,
            taken_on__gt=outcome.baseline_date,
            taken_on__lte=outcome.plan.reviewed_on,
        )
        better = post.value - outcome.baseline
        if outcome.measure.higher_is_better is False:
            better = -better
        else:
            # In standard-score points (mean 100, SD 15), whatever the test's own norms (a
            # CELF-5UK test's scaled score has mean 10, SD 3).
            per_point = 15 / outcome.measure.sd
            baseline = round(100 + (outcome.baseline - outcome.measure.mean) * per_point, 6)
            better = round(better * per_point, 6)
            assert 70 <= baseline <= 90 and -8 <= better <= 16
        response = outcome.plan.placements.get().response
        good = 3 if outcome.measure.higher_is_better is False else 4
        expected = "responded" if better >= good else "no_response" if better <= 0 else "too_early"
        assert response == expected


def test_the_same_seed_gives_the_same_plans(main_school):
    senco = User.objects.get(email=f"senco@{demo.DEMO_DOMAIN}")

    def build():
        Placement.objects.all().delete()  # and the demo groups' members, which cascade
        Plan.objects.all().delete()
        Score.objects.all().delete()
        demo_plans.plans_build(random.Random(5), main_school, senco, date(2026, 3, 2))
        return sorted(
            Placement.objects.values_list(
                "plan__pupil__upn", "plan__cycle", "intervention__slug", "response"
            )
        ), sorted(Score.objects.values_list("pupil__upn", "value", "taken_on"))

    first = build()
    assert first == build()
    assert any(cycle == 2 for _upn, cycle, _slug, _response in first[0])


def test_every_demo_goal_on_a_measure_scored_in_whole_numbers_is_a_whole_number(main_school):
    """A standardised test or a probe reports whole scores, so its goal is a whole number, as
    planning's form requires of a SENCO (planning.goals): the demo's goals included."""
    goals = Outcome.objects.filter(
        school=main_school,
        measure__kind__in=sorted(WHOLE_NUMBER_KINDS),
        target__isnull=False,
    ).values_list("measure__kind", "target")
    assert {kind for kind, _ in goals} == WHOLE_NUMBER_KINDS  # both kinds are in the demo
    assert [t for _, t in goals if not float(t).is_integer()] == []


def test_every_demo_score_on_a_measure_scored_in_whole_numbers_is_a_whole_number(main_school):
    """A SENCO types the whole standard or scaled score the test's norm tables give (never
    93.4), and a probe counts words: the demo's scores, baselines included, are whole numbers
    on those measures, as its goals are."""
    scores = Score.objects.filter(
        school=main_school, measure__kind__in=sorted(WHOLE_NUMBER_KINDS)
    ).values_list("measure__slug", "note", "value")
    assert {note for _slug, note, _value in scores} >= {
        "Baseline",
        "End of block",
        "Progress check",
        "End of term assessment",
    }
    assert [row for row in scores if not float(row[2]).is_integer()] == []
    baselines = Outcome.objects.filter(
        school=main_school, measure__kind__in=sorted(WHOLE_NUMBER_KINDS)
    ).values_list("measure__slug", "baseline")
    assert [row for row in baselines if not float(row[1]).is_integer()] == []


def test_the_support_planned_works_on_what_the_goal_is_about(main_school):
    """A reading goal is not paired with a maths programme the matcher ranked first for the
    same pupil (a tester found Fraction Face-Off measured on reading fluency): in every plan
    whose pupil's matches include one that fits, the intervention works on a skill of the
    goal's area."""
    reading = demo_plans.OUTCOME_SKILLS["cognition_learning"]
    mismatched = [
        (p.plan.pupil.first_name, p.intervention.name)
        for p in Placement.objects.filter(plan__school=main_school).select_related(
            "intervention", "plan__pupil"
        )
        if p.plan.outcomes.filter(text__contains="will read and spell").exists()
        and not reading & set(p.intervention.skills)
        and any(skill in ("number_sense", "arithmetic_fluency") for skill in p.intervention.skills)
    ]
    assert mismatched == []
