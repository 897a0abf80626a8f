"""The progress pages: an outcome's chart for staff, and a child's goals for their parent."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from sendwise.evidence.models import Measure
from sendwise.planning.models import Outcome, Placement
from tests.delivery.factories import add_member, make_group
from tests.evidence.factories import InterventionFactory
from tests.monitoring.factories import START, add_scores, outcome_on_measure
from tests.queries import assert_database_query_count, capture_queries

pytestmark = pytest.mark.django_db


def chart_url(pupil, outcome):
    return reverse(
        "pupils:outcome_progress", kwargs={"pupil_id": pupil.pk, "outcome_id": outcome.pk}
    )


def progress_url(pupil):
    return reverse("pupils:progress", kwargs={"pupil_id": pupil.pk})


def test_senco_sees_the_chart_the_aimline_figures_and_the_scores_as_a_table(world, client_as):
    outcome = outcome_on_measure(world.pupil_in_class, scores=9)
    page = client_as("senco").get(chart_url(world.pupil_in_class, outcome)).content.decode()
    assert "<svg" in page and 'id="aimline"' in page and 'id="trend"' in page
    assert 'id="average-band"' in page  # a standardised test with mean 100, SD 15
    assert "Reads and understands a short passage" in page
    assert "80 on 7 Sep 2026" in page and "92 by 22 Feb 2027" in page
    assert "0.50 a week (the slope of the aimline)" in page
    assert "from 9 scores since the baseline" in page
    # The table is the chart's data: one row a score, with the aimline that day.
    assert page.count('<tr class="govuk-table__row"><td') == 9
    assert '<td class="govuk-table__cell">14 Sep 2026</td>' in page
    assert "Started at 80 on 7 Sep 2026. Latest score 84.5 on 9 Nov 2026 (9 scores in all)." in page


def test_too_few_scores_for_a_trend_says_how_many_it_has_and_draws_none(world, client_as):
    outcome = outcome_on_measure(world.pupil_in_class, scores=3)
    page = client_as("teacher").get(chart_url(world.pupil_in_class, outcome)).content.decode()
    assert 'id="trend"' not in page
    assert "a trend needs at least 8 scores since the baseline, and has 3" in page


def test_phase_lines_mark_the_plan_start_and_the_group_the_pupil_joined(world, client_as):
    outcome = outcome_on_measure(world.pupil_in_class, scores=4)
    intervention = InterventionFactory(name="Toe by Toe")
    group = make_group(world.school, intervention, deliverer=world.users["intervention_specialist"])
    placement = Placement.objects.create(
        school=world.school, plan=outcome.plan, intervention=intervention
    )
    member = add_member(group, placement, joined_on=START + timedelta(days=10))
    member.left_on = START + timedelta(weeks=6)
    member.save()
    page = client_as("senco").get(chart_url(world.pupil_in_class, outcome)).content.decode()
    assert "Plan 1 started" in page
    assert "Toe by Toe started" in page and "Toe by Toe ended" in page
    assert 'id="phase-3"' in page


def test_scores_from_before_the_baseline_are_left_out(world, client_as):
    outcome = outcome_on_measure(world.pupil_in_class, scores=2)
    add_scores(world.pupil_in_class, outcome.measure, [70], start=START - timedelta(weeks=10))
    page = client_as("senco").get(chart_url(world.pupil_in_class, outcome)).content.decode()
    assert "(2 scores in all)" in page
    assert ">70<" not in page


def test_an_outcome_without_a_measure_has_no_chart(world, client_as):
    outcome = outcome_on_measure(world.pupil_in_class)
    bare = Outcome.objects.create(
        school=world.school, plan=outcome.plan, text="Joins in at playtime"
    )
    page = client_as("senco").get(chart_url(world.pupil_in_class, bare)).content.decode()
    assert "<svg" not in page
    assert "This outcome has no measure, so there is nothing to chart." in page


def test_another_pupils_outcome_is_not_found_through_this_pupils_address(world, client_as):
    theirs = outcome_on_measure(world.pupil_elsewhere, scores=2)
    response = client_as("senco").get(chart_url(world.pupil_in_class, theirs))
    assert response.status_code == 404


def test_the_chart_page_runs_the_same_queries_for_3_scores_and_30(world, client_as):
    few = outcome_on_measure(world.pupil_in_class, scores=3)
    measure = Measure.objects.create(slug="other", name="Other test", kind="curriculum_probe")
    many = outcome_on_measure(world.pupil_in_class, scores=30, measure=measure, weeks=40)
    client = client_as("senco")
    client.get(chart_url(world.pupil_in_class, few))  # sign-in and session settled
    with capture_queries() as three:
        assert client.get(chart_url(world.pupil_in_class, few)).status_code == 200
    with assert_database_query_count(three):
        assert client.get(chart_url(world.pupil_in_class, many)).status_code == 200


def test_the_plans_page_links_each_outcome_with_a_measure_to_its_chart(world, client_as):
    outcome = outcome_on_measure(world.pupil_in_class, scores=1)
    Outcome.objects.create(school=world.school, plan=outcome.plan, text="Joins in at playtime")
    url = reverse("planning:plans", kwargs={"pupil_id": world.pupil_in_class.pk})
    staff = client_as("senco").get(url).content.decode()
    assert staff.count(chart_url(world.pupil_in_class, outcome)) == 1
    assert staff.count("Progress chart<span") == 1


# --- The parent's page ----------------------------------------------------------------------


def test_a_parent_reads_their_childs_goals_in_words_with_a_simple_chart(world, client_as):
    outcome = outcome_on_measure(world.pupil_in_class, scores=10)
    response = client_as("parent").get(progress_url(world.pupil_in_class))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Progress towards Amara's goals" in page
    assert outcome.text in page
    assert "York Assessment of Reading for Comprehension (YARC)" in page
    assert "Started at" in page and "80 on 7 September 2026" in page
    assert "Latest score" in page and "85 on 16 November 2026" in page
    assert "92 by 22 February 2027" in page
    assert 'id="scores"' in page and 'id="aimline"' in page
    assert 'id="trend"' not in page and 'id="phase-1"' not in page


def test_the_parents_page_has_no_staff_jargon_or_instructions(world, client_as):
    outcome_on_measure(world.pupil_in_class, scores=10)
    page = client_as("parent").get(progress_url(world.pupil_in_class)).content.decode()
    main = page.split("<main", 1)[1]
    # What a reader sees or hears: the text, and the charts' text alternatives.
    text = re.sub(r"<[^>]+>", " ", main) + " ".join(re.findall(r'aria-label="([^"]*)"', main))
    for jargon in (
        "aimline",
        "Aimline",
        "trend",
        "Trend",
        "pooled",
        "SD)",
        "×",
        "95%",
        "Add a score",
        "Staff chart",
        world.pupil_in_class.sen_provision and f"({world.pupil_in_class.sen_provision})",
    ):
        assert jargon not in text, jargon


def test_a_parent_cannot_open_another_childs_progress(world, client_as):
    outcome_on_measure(world.pupil_elsewhere, scores=2)
    response = client_as("parent").get(progress_url(world.pupil_elsewhere))
    assert response.status_code == 404
    assert b"Ben" not in response.content


def test_staff_see_what_the_parent_sees_with_a_link_to_each_full_chart(world, client_as):
    outcome = outcome_on_measure(world.pupil_in_class, scores=2)
    page = client_as("teacher").get(progress_url(world.pupil_in_class)).content.decode()
    assert chart_url(world.pupil_in_class, outcome) in page


def test_before_a_plan_is_agreed_the_parent_is_told_so(world, client_as):
    page = client_as("parent").get(progress_url(world.pupil_in_class)).content.decode()
    assert "No goals have been agreed for Amara yet." in page


def test_the_parents_page_runs_the_same_queries_for_one_goal_and_four(world, client_as):
    client = client_as("parent")
    outcome_on_measure(world.pupil_in_class, scores=2)
    client.get(progress_url(world.pupil_in_class))
    with capture_queries() as one:
        assert client.get(progress_url(world.pupil_in_class)).status_code == 200
    for n in range(3):
        measure = Measure.objects.create(slug=f"m{n}", name=f"Test {n}", kind="curriculum_probe")
        outcome_on_measure(world.pupil_in_class, scores=3, measure=measure)
    with assert_database_query_count(one):
        assert client.get(progress_url(world.pupil_in_class)).status_code == 200


def test_the_parents_home_page_links_to_their_childs_progress(world, client_as):
    page = client_as("parent").get(reverse("home")).content.decode()
    assert progress_url(world.pupil_in_class) in page


def test_the_pupil_page_links_to_progress_towards_goals(world, client_as):
    url = reverse("pupils:detail", kwargs={"pupil_id": world.pupil_in_class.pk})
    assert progress_url(world.pupil_in_class) in client_as("senco").get(url).content.decode()


def test_a_draft_plan_is_not_shown_to_the_parent_before_it_is_agreed(world, client_as):
    outcome = outcome_on_measure(world.pupil_in_class, scores=2)
    outcome.plan.status = "draft"
    outcome.plan.save()
    page = client_as("parent").get(progress_url(world.pupil_in_class)).content.decode()
    assert outcome.text not in page
    assert date(2026, 9, 7).strftime("%-d %B %Y") not in page


def test_the_parent_reads_the_planned_support_in_words_not_in_staff_shorthand(world, client_as):
    outcome = outcome_on_measure(world.pupil_in_class)
    Placement.objects.create(
        school=world.school,
        plan=outcome.plan,
        intervention=InterventionFactory(name="Toe by Toe"),
        sessions_per_week=3,
        weeks=10,
    )
    client = client_as("parent")
    for url in (
        reverse("pupils:detail", kwargs={"pupil_id": world.pupil_in_class.pk}),
        reverse("planning:plans", kwargs={"pupil_id": world.pupil_in_class.pk}),
    ):
        page = client.get(url).content.decode()
        assert "3 sessions a week" in page, url
        assert "×" not in page and "?" not in page.split("<main", 1)[1], url


def test_the_table_says_how_far_a_score_is_from_the_aimline_as_the_rule_compared_it(
    world, client_as
):
    """Aimline from 80 on 7 Sep to 92 24 weeks later: 0.5 a week, so 80.5 a week in and 81 two
    weeks in. Scores 80.47 (behind by 0.03, shown as typed, not rounded to "80.5" beside an
    aim of 80.50), then 81 (on it)."""
    outcome = outcome_on_measure(world.pupil_in_class)
    add_scores(world.pupil_in_class, outcome.measure, [80.47, 81])
    page = client_as("senco").get(chart_url(world.pupil_in_class, outcome)).content.decode()
    cells = re.findall(r'<td class="govuk-table__cell[^"]*">([^<]*)</td>', page)
    assert cells[:8] == [
        "14 Sep 2026", "80.47", "80.50", "Behind the aimline by 0.03",
        "21 Sep 2026", "81", "81", "On the line",
    ]  # fmt: skip
