"""The "What our practice shows" panel: the school's own results beside the research."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sendwise.core.access import actor_for
from sendwise.core.roles import Role
from sendwise.delivery.models import Group, GroupMember
from sendwise.evidence import selectors
from sendwise.evidence.models import Measure
from sendwise.impact import practice
from sendwise.impact import selectors as practice_selectors
from sendwise.monitoring.models import Review, Score
from sendwise.planning.models import Outcome, Placement, Plan
from tests.evidence.factories import InterventionFactory, StudyFactory, own_intervention
from tests.factories import PupilFactory
from tests.queries import assert_database_query_count

START = date(2025, 9, 8)
REVIEWED = START + timedelta(weeks=12)


@pytest.fixture
def reading_test(db):
    return Measure.objects.create(
        slug="reading-ss", name="Reading test", kind="standardised", mean=100, sd=15,
        higher_is_better=True, reliability=0.96,
    )  # fmt: skip


@pytest.fixture
def programme(db):
    """A shared entry with two trials, so the research has a pooled estimate to update."""
    intervention = InterventionFactory(slug="reading-programme", name="Reading Programme")
    StudyFactory(intervention=intervention, effect_size=0.2, n_treatment=150, n_control=150)
    StudyFactory(intervention=intervention, effect_size=0.3, n_treatment=100, n_control=100)
    return intervention


def group_of(school, intervention) -> Group:
    """The school's one group for the intervention in these tests (made when first needed)."""
    group = Group.objects.filter(school=school, intervention=intervention).first()
    return group or Group.objects.create(
        school=school, intervention=intervention, name=f"{intervention.name} group", places=30
    )


def place(school, intervention, measure=None, pre=None, post=None, *, response="responded",
          pupil=None, reviewed=True, cycle=1, start=START, grouped=True,
          review_recorded=True):  # fmt: skip
    """A pupil's plan with this intervention, an outcome on `measure` and a later score; the
    pupil is put in a group for it when the plan starts, unless not ``grouped`` (then they
    are still waiting for a place and count in no figure of the intervention)."""
    pupil = pupil or PupilFactory(school=school)
    plan = Plan.objects.create(
        school=school, pupil=pupil, cycle=cycle, start_date=start,
        review_date=start + timedelta(weeks=12),
        status=Plan.Status.REVIEWED if reviewed else Plan.Status.ACTIVE,
        reviewed_on=start + timedelta(weeks=12) if reviewed else None,
    )  # fmt: skip
    Outcome.objects.create(
        school=school, plan=plan, text="Read better", measure=measure, baseline=pre,
        baseline_date=start - timedelta(days=3) if pre is not None else None,
    )  # fmt: skip
    placement = Placement.objects.create(
        school=school, plan=plan, intervention=intervention, response=response if reviewed else ""
    )
    # "Reviewed" in impact figures means a review was held and recorded; a plan can also be
    # closed without one (``review_recorded=False``).
    if reviewed and review_recorded:
        Review.objects.create(
            school=school, plan=plan, held_on=plan.reviewed_on, status=Review.Status.COMPLETE,
            completed_at=timezone.now(),
        )  # fmt: skip
    if grouped:
        GroupMember.objects.create(
            school=school, group=group_of(school, intervention), placement=placement,
            joined_on=start,
        )  # fmt: skip
    if post is not None:
        Score.objects.create(
            school=school, pupil=pupil, measure=measure, value=post,
            taken_on=start + timedelta(weeks=11),
        )  # fmt: skip
    return plan


# The hand-worked example of tests/impact/test_practice.py: gains +3, +6, 0, +9, +12 (SD 15).
WORKED = [(80, 83), (75, 81), (84, 84), (72, 81), (78, 90)]


def test_the_panel_shows_the_schools_figures_and_the_updated_research(
    world, client_as, programme, reading_test
):
    for pre, post in WORKED:
        place(world.school, programme, reading_test, pre, post)
    response = client_as("senco").get(reverse("evidence:detail", args=[programme.slug]))
    summary = response.context["practice"]
    assert summary.status == practice.STATUS_UPDATED
    assert summary.school.n == 5 and summary.school.mean == pytest.approx(0.4)
    assert summary.reliable.improved == 2
    research = response.context["research"].synthesis.pooled
    assert summary.combined.estimate.value == pytest.approx(
        practice.combine(summary.school, research).estimate.value
    )
    html = response.content.decode()
    assert 'data-testid="practice-results"' in html
    assert "5 pupils with a starting and a later score on an age-standardised test" in html
    assert "95% interval 0 to 10 months (gain 0.01 to 0.79)" in html
    assert (
        "95% credible interval" in html and "The research, your school and the two combined" in html
    )
    assert "Research (2 trials)" in html and "How this is worked out and combined" in html
    assert "A pupil who had two interventions in the same plan counts for both" in html
    assert "Not enough data yet" not in html


