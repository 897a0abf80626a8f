"""The school's impact pages and a pupil's results, as the SENCO and the head read them: the
hand-worked figures, their intervals and n, the cautions, a fixed number of queries, bad
filters answered with an error; and no page shows an effect or months without both."""

import html as html_text
import re

import pytest
from django.urls import reverse

from sendwise.core.suppression import protect_parts
from sendwise.evidence.models import Measure
from sendwise.impact.models import PlacementResult
from sendwise.impact.result_services import impact_rebuild
from sendwise.monitoring.models import Review
from sendwise.pupils.models import Pupil
from tests.evidence.factories import InterventionFactory, StudyFactory
from tests.impact.test_selectors import WORKED, place
from tests.queries import assert_database_query_count

# A figure a reader could take for an effect: "+0.40 SD", "−5 months of additional progress".
FIGURE = re.compile(r"[+\-−]?\d+\.\d+ SD\b|\d+ months? of additional progress")
INTERVAL = re.compile(r"95% (credible )?interval")
N = re.compile(r"n = \d|\b\d[\d,]* pupils?\b")  # "n = 5" or "5 pupils"
BLOCK = re.compile(r"<(li|p|td|dd|figcaption)\b[^>]*>(.*?)</\1>", re.S)


def figures_without_interval_and_n(html: str) -> list[str]:
    """Every block (paragraph, list item, cell) showing an effect size or months of progress
    that does not also give its 95% interval and its n."""
    bad = []
    for _tag, text in BLOCK.findall(html):
        if FIGURE.search(text) and not (INTERVAL.search(text) and N.search(text)):
            bad.append(re.sub(r"\s+", " ", text).strip())
    return bad


def test_the_check_finds_a_bare_figure():
    assert figures_without_interval_and_n("<p>Effect +0.40 SD</p>") == ["Effect +0.40 SD"]
    assert figures_without_interval_and_n("<li>+5 months of additional progress</li>")
    assert not figures_without_interval_and_n(
        "<td>+0.40 SD (95% interval 0.01 to 0.79; n = 5)</td>"
    )


@pytest.fixture
def reading_test(db):
    return Measure.objects.create(
        slug="reading-ss", name="Reading test", kind="standardised", mean=100, sd=15,
        higher_is_better=True, reliability=0.96,
    )  # fmt: skip


@pytest.fixture
def programme(world, reading_test):
    """Five pupils with the hand-worked gains +3, +6, 0, +9, +12 on a reading test (SD 15),
    on a shared entry with two trials; results built."""
    intervention = InterventionFactory(slug="reading-programme", name="Reading Programme")
    StudyFactory(intervention=intervention, effect_size=0.2, n_treatment=150, n_control=150)
    StudyFactory(intervention=intervention, effect_size=0.3, n_treatment=100, n_control=100)
    for pre, post in WORKED:
        place(world.school, intervention, reading_test, pre, post)
    impact_rebuild(school_id=world.school.pk)
    return intervention


def test_the_head_sees_each_intervention_with_its_effect_interval_n_and_months(
    world, client_as, programme
):
    """Mean 0.40 SD, 95% t-interval 0.007 to 0.793 (tests/impact/test_results.py), 5 months
    (0 to 10). Reliable change with r = 0.96: S_diff = 15 × √2 × √0.04 = 4.243; gains 9 and
    12 give RCI 2.12 and 2.83, so 2 of 5 pupils (40%)."""
    html = client_as("head").get(reverse("impact:school")).content.decode()
    assert "Reading Programme" in html
    assert "+0.40 SD (95% interval 0.01 to 0.79; n = 5)" in html
    assert "+5 months of additional progress (95% interval 0 to 10 months; n = 5)" in html
    # The page names the coefficient reliable change used (the test's single recorded one).
    assert (
        "40% made a reliable improvement (2 of 5 pupils; judged with the recorded reliability "
        "0.96)" in html
    )
    assert figures_without_interval_and_n(html) == []


def test_the_intervention_page_shows_research_school_and_combined_in_one_chart(
    world, client_as, programme
):
    html = (
        client_as("senco").get(reverse("impact:intervention", args=[programme.pk])).content.decode()
    )
    assert html.count("<svg") == 1 and 'role="img"' in html
    assert "Research: " in html and "Our school (Reading test): +0.40 SD" in html
    assert "Combined: " in html
    assert "This is not a randomised comparison" in html
    # Costs are counted by year or term: with no year chosen the page asks for one.
    assert "Choose a school year above to see the cost per pupil" in html
    assert figures_without_interval_and_n(html) == []
    # The catalogue's page of the same entry ("What our practice shows") keeps the rule too.
    catalogue = client_as("senco").get(reverse("evidence:detail", args=[programme.slug]))
    assert "95% interval" in catalogue.content.decode()
    assert reverse("impact:intervention", args=[programme.pk]) in catalogue.content.decode()
    assert figures_without_interval_and_n(catalogue.content.decode()) == []


def test_subgroups_under_five_pupils_are_not_shown(world, client_as, programme):
    """One of the five pupils has English as an additional language: neither group (1 and 4
    pupils) is shown; the whole group of five still is."""
    result = PlacementResult.objects.filter(intervention=programme).first()
    Pupil.unscoped.filter(pk=result.pupil_id).update(eal=True)
    impact_rebuild(school_id=world.school.pk)
    html = (
        client_as("senco").get(reverse("impact:intervention", args=[programme.pk])).content.decode()
    )
    eal = html[html.index("English as an additional language</caption>") :]
    eal = eal[: eal.index("</table>")]
    assert eal.count("Fewer than 5 pupils: not shown") == 2
    assert "n = 4" not in eal and "n = 1" not in eal


def test_a_pupils_impact_page_gives_each_gain_with_a_verdict(world, client_as, reading_test):
    intervention = InterventionFactory(name="Catch-up reading")
    place(world.school, intervention, reading_test, 80, 89, pupil=world.pupil_in_class)
    impact_rebuild(school_id=world.school.pk)
    url = reverse("pupils:impact", args=[world.pupil_in_class.pk])
    html = client_as("teacher").get(url).content.decode()
    # 0.6 SD; with r = 0.96 the interval from measurement error is 0.6 ± 1.96 × √2 × 0.2
    # = 0.6 ± 0.554 = 0.05 to 1.15.
    assert "+0.60 SD (n = 1; 95% interval from measurement error 0.05 to 1.15)" in html
    assert "The pupil gained ground on pupils of the same age on Reading test" in html
    assert figures_without_interval_and_n(html) == []
    detail = client_as("teacher").get(reverse("pupils:detail", args=[world.pupil_in_class.pk]))
    assert "What the support achieved" in detail.content.decode()


def test_a_pupil_with_no_support_has_a_helpful_empty_state(world, client_as):
    url = reverse("pupils:impact", args=[world.pupil_in_class.pk])
    assert "No results yet" in client_as("senco").get(url).content.decode()


@pytest.mark.parametrize("bad", [{"year": "abc"}, {"year": "1999"}, {"term": "winter"}])
def test_a_bad_filter_gets_a_clear_error_and_the_whole_list(world, client_as, programme, bad):
    response = client_as("senco").get(reverse("impact:school"), bad)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html and "govuk-error-summary" in html
    assert "Reading Programme" in html


def test_filtering_by_a_term_with_no_results_says_so(world, client_as, programme):
    html = client_as("senco").get(reverse("impact:school"), {"term": "summer"}).content.decode()
    assert "No results yet for this year and term" in html


@pytest.mark.parametrize("interventions", [1, 6])
def test_the_school_page_runs_a_fixed_number_of_queries(
    world, client_as, reading_test, interventions
):
    for n in range(interventions):
        intervention = InterventionFactory(name=f"Programme {n}")
        for pre, post in WORKED:
            place(world.school, intervention, reading_test, pre, post)
    impact_rebuild(school_id=world.school.pk)
    client = client_as("senco")
    client.get(reverse("impact:school"))  # warm the session
    # session, user, memberships, the years, the aggregate cells
    with assert_database_query_count(5):
        response = client.get(reverse("impact:school"))
    assert response.content.decode().count("n = 5") >= 2 * interventions