def test_another_schools_placements_never_count(world, client_as, programme, reading_test):
    for pre, post in WORKED:
        place(world.school, programme, reading_test, pre, post)
    for _ in range(3):
        place(world.other_school, programme, reading_test, 70, 100, response="no_response")
    ours = client_as("teacher").get(reverse("evidence:detail", args=[programme.slug]))
    assert ours.context["practice"].counts.placements == 5
    assert ours.context["practice"].counts.no_response == 0
    assert ours.context["practice"].school.mean == pytest.approx(0.4)

    theirs = client_as("other_school_senco").get(reverse("evidence:detail", args=[programme.slug]))
    summary = theirs.context["practice"]
    assert summary.counts.placements == 3 and summary.school is None
    assert "Not enough data yet: 3 of the 5 pupils needed" in theirs.content.decode()


def test_with_no_placements_the_panel_says_not_enough_data_yet(world, client_as, programme):
    html = client_as("senco").get(reverse("evidence:detail", args=[programme.slug])).content
    html = html.decode()
    assert "Not enough data yet: 0 of the 5 pupils needed" in html
    assert "No pupil in your school has been placed on it yet." in html
    assert 'data-testid="practice-counts"' not in html


def test_four_pupils_are_not_enough(world, client_as, programme, reading_test):
    for pre, post in WORKED[:4]:
        place(world.school, programme, reading_test, pre, post)
    place(world.school, programme, None, response="too_early")  # placed, nothing measured
    response = client_as("senco").get(reverse("evidence:detail", args=[programme.slug]))
    html = response.content.decode()
    assert "Not enough data yet: 4 of the 5 pupils needed" in html
    assert 'data-testid="practice-counts"' in html and "5 pupils in your school" in html
    assert response.context["practice"].combined is None


def test_the_schools_own_intervention_shows_its_estimate_on_its_own(world, client_as, reading_test):
    own = own_intervention(world)
    for pre, post in WORKED:
        place(world.school, own, reading_test, pre, post)
    html = client_as("senco").get(reverse("evidence:detail", args=[own.slug])).content.decode()
    assert "5 pupils with a starting and a later score" in html
    assert "There is no pooled research estimate for this intervention" in html
    assert "credible interval" not in html


def test_rating_scales_show_raw_change_and_are_not_combined(world, client_as, programme):
    sdq = Measure.objects.create(
        slug="sdq", name="SDQ (teacher)", kind="rating_scale", higher_is_better=False
    )
    for change in (-4, -2, 0, -3, -1):
        place(world.school, programme, sdq, 20, 20 + change)
    html = client_as("senco").get(reverse("evidence:detail", args=[programme.slug])).content
    html = html.decode()
    assert "SDQ (teacher): the 5 pupils&#x27; scores changed by -2.0 points on average" in html
    assert "Not combined with the research because a rating scale" in html


# ------------------------------------------------------------------------------------------
# Which scores count
# ------------------------------------------------------------------------------------------
def records_for(world, intervention):
    actor = actor_for(world.users[Role.SENCO], world.school.id)
    return practice_selectors.practice_records(actor=actor, intervention=intervention)


def test_post_is_the_latest_score_after_the_start_and_up_to_the_review(
    world, programme, reading_test
):
    plan = place(world.school, programme, reading_test, 80, None)
    pupil = plan.pupil
    other = Measure.objects.create(slug="maths", name="Maths", kind="standardised", sd=15)
    for value, taken_on in [
        (60, START - timedelta(days=10)),  # before the baseline
        (85, START + timedelta(weeks=4)),
        (88, START + timedelta(weeks=10)),  # the latest before the review: this one
        (99, REVIEWED + timedelta(days=7)),  # after the review: the next cycle's
    ]:
        Score.objects.create(school=world.school, pupil=pupil, measure=reading_test,
                             value=value, taken_on=taken_on)  # fmt: skip
    Score.objects.create(school=world.school, pupil=pupil, measure=other, value=120,
                         taken_on=START + timedelta(weeks=11))  # fmt: skip
    (record,) = records_for(world, programme)
    assert (record.pre, record.post, record.kind, record.norm_sd) == (80, 88, "standardised", 15)
    assert record.reliability == 0.96 and record.response == "responded"