@pytest.mark.parametrize("pupils", [5, 15])
def test_the_intervention_page_runs_a_fixed_number_of_queries(
    world, client_as, programme, reading_test, pupils
):
    for pre, post in WORKED * ((pupils - 5) // 5):
        place(world.school, programme, reading_test, pre, post)
    impact_rebuild(school_id=world.school.pk)
    client = client_as("senco")
    url = reverse("impact:intervention", args=[programme.pk])
    client.get(url)  # warm the session
    # session, user, memberships, the years, the entry, the cells, its studies, the subgroups
    with assert_database_query_count(8):
        response = client.get(url)
    assert f"n = {pupils})" in response.content.decode()


def test_reading_ages_give_a_mean_ratio_gain_with_its_interval_and_no_months(world, client_as):
    """Reading ages gained 3, 4, 5, 6, 7 months over 80 days (baseline 3 days before the start,
    the later test 11 weeks after): 80 / 30.4375 = 2.6283 months elapsed, so ratio gains
    1.14, 1.52, 1.90, 2.28, 2.66. Mean 5 / 2.6283 = 1.90; SD 1.5811 / 2.6283 = 0.6016;
    95% t-interval 1.90 ± 2.776445 × 0.6016 / √5 = 1.90 ± 0.747 = 1.16 to 2.65. Ratio gains
    are not effect sizes: no EEF months."""
    reading_age = Measure.objects.create(
        slug="reading-age", name="Reading age", kind="age_equivalent", higher_is_better=True
    )
    intervention = InterventionFactory(name="Paired reading")
    for gained in (3, 4, 5, 6, 7):
        place(world.school, intervention, reading_age, 90, 90 + gained)
    impact_rebuild(school_id=world.school.pk)
    html = (
        client_as("senco")
        .get(reverse("impact:intervention", args=[intervention.pk]))
        .content.decode()
    )
    assert "mean ratio gain 1.9 (95% interval 1.2 to 2.6; n = 5)" in html
    assert "months of additional progress" not in html
    assert figures_without_interval_and_n(html) == []


def test_each_row_links_to_the_intervention_with_the_filters_kept_and_names_escaped(
    world, client_as, reading_test
):
    """The table's rows are written in Python (impact.impact_table): a name typed with
    markup shows as text, and the link to the intervention keeps the year and term chosen."""
    own = InterventionFactory(school=world.school, name="Reading & <b>Writing</b>")
    for pre, post in WORKED:
        place(world.school, own, reading_test, pre, post)
    impact_rebuild(school_id=world.school.pk)
    year = PlacementResult.objects.filter(school=world.school).first().academic_year
    html = client_as("senco").get(reverse("impact:school"), {"year": year, "term": "autumn"})
    html = html.content.decode()
    link = reverse("impact:intervention", args=[own.pk])
    assert f'href="{link}?year={year}&amp;term=autumn">Reading &amp; &lt;b&gt;Writing' in html
    assert "<b>Writing</b>" not in html
    assert "+0.40 SD (95% interval 0.01 to 0.79; n = 5)" in html


def test_a_plan_is_called_reviewed_only_when_its_review_was_recorded(
    world, client_as, reading_test
):
    """Issue 12 (Kofi Bailey's plan 1): a plan closed without a review recorded is not labelled
    "reviewed" beside outcomes that read "Not reviewed", nor counted as finished."""
    intervention = InterventionFactory(name="Catch-up reading")
    plan = place(
        world.school, intervention, reading_test, 80, 89, pupil=world.pupil_in_class,
        review_recorded=False,
    )  # fmt: skip
    impact_rebuild(school_id=world.school.pk)
    url = reverse("pupils:impact", args=[world.pupil_in_class.pk])
    html = client_as("senco").get(url).content.decode()
    assert "Plan 1, closed with no review recorded" in html and "Plan 1, reviewed" not in html
    page = reverse("impact:intervention", args=[intervention.pk])
    finished = client_as("senco").get(page).content.decode().split("review held and recorded")[1]
    assert finished.split("</dd>")[0].endswith(">0 (0%)")

    Review.objects.create(
        school=world.school, plan=plan, held_on=plan.reviewed_on, status=Review.Status.COMPLETE
    )
    impact_rebuild(school_id=world.school.pk)
    html = client_as("senco").get(url).content.decode()
    assert "Plan 1, reviewed" in html and "no review recorded" not in html
    finished = client_as("senco").get(page).content.decode().split("review held and recorded")[1]
    assert finished.split("</dd>")[0].endswith(">1 (100%)")


def test_a_fall_in_difficulties_reads_as_an_improvement_and_names_its_reliability(world, client_as):
    """Issue 12: on the SDQ a higher score means more difficulty. Five pupils' scores fell by
    4, 2, 3, 1 and 5: gains (+ is better) 4, 2, 3, 1, 5, mean 3, 95% interval 1.0 to 5.0. The
    catalogue's SDQ has no SD, so reliable change cannot be judged: the page says so and names
    the coefficient it would use (test–retest 0.62, not the cross-informant 0.34)."""
    sdq = Measure.objects.create(
        slug="sdq-test", name="SDQ teacher", kind="rating_scale", scale_min=0, scale_max=40,
        higher_is_better=False, reliability=0.34, reliability_detail=[
            {"coefficient": 0.73, "type": "internal consistency (mean Cronbach alpha)"},
            {"coefficient": 0.62, "type": "test-retest (mean, 4 to 6 months)"},
            {"coefficient": 0.34, "type": "cross-informant correlation (mean)"},
        ],
    )  # fmt: skip
    elsa = InterventionFactory(name="ELSA")
    for pre, post in [(24, 20), (20, 18), (22, 19), (18, 17), (26, 21)]:
        place(world.school, elsa, sdq, pre, post)
    impact_rebuild(school_id=world.school.pk)
    html = " ".join(client_as("head").get(reverse("impact:school")).content.decode().split())
    assert (
        "improved by 3 points (the scores fell: lower is better on this measure) on average "
        "(95% interval of the improvement 1.0 to 5.0 points, where a negative figure is a "
        "worsening; n = 5)" in html
    )
    detail = client_as("head").get(reverse("impact:intervention", args=[elsa.pk]))
    text = html_text.unescape(" ".join(detail.content.decode().split()))
    assert (
        "Reliable change not judged: the measure's standard deviation is not recorded "
        "(measurement error is worked out from it and the test–retest reliability 0.62)." in text
    )
    assert "+3" not in text


def test_a_group_of_five_beside_a_hidden_one_is_withheld_too(
    world, client_as, programme, reading_test
):
    """Six pupils, one of them a girl: "every pupil" (n = 6) and "boys" (n = 5) shown together
    would give the girl's gain by subtraction (a tester worked it out), so the boys' figure is
    withheld as well, with why."""
    place(world.school, programme, reading_test, 84, 92)
    impact_rebuild(school_id=world.school.pk)  # the sixth pupil's result
    results = PlacementResult.objects.filter(intervention=programme).order_by("id")
    pupils = list(results.values_list("pupil_id", flat=True))
    Pupil.unscoped.filter(pk__in=pupils).update(gender="M")
    Pupil.unscoped.filter(pk=pupils[0]).update(gender="F")
    impact_rebuild(school_id=world.school.pk)
    html = (
        client_as("senco").get(reverse("impact:intervention", args=[programme.pk])).content.decode()
    )
    sex = html[html.index("Sex</caption>") :]
    sex = sex[: sex.index("</table>")]
    assert "Fewer than 5 pupils: not shown" in sex
    assert "Not shown: with the figure for every pupil, it would give away a group" in sex
    assert "n = 5" not in sex and "SD (95% interval" not in sex


def test_the_rule_hides_the_smallest_shown_part_until_the_hidden_ones_make_five():
    assert protect_parts([5, 1]) == {0, 1}
    assert protect_parts([6, 5, 1]) == {1, 2}  # 5 + 1: six together, not one alone
    assert protect_parts([3, 3, 9]) == {0, 1}  # 6 hidden together: enough
    assert protect_parts([7, 8]) == frozenset()
    assert protect_parts([0, 6]) == frozenset()  # nobody is no one to point to
    assert protect_parts([2]) == {0}