def test_an_open_plan_takes_the_latest_score_so_far(world, programme, reading_test):
    plan = place(world.school, programme, reading_test, 80, None, reviewed=False)
    Score.objects.create(school=world.school, pupil=plan.pupil, measure=reading_test, value=91,
                         taken_on=REVIEWED + timedelta(days=30))  # fmt: skip
    (record,) = records_for(world, programme)
    assert (record.pre, record.post, record.response) == (80, 91, "")


def test_an_outcome_with_a_later_score_is_preferred(world, programme, reading_test):
    plan = place(world.school, programme, None)  # first outcome: no measure at all
    spelling = Measure.objects.create(slug="spell", name="Spelling", kind="standardised", sd=15)
    Outcome.objects.create(school=world.school, plan=plan, text="Spell", measure=spelling,
                           baseline=70, baseline_date=START)  # fmt: skip
    Outcome.objects.create(school=world.school, plan=plan, text="Read", measure=reading_test,
                           baseline=82, baseline_date=START)  # fmt: skip
    Score.objects.create(school=world.school, pupil=plan.pupil, measure=reading_test, value=86,
                         taken_on=START + timedelta(weeks=6))  # fmt: skip
    (record,) = records_for(world, programme)
    assert (record.measure, record.pre, record.post) == ("Reading test", 82, 86)


def test_a_pupil_in_two_cycles_counts_as_one_pupil_and_two_placements(
    world, programme, reading_test
):
    first = place(world.school, programme, reading_test, 80, 84)
    place(world.school, programme, reading_test, 84, None, pupil=first.pupil, cycle=2,
          reviewed=False, start=REVIEWED + timedelta(days=1))  # fmt: skip
    records = records_for(world, programme)
    assert [(r.pre, r.post) for r in records] == [(80, 84), (84, None)]
    counts = practice.summarise(records).counts
    assert (counts.pupils, counts.placements, counts.with_scores) == (1, 2, 1)


@pytest.mark.parametrize("placements", [1, 8])
def test_the_panel_reads_a_fixed_number_of_queries(world, programme, reading_test, placements):
    for i in range(placements):
        place(world.school, programme, reading_test, 80, 80 + i)
    actor = actor_for(world.users[Role.SENCO], world.school.id)
    research = selectors.research_view(intervention=programme).synthesis
    # placements with their plans, measured outcomes, targeted interventions per plan, the
    # pupils' scores on those measures
    with assert_database_query_count(4):
        summary = practice_selectors.practice_view(
            actor=actor, intervention=programme, research=research
        )
    assert summary.counts.placements == placements


def test_the_page_lists_this_schools_adaptations_those_that_helped_first(world, client_as):
    from datetime import date

    from sendwise.delivery.models import Adaptation
    from tests.evidence.factories import InterventionFactory

    intervention = InterventionFactory(name="Phonics catch-up")

    def adapt(school, what, result, day):
        Adaptation.objects.create(
            school=school,
            intervention=intervention,
            kind="dose",
            what=what,
            why="Because",
            result=result,
            recorded_by=world.users["intervention_specialist"],
            recorded_on=date(2026, 10, day),
        )

    adapt(world.school, "Shorter sessions", "no_difference", 20)
    adapt(world.school, "Pictures for key words", "helped", 1)
    adapt(world.other_school, "Beta's secret change", "helped", 25)
    url = reverse("evidence:detail", kwargs={"slug": intervention.slug})
    html = client_as("teacher").get(url).content.decode()
    assert html.index("Pictures for key words") < html.index("Shorter sessions")
    assert "Beta's secret change" not in html
    assert "Record an adaptation" in html
    assert "Record an adaptation" not in client_as("head").get(url).content.decode()


def test_a_score_counts_only_for_the_intervention_whose_goal_it_measures(
    world, programme, reading_test
):
    """A reading outcome in a plan that also has a social skills group is not a result of
    that group, unless the SENCO set it as the group's goal."""
    social = InterventionFactory(slug="social-group", name="Social skills group")
    actor = actor_for(world.users[Role.SENCO], world.school.id)
    plans = [place(world.school, programme, reading_test, pre, post) for pre, post in WORKED]
    for plan in plans:
        Placement.objects.create(school=world.school, plan=plan, intervention=social)

    def measured(intervention):
        return [
            r
            for r in practice_selectors.practice_records(actor=actor, intervention=intervention)
            if r.scored
        ]

    # Two targeted interventions, one outcome "for the plan as a whole": credited to neither.
    assert measured(programme) == [] and measured(social) == []
    # Set as the reading programme's goal, it counts for the reading programme only.
    for plan in plans:
        Outcome.objects.filter(plan=plan).update(
            placement=Placement.objects.get(plan=plan, intervention=programme)
        )
    assert len(measured(programme)) == 5 and measured(social) == []
